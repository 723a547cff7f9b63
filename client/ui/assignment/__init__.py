"""The assignment screens: the intervenant's declarations, and the DEC's workspace (competences
to validate, needs, solving and review, convocations, withdrawals)."""
