"""The IMAG'IN HTTP API as Python calls: wire models in, wire models out, typed errors.

Blocking and Qt-free: the interface runs every call on its worker pool. The `httpx.Client` is
injected: the application passes `httpx.Client(base_url=server, timeout=TIMEOUT)`, tests pass
FastAPI's `TestClient` so that the real server runs in-process.

Sessions renew themselves: a request answered 401 `session_expired` is retried once after one
refresh of the tokens. Refresh tokens are single-use, so refreshing is serialised by a lock, and
a thread that finds the tokens already renewed by another simply retries with the new ones.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from client.api import errors
from client.api.errors import (
    ApiError,
    NotAuthenticated,
    ServerError,
    SessionExpired,
    StaleVersion,
)
from client.api.models import (
    AnnualPayments,
    CommuneRef,
    Convocation,
    Entry,
    MissionType,
    Notifications,
    Preview,
    Profile,
    QueuePage,
    Statement,
    Status,
    Tokens,
)
from client.api.tokens import TokenStore
from client.api.transport import GuardedTransport, configured_ca_bundle

log = logging.getLogger(__name__)

API = "/api/v1"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)

M = TypeVar("M", bound=BaseModel)

_COMMUNES = TypeAdapter(list[CommuneRef])
_CONVOCATIONS = TypeAdapter(list[Convocation])


def make_http(
    server: str, timeout: httpx.Timeout = TIMEOUT, *, ca_bundle: str | None = None
) -> httpx.Client:
    """The `httpx.Client` the application gives `ImaginClient`: HTTPS verified with the system's
    trust store, or with `ca_bundle` (else `IMAGIN_CA_BUNDLE`) when configured; plain HTTP to
    this computer only (`client.api.transport`)."""
    return httpx.Client(
        base_url=server.strip().rstrip("/"),
        timeout=timeout,
        headers={"Accept": "application/json"},
        transport=GuardedTransport(configured_ca_bundle(ca_bundle)),
    )


def _if_match(version: int) -> dict[str, str]:
    return {"If-Match": f'"{version}"'}


def _entry(entry: Entry) -> dict[str, Any]:
    return entry.model_dump(mode="json", by_alias=True)


class ImaginClient:
    """One connection to one IMAG'IN server, for one person at a time."""

    def __init__(self, http: httpx.Client, tokens: TokenStore | None = None) -> None:
        self.http = http
        self.tokens = tokens if tokens is not None else TokenStore()
        self._refresh_lock = threading.Lock()

    @property
    def server(self) -> str:
        """The server's URL, as the keyring entry and the drafts folder name it."""
        return str(self.http.base_url).rstrip("/")

    # --- authentication -------------------------------------------------------------------

    def log_in(self, login: str, password: str, remember: bool) -> Tokens:
        """Opens a session. A temporary password still logs in: `user.must_change_password`
        is then true and every other call answers `PasswordChangeRequired` until
        `change_password()` has been called."""
        response = self._call(
            "POST", "/auth/login", json={"login": login, "password": password}, auth=False
        )
        tokens = self._parse(Tokens, response)
        self.tokens.keep(
            self.server,
            tokens.user.login,
            tokens.access_token,
            tokens.refresh_token,
            remember=remember,
        )
        return tokens

    def refresh(self) -> Tokens:
        """New tokens from the refresh token held (for instance the one remembered in the
        keyring, after `tokens.load_remembered()`). `SessionExpired` if it is refused."""
        with self._refresh_lock:
            return self._refresh_locked()

    def change_password(self, current: str, new: str) -> Tokens:
        """Replaces the password; the server revokes every earlier token and issues new ones."""
        response = self._call(
            "POST", "/auth/password", json={"current_password": current, "new_password": new}
        )
        tokens = self._parse(Tokens, response)
        self.tokens.renew(tokens.access_token, tokens.refresh_token)
        return tokens

    def log_out(self) -> None:
        """Ends the session here and on the server. Never fails: if the server cannot be told,
        the tokens are forgotten anyway and expire there on their own."""
        try:
            if self.tokens.access_token is None and self.tokens.refresh_token is not None:
                self.refresh()  # the server revokes a refresh token only for a valid session
            if self.tokens.access_token is not None:
                try:
                    self._revoke()
                except SessionExpired:
                    # Refreshed here rather than by `_call`, which would send the refresh
                    # token just used up and leave the new one alive on the server.
                    self.refresh()
                    self._revoke()
        except ApiError as error:
            log.warning("log-out not confirmed by the server: %r", error)
        finally:
            self.tokens.forget()

    def _revoke(self) -> None:
        body = {"refresh_token": self.tokens.refresh_token}
        self._call("POST", "/auth/logout", json=body, renew=False)

    # --- profile and reference ------------------------------------------------------------

    def me(self) -> Profile:
        return self._parse(Profile, self._call("GET", "/me"))

    def update_me(self, **changes: object) -> Profile:
        """Changes only the fields given; None clears one. Residences are INSEE codes."""
        return self._parse(Profile, self._call("PATCH", "/me", json=changes))

    # --- password recovery ---------------------------------------------------------------

    def request_reset(self, login: str) -> str:
        """Asks for a reset code by e-mail; the server's sentence, the same whether the account
        exists or not."""
        response = self._call("POST", "/auth/reset/request", json={"login": login}, auth=False)
        return str(self._json(response)["detail"])

    def confirm_reset(self, login: str, code: str, new_password: str) -> None:
        """Sets a new password with the code received by e-mail."""
        self._call(
            "POST",
            "/auth/reset/confirm",
            json={"login": login, "code": code, "new_password": new_password},
            auth=False,
        )

    def issue_temporary_password(self, user_id: int) -> tuple[bytes, bool]:
        """The DEC: a new temporary password for a person; the letter's PDF, and whether an
        e-mail was sent too."""
        response = self._call("POST", f"/dec/people/{user_id}/temporary-password")
        return response.content, response.headers.get("x-imagin-emailed") == "true"

    def annual_payments(self, year: int) -> AnnualPayments:
        """Everything paid to the caller in the calendar year `year`, per mission and part."""
        return self._parse(AnnualPayments, self._call("GET", f"/me/payments/{year}"))

    def notifications(self) -> Notifications:
        """The e-mail messages the caller receives, kind by kind."""
        return self._parse(Notifications, self._call("GET", "/me/notifications"))

    def choose_notifications(self, declined: list[str]) -> Notifications:
        """Declines the kinds listed (never a statutory one), accepts every other."""
        response = self._call("PUT", "/me/notifications", json={"declined": declined})
        return self._parse(Notifications, response)

    def search_communes(self, q: str, limit: int = 20) -> list[CommuneRef]:
        """Communes for a picker: a postal-code prefix or part of a name (at most 50)."""
        if not q.strip():
            return []  # the server wants at least one character; nothing matches nothing
        response = self._call("GET", "/communes", params={"q": q, "limit": limit})
        return self._parse_list(_COMMUNES, response)

    def tariffs(self, date: dt.date | None = None) -> dict[str, Any]:
        """The rates in force on `date` (the server's today by default)."""
        params = {"date": date.isoformat()} if date is not None else None
        return self._json(self._call("GET", "/tariffs", params=params))

    def warm_up(self) -> None:
        """Opens the connection to the server (TCP, TLS) while the person types: the log-in
        then costs one round trip, and the connection is kept for what follows. Never fails:
        a server out of reach is reported by the log-in."""
        try:
            self.http.get(API + "/health")
        except httpx.HTTPError as error:
            log.info("server not reached in advance: %s", type(error).__name__)

    def health(self) -> dict[str, Any]:
        """`{"status": "ok", "version": ...}`; needs no session (checks a server address)."""
        return self._json(self._call("GET", "/health", auth=False))

    # --- the intervenant's statements -----------------------------------------------------

    def convocations(self) -> list[Convocation]:
        return self._parse_list(_CONVOCATIONS, self._call("GET", "/convocations"))

    def statement(self, statement_id: int) -> Statement:
        return self._parse(Statement, self._call("GET", f"/statements/{statement_id}"))

    def save_statement(self, statement_id: int, version: int, entry: Entry) -> Statement:
        """Stores the entry over `version`; `StaleVersion` (with `current`) if it moved on."""
        return self._statement_call(
            statement_id,
            "PUT",
            f"/statements/{statement_id}",
            json=_entry(entry),
            headers=_if_match(version),
        )

    def preview(self, statement_id: int, entry: Entry) -> Preview:
        """What the entry would give, computed by the server, stored nowhere."""
        response = self._call("POST", f"/statements/{statement_id}/preview", json=_entry(entry))
        return self._parse(Preview, response)

    def validate_statement(
        self, statement_id: int, version: int, *, accurate: bool, no_overtime: bool
    ) -> Statement:
        """Sends the statement to the DEC, with what the person certified on honour."""
        return self._statement_call(
            statement_id,
            "POST",
            f"/statements/{statement_id}/validate",
            json={"accurate": accurate, "no_overtime": no_overtime},
            headers=_if_match(version),
        )

    def save_and_validate(
        self, statement_id: int, version: int, entry: Entry, *, accurate: bool, no_overtime: bool
    ) -> Statement:
        """Stores the entry over `version` and validates it, in one request. Sent again after
        a lost answer, the server finds it done and answers the statement as it is."""
        return self._statement_call(
            statement_id,
            "POST",
            f"/statements/{statement_id}/validate",
            json={"accurate": accurate, "no_overtime": no_overtime, "entry": _entry(entry)},
            headers=_if_match(version),
        )

    def declare_not_performed(
        self, statement_id: int, version: int, reason: str | None
    ) -> Statement:
        return self._statement_call(
            statement_id,
            "POST",
            f"/statements/{statement_id}/not-performed",
            json={"reason": reason},
            headers=_if_match(version),
        )

    # --- the DEC --------------------------------------------------------------------------

    def dec_statements(
        self,
        *,
        session_id: int | None = None,
        exam_id: int | None = None,
        paper_id: int | None = None,
        centre_id: int | None = None,
        mission_type: MissionType | None = None,
        status: Status | None = None,
        q: str | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> QueuePage:
        """One page of the DEC's queue; pass `next_cursor` back as `cursor` for the next."""
        filters: dict[str, Any] = {
            "session_id": session_id,
            "exam_id": exam_id,
            "paper_id": paper_id,
            "centre_id": centre_id,
            "mission_type": mission_type,
            "status": status,
            "q": q,
            "cursor": cursor,
            "limit": limit,
        }
        params = {k: str(v) for k, v in filters.items() if v is not None}
        return self._parse(QueuePage, self._call("GET", "/dec/statements", params=params))

    # --- plumbing -------------------------------------------------------------------------

    def _statement_call(
        self,
        statement_id: int,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Statement:
        try:
            return self._parse(Statement, self._call(method, path, json=json, headers=headers))
        except StaleVersion as stale:
            if stale.current is None:
                # A write race caught at commit answers without the stored statement: read it.
                try:
                    stale.current = self.statement(statement_id)
                except ApiError as error:
                    log.warning("could not read statement %s again: %r", statement_id, error)
            raise

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        renew: bool = True,
        content: bytes | Iterable[bytes] | None = None,
    ) -> httpx.Response:
        """Sends, renews the session once if it expired (unless `renew` is false), and raises
        the typed error of any unsuccessful answer."""
        renew = auth and renew
        token = self.tokens.access_token if auth else None
        if renew and token is None and self.tokens.refresh_token is not None:
            token = self._renewed_access(None)  # a remembered session, not yet renewed
        response = self._send(
            method, path, token, json=json, params=params, headers=headers, content=content
        )
        if renew and response.status_code == 401 and self._expired(response):
            # The request was refused before doing anything: sending it again is safe, even a
            # POST.
            token = self._renewed_access(token)
            response = self._send(
                method, path, token, json=json, params=params, headers=headers, content=content
            )
        if response.is_success:
            return response
        raise errors.from_response(response)

    def _send(
        self,
        method: str,
        path: str,
        token: str | None,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | Iterable[bytes] | None = None,
    ) -> httpx.Response:
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        start = time.perf_counter()
        try:
            response = self.http.request(
                method, API + path, json=json, params=params, headers=sent, content=content
            )
        except httpx.HTTPError as error:
            log.warning("%s %s: no answer (%s)", method, path, type(error).__name__)
            raise errors.unreachable(error) from error
        elapsed = (time.perf_counter() - start) * 1000
        log.debug("%s %s -> %s in %.0f ms", method, path, response.status_code, elapsed)
        return response

    @staticmethod
    def _expired(response: httpx.Response) -> bool:
        body = errors.error_body(response)
        return body is not None and body["type"] == "session_expired"

    def _renewed_access(self, stale: str | None) -> str:
        """An access token newer than `stale`, refreshing the session if no other thread has."""
        with self._refresh_lock:
            current = self.tokens.access_token
            if current is not None and current != stale:
                return current
            if self.tokens.refresh_token is None:
                raise SessionExpired()  # another thread's refresh was refused meanwhile
            return self._refresh_locked().access_token

    def _refresh_locked(self) -> Tokens:
        refresh_token = self.tokens.refresh_token
        if refresh_token is None:
            raise NotAuthenticated()
        try:
            response = self._call(
                "POST", "/auth/refresh", json={"refresh_token": refresh_token}, auth=False
            )
        except (NotAuthenticated, errors.InvalidInput) as refused:
            # Expired, revoked, already used or mangled (a damaged keyring entry): the session
            # is dead, forget it.
            self.tokens.forget()
            raise SessionExpired(detail=errors.SESSION_EXPIRED, status=refused.status) from refused
        tokens = self._parse(Tokens, response)
        self.tokens.renew(tokens.access_token, tokens.refresh_token)
        return tokens

    @staticmethod
    def _parse(model: type[M], response: httpx.Response) -> M:
        try:
            return model.model_validate_json(response.content)
        except ValidationError as error:
            raise _unexpected(response, error) from error

    @staticmethod
    def _parse_list(adapter: TypeAdapter[list[M]], response: httpx.Response) -> list[M]:
        try:
            return adapter.validate_json(response.content)
        except ValidationError as error:
            raise _unexpected(response, error) from error

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        try:
            body = json.loads(response.content)
        except ValueError as error:
            raise _unexpected(response, error) from error
        if not isinstance(body, dict):
            raise _unexpected(response, TypeError(type(body).__name__))
        return body


def _unexpected(response: httpx.Response, error: Exception) -> ServerError:
    # A captive portal, a proxy page or a server of another version.
    log.warning(
        "unreadable answer to %s %s (HTTP %s): %s",
        response.request.method,
        response.request.url.path,
        response.status_code,
        error,
    )
    return ServerError(detail=errors.UNREADABLE, status=response.status_code)
