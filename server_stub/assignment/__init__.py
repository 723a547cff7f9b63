"""Assignment of intervenants: competences, unavailability, needs, the optimal assignment,
convocations and replacements (docs/assignment.md)."""
