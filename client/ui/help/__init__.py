"""Contextual help (the help pane, F1, in `pane`) and the user guide (`guide`)."""
