"""the constat de service fait carries its date and a remark and may be corrected; each office
says whether the service must be recorded before a statement is validated

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTERs (no batch copy): other tables' foreign keys point at service_records' rows.
    op.add_column("service_records", sa.Column("service_date", sa.Date(), nullable=True))
    op.add_column("service_records", sa.Column("remark", sa.Text(), nullable=True))
    op.add_column(
        "service_records", sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute(
        sa.text("ALTER TABLE service_records ADD COLUMN corrected_by INTEGER REFERENCES users (id)")
    )
    op.create_table(
        "office_settings",
        sa.Column("office", sa.String(length=40), nullable=False),
        sa.Column("service_done_required", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("office"),
    )


def downgrade() -> None:
    op.drop_table("office_settings")
    with op.batch_alter_table("service_records") as batch:
        batch.drop_column("corrected_by")
        batch.drop_column("corrected_at")
        batch.drop_column("remark")
        batch.drop_column("service_date")
