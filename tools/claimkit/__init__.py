"""claimkit: the core of the `claims` command. Nothing here imports click."""

__version__ = "0.1.0"
