"""social security number: the financial file's NIR, encrypted at rest

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("nir_encrypted", sa.String(200), nullable=True))


def downgrade() -> None:
    # A plain ALTER (SQLite ≥ 3.35): copying the table, as batch mode does, would drop and
    # recreate users, and the memberships that cascade from it would go with the old table.
    op.execute(sa.text("ALTER TABLE users DROP COLUMN nir_encrypted"))
