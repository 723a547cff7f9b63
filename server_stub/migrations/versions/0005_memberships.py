"""memberships: a gestionnaire may serve several offices, a chef de centre several centres

Revision ID: 0005
Revises: 0006
Create Date: 2026-11-28

Hand-written. The office and centre each account held (`users.office`, `users.centre_id`) are
copied into the membership tables, then emptied. The columns themselves stay: SQLite cannot drop
a column that carries a foreign key without copying the users table, which every other table
references. Nothing reads them any more.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "office_members",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("office", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "office"),
    )
    op.create_table(
        "centre_members",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["centre_id"], ["centres.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "centre_id"),
    )
    op.create_index("ix_centre_members_centre_id", "centre_members", ["centre_id"])
    op.execute(
        "INSERT INTO office_members (user_id, office) "
        "SELECT id, office FROM users WHERE office IS NOT NULL AND office <> ''"
    )
    op.execute(
        "INSERT INTO centre_members (user_id, centre_id) "
        "SELECT id, centre_id FROM users WHERE centre_id IS NOT NULL"
    )
    op.execute("UPDATE users SET office = NULL, centre_id = NULL")


def downgrade() -> None:
    # One membership each goes back to the account (the first, by name or number).
    op.execute(
        "UPDATE users SET office = (SELECT MIN(m.office) FROM office_members m "
        "WHERE m.user_id = users.id)"
    )
    op.execute(
        "UPDATE users SET centre_id = (SELECT MIN(m.centre_id) FROM centre_members m "
        "WHERE m.user_id = users.id)"
    )
    op.drop_index("ix_centre_members_centre_id", table_name="centre_members")
    op.drop_table("centre_members")
    op.drop_table("office_members")
