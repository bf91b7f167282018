"""Use cases: what the routes and the CLI ask Practika to do."""
