"""The client's wire models and enums against the server's published contract, docs/openapi.json.

Every pydantic model and enum of `client.api` is matched with the server's schema of the same
name (or `…Out`, `…In-Output`, `…In`), or with the one `SCHEMA_OF` names. An enum must carry the
same values; a model read from the server must find each of its fields there, and the ones it
requires must always be sent; a model the client sends must carry every field the server
requires and nothing the server does not know. A change on either side fails here instead of
in front of a user.
"""

from __future__ import annotations

import enum
import inspect
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel

from client.api import admin_models, assignment_models, dec_models, models

ROOT = Path(__file__).resolve().parents[3]
SCHEMAS: dict[str, Any] = json.loads((ROOT / "docs" / "openapi.json").read_text("utf-8"))[
    "components"
]["schemas"]
MODULES: tuple[ModuleType, ...] = (models, dec_models, assignment_models, admin_models)

# Client models whose server schema has another name.
SCHEMA_OF = {
    "client.api.models.Problem": "ProblemOut",  # `Problem` is the error body
    "client.api.assignment_models.BulkResult": "BulkOut",  # `BulkResult` is the DEC's
    "client.api.models.AuditEntry": "AuditOut",
    "client.api.models.PartPaymentInfo": "PartPaymentOut",
    "client.api.models.NotificationKind": "KindOut",
    "client.api.dec_models.DecQueueRow": "QueueRow",
    "client.api.dec_models.DecQueuePage": "QueuePage",
    "client.api.dec_models.SessionRef": "SessionOut",
    "client.api.dec_models.ExamRef": "ExamOut",
    "client.api.dec_models.PaperRef": "PaperOut",
    "client.api.dec_models.CentreRef": "CentreOut",
    "client.api.assignment_models.ExamSessionRef": "SessionOut",
    "client.api.assignment_models.CentreRef": "CentreOut",
    "client.api.assignment_models.SolveOptions": "SolveIn",
    "client.api.assignment_models.SolveResult": "SolveOut",
    "client.api.assignment_models.IssueResult": "IssueOut",
    "client.api.admin_models.AuditEvent": "AuditEventOut",
    "client.api.admin_models.OfficeSession": "SessionOut",
    "client.api.admin_models.ReturnReasonEntry": "ReturnReasonOut",
    "client.api.admin_models.DebtorAccount": "DebtorOut",
    "client.api.admin_models.DebtorAccountIn": "DebtorIn",
}
# What is not JSON on the wire, or only the client's own base.
NOT_ON_THE_WIRE = {
    "client.api.models.Wire",
    "client.api.dec_models.Wire",
    "client.api.assignment_models.Wire",
    "client.api.admin_models.Wire",
    "client.api.assignment_models.LetterPdf",  # a PDF file and its name, from the headers
}
# Models the client sends (the others are read from the server's answers).
SENT = {
    "client.api.assignment_models.UnavailabilityIn",
    "client.api.assignment_models.ExterneIn",
    "client.api.assignment_models.NeedIn",
    "client.api.assignment_models.NeedPatch",
    "client.api.assignment_models.SolveOptions",
    "client.api.dec_models.StatementRef",
    "client.api.admin_models.AccountIn",
    "client.api.admin_models.RolesIn",
    "client.api.admin_models.OfficeSettingsIn",
}


def wire_classes() -> list[tuple[str, type]]:
    found = []
    for module in MODULES:
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and value.__module__ == module.__name__
                and issubclass(value, enum.Enum | BaseModel)
            ):
                found.append((f"{module.__name__}.{name}", value))
    return found


def schema_name(path: str, cls: type) -> str | None:
    if path in SCHEMA_OF:
        return SCHEMA_OF[path]
    name = cls.__name__
    candidates = [name] if issubclass(cls, enum.Enum) else [name, f"{name}Out", f"{name}In"]
    if issubclass(cls, BaseModel):
        candidates.insert(2, f"{name}In-Output")
    return next((c for c in candidates if c in SCHEMAS), None)


def problems(path: str, cls: type) -> list[str]:
    name = schema_name(path, cls)
    if name is None:
        return [f"{path}: no schema in docs/openapi.json (name it in SCHEMA_OF)"]
    schema = SCHEMAS[name]
    if issubclass(cls, enum.Enum):
        ours, theirs = {str(member.value) for member in cls}, set(schema.get("enum", []))
        return [] if ours == theirs else [f"{path} {sorted(ours)} ≠ {name} {sorted(theirs)}"]
    assert issubclass(cls, BaseModel)
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    found = []
    for field_name, info in cls.model_fields.items():
        wire = info.alias or field_name
        if wire not in properties:
            found.append(f"{path}.{field_name}: {name} has no field {wire!r}")
        elif path not in SENT and info.is_required() and wire not in required:
            found.append(f"{path}.{field_name}: required here, optional in {name}")
    if path in SENT:
        ours = {info.alias or n for n, info in cls.model_fields.items()}
        found += [f"{path}: {name} requires {field!r}" for field in sorted(required - ours)]
    return found


CLASSES = [(p, c) for p, c in wire_classes() if p not in NOT_ON_THE_WIRE]


@pytest.mark.parametrize(("path", "cls"), CLASSES, ids=[p for p, _ in CLASSES])
def test_the_client_reads_and_sends_what_the_contract_says(path: str, cls: type) -> None:
    assert problems(path, cls) == []


def test_a_drifted_enum_or_field_is_caught() -> None:
    class Status(enum.StrEnum):
        DRAFT = "DRAFT"

    class Identity(BaseModel):
        id: int
        nickname: str

    assert problems("x.Status", Status)[0].startswith("x.Status ['DRAFT'] ≠ Status")
    assert problems("x.Identity", Identity) == [
        "x.Identity.nickname: Identity has no field 'nickname'"
    ]


def test_every_name_given_by_hand_is_still_a_client_class_and_a_schema() -> None:
    paths = {p for p, _ in wire_classes()}
    assert set(SCHEMA_OF) | SENT <= paths
    assert set(SCHEMA_OF.values()) <= set(SCHEMAS)
