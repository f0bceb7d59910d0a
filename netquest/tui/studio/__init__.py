"""``netquest studio FILE``: the authoring view (live play, diagnostics, story map, inspector)."""
