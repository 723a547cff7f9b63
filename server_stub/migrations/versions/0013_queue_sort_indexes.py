"""queue sort indexes: the DEC's first page in the order of any column without sorting the queue

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# statements/models.py STATUS_RANK, as it stood when this migration was written.
_STATUS_RANK = sa.text(
    "(CASE status WHEN 'OPEN' THEN 0 WHEN 'NOT_PERFORMED' THEN 1 WHEN 'SUBMITTED' THEN 2 "
    "WHEN 'RETURNED' THEN 3 WHEN 'APPROVED' THEN 4 WHEN 'DEC_ENTERED' THEN 5 "
    "WHEN 'IN_PAYMENT' THEN 6 WHEN 'PAID' THEN 7 WHEN 'CANCELLED' THEN 8 ELSE 9 END)"
)


def upgrade() -> None:
    op.create_index("ix_statements_total_id", "statements", ["total", "id"])
    op.create_index("ix_statements_status_rank_id", "statements", [_STATUS_RANK, "id"])
    op.create_index("ix_statements_user_id_id", "statements", ["user_id", "id"])
    op.create_index("ix_users_name", "users", ["last_name", "first_name", "id"])
    op.create_index("ix_missions_start_date_id", "missions", ["start_date", "id"])


def downgrade() -> None:
    op.drop_index("ix_missions_start_date_id", table_name="missions")
    op.drop_index("ix_users_name", table_name="users")
    op.drop_index("ix_statements_user_id_id", table_name="statements")
    op.drop_index("ix_statements_status_rank_id", table_name="statements")
    op.drop_index("ix_statements_total_id", table_name="statements")
