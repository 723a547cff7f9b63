"""Typed server settings, read from IMAGIN_* environment variables."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    folder = Path(user_data_dir("imagin", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'imagin.sqlite3'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IMAGIN_")

    database_url: str = ""
    academie: str = "Académie d'Amiens"
    access_token_minutes: int = 30
    refresh_token_days: int = 30
    # Security policy of the académie (not a pay or travel rule), docs/security.md.
    # Failed log-ins for one identifier from one address before each further try must wait;
    # the wait doubles from `login_delay_seconds` up to `login_delay_max_minutes`, then ends.
    max_failed_logins: int = 5
    login_delay_seconds: int = 60
    login_delay_max_minutes: int = 15
    # Failures older than this are forgotten.
    login_failure_memory_hours: int = 24
    # Attempts on the log-in and password routes ("limits" notation: N per second, minute,
    # hour…), counted in the database so that they hold across server processes. Many people
    # of one rectorat may share an address behind its proxy: the address limit is wide.
    login_limit_per_address: str = "60/minute;600/hour"
    login_limit_per_account: str = "10/minute;100/hour"
    # The académie's directory, where its staff log in with their messaging credentials
    # (auth/directory.py). No URL: every account is local. `ldaps://` for TLS from the start,
    # or `ldap://` with `ldap_start_tls`; `ldap_ca_file` adds authorities to the system's. The
    # person is found under `ldap_base_dn` by `ldap_user_filter` ({login} is the identifier
    # typed, escaped), with the service account if one is set (anonymously otherwise), then
    # their own password is checked by a bind. The attributes give the account's identity.
    ldap_url: str = ""
    ldap_base_dn: str = ""
    ldap_start_tls: bool = False
    ldap_ca_file: str = ""
    ldap_bind_dn: str = ""
    ldap_bind_password: str = ""
    ldap_user_filter: str = "(&(objectClass=inetOrgPerson)(uid={login}))"
    ldap_attr_login: str = "uid"
    ldap_attr_first_name: str = "givenName"
    ldap_attr_last_name: str = "sn"
    ldap_attr_email: str = "mail"
    ldap_timeout_seconds: int = 10
    # A password reset code sent by e-mail: how long it is valid, and how many may be asked
    # for one identifier (the address limit is the log-in's).
    reset_code_minutes: int = 30
    # Payment batches created on schedule (payment/scheduled.py, `imagin-server payment
    # create-due`): the offices whose validated statements go to payment without anyone
    # pressing "Créer" (comma-separated codes, or TOUS for every office; empty: none), each
    # TARGET2 business day from this time on (Europe/Paris, HH:MM), one batch per office and
    # day.
    payment_auto_offices: str = ""
    payment_auto_time: str = "07:00"
    reset_limit_per_account: str = "3/hour;10/day"
    # Password hashes computed at once per process, on threads of their own: log-ins, however
    # many, never take the threads that serve everyone else.
    password_hashing_threads: int = 1
    # Request bodies larger than this are refused before being read (413).
    max_body_bytes: int = 1_048_576
    # Except a bank's statement or notification (camt.053/054) for a payment batch: a few
    # kilobytes per transfer, tens of thousands of transfers.
    max_bank_statement_bytes: int = 64 * 1_048_576
    # The interactive API documentation (/docs, /redoc, /openapi.json): off in production.
    api_docs: bool = False
    # Threads running request handlers. The work is mostly Python holding the GIL: two threads
    # served more requests than eight or forty (bench/server_load.py), which lose time handing
    # the GIL around. A database across a network may want a few more.
    worker_threads: int = 2
    # Statements per transaction in a bulk DEC action: a crash undoes at most one such chunk
    # (and a retry redoes it), and row locks stay short.
    bulk_chunk: int = 500
    # The key the social security numbers of the financial files are encrypted with at rest
    # (Fernet: 32 random bytes, URL-safe base64; `imagin-server nir-key` prints a new one). Kept
    # out of the database and of its backups; without it, no number can be entered or read.
    nir_key: SecretStr | None = None
    # E-mail (notifications/): the académie's mail server, reached with STARTTLS. No host: the
    # messages wait in the outbox until one is set.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_username: str = ""
    smtp_password: str = ""
    # Certificate authorities trusted for the mail server besides the system's (a PEM file).
    smtp_ca_file: str = ""
    smtp_timeout_seconds: float = 30
    mail_from: str = "IMAG'IN <ne-pas-repondre@ac-amiens.fr>"
    # The outbox worker: how often it looks for messages, how many it takes at once, how long
    # it holds them (far longer than one sending takes), and the retries of a failed sending,
    # doubling from `mail_retry_seconds`.
    mail_poll_seconds: float = 15
    mail_batch: int = 50
    mail_lease_seconds: int = 300
    mail_max_attempts: int = 8
    mail_retry_seconds: int = 60
    mail_retry_max_minutes: int = 360
    # Days before a session's entry deadline when people whose statement is not sent yet are
    # reminded (0: no reminder).
    reminder_days_before_deadline: int = 7
    # Supporting documents (documents/store.py): the directory of their files (the platform's
    # data directory by default; back it up with the database), the largest file accepted, and
    # how long a file no statement refers to any more is kept before the collector deletes it
    # (an upload of the same content may be under way).
    documents_dir: Path | None = None
    documents_max_bytes: int = 10_485_760
    documents_grace_seconds: int = 600
    # Fixes "today" for demos and tests; the real date otherwise.
    today: dt.date | None = None

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url()


@lru_cache
def get_settings() -> Settings:
    return Settings()
