"""assignment: competences, unavailability, needs, assignments, runs, convocation letters

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "assignment_competences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["paper_id"], ["papers.id"]),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "paper_id"),
    )
    with op.batch_alter_table("assignment_competences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_competences_user_id"), ["user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assignment_competences_paper_id"), ["paper_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assignment_competences_status"), ["status"], unique=False
        )

    op.create_table(
        "assignment_unavailabilities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("start_half_day", sa.String(length=2), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("end_half_day", sa.String(length=2), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assignment_unavailabilities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_unavailabilities_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "assignment_centre_schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("school", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["centre_id"], ["centres.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("centre_id", "school"),
    )
    with op.batch_alter_table("assignment_centre_schools", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_centre_schools_centre_id"), ["centre_id"], unique=False
        )

    op.create_table(
        "assignment_needs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("half_day", sa.String(length=2), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("copies", sa.Integer(), nullable=True),
        sa.Column("lot_size", sa.Integer(), nullable=True),
        sa.Column("commissions", sa.Integer(), nullable=True),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("meeting_type", sa.String(length=20), nullable=True),
        sa.Column("travel_reimbursable", sa.Boolean(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("mission_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["exam_sessions.id"]),
        sa.ForeignKeyConstraint(["paper_id"], ["papers.id"]),
        sa.ForeignKeyConstraint(["centre_id"], ["centres.id"]),
        sa.ForeignKeyConstraint(["mission_id"], ["missions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assignment_needs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_needs_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assignment_needs_paper_id"), ["paper_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assignment_needs_centre_id"), ["centre_id"], unique=False
        )

    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("task_index", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("expected_cost", sa.BigInteger(), nullable=False),
        sa.Column("round_trip_km", sa.Integer(), nullable=False),
        sa.Column("explanation", _JSON, nullable=False),
        sa.Column("convocation_id", sa.Integer(), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["need_id"], ["assignment_needs.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["convocation_id"], ["convocations.id"]),
        sa.ForeignKeyConstraint(["replaces_id"], ["assignments.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_need_id"), ["need_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_status"), ["status"], unique=False)

    op.create_table(
        "assignment_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("options", _JSON, nullable=False),
        sa.Column("placed", sa.Integer(), nullable=False),
        sa.Column("uncovered", sa.Integer(), nullable=False),
        sa.Column("expected_cost", sa.BigInteger(), nullable=False),
        sa.Column("milliseconds", sa.Integer(), nullable=False),
        sa.Column("shortfalls", _JSON, nullable=False),
        sa.Column("warnings", _JSON, nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["exam_sessions.id"]),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assignment_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_runs_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "assignment_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("with_password", sa.Boolean(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["exam_sessions.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assignment_letters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assignment_letters_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assignment_letters_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assignment_letters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_letters_user_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_letters_session_id"))
    op.drop_table("assignment_letters")

    with op.batch_alter_table("assignment_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_runs_session_id"))
    op.drop_table("assignment_runs")

    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_status"))
        batch_op.drop_index(batch_op.f("ix_assignments_user_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_need_id"))
    op.drop_table("assignments")

    with op.batch_alter_table("assignment_needs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_needs_centre_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_needs_paper_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_needs_session_id"))
    op.drop_table("assignment_needs")

    with op.batch_alter_table("assignment_centre_schools", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_centre_schools_centre_id"))
    op.drop_table("assignment_centre_schools")

    with op.batch_alter_table("assignment_unavailabilities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_unavailabilities_user_id"))
    op.drop_table("assignment_unavailabilities")

    with op.batch_alter_table("assignment_competences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_competences_status"))
        batch_op.drop_index(batch_op.f("ix_assignment_competences_paper_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_competences_user_id"))
    op.drop_table("assignment_competences")
