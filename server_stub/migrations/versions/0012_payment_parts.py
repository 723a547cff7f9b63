"""payment by part: each statement's pay part and travel part is sent, paid or rejected on its
own (payment_parts replaces payment_lines; statements carry each part's payment state)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The lines of the batches made before: an interne's indemnity went through payroll and their
# travel by transfer; an externe's two parts by transfer. A statement without any amount keeps
# one pay part of zero, settled with its batch.
_COPY = """
INSERT INTO payment_parts (batch_id, statement_id, user_id, part, channel, amount, status,
                           settled_on)
SELECT l.batch_id, l.statement_id, l.user_id, '{part}',
       CASE WHEN u.academic AND '{part}' = 'PAY' THEN 'PAYROLL' ELSE 'TRANSFER' END,
       s.{column}, CASE WHEN b.status = 'PAID' THEN 'PAID' ELSE 'IN_PAYMENT' END, b.paid_on
FROM payment_lines l
JOIN statements s ON s.id = l.statement_id
JOIN users u ON u.id = l.user_id
JOIN payment_batches b ON b.id = l.batch_id
WHERE {condition}
"""


def upgrade() -> None:
    op.create_table(
        "payment_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("settled_on", sa.Date(), nullable=True),
        sa.Column("settled_reference", sa.String(length=35), nullable=True),
        sa.Column("return_code", sa.String(length=4), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["payment_batches.id"]),
        sa.ForeignKeyConstraint(["statement_id"], ["statements.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("batch_id", "statement_id", "part"),
    )
    op.create_index("ix_payment_parts_batch_id", "payment_parts", ["batch_id"])
    op.create_index("ix_payment_parts_statement_id", "payment_parts", ["statement_id"])
    op.create_index("ix_payment_parts_user_id", "payment_parts", ["user_id"])
    # Plain ALTERs: copying the table, as batch mode does on SQLite, would break the foreign
    # keys that point at it.
    op.add_column("statements", sa.Column("pay_payment", sa.String(length=16), nullable=True))
    op.add_column("statements", sa.Column("travel_payment", sa.String(length=16), nullable=True))

    op.execute(
        sa.text(
            _COPY.format(
                part="PAY", column="pay_total", condition="s.pay_total > 0 OR s.travel_total = 0"
            )
        )
    )
    op.execute(
        sa.text(_COPY.format(part="TRAVEL", column="travel_total", condition="s.travel_total > 0"))
    )
    for part, column in (("PAY", "pay_payment"), ("TRAVEL", "travel_payment")):
        op.execute(
            sa.text(
                f"UPDATE statements SET {column} = (SELECT p.status FROM payment_parts p "
                f"WHERE p.statement_id = statements.id AND p.part = '{part}') "
                f"WHERE id IN (SELECT statement_id FROM payment_parts WHERE part = '{part}')"
            )
        )
    op.drop_index("ix_payment_lines_user_id", table_name="payment_lines")
    op.drop_index("ix_payment_lines_batch_id", table_name="payment_lines")
    op.drop_table("payment_lines")


def downgrade() -> None:
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
    # A statement's latest batch (its parts sent apart are put together again).
    op.execute(
        sa.text(
            "INSERT INTO payment_lines (batch_id, statement_id, user_id, payroll_amount, "
            "transfer_amount) SELECT MAX(batch_id), statement_id, MIN(user_id), "
            "SUM(CASE WHEN channel = 'PAYROLL' THEN amount ELSE 0 END), "
            "SUM(CASE WHEN channel = 'TRANSFER' THEN amount ELSE 0 END) "
            "FROM payment_parts GROUP BY statement_id"
        )
    )
    op.execute(sa.text("ALTER TABLE statements DROP COLUMN travel_payment"))
    op.execute(sa.text("ALTER TABLE statements DROP COLUMN pay_payment"))
    op.drop_index("ix_payment_parts_user_id", table_name="payment_parts")
    op.drop_index("ix_payment_parts_statement_id", table_name="payment_parts")
    op.drop_index("ix_payment_parts_batch_id", table_name="payment_parts")
    op.drop_table("payment_parts")
