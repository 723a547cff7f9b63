"""Data files of the assignment: the estimation parameters."""
