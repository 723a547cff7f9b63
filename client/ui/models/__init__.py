"""Table and list models over plain rows: every list the interface shows is one of these."""
