"""Releases: a signed-off version of the patient documents, its changes and its archive."""
