"""Data files of the assignment: estimation parameters, the letters' font."""
