"""Contextual help (the help pane, F1) and the user guide."""

from client.ui.help.guide import show_guide
from client.ui.help.pane import HelpPane

__all__ = ["HelpPane", "show_guide"]
