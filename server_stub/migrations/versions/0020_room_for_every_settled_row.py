"""room for every settled row: each answer of a bank statement rewritten where it lies

A bank statement answers thousands of payment parts and moves the last payment date of
thousands of people, each row rewritten once, all the rows of a page together. A HOT update
(the new row on the old one's page, no index written) needs room for it there: with 15 % of
each page free, two parts in ten and one person in five found it; the others wrote an entry in
each of their table's indexes (five and three). An answered part is larger than the part sent
(the bank's reference, up to 35 characters; a rejection's code and reason): payment parts keep
65 % of each page free, people 55 % (their last payment date, empty until a first payment).
On PostgreSQL, for pages written from now on (a `VACUUM FULL` gives the existing ones their
room). A part is written twice in its life: when its batch is made, when its answer comes.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FILLFACTORS = {"payment_parts": 35, "users": 45}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, percent in _FILLFACTORS.items():
            op.execute(f"ALTER TABLE {table} SET (fillfactor = {percent})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _FILLFACTORS:
            op.execute(f"ALTER TABLE {table} SET (fillfactor = 85)")
