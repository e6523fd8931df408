"""The browser editor's engine: what it may read and write, and how a change is written."""
