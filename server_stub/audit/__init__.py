"""The académie's audit log of changes to accounts and settings (who, when, what, on what)."""
