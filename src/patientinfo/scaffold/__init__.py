"""Commands that create files: a new site, a language, a treatment."""
