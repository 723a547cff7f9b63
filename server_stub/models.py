"""Every table, imported once so that the metadata is complete (Alembic, tests)."""

from server_stub.auth.models import Token, User
from server_stub.core.database import Base
from server_stub.reference.models import Centre, Convocation, Exam, ExamSession, Mission, Paper
from server_stub.statements.models import AuditEntry, Statement

__all__ = [
    "AuditEntry",
    "Base",
    "Centre",
    "Convocation",
    "Exam",
    "ExamSession",
    "Mission",
    "Paper",
    "Statement",
    "Token",
    "User",
]
