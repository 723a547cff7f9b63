"""The guided expense-statement editor (`editor.StatementEditor`) and its steps."""
