"""supporting documents: the files attached to statements and financial files (their bytes are
in the documents' store), the record of each read and change, the office setting that approval
requires every document

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("upload_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["statement_id"], ["statements.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("owner_id", "upload_id"),
    )
    op.create_index("ix_document_files_owner_id", "document_files", ["owner_id"])
    op.create_index("ix_document_files_statement_id", "document_files", ["statement_id"])
    op.create_index("ix_document_files_sha256", "document_files", ["sha256"])
    op.create_table(
        "document_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_document_events_document_id", "document_events", ["document_id"])
    op.create_index("ix_document_events_owner_id", "document_events", ["owner_id"])
    with op.batch_alter_table("office_settings") as batch_op:
        batch_op.add_column(
            sa.Column("documents_required", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("office_settings") as batch_op:
        batch_op.drop_column("documents_required")
    op.drop_index("ix_document_events_owner_id", table_name="document_events")
    op.drop_index("ix_document_events_document_id", table_name="document_events")
    op.drop_table("document_events")
    op.drop_index("ix_document_files_sha256", table_name="document_files")
    op.drop_index("ix_document_files_statement_id", table_name="document_files")
    op.drop_index("ix_document_files_owner_id", table_name="document_files")
    op.drop_table("document_files")
