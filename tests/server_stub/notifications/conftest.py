"""A real mail server on 127.0.0.1 (aiosmtpd) that requires STARTTLS with a certificate from a
made-up authority, and an outbox worker that sends to it. Without aiosmtpd or trustme the tests
skip locally and fail in CI."""

from __future__ import annotations

import importlib
import os
import socket
import ssl
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from server_stub.core.database import make_session_factory
from server_stub.core.settings import Settings
from server_stub.notifications.worker import OutboxWorker
from tests.server_stub.conftest import TODAY


def _require(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{module} is required in CI: {error}")
        pytest.skip(f"{module} not installed")


class Inbox:
    """What the mail server received; it may be told to refuse for a while."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse_with: str | None = None  # e.g. "451 4.3.0 Réessayez plus tard"
        self.refuse_recipients: set[str] = set()
        self.starttls_seen = False
        self._lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse_recipients:
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_with is not None:
            return self.refuse_with
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.starttls_seen = self.starttls_seen or session.ssl is not None
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class MailServer:
    def __init__(self, tmp: Path) -> None:
        controller_module = _require("aiosmtpd.controller")
        trustme = _require("trustme")
        authority = trustme.CA()
        certificate = authority.issue_cert("127.0.0.1", "localhost")
        self.ca_file = tmp / "ca.pem"
        authority.cert_pem.write_to_path(str(self.ca_file))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        self.inbox = Inbox()
        self.port = free_port()
        self._make = lambda: controller_module.Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=context,
            require_starttls=True,
            ready_timeout=10,
        )
        self.controller: Any = None

    def start(self) -> None:
        self.controller = self._make()
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": "unused://",
            "today": TODAY,
            "smtp_host": "127.0.0.1",
            "smtp_port": self.port,
            "smtp_ca_file": str(self.ca_file),
            "smtp_timeout_seconds": 10,
            "mail_from": "IMAG'IN <ne-pas-repondre@ac-amiens.fr>",
            "mail_retry_seconds": 0,
        }
        return Settings(**(values | overrides))


@pytest.fixture
def mail_server(tmp_path: Path) -> Iterator[MailServer]:
    server = MailServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def inbox(mail_server: MailServer) -> Inbox:
    return mail_server.inbox


@pytest.fixture
def worker(engine: Engine, mail_server: MailServer) -> OutboxWorker:
    return OutboxWorker(make_session_factory(engine), mail_server.settings())
