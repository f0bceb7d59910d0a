"""Reusable widgets of the netquest app, one per module, each with its own default CSS."""
