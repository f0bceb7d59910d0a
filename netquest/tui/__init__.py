"""The netquest terminal app, built on Textual.

Import :func:`netquest.tui.app.run_app` (or :class:`netquest.tui.app.NetquestApp`)
from here on demand: this package itself imports nothing heavy, so the command
line stays quick for the subcommands that do not open the app.
"""
