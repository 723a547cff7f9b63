"""The guided expense-statement editor."""

from client.ui.statement.editor import StatementEditor

__all__ = ["StatementEditor"]
