"""Print the rule table of docs/cli.md: `python -m claimkit.rules`."""

from . import rule_table

print(rule_table(), end="")
