"""room for settlement updates: rewritten rows stay on their page, one index fewer to write

A bank statement rewrites thousands of statements, payment parts and people at once. On
PostgreSQL a row rewritten without changing an indexed column stays on its page (a HOT update,
no index written) when the page has room: the three tables keep 15 % of each page free (pages
written from now on; a `VACUUM FULL` gives the existing ones their room). The index of
statements by person alone is dropped: `ix_statements_user_id_id` (person, then id) serves
every query it served, and each write of a statement wrote both.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("statements", "payment_parts", "users")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f"ALTER TABLE {table} SET (fillfactor = 85)")
    op.drop_index("ix_statements_user_id", table_name="statements")


def downgrade() -> None:
    op.create_index("ix_statements_user_id", "statements", ["user_id"])
    if op.get_bind().dialect.name == "postgresql":
        for table in _TABLES:
            op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
