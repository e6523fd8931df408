"""The MkDocs plugin: a thin shell over the pipeline (options, hooks, languages, search, preview)."""
