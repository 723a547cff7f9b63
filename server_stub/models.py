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
from server_stub.audit.models import AuditEvent
from server_stub.auth.models import LoginFailure, RateLimitCounter, Token, User
from server_stub.core.database import Base
from server_stub.dec.models import BulkOutcome, BulkRequest, OfficeSetting, ServiceRecord
from server_stub.documents.models import DocumentEvent, DocumentFile
from server_stub.notifications.models import OptOut, OutboxMessage
from server_stub.payment.models import PaymentBatch, PaymentPart, PaymentTransfer
from server_stub.recovery.models import PasswordReset
from server_stub.reference.models import Centre, Convocation, Exam, ExamSession, Mission, Paper
from server_stub.referential.models import (
    AdjacentCommuneChange,
    AnomalyThresholdValue,
    DebtorAccount,
    ReturnReasonEntry,
)
from server_stub.statements.models import AuditEntry, Statement
from server_stub.tariff_versions.models import TariffVersion

__all__ = [
    "AdjacentCommuneChange",
    "AnomalyThresholdValue",
    "Assignment",
    "AuditEntry",
    "AuditEvent",
    "Base",
    "BulkOutcome",
    "BulkRequest",
    "Centre",
    "CentreSchool",
    "Competence",
    "Convocation",
    "ConvocationLetter",
    "DebtorAccount",
    "DocumentEvent",
    "DocumentFile",
    "Exam",
    "ExamSession",
    "LoginFailure",
    "Mission",
    "Need",
    "OfficeSetting",
    "OptOut",
    "OutboxMessage",
    "Paper",
    "PasswordReset",
    "PaymentBatch",
    "PaymentPart",
    "PaymentTransfer",
    "RateLimitCounter",
    "ReturnReasonEntry",
    "Run",
    "ServiceRecord",
    "Statement",
    "TariffVersion",
    "Token",
    "Unavailability",
    "User",
]
