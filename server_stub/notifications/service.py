"""A person's choices of messages: what they receive, what they declined."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core.errors import InvalidInput
from server_stub.notifications import repository
from server_stub.notifications.kinds import LABELS, STATUTORY, Kind
from server_stub.notifications.schemas import KindOut, NotificationsIn, NotificationsOut


def choices(session: Session, user: User) -> NotificationsOut:
    declined = repository.opt_outs_of(session, user.id)
    return NotificationsOut(
        email=user.email,
        kinds=[
            KindOut(
                kind=kind,
                label=LABELS[kind],
                statutory=kind in STATUTORY,
                enabled=kind in STATUTORY or kind.value not in declined,
            )
            for kind in Kind
        ],
    )


def choose(session: Session, user: User, body: NotificationsIn) -> NotificationsOut:
    statutory = [k for k in body.declined if k in STATUTORY]
    if statutory:
        names = ", ".join(f"« {LABELS[k]} »" for k in statutory)
        message = (
            f"Ces messages sont obligatoires et ne peuvent pas être refusés : {names}."
            if len(statutory) > 1
            else f"Ce message est obligatoire et ne peut pas être refusé : {names}."
        )
        raise InvalidInput(message, fields={"declined": message})
    repository.set_opt_outs(session, user.id, list(dict.fromkeys(body.declined)))
    session.flush()
    return choices(session, user)
