"""The administrator's endpoints as Python calls (blocking, Qt-free): accounts (search, create,
role with its offices or centres, unlock, deactivate, a new temporary password with its
letter), the audit log, the offices' rules and the tariffs' versions."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import TypeAdapter

from client.api.admin_models import (
    Account,
    AccountCreated,
    AccountIn,
    AuditEvent,
    AuditFilters,
    OfficeSession,
    OfficeSettings,
    OfficeSettingsIn,
    RolesIn,
    TariffAdded,
    TariffFile,
    TariffPreview,
    TariffVersionIn,
)
from client.api.client import ImaginClient
from client.api.models import Role

_ACCOUNTS = TypeAdapter(list[Account])
_EVENTS = TypeAdapter(list[AuditEvent])
_SESSIONS = TypeAdapter(list[OfficeSession])
_TARIFFS = TypeAdapter(list[TariffFile])

AUDIT_MAX = 1000  # the most events the server answers at once


@dataclass(frozen=True)
class PasswordLetter:
    """A new temporary password's letter: the PDF, its file name, whether it was e-mailed."""

    content: bytes
    filename: str
    emailed: bool


class AdminApi:
    def __init__(self, client: ImaginClient) -> None:
        self.client = client

    # --- accounts -------------------------------------------------------------------------

    def accounts(
        self,
        q: str | None = None,
        role: Role | None = None,
        active: bool | None = None,
        limit: int = 500,
    ) -> list[Account]:
        params: dict[str, str] = {"limit": str(limit)}
        if q and q.strip():
            params["q"] = q.strip()
        if role is not None:
            params["role"] = role.value
        if active is not None:
            params["active"] = "true" if active else "false"
        response = self.client._call("GET", "/admin/accounts", params=params)
        return self.client._parse_list(_ACCOUNTS, response)

    def create_account(self, body: AccountIn) -> AccountCreated:
        response = self.client._call("POST", "/admin/accounts", json=body.model_dump(mode="json"))
        return self.client._parse(AccountCreated, response)

    def set_roles(self, user_id: int, body: RolesIn) -> Account:
        response = self.client._call(
            "PUT", f"/admin/accounts/{user_id}/roles", json=body.model_dump(mode="json")
        )
        return self.client._parse(Account, response)

    def set_active(self, user_id: int, active: bool) -> Account:
        response = self.client._call(
            "PUT", f"/admin/accounts/{user_id}/active", json={"active": active}
        )
        return self.client._parse(Account, response)

    def unlock(self, user_id: int) -> Account:
        response = self.client._call("POST", f"/admin/accounts/{user_id}/unlock")
        return self.client._parse(Account, response)

    def temporary_password(self, user_id: int) -> PasswordLetter:
        """A new temporary password: its letter (the old password and every session end)."""
        response = self.client._call("POST", f"/admin/accounts/{user_id}/temporary-password")
        disposition = response.headers.get("content-disposition", "")
        filename = (
            disposition.split("filename=", 1)[1].strip('"; ')
            if "filename=" in disposition
            else f"mot-de-passe-{user_id}.pdf"
        )
        return PasswordLetter(
            response.content, filename, response.headers.get("x-imagin-emailed") == "true"
        )

    # --- audit ----------------------------------------------------------------------------

    def audit(self, filters: AuditFilters, limit: int = 200) -> list[AuditEvent]:
        """The audit log, newest first."""
        params = filters.params()
        params["limit"] = str(min(limit, AUDIT_MAX))
        response = self.client._call("GET", "/admin/audit", params=params)
        return self.client._parse_list(_EVENTS, response)

    # --- the offices' rules ---------------------------------------------------------------

    def offices(self) -> list[str]:
        """Every office known by a session of its own or a gestionnaire working for it."""
        sessions = self.client._parse_list(_SESSIONS, self.client._call("GET", "/dec/sessions"))
        members = self.accounts(role=Role.GESTIONNAIRE)
        found = {s.office for s in sessions} | {o for a in members for o in a.offices}
        return sorted(found)

    def office_settings(self, office: str) -> OfficeSettings:
        response = self.client._call("GET", f"/dec/offices/{office}/settings")
        return self.client._parse(OfficeSettings, response)

    def change_office_settings(self, office: str, body: OfficeSettingsIn) -> OfficeSettings:
        response = self.client._call(
            "PUT", f"/dec/offices/{office}/settings", json=body.model_dump(mode="json")
        )
        return self.client._parse(OfficeSettings, response)

    # --- tariffs --------------------------------------------------------------------------

    def tariff_files(self) -> list[TariffFile]:
        """Every tariff file with every version, oldest first."""
        return self.client._parse_list(_TARIFFS, self.client._call("GET", "/admin/tariffs"))

    def preview_tariff_version(self, file: str, body: TariffVersionIn) -> TariffPreview:
        """What a new version would change; nothing is stored."""
        response = self.client._call(
            "POST", f"/admin/tariffs/{file}/preview", json=body.model_dump(mode="json")
        )
        return self.client._parse(TariffPreview, response)

    def add_tariff_version(self, file: str, body: TariffVersionIn) -> TariffAdded:
        response = self.client._call(
            "POST", f"/admin/tariffs/{file}/versions", json=body.model_dump(mode="json")
        )
        return self.client._parse(TariffAdded, response)
