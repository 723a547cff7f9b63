"""The outbox worker: claims due messages, sends them, records what happened.

Every server process runs one (main.py, when a mail server is set); they share the outbox
safely: a message is claimed for a lease (repository.claim) before it is sent, and recorded
sent by the holder of the lease right after the server accepted it. A message that could not
be sent waits, each time twice as long, and is given up after `mail_max_attempts`. Nothing is
lost while the mail server is down: messages stay in the outbox until it answers.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import threading
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from server_stub.core import clock
from server_stub.core.settings import Settings
from server_stub.notifications import outbox, repository
from server_stub.notifications.models import OutboxMessage
from server_stub.notifications.smtp import Mailer, PermanentFailure

log = logging.getLogger(__name__)
_REMINDERS_EVERY = dt.timedelta(hours=1)


@dataclass
class Round:
    """What one pass of the worker did."""

    sent: int = 0
    retried: int = 0
    given_up: int = 0
    reminders: int = 0


class OutboxWorker:
    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        self.factory = factory
        self.settings = settings
        self.name = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reminded_at: dt.datetime | None = None

    # --- one pass ----------------------------------------------------------------------------

    def run_once(self) -> Round:
        done = Round()
        done.reminders = self._remind()
        if not self.settings.smtp_host:
            return done
        while True:
            batch = self._claim()
            if not batch:
                return done
            self._send(batch, done)
            if len(batch) < self.settings.mail_batch:
                return done

    def _remind(self) -> int:
        days = self.settings.reminder_days_before_deadline
        now = clock.now()
        if days <= 0 or (
            self._reminded_at is not None and now - self._reminded_at < _REMINDERS_EVERY
        ):
            return 0
        with self.factory.begin() as session:
            count = outbox.schedule_reminders(session, clock.today(self.settings), days)
        self._reminded_at = now
        return count

    def _claim(self) -> list[OutboxMessage]:
        now = clock.now()
        until = now + dt.timedelta(seconds=self.settings.mail_lease_seconds)
        with self.factory.begin() as session:
            batch = repository.claim(session, self.name, now, until, self.settings.mail_batch)
            session.expunge_all()
        return batch

    def _retry_at(self, message: OutboxMessage) -> dt.datetime | None:
        s = self.settings
        if message.attempts >= s.mail_max_attempts:
            return None
        seconds = min(
            s.mail_retry_seconds * 2 ** (message.attempts - 1), s.mail_retry_max_minutes * 60
        )
        return clock.now() + dt.timedelta(seconds=seconds)

    def _failed(self, message: OutboxMessage, error: str, done: Round, *, permanent: bool) -> None:
        retry_at = None if permanent else self._retry_at(message)
        with self.factory.begin() as session:
            repository.mark_failed(session, message.id, self.name, error, retry_at)
        if retry_at is None:
            done.given_up += 1
            log.error("message %s to %s given up: %s", message.id, message.recipient, error)
        else:
            done.retried += 1
            log.warning("message %s not sent (%s), next try at %s", message.id, error, retry_at)

    def _send(self, batch: list[OutboxMessage], done: Round) -> None:
        try:
            mailer = Mailer(self.settings).__enter__()
        except Exception as error:  # the server is down or refuses us: every message waits
            for message in batch:
                self._failed(
                    message, f"serveur de messagerie injoignable : {error}", done, permanent=False
                )
            return
        try:
            for index, message in enumerate(batch):
                try:
                    mailer.send(message)
                except PermanentFailure as error:
                    self._failed(message, str(error), done, permanent=True)
                    continue
                except Exception as error:
                    # The connection may be unusable: this message and the rest wait.
                    for waiting in batch[index:]:
                        self._failed(waiting, f"envoi interrompu : {error}", done, permanent=False)
                    return
                with self.factory.begin() as session:
                    repository.mark_sent(session, message.id, self.name, clock.now())
                done.sent += 1
        finally:
            mailer.__exit__(None, None, None)

    # --- in the background -------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="outbox-worker", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.settings.smtp_timeout_seconds + 5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("outbox worker pass failed")
            self._stop.wait(self.settings.mail_poll_seconds)
