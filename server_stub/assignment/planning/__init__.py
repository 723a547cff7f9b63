"""Planning a session's assignment: from the needs to a reviewed proposal, before issuing.

- `board`: the solver's input, read once from the database, and the explanation of a placement;
- `solving`: the solver run on the board, its proposal and the run stored;
- `review`: the read models the DEC reviews (coverage of each need, people's loads);
- `edits`: the DEC's changes by hand (lock, reassign, fill a seat, remove);
- `ranking`: who could take a seat, cheapest first, then least loaded.

Issuing the convocations and replacing people afterwards are `assignment.convening`'s.
"""
