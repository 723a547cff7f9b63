"""The mail server and the outbox worker of the notifications' tests."""

from tests.server_stub.notifications.conftest import inbox, mail_server, worker

__all__ = ["inbox", "mail_server", "worker"]
