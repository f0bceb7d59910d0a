"""The screens of the netquest app, one per module."""
