"""A new temporary password issued by the DEC; a reset code asked for by an externe.

A request for a code answers the same whether the account exists or not, and is limited per
address and per identifier (auth/throttle.py). A code is random, kept as its digest, valid
`reset_code_minutes`, used once; choosing a new password ends every session of the account
and every other code.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy.orm import Session

from server_stub.audit import service as audit
from server_stub.auth import repository as accounts
from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import InvalidInput
from server_stub.core.security import (
    hash_password,
    password_problems,
    temporary_password,
    token_digest,
)
from server_stub.core.settings import Settings
from server_stub.notifications import outbox
from server_stub.notifications.kinds import Kind
from server_stub.notifications.outbox import Notice
from server_stub.recovery import repository
from server_stub.recovery.letter import PasswordLetter, render_password_letter

REQUESTED = (
    "Si un compte d'intervenant extérieur correspond à cet identifiant et comporte une adresse "
    "électronique, un code de réinitialisation vient d'y être envoyé. Il est valable {minutes} "
    "minutes. Les personnels de l'académie s'adressent à la DEC."
)
BAD_CODE = "Ce code est incorrect, a déjà servi ou a expiré : demandez-en un nouveau."
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def _plain_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def issue_temporary_password(
    session: Session, settings: Settings, actor: User, person: User
) -> tuple[bytes, str, bool]:
    """A new temporary password: on a letter (the PDF answered) and by e-mail if the person
    has an address. The old password and every session end. Answers the PDF, its file name
    and whether an e-mail was written."""
    password = temporary_password()
    person.password_hash = hash_password(password)
    person.must_change_password = True
    now = clock.now()
    accounts.revoke_tokens(session, person.id, now)
    repository.cancel_resets(session, person.id, now)
    session.flush()
    emailed = (
        outbox.enqueue(
            session,
            Kind.PASSWORD_ISSUED,
            [Notice(person.id, {"login": person.login, "password": password})],
        )
        > 0
    )
    audit.record(
        session,
        actor,
        "TEMPORARY_PASSWORD",
        "user",
        person.id,
        f"Nouveau mot de passe temporaire attribué à {person.full_name} ({person.login})"
        + (", envoyé par courriel." if emailed else ", remis par courrier."),
    )
    pdf = render_password_letter(
        PasswordLetter(
            academie=settings.academie,
            person_name=person.full_name,
            login=person.login,
            password=password,
            issued_on=clock.today(settings),
            emailed_to=person.email if emailed else None,
        )
    )
    return pdf, f"mot-de-passe-{person.login}-{now.date().isoformat()}.pdf", emailed


def request_reset(session: Session, settings: Settings, name: str) -> str:
    """Sends a code to the externe `name` designates, if any; the answer is the same."""
    answer = REQUESTED.format(minutes=settings.reset_code_minutes)
    person = repository.externe_named(session, name)
    if person is None or not person.email:
        return answer
    code = _new_code()
    now = clock.now()
    until = now + dt.timedelta(minutes=settings.reset_code_minutes)
    repository.add_reset(session, person.id, token_digest(code), now, until)
    outbox.enqueue(
        session,
        Kind.PASSWORD_RESET,
        [
            Notice(
                person.id,
                {
                    "login": person.login,
                    "code": f"{code[:4]}-{code[4:]}",
                    "minutes": str(settings.reset_code_minutes),
                },
            )
        ],
    )
    audit.record(
        session,
        None,
        "PASSWORD_RESET_REQUESTED",
        "user",
        person.id,
        f"Code de réinitialisation envoyé par courriel à {person.full_name} ({person.login}).",
    )
    return answer


def confirm_reset(session: Session, name: str, code: str, new_password: str) -> None:
    """The new password, for the right code (used once)."""
    person = repository.externe_named(session, name)
    if person is None:
        raise InvalidInput(BAD_CODE, fields={"code": BAD_CODE})
    problems = password_problems(new_password, person.login)
    if problems:
        message = "Le nouveau mot de passe doit comporter : " + ", ".join(problems) + "."
        raise InvalidInput(message, fields={"new_password": message})
    now = clock.now()
    if not repository.use_reset(session, person.id, token_digest(_plain_code(code)), now):
        raise InvalidInput(BAD_CODE, fields={"code": BAD_CODE})
    person.password_hash = hash_password(new_password)
    person.must_change_password = False
    accounts.revoke_tokens(session, person.id, now)
    repository.cancel_resets(session, person.id, now)
    audit.record(
        session,
        None,
        "PASSWORD_RESET",
        "user",
        person.id,
        f"Mot de passe réinitialisé par {person.full_name} ({person.login}) avec un code reçu "
        "par courriel.",
    )
