"""Registers the command modules beyond the core set. Each module adds its commands to `main`."""

from . import cli_edit, cli_export, cli_maintenance  # noqa: F401
