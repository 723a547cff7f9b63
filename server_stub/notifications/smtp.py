"""Handing a message to the mail server: SMTP, STARTTLS with the certificate checked, an
account if one is set (standard library only)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from server_stub.core.settings import Settings
from server_stub.notifications.models import OutboxMessage


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): trying again would not help."""


def build(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message, text and HTML; its Message-ID is the outbox row's, so that a message a
    server received twice (a crash between sending and recording it) is recognised as one."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    domain = sender.rsplit("@", 1)[-1].rstrip(">") or "imagin.invalid"
    email["Message-ID"] = make_msgid(idstring=f"imagin.outbox.{message.id}", domain=domain)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    return email


def tls_context(settings: Settings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.smtp_ca_file:
        context.load_verify_locations(settings.smtp_ca_file)
    return context


class Mailer:
    """One connection to the mail server for a batch of messages."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        s = self.settings
        smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        try:
            smtp.ehlo()
            if s.smtp_starttls:
                smtp.starttls(context=tls_context(s))
                smtp.ehlo()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return self

    def __exit__(self, *exc: object) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def send(self, message: OutboxMessage) -> None:
        assert self._smtp is not None
        try:
            refused = self._smtp.send_message(build(message, self.settings.mail_from))
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if all(500 <= code < 600 for code in codes):
                raise PermanentFailure(f"destinataire refusé : {error.recipients}") from None
            raise
        except smtplib.SMTPResponseException as error:
            if 500 <= error.smtp_code < 600 and not isinstance(error, smtplib.SMTPSenderRefused):
                raise PermanentFailure(f"{error.smtp_code} {error.smtp_error!r}") from None
            raise
        if refused:
            raise PermanentFailure(f"destinataire refusé : {refused}")
