"""payment batches created on schedule: the day each was scheduled for, one per office and day

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ALTER and a unique index: both databases take them without copying the table.
    op.add_column("payment_batches", sa.Column("scheduled_on", sa.Date(), nullable=True))
    op.create_index(
        "uq_payment_batches_office_scheduled_on",
        "payment_batches",
        ["office", "scheduled_on"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_payment_batches_office_scheduled_on", table_name="payment_batches")
    op.execute(sa.text("ALTER TABLE payment_batches DROP COLUMN scheduled_on"))
