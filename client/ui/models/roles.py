"""The item data role under which every model of the interface answers the row itself (the
plain wire object), whatever the column: views and pickers read their selection through it."""

from PySide6.QtCore import Qt

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
