"""/admin: accounts (search, create, roles, deactivation, unlocking, a new temporary password
with its letter) and the audit log, for administrators only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Response, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from server_stub.admin import service
from server_stub.admin.schemas import AccountIn, AccountOut, ActiveIn, AuditEventOut, RolesIn
from server_stub.auth.access import Place, Policy, Resource, Scope, office
from server_stub.auth.models import Role, User
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.routing import api_router
from server_stub.core.wire import Digits, QueryDay, QueryFlag, QueryId, QueryText
from server_stub.recovery import service as recovery

router = api_router(prefix="/admin", tags=["admin"])

ADMINISTRATORS = Policy(
    "administrators",
    (Role.ADMIN,),
    (office,),
    "Cette action est réservée aux administrateurs d'IMAG'IN.",
)
Administrator = Annotated[Scope, Depends(ADMINISTRATORS)]


def _account(session: Session, item_id: int) -> tuple[User, Place] | None:
    user = session.get(User, item_id)
    return None if user is None else (user, Place(shared=True))


ACCOUNT = Resource("user", "Ce compte n'existe pas.", _account)
Account = Annotated[User, ADMINISTRATORS.reach(ACCOUNT)]


class AccountCreated(BaseModel):
    account: AccountOut
    # Once, for a local account: to hand over (or print with the temporary-password route).
    temporary_password: str | None


@router.get("/accounts")
def search_accounts(
    scope: Administrator,
    session: DbSession,
    q: Annotated[QueryText | None, Query(max_length=100)] = None,
    role: Role | None = None,
    active: QueryFlag | None = None,
    limit: Annotated[int, Query(ge=1, le=500), Digits] = 100,
) -> list[AccountOut]:
    """Accounts by identifier, name or address; by role; active or not."""
    return service.search(session, q, role, active, limit)


@router.post("/accounts", status_code=status.HTTP_201_CREATED)
def create_account(body: AccountIn, scope: Administrator, session: DbSession) -> AccountCreated:
    """A new account with its role and its offices or centres (audited)."""
    account, password = service.create(session, scope.user, body)
    return AccountCreated(account=account, temporary_password=password)


@router.put("/accounts/{user_id}/roles")
def set_roles(user: Account, body: RolesIn, scope: Administrator, session: DbSession) -> AccountOut:
    """The account's role with its offices (gestionnaire) or centres (chef de centre)."""
    return service.set_roles(session, scope.user, user, body)


@router.put("/accounts/{user_id}/active")
def set_active(
    user: Account, body: ActiveIn, scope: Administrator, session: DbSession
) -> AccountOut:
    """Deactivates (its sessions end, it cannot log in) or reactivates an account."""
    return service.set_active(session, scope.user, user, body.active)


@router.post("/accounts/{user_id}/unlock")
def unlock(user: Account, scope: Administrator, session: DbSession) -> AccountOut:
    """Forgets the account's failed log-ins: it need not wait before the next try."""
    return service.unlock(session, scope.user, user)


_LETTER: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "La lettre du mot de passe."}
}


@router.post("/accounts/{user_id}/temporary-password", response_class=Response, responses=_LETTER)
def temporary_password(
    user: Account, scope: Administrator, session: DbSession, settings: AppSettings
) -> Response:
    """A new temporary password for any account, with its letter (and an e-mail)."""
    pdf, name, emailed = recovery.issue_temporary_password(session, settings, scope.user, user)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Imagin-Emailed": "true" if emailed else "false",
            "Cache-Control": "no-store",
        },
    )


@router.get("/audit")
def audit_log(
    scope: Administrator,
    session: DbSession,
    actor_id: QueryId | None = None,
    action: Annotated[QueryText | None, Query(max_length=40)] = None,
    target_type: Annotated[QueryText | None, Query(max_length=30)] = None,
    target_id: Annotated[QueryText | None, Query(max_length=60)] = None,
    since: QueryDay | None = None,
    until: QueryDay | None = None,
    limit: Annotated[int, Query(ge=1, le=1000), Digits] = 200,
) -> list[AuditEventOut]:
    """The audit log, newest first, read only: by who, what, on what, between two days."""
    return service.audit_log(
        session,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        since=since,
        until=until,
        limit=limit,
    )
