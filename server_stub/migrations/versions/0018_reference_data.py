"""reference data the académie owns: adjacent communes, return reasons, anomaly thresholds and
the debtor account, stored over the packaged defaults; the return reason of a statement

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _changed() -> list[sa.Column[object]]:
    return [
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "changed_by",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "adjacent_commune_changes",
        sa.Column("insee_a", sa.String(length=5), primary_key=True),
        sa.Column("insee_b", sa.String(length=5), primary_key=True),
        sa.Column("adjacent", sa.Boolean(), nullable=False),
        *_changed(),
    )
    op.create_table(
        "return_reasons",
        sa.Column("code", sa.String(length=40), primary_key=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_changed(),
    )
    op.create_table(
        "anomaly_threshold_values",
        sa.Column("name", sa.String(length=40), primary_key=True),
        sa.Column("value", sa.Numeric(12, 2), nullable=False),
        *_changed(),
    )
    op.create_table(
        "debtor_account",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=70), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=True),
        sa.Column("initiating_party", sa.String(length=70), nullable=False),
        sa.Column("sepa_schema", sa.String(length=20), nullable=False),
        *_changed(),
    )
    # A plain ALTER and an index: both databases take them without copying the table.
    op.add_column("statements", sa.Column("return_reason", sa.String(length=40), nullable=True))
    op.create_index("ix_statements_return_reason", "statements", ["return_reason"])


def downgrade() -> None:
    op.drop_index("ix_statements_return_reason", table_name="statements")
    op.execute(sa.text("ALTER TABLE statements DROP COLUMN return_reason"))
    for table in (
        "debtor_account",
        "anomaly_threshold_values",
        "return_reasons",
        "adjacent_commune_changes",
    ):
        op.drop_table(table)
