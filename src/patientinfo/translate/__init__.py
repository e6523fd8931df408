"""Translations: the catalogue of texts and their review marks, PO export and import."""
