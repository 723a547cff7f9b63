"""The administrator's endpoints as Python calls (blocking, Qt-free): accounts (search, create,
role with its offices or centres, unlock, deactivate, a new temporary password with its
letter), the audit log, the offices' rules, the tariffs' versions and the reference data the
académie owns."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pydantic import TypeAdapter

from client.api.admin_models import (
    Account,
    AccountCreated,
    AccountIn,
    AdjacentCommunes,
    AdjacentPair,
    AuditEvent,
    AuditFilters,
    DebtorAccount,
    DebtorAccountIn,
    OfficeSession,
    OfficeSettings,
    OfficeSettingsIn,
    ReturnReasonEntry,
    RolesIn,
    TariffAdded,
    TariffFile,
    TariffPreview,
    TariffVersionIn,
    Thresholds,
)
from client.api.client import ImaginClient
from client.api.models import Role

_ACCOUNTS = TypeAdapter(list[Account])
_EVENTS = TypeAdapter(list[AuditEvent])
_SESSIONS = TypeAdapter(list[OfficeSession])
_TARIFFS = TypeAdapter(list[TariffFile])
_REASONS = TypeAdapter(list[ReturnReasonEntry])
REFERENCE = "/admin/reference"

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

    # --- the académie's reference data ----------------------------------------------------

    def adjacent_communes(self) -> AdjacentCommunes:
        response = self.client._call("GET", f"{REFERENCE}/adjacent-communes")
        return self.client._parse(AdjacentCommunes, response)

    def adjacent_pair(self, insee_a: str, insee_b: str) -> AdjacentPair:
        response = self.client._call(
            "GET",
            f"{REFERENCE}/adjacent-communes/pair",
            params={"insee_a": insee_a, "insee_b": insee_b},
        )
        return self.client._parse(AdjacentPair, response)

    def set_adjacent(self, insee_a: str, insee_b: str, adjacent: bool | None) -> AdjacentPair:
        """Two communes adjacent or not; None: as the list shipped with IMAG'IN."""
        body = {"insee_a": insee_a, "insee_b": insee_b, "adjacent": adjacent}
        response = self.client._call("PUT", f"{REFERENCE}/adjacent-communes", json=body)
        return self.client._parse(AdjacentPair, response)

    def return_reasons(self) -> list[ReturnReasonEntry]:
        response = self.client._call("GET", f"{REFERENCE}/return-reasons")
        return self.client._parse_list(_REASONS, response)

    def add_return_reason(self, code: str, label: str) -> ReturnReasonEntry:
        body = {"code": code, "label": label}
        response = self.client._call("POST", f"{REFERENCE}/return-reasons", json=body)
        return self.client._parse(ReturnReasonEntry, response)

    def change_return_reason(self, code: str, label: str, active: bool) -> ReturnReasonEntry:
        body = {"label": label, "active": active}
        response = self.client._call("PUT", f"{REFERENCE}/return-reasons/{code}", json=body)
        return self.client._parse(ReturnReasonEntry, response)

    def remove_return_reason(self, code: str) -> None:
        self.client._call("DELETE", f"{REFERENCE}/return-reasons/{code}")

    def anomaly_thresholds(self) -> Thresholds:
        response = self.client._call("GET", f"{REFERENCE}/anomaly-thresholds")
        return self.client._parse(Thresholds, response)

    def change_anomaly_thresholds(self, values: dict[str, Decimal | None]) -> Thresholds:
        """The thresholds named (None: back to the value shipped with IMAG'IN)."""
        body = {name: None if value is None else str(value) for name, value in values.items()}
        response = self.client._call("PUT", f"{REFERENCE}/anomaly-thresholds", json=body)
        return self.client._parse(Thresholds, response)

    def debtor_account(self) -> DebtorAccount:
        response = self.client._call("GET", f"{REFERENCE}/debtor-account")
        return self.client._parse(DebtorAccount, response)

    def change_debtor_account(self, body: DebtorAccountIn) -> DebtorAccount:
        response = self.client._call(
            "PUT", f"{REFERENCE}/debtor-account", json=body.model_dump(mode="json")
        )
        return self.client._parse(DebtorAccount, response)

    def reset_debtor_account(self) -> DebtorAccount:
        """Back to the account the server settings name."""
        response = self.client._call("DELETE", f"{REFERENCE}/debtor-account")
        return self.client._parse(DebtorAccount, response)
