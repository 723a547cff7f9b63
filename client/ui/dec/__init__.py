"""The DEC's screens (the statement queue for now; the full workstation comes later)."""
