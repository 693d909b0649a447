"""`python -m claimkit`: the `claims` command, as git's drivers run it."""

from .cli import main

main(prog_name="claims")
