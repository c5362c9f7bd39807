"""Sending one outbox message: over SMTP (configured by ``MAIL_*``) or, without ``MAIL_SERVER``, to
the log.

The log transport is for development: it writes one line per message with the message id, the
report reference, the language and the length of the text, and never the address, the name or
the text itself (personal data never goes to a log). Error descriptions kept with a message are
built from exception classes and SMTP reply codes only, because servers echo addresses back in
their reply texts.

A :class:`Mailer` keeps one SMTP connection for a whole run (opened on first use, closed at the
end or after any error, so the next message starts on a fresh one).
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email import policy as email_policy
from email.errors import MessageError
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from ..clock import JAKARTA

# What an outbox row's address, subject and body become once it may no longer be kept.
SCRUBBED = "[dihapus]"

log = logging.getLogger(__name__)

LOG = "log"
SMTP = "smtp"


@dataclass(frozen=True)
class MailSettings:
    """The ``MAIL_*`` configuration, read once per run."""

    server: str | None
    port: int = 25
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    use_ssl: bool = False
    sender: str = "Terang <noreply@terang.test>"
    timeout: float = 30.0

    @classmethod
    def from_config(cls, config) -> "MailSettings":
        return cls(
            server=config.get("MAIL_SERVER") or None,
            port=int(config.get("MAIL_PORT") or (465 if config.get("MAIL_USE_SSL") else 25)),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            sender=config.get("MAIL_DEFAULT_SENDER") or cls.sender,
            timeout=float(config.get("MAIL_TIMEOUT") or 30),
        )

    @property
    def transport(self) -> str:
        return SMTP if self.server else LOG


@dataclass(frozen=True)
class Outgoing:
    """What sending needs from an outbox row (read inside its transaction, sent outside it)."""

    id: int
    recipient: str
    subject: str
    body: str
    language: str
    created_at: datetime
    reference: str | None = None
    # A follower's message: the one-click unsubscribe address (RFC 8058).
    unsubscribe_url: str | None = None


class DeliveryError(Exception):
    """Sending failed; ``str(exc)`` is a short description without personal data."""

    permanent = False


class PermanentFailure(DeliveryError):
    """The server refused this message for good (a 5xx reply): retrying will not help."""

    permanent = True


class ServerUnavailable(DeliveryError):
    """No usable connection (connect, TLS or login failed): the rest of the run would fail too."""


def describe(exc: BaseException) -> str:
    """A short description of a sending error: class and SMTP code or errno, never reply text."""
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _text in exc.recipients.values()})
        return f"{name} {','.join(str(code) for code in codes)}".strip()
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{name} {exc.smtp_code}"
    if isinstance(exc, OSError) and exc.errno:
        return f"{name} errno {exc.errno}"
    return name


def _domain_of(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "terang.invalid"


def message_id(outgoing: Outgoing, sender: str) -> str:
    """A Message-ID that stays the same on every attempt, so a receiver can drop a duplicate.

    It carries the day the message was queued, never its time: a follower's e-mail must not
    tell when an anonymous reporter took a step (services/following.py)."""
    stamp = outgoing.created_at.astimezone(JAKARTA).strftime("%Y%m%d")
    return f"<terang.{stamp}.{outgoing.id}@{_domain_of(sender)}>"


def single_line(text: str) -> str:
    """Header values must not contain line breaks."""
    return " ".join((text or "").split())


class _UnfoldedHeader(UnstructuredHeader):
    """A header written on one line as it is: a URL has no place to fold, and the default
    policy would turn a long one into RFC 2047 encoded words, which no mail program reads as
    the address in ``List-Unsubscribe`` (RFC 2369). The value is ASCII and well under the
    998-character line limit."""

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


def _policy():
    registry = HeaderRegistry()
    registry.map_to_type("list-unsubscribe", _UnfoldedHeader)
    return email_policy.default.clone(header_factory=registry)


_POLICY = _policy()


def build_message(outgoing: Outgoing, sender: str, now: datetime) -> EmailMessage:
    """The e-mail for ``outgoing``: UTF-8 plain text with From, To, Subject, Date, Message-ID
    (and List-Unsubscribe, List-Unsubscribe-Post for a follower's message)."""
    message = EmailMessage(policy=_POLICY)
    message["From"] = sender
    message["To"] = outgoing.recipient
    message["Subject"] = single_line(outgoing.subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(outgoing, sender)
    # RFC 3834: automatic mail; well-behaved auto-responders do not answer it.
    message["Auto-Submitted"] = "auto-generated"
    if outgoing.unsubscribe_url:
        # RFC 2369 and RFC 8058: the mail program offers "unsubscribe" and POSTs
        # ``List-Unsubscribe=One-Click`` to the address; no page, no sign-in.
        message["List-Unsubscribe"] = f"<{single_line(outgoing.unsubscribe_url)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(outgoing.body, charset="utf-8")  # clears Content-* headers: set them after
    message["Content-Language"] = outgoing.language
    return message


class Mailer:
    """Sends :class:`Outgoing` messages; use as a context manager so the connection is closed."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def send(self, outgoing: Outgoing, now: datetime) -> None:
        """Send one message; raises :class:`DeliveryError` (or a subclass) when it fails."""
        if self.settings.transport == LOG:
            log.info("outbox message %s for report %s delivered to log (%s, %d chars)",
                     outgoing.id, outgoing.reference or "-", outgoing.language, len(outgoing.body))
            return
        try:
            email = build_message(outgoing, self.settings.sender, now)
        except (ValueError, TypeError, MessageError) as exc:  # e.g. an unusable address
            raise PermanentFailure(describe(exc)) from exc
        smtp = self._connection()
        try:
            smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            codes = [code for code, _text in exc.recipients.values()]
            error = PermanentFailure if codes and all(code >= 500 for code in codes) else DeliveryError
            raise error(describe(exc)) from exc
        except smtplib.SMTPDataError as exc:
            self.close()
            raise (PermanentFailure if exc.smtp_code >= 500 else DeliveryError)(describe(exc)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(describe(exc)) from exc

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        context = ssl.create_default_context()
        try:
            if s.use_ssl:
                smtp = smtplib.SMTP_SSL(s.server, s.port, timeout=s.timeout, context=context)
            else:
                smtp = smtplib.SMTP(s.server, s.port, timeout=s.timeout)
            try:
                smtp.ehlo()
                if s.use_tls and not s.use_ssl:
                    smtp.starttls(context=context)
                    smtp.ehlo()
                if s.username:
                    smtp.login(s.username, s.password or "")
            except BaseException:
                smtp.close()
                raise
        except (smtplib.SMTPException, OSError) as exc:
            raise ServerUnavailable(describe(exc)) from exc
        self._smtp = smtp
        return smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
