"""Play time: a run in progress, the player's progress, the debrief as Markdown.

The layout reads engine → play → (tui | commands | web): this package builds on the pure engine
and the saves, and knows nothing of Textual, the command line or xAPI. Whoever starts a session
attaches the listeners it wants (the xAPI recorder: see
:func:`netquest.xapi.recorder.default_listener`).
"""
