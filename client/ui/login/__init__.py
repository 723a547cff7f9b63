"""The log-in screen, the first-connection password change, and the shared session context."""
