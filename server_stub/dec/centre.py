"""What a chef de centre sees of their centres: each mission by day and paper, who was
convened, who declared it not performed or withdrew, and whether its service is recorded; the
office's rule on the service before approval."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from server_stub.audit import service as audit
from server_stub.auth.access import Scope
from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import NotFound
from server_stub.core.settings import Settings
from server_stub.dec import repository
from server_stub.dec.models import OfficeSetting
from server_stub.dec.schemas import (
    CentreMissionOut,
    ConvenedOut,
    OfficeSettingsIn,
    OfficeSettingsOut,
    ServiceOut,
)
from server_stub.statements.lifecycle import MISSION_TYPE_LABELS
from server_stub.statements.models import Status

STATES = {
    "CONVENED": "Convoqué(e)",
    "NOT_PERFORMED": "Mission déclarée non effectuée",
    "WITHDRAWN": "Désisté(e)",
    "CANCELLED": "Convocation annulée",
}
UNKNOWN_OFFICE = "Ce bureau est introuvable."


def _person(row: Mapping[Any, Any]) -> ConvenedOut:
    if row["assignment_status"] in ("WITHDRAWN", "REPLACED"):
        state, reason = "WITHDRAWN", row["withdrawal_reason"]
    elif row["status"] == Status.NOT_PERFORMED:
        state, reason = "NOT_PERFORMED", row["reason"]
    elif row["status"] == Status.CANCELLED:
        state, reason = "CANCELLED", row["reason"]
    else:
        state, reason = "CONVENED", None
    return ConvenedOut(
        user_id=row["user_id"],
        name=f"{row['first_name']} {row['last_name']}",
        state=state,
        state_label=STATES[state],
        reason=reason,
    )


def _title(row: Mapping[Any, Any]) -> str:
    label = MISSION_TYPE_LABELS[row["type"]]
    if row["paper_code"]:
        return f"{label} – épreuve {row['paper_code']} ({row['paper_name']})"
    return f"{label} – {row['label']}" if row["label"] else label


def missions(
    session: Session,
    settings: Settings,
    scope: Scope,
    session_id: int | None,
    day: dt.date | None,
) -> list[CentreMissionOut]:
    """The caller's missions: their centres' for a chef de centre, their offices' for the DEC."""
    centres = scope.centres if scope.user.role == "CHEF_CENTRE" else None
    offices = scope.offices if scope.user.role != "CHEF_CENTRE" else None
    rows = repository.centre_missions(session, centres, offices, session_id, day)
    people: dict[int, list[ConvenedOut]] = defaultdict(list)
    for row in repository.convened(session, [r["id"] for r in rows]):
        people[row["mission_id"]].append(_person(row))
    today = clock.today(settings)
    out = []
    for row in rows:
        recorder = (
            f"{row['recorder_first']} {row['recorder_last']}" if row["recorder_first"] else None
        )
        service = (
            ServiceOut(
                date=row["service_date"],
                remark=row["remark"],
                recorded_at=row["recorded_at"],
                recorded_by=recorder,
                corrected=row["corrected_at"] is not None,
            )
            if row["recorded_at"] is not None
            else None
        )
        out.append(
            CentreMissionOut(
                id=row["id"],
                type=row["type"],
                type_label=MISSION_TYPE_LABELS[row["type"]],
                title=_title(row),
                start_date=row["start_date"],
                end_date=row["end_date"],
                start_time=row["start_time"],
                end_time=row["end_time"],
                centre_id=row["centre_id"],
                centre=row["centre"],
                paper_code=row["paper_code"],
                exam=row["exam"],
                session=row["session"],
                people=people.get(row["id"], []),
                service=service,
                missing=service is None and row["start_date"] <= today,
            )
        )
    return out


# --- the office's rule ---------------------------------------------------------------------


def _settings_out(session: Session, office: str, row: OfficeSetting | None) -> OfficeSettingsOut:
    who = session.get(User, row.updated_by) if row is not None and row.updated_by else None
    return OfficeSettingsOut(
        office=office,
        service_done_required=bool(row and row.service_done_required),
        documents_required=bool(row and row.documents_required),
        updated_at=row.updated_at if row is not None else None,
        updated_by=who.full_name if who is not None else None,
    )


def _office_in_reach(session: Session, scope: Scope, office: str) -> None:
    reachable = scope.offices is None or office in scope.offices
    if not reachable or not repository.office_exists(session, office):
        raise NotFound(UNKNOWN_OFFICE)


def office_settings(session: Session, scope: Scope, office: str) -> OfficeSettingsOut:
    _office_in_reach(session, scope, office)
    return _settings_out(session, office, repository.office_setting(session, office))


def change_office_settings(
    session: Session, scope: Scope, office: str, body: OfficeSettingsIn
) -> OfficeSettingsOut:
    _office_in_reach(session, scope, office)
    row = repository.office_setting(session, office)
    if row is None:
        row = OfficeSetting(office=office)
        repository.add_office_setting(session, row)
    before = bool(row.service_done_required)
    row.service_done_required = body.service_done_required
    row.updated_at = clock.now()
    row.updated_by = scope.user.id
    session.flush()
    if before != body.service_done_required:
        audit.record(
            session,
            scope.user,
            "OFFICE_SETTINGS",
            "office",
            office,
            f"Bureau {office} : le service fait est désormais "
            + ("exigé" if body.service_done_required else "facultatif")
            + " avant la validation des états de frais.",
            {"service_done_required": body.service_done_required},
        )
    if body.documents_required is not None and body.documents_required != bool(
        row.documents_required
    ):
        row.documents_required = body.documents_required
        session.flush()
        audit.record(
            session,
            scope.user,
            "OFFICE_SETTINGS",
            "office",
            office,
            f"Bureau {office} : les pièces justificatives sont désormais "
            + ("exigées" if body.documents_required else "facultatives")
            + " avant la validation des états de frais.",
            {"documents_required": body.documents_required},
        )
    return _settings_out(session, office, row)
