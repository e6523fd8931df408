"""The printed documents: one PDF engine (jobs, cache, fonts, version id) and the leaflet and forms."""
