"""DEC workstation: anomalies, DEC corrections, documents received, constat de service fait,
payment batches.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Hand-written. Columns are added with ALTER TABLE ... ADD COLUMN on both backends (SQLite
accepts a REFERENCES clause on an added column whose default is NULL), so no table is copied on
upgrade: an existing database keeps its rows, and SQLite never drops a referenced table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "payment_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office", sa.String(length=40), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("execution_date", sa.Date(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_by", sa.Integer(), nullable=True),
        sa.Column("statement_count", sa.Integer(), nullable=False),
        sa.Column("transfer_count", sa.Integer(), nullable=False),
        sa.Column("transfer_total", sa.BigInteger(), nullable=False),
        sa.Column("payroll_count", sa.Integer(), nullable=False),
        sa.Column("payroll_total", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["exam_sessions.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["paid_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_payment_batches_office", "payment_batches", ["office"])

    op.create_table(
        "payment_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("payroll_amount", sa.BigInteger(), nullable=False),
        sa.Column("transfer_amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["payment_batches.id"]),
        sa.ForeignKeyConstraint(["statement_id"], ["statements.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("statement_id"),
    )
    op.create_index("ix_payment_lines_batch_id", "payment_lines", ["batch_id"])
    op.create_index("ix_payment_lines_user_id", "payment_lines", ["user_id"])

    op.create_table(
        "payment_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("creditor_name", sa.String(length=140), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("statement_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["payment_batches.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", "user_id"),
    )
    op.create_index("ix_payment_transfers_batch_id", "payment_transfers", ["batch_id"])

    op.create_table(
        "service_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["mission_id"], ["missions.id"]),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mission_id"),
    )

    # recreate="never": plain ADD COLUMN on SQLite too, never a copy of the table.
    with op.batch_alter_table("statements", recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("anomalies", JSON, nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(
            sa.Column("anomaly_codes", sa.String(length=400), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("anomaly_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("dec_corrected", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("documents_received", JSON, nullable=False, server_default=sa.text("'{}'"))
        )
    if op.get_context().dialect.name == "sqlite":
        # Alembic would copy the table to add the constraint; SQLite takes it inline.
        op.execute(
            "ALTER TABLE statements ADD COLUMN payment_batch_id INTEGER "
            "REFERENCES payment_batches (id)"
        )
    else:
        op.add_column("statements", sa.Column("payment_batch_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_statements_payment_batch_id",
            "statements",
            "payment_batches",
            ["payment_batch_id"],
            ["id"],
        )
    op.create_index("ix_statements_anomaly_count", "statements", ["anomaly_count"])
    op.create_index("ix_statements_payment_batch_id", "statements", ["payment_batch_id"])

    with op.batch_alter_table("audit_entries", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("details", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch_op:
        batch_op.drop_column("details")

    op.drop_index("ix_statements_payment_batch_id", table_name="statements")
    op.drop_index("ix_statements_anomaly_count", table_name="statements")
    # Dropping the foreign key column copies the table on SQLite (batch mode).
    with op.batch_alter_table("statements") as batch_op:
        if op.get_context().dialect.name == "postgresql":
            batch_op.drop_constraint("fk_statements_payment_batch_id", type_="foreignkey")
        batch_op.drop_column("payment_batch_id")
        batch_op.drop_column("documents_received")
        batch_op.drop_column("dec_corrected")
        batch_op.drop_column("anomaly_count")
        batch_op.drop_column("anomaly_codes")
        batch_op.drop_column("anomalies")

    op.drop_table("service_records")
    op.drop_index("ix_payment_transfers_batch_id", table_name="payment_transfers")
    op.drop_table("payment_transfers")
    op.drop_index("ix_payment_lines_user_id", table_name="payment_lines")
    op.drop_index("ix_payment_lines_batch_id", table_name="payment_lines")
    op.drop_table("payment_lines")
    op.drop_index("ix_payment_batches_office", table_name="payment_batches")
    op.drop_table("payment_batches")
