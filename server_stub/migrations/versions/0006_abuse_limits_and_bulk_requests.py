"""abuse limits and resumable bulk actions: rate-limit counters and failed log-ins kept in
the database (shared by every server process), token families, bulk requests with the
outcome of each statement; the per-account lock columns go

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_counters",
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_rate_limit_counters_expires_at", "rate_limit_counters", ["expires_at"])
    op.create_table(
        "login_failures",
        sa.Column("login", sa.String(length=120), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wait_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("login", "address"),
    )
    op.create_index("ix_login_failures_last_failure_at", "login_failures", ["last_failure_at"])

    # The tokens issued before: one family per person (log-out ends all their old sessions).
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("family", sa.String(length=32), nullable=True))
    op.execute(
        sa.text("UPDATE tokens SET family = 'u' || CAST(user_id AS VARCHAR(20))")
        if op.get_bind().dialect.name == "postgresql"
        else sa.text("UPDATE tokens SET family = 'u' || user_id")
    )
    with op.batch_alter_table("tokens") as batch:
        batch.alter_column("family", existing_type=sa.String(length=32), nullable=False)
        batch.create_index("ix_tokens_family", ["family"])

    # Locks now live in login_failures, by identifier and address: the same for every login.
    # A plain ALTER (SQLite ≥ 3.35): copying the table, as batch mode does, would break the
    # foreign keys that point at it.
    op.execute(sa.text("ALTER TABLE users DROP COLUMN failed_logins"))
    op.execute(sa.text("ALTER TABLE users DROP COLUMN locked_until"))

    op.create_table(
        "bulk_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("actor_id", "key"),
    )
    op.create_index("ix_bulk_requests_created_at", "bulk_requests", ["created_at"])
    op.create_table(
        "bulk_outcomes",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["bulk_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id", "statement_id"),
    )


def downgrade() -> None:
    op.drop_table("bulk_outcomes")
    op.drop_index("ix_bulk_requests_created_at", table_name="bulk_requests")
    op.drop_table("bulk_requests")
    op.add_column(
        "users", sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("tokens") as batch:
        batch.drop_index("ix_tokens_family")
        batch.drop_column("family")
    op.drop_index("ix_login_failures_last_failure_at", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_index("ix_rate_limit_counters_expires_at", table_name="rate_limit_counters")
    op.drop_table("rate_limit_counters")
