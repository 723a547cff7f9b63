"""The administrator's use cases on accounts; each change is audited (audit/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from server_stub.admin import repository
from server_stub.admin.schemas import AccountIn, AccountOut, AuditEventOut, RolesIn
from server_stub.audit import service as audit
from server_stub.auth import repository as accounts_repository
from server_stub.auth.accounts import create_account
from server_stub.auth.models import Role, User
from server_stub.auth.service import DIRECTORY_PASSWORD
from server_stub.core import clock
from server_stub.core.errors import InvalidInput
from server_stub.core.security import hash_password, temporary_password

ROLE_LABELS = {
    Role.INTERVENANT: "intervenant",
    Role.GESTIONNAIRE: "gestionnaire de la DEC",
    Role.CHEF_CENTRE: "chef de centre",
    Role.ADMIN: "administrateur",
}


def _out(session: Session, users: Sequence[User]) -> list[AccountOut]:
    ids = [u.id for u in users]
    offices, centres = repository.memberships(session, ids)
    locked = repository.locked_logins(session, [u.login for u in users], clock.now())
    return [
        AccountOut(
            id=u.id,
            login=u.login,
            first_name=u.first_name,
            last_name=u.last_name,
            email=u.email,
            role=u.role,
            academic=u.academic,
            active=u.active,
            locked=u.login.lower() in locked,
            offices=offices.get(u.id, []),
            centres=centres.get(u.id, []),
        )
        for u in users
    ]


def one(session: Session, user: User) -> AccountOut:
    return _out(session, [user])[0]


def search(
    session: Session, text: str | None, role: Role | None, active: bool | None, limit: int
) -> list[AccountOut]:
    return _out(session, repository.accounts(session, text, role, active, limit))


def _check_memberships(
    session: Session, role: Role, offices: Sequence[str], centres: Sequence[int]
) -> None:
    fields: dict[str, str] = {}
    if role is Role.GESTIONNAIRE and not offices:
        fields["offices"] = "Un gestionnaire travaille pour au moins un bureau de la DEC."
    if role is Role.CHEF_CENTRE and not centres:
        fields["centres"] = "Un chef de centre répond d'au moins un centre d'examen."
    if role is not Role.GESTIONNAIRE and offices:
        fields["offices"] = "Seul un gestionnaire travaille pour des bureaux de la DEC."
    if role is not Role.CHEF_CENTRE and centres:
        fields["centres"] = "Seul un chef de centre répond de centres d'examen."
    unknown = set(centres) - repository.existing_centres(session, centres)
    if unknown and "centres" not in fields:
        fields["centres"] = "Ce centre n'existe pas."
    if fields:
        raise InvalidInput(next(iter(fields.values())), fields=fields)


def _memberships_text(offices: Sequence[str], centres: Sequence[int]) -> str:
    parts = []
    if offices:
        parts.append("bureaux " + ", ".join(offices))
    if centres:
        parts.append("centres n° " + ", ".join(str(c) for c in centres))
    return f" ({' ; '.join(parts)})" if parts else ""


def create(session: Session, actor: User, body: AccountIn) -> tuple[AccountOut, str | None]:
    """A new account; a local one (not academic) gets a temporary password, answered once."""
    _check_memberships(session, body.role, body.offices, body.centres)
    password = None if body.academic else temporary_password()
    user = create_account(
        session,
        first_name=body.first_name.strip(),
        last_name=body.last_name.strip(),
        role=body.role,
        password_hash=DIRECTORY_PASSWORD if password is None else hash_password(password),
        academic=body.academic,
        temporary=password is not None,
        offices=body.offices,
        centres=body.centres,
        email=(body.email or "").strip() or None,
    )
    audit.record(
        session,
        actor,
        "ACCOUNT_CREATED",
        "user",
        user.id,
        f"Compte {user.login} créé pour {user.full_name} : {ROLE_LABELS[user.role]}"
        + _memberships_text(body.offices, body.centres)
        + (", connexion par l'annuaire." if body.academic else ", mot de passe temporaire."),
    )
    return one(session, user), password


def set_roles(session: Session, actor: User, user: User, body: RolesIn) -> AccountOut:
    _check_memberships(session, body.role, body.offices, body.centres)
    before = one(session, user)
    user.role = body.role
    repository.replace_memberships(session, user.id, body.offices, body.centres)
    session.flush()
    audit.record(
        session,
        actor,
        "ACCOUNT_ROLES",
        "user",
        user.id,
        f"{user.full_name} ({user.login}) : {ROLE_LABELS[before.role]}"
        f"{_memberships_text(before.offices, before.centres)} → {ROLE_LABELS[body.role]}"
        f"{_memberships_text(body.offices, body.centres)}.",
        {
            "before": {"role": before.role.value, "offices": before.offices,
                       "centres": before.centres},
            "after": {"role": body.role.value, "offices": body.offices, "centres": body.centres},
        },
    )  # fmt: skip
    return one(session, user)


def set_active(session: Session, actor: User, user: User, active: bool) -> AccountOut:
    if user.id == actor.id and not active:
        message = "Vous ne pouvez pas désactiver votre propre compte."
        raise InvalidInput(message, fields={"active": message})
    if user.active != active:
        user.active = active
        if not active:
            accounts_repository.revoke_tokens(session, user.id, clock.now())
        audit.record(
            session,
            actor,
            "ACCOUNT_ACTIVATED" if active else "ACCOUNT_DEACTIVATED",
            "user",
            user.id,
            f"Compte {user.login} ({user.full_name}) "
            + ("réactivé." if active else "désactivé : ses sessions sont fermées."),
        )
    return one(session, user)


def unlock(session: Session, actor: User, user: User) -> AccountOut:
    if repository.unlock(session, user.login):
        audit.record(
            session,
            actor,
            "ACCOUNT_UNLOCKED",
            "user",
            user.id,
            f"Compte {user.login} ({user.full_name}) débloqué : ses échecs de connexion sont "
            "oubliés.",
        )
    return one(session, user)


def audit_log(
    session: Session,
    *,
    actor_id: int | None,
    action: str | None,
    target_type: str | None,
    target_id: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
) -> list[AuditEventOut]:
    def moment(day: dt.date | None) -> dt.datetime | None:
        return None if day is None else dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)

    rows = repository.audit_events(
        session,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        since=moment(since),
        until=moment(until + dt.timedelta(days=1) if until else None),
        limit=limit,
    )
    return [
        AuditEventOut(
            id=e.id,
            at=e.at,
            actor=f"{first} {last}" if first else None,
            action=e.action,
            target_type=e.target_type,
            target_id=e.target_id,
            summary=e.summary,
            details=e.details,
        )
        for e, first, last in rows
    ]
