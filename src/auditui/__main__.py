"""`python -m auditui` runs the command line."""

from auditui.cli.main import entry

entry()
