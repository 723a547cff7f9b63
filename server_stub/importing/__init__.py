"""`imagin-server import FILE`: a whole session from one JSON document (docs/import-format.md)."""
