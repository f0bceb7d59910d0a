"""Allow ``python -m netquest``."""

from netquest.cli import main

raise SystemExit(main())
