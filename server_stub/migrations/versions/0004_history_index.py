"""history index: a statement's audit trail without its saves

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NOT_A_SAVE = sa.text("action <> 'SAVE'")


def upgrade() -> None:
    op.create_index(
        "ix_audit_entries_history",
        "audit_entries",
        ["statement_id", "at", "id"],
        sqlite_where=_NOT_A_SAVE,
        postgresql_where=_NOT_A_SAVE,
    )


def downgrade() -> None:
    op.drop_index("ix_audit_entries_history", table_name="audit_entries")
