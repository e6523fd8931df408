"""Texts filled and escaped per language, facts as a language prints them, pages through Jinja, the brand."""
