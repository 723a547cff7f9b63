"""/admin: accounts (search, create, roles, deactivation, unlocking, a new temporary password
with its letter), the audit log and the reference data the académie owns (Référentiel), for
administrators only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Query, Response, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from server_stub.admin import referential, service
from server_stub.admin.schemas import (
    AccountIn,
    AccountOut,
    ActiveIn,
    AdjacentCommunesOut,
    AdjacentPairIn,
    AdjacentPairOut,
    AuditEventOut,
    DebtorIn,
    DebtorOut,
    ReturnReasonChangeIn,
    ReturnReasonIn,
    ReturnReasonOut,
    RolesIn,
    ThresholdsIn,
    ThresholdsOut,
)
from server_stub.auth.access import Place, Policy, Resource, Scope, office
from server_stub.auth.models import Role, User
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.errors import answers
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
ReasonCode = Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9_]+$")]


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


# --- the académie's reference data (Référentiel) ---------------------------------------------


@router.get("/reference/adjacent-communes")
def adjacent_communes(scope: Administrator, session: DbSession) -> AdjacentCommunesOut:
    """The pairs of communes the académie declared adjacent or not, against the packaged
    list (DOMAIN §5: no travel costs between adjacent communes)."""
    return referential.adjacent_communes(session)


@router.get("/reference/adjacent-communes/pair")
def adjacent_pair(
    scope: Administrator,
    session: DbSession,
    insee_a: Annotated[QueryText, Query(max_length=10)],
    insee_b: Annotated[QueryText, Query(max_length=10)],
) -> AdjacentPairOut:
    """Whether two communes are adjacent now, and by whose choice."""
    return referential.adjacent_pair(session, insee_a, insee_b)


@router.put("/reference/adjacent-communes")
def set_adjacent(body: AdjacentPairIn, scope: Administrator, session: DbSession) -> AdjacentPairOut:
    """Declares two communes adjacent or not; null: as the packaged list (audited)."""
    return referential.set_adjacent(session, scope.user, body)


@router.get("/reference/return-reasons")
def return_reasons(scope: Administrator, session: DbSession) -> list[ReturnReasonOut]:
    """Every return reason, deactivated ones too, with how many statements used each."""
    return referential.return_reasons(session)


@router.post(
    "/reference/return-reasons", status_code=status.HTTP_201_CREATED, responses=answers(409)
)
def add_return_reason(
    body: ReturnReasonIn, scope: Administrator, session: DbSession
) -> ReturnReasonOut:
    """A new return reason offered to the DEC; its code is unique (audited)."""
    return referential.add_return_reason(session, scope.user, body)


@router.put("/reference/return-reasons/{code}", responses=answers(404))
def change_return_reason(
    code: ReasonCode, body: ReturnReasonChangeIn, scope: Administrator, session: DbSession
) -> ReturnReasonOut:
    """A reason's text, or whether it is offered to the DEC (audited)."""
    return referential.change_return_reason(session, scope.user, code, body)


@router.delete(
    "/reference/return-reasons/{code}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=answers(404, 409),
)
def remove_return_reason(code: ReasonCode, scope: Administrator, session: DbSession) -> None:
    """Removes a reason the académie added and no statement used; else deactivate it."""
    referential.remove_return_reason(session, scope.user, code)


@router.get("/reference/anomaly-thresholds")
def anomaly_thresholds(scope: Administrator, session: DbSession) -> ThresholdsOut:
    """The thresholds of the anomalies the DEC sees, with their packaged values."""
    return referential.thresholds(session)


@router.put("/reference/anomaly-thresholds")
def change_anomaly_thresholds(
    body: ThresholdsIn, scope: Administrator, session: DbSession, settings: AppSettings
) -> ThresholdsOut:
    """Sets thresholds (null: the packaged value) and computes every statement's anomalies
    again (audited)."""
    return referential.change_thresholds(session, settings, scope.user, body)


@router.get("/reference/debtor-account")
def debtor_account(scope: Administrator, session: DbSession) -> DebtorOut:
    """The account payment files are paid from: the académie's, else the settings' one."""
    return referential.debtor(session)


@router.put("/reference/debtor-account")
def change_debtor_account(body: DebtorIn, scope: Administrator, session: DbSession) -> DebtorOut:
    """The académie's paying account, IBAN and BIC checked (audited); the next SEPA file is
    paid from it."""
    return referential.change_debtor(session, scope.user, body)


@router.delete("/reference/debtor-account", responses=answers(404))
def reset_debtor_account(scope: Administrator, session: DbSession) -> DebtorOut:
    """Back to the account the server settings name (audited)."""
    return referential.reset_debtor(session, scope.user)
