"""One module per subcommand of the ``netquest`` command line."""
