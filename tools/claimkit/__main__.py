"""`python -m claimkit`: the `claims` command, as git's drivers run it."""

from .tophelp import run

run()
