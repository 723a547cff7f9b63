"""One statement as the DEC reads it: the intervenant's view plus what the DEC checks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.settings import Settings
from server_stub.dec import repository
from server_stub.dec.schemas import (
    AnomalyOut,
    DecActions,
    DecStatementOut,
    DocumentOut,
    IntervenantInfo,
    ServiceDoneInfo,
)
from server_stub.documents import service as documents_service
from server_stub.people import nir_store
from server_stub.rules import nir
from server_stub.rules.model import MissionType
from server_stub.statements import anomalies, lifecycle
from server_stub.statements import service as statements_service
from server_stub.statements.lifecycle import DEC_HANDLED, Action
from server_stub.statements.models import Statement, Status


def detail(
    session: Session, settings: Settings, user: User, statement: Statement
) -> DecStatementOut:
    found = anomalies.current(session, statement, clock.today(settings))
    mission = statements_service.mission_of(session, statement)
    view = statements_service.view(session, statement, mission, user, settings)
    ticks = statement.documents_received or {}
    files = documents_service.files_by_label(session, statement)
    documents = []
    for label in view.computation.documents:
        tick = ticks.get(label)
        documents.append(
            DocumentOut(
                label=label,
                received=tick is not None,
                received_at=dt.datetime.fromisoformat(tick["at"]) if tick else None,
                received_by=tick.get("by") if tick else None,
                files=files.get(label, []),
            )
        )
    record = repository.service_record(session, mission.mission_id)
    person = statement.user
    status = Status(statement.status)
    dec_handled = MissionType(mission.mission_type) in DEC_HANDLED
    return DecStatementOut(
        statement=view,
        anomalies=[AnomalyOut.model_validate(a) for a in found],
        documents=documents,
        dec_corrected=statement.dec_corrected,
        service_done=ServiceDoneInfo(
            recorded_at=record["recorded_at"],
            recorded_by=f"{record['first_name']} {record['last_name']}"
            if record["first_name"]
            else None,
        )
        if record
        else None,
        payment_batch_id=statement.payment_batch_id,
        direct_indemnity=statement.direct_indemnity,
        intervenant=IntervenantInfo(
            id=person.id,
            login=person.login,
            email=person.email,
            interne=person.interne,
            has_iban=bool(person.iban),
            has_nir=person.nir_encrypted is not None,
            nir_masked=_masked_nir(settings, person.nir_encrypted),
            financial_file_updated=person.financial_file_updated,
            last_paid=person.last_paid,
        ),
        actions=DecActions(
            approve=lifecycle.allowed(Action.APPROVE, status),
            return_=lifecycle.allowed(Action.RETURN, status),
            correct=lifecycle.allowed(Action.CORRECT, status) and not dec_handled,
            enter_indemnity=dec_handled and lifecycle.allowed(Action.ENTER_INDEMNITY, status),
            cancel=lifecycle.allowed(Action.CANCEL, status),
            uncancel=lifecycle.allowed(Action.UNCANCEL, status),
        ),
    )


def _masked_nir(settings: Settings, token: str | None) -> str | None:
    number = nir_store.decrypt(settings, token)
    return nir.masked(number) if number else None
