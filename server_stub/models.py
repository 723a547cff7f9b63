"""Every table, imported once so that the metadata is complete (Alembic, tests)."""

from server_stub.assignment.models import (
    Assignment,
    CentreSchool,
    Competence,
    ConvocationLetter,
    Need,
    Run,
    Unavailability,
)
from server_stub.auth.models import Token, User
from server_stub.core.database import Base
from server_stub.dec.models import ServiceRecord
from server_stub.payment.models import PaymentBatch, PaymentLine, PaymentTransfer
from server_stub.reference.models import Centre, Convocation, Exam, ExamSession, Mission, Paper
from server_stub.statements.models import AuditEntry, Statement

__all__ = [
    "Assignment",
    "AuditEntry",
    "Base",
    "Centre",
    "CentreSchool",
    "Competence",
    "Convocation",
    "ConvocationLetter",
    "Exam",
    "ExamSession",
    "Mission",
    "Need",
    "Paper",
    "PaymentBatch",
    "PaymentLine",
    "PaymentTransfer",
    "Run",
    "ServiceRecord",
    "Statement",
    "Token",
    "Unavailability",
    "User",
]
