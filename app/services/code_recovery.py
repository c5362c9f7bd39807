"""A lost tracking code replaced through a one-time link sent to the reporter's e-mail.

The code itself can never be sent again: only its keyed hash is stored
(:mod:`.tracking_codes`). A reporter who left an e-mail asks with the report's reference and
that address; when both match, a link is queued in the outbox (valid
:data:`LINK_LIFETIME`, used once). Opening it and confirming issues a *new* code, shown once,
and the old code stops working. A reporter without an e-mail cannot be helped by anyone: that
is the price of not being identifiable.

The request always ends the same way whether or not the reference exists or the address
matches, so the form cannot be used to learn which addresses belong to which reports. The
number of links is limited per report and per address (:data:`MAX_LINKS_PER_REPORT`,
:data:`MAX_LINKS_PER_ADDRESS` within :data:`LIMIT_WINDOW`), so the form cannot flood a
reporter's mailbox; the view adds a limit per client network.

The link's token travels in the query string (never logged: ``app/__init__.py`` and
``gunicorn.conf.py`` log paths only) and only its SHA-256 is stored.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import CodeRecovery, OutboxMessage, Report
from ..unit_of_work import writes
from . import mailer, tracking_codes
from .errors import DomainError

LINK_LIFETIME = timedelta(hours=1)
LIMIT_WINDOW = timedelta(hours=1)
MAX_LINKS_PER_REPORT = 3
MAX_LINKS_PER_ADDRESS = 5
# Rows (hashes only) are deleted by the lifecycle tick this long after the request.
KEEP_FOR = timedelta(days=1)
LANGUAGES = ("id", "en")
_EMAIL_CONTEXT = b"terang/code-recovery/email/v1"


def normalise_email(email: str | None) -> str:
    """Addresses compare without surrounding spaces and case."""
    return (email or "").strip().casefold()


def normalise_reference(reference: str | None) -> str:
    """References compare without surrounding spaces and case (``lpr-2026-0000001``)."""
    return (reference or "").strip().upper()


def _email_hash(email: str, secret_key: str) -> str:
    key = hmac.new(secret_key.encode(), _EMAIL_CONTEXT, hashlib.sha256).digest()
    return hmac.new(key, email.encode(), hashlib.sha256).hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _recent(column, value, now: datetime) -> int:
    return db.session.scalar(select(func.count(CodeRecovery.id)).where(
        column == value, CodeRecovery.created_at > now - LIMIT_WINDOW)) or 0


@writes
def request_link(reference: str, email: str, now: datetime, *, secret_key: str,
                 link_for: Callable[[str], str]) -> bool:
    """Queue a one-time link for the report ``reference`` if ``email`` is its reporter's.

    ``link_for(token)`` makes the absolute address of the link. Returns True when a link was
    queued; the view must not tell the user (it answers the same page either way). Nothing is
    queued when the reference is unknown, the address does not match, the report has no
    e-mail, or the report or the address already had its links this hour.
    """
    address = normalise_email(email)
    if not address:
        return False
    report = db.session.scalar(select(Report).where(Report.reference == normalise_reference(reference)))
    contact = report.contact if report is not None else None
    if contact is None or not contact.email or not hmac.compare_digest(
            normalise_email(contact.email).encode(), address.encode()):
        return False
    email_hash = _email_hash(address, secret_key)
    if (_recent(CodeRecovery.report_id, report.id, now) >= MAX_LINKS_PER_REPORT
            or _recent(CodeRecovery.email_hash, email_hash, now) >= MAX_LINKS_PER_ADDRESS):
        return False
    token = secrets.token_urlsafe(32)
    db.session.add(CodeRecovery(report_id=report.id, token_hash=_token_hash(token),
                                email_hash=email_hash, created_at=now,
                                expires_at=now + LINK_LIFETIME))
    language = report.language if report.language in LANGUAGES else "id"
    context = {"reference": report.reference, "link": link_for(token),
               "minutes": int(LINK_LIFETIME.total_seconds() // 60)}
    with force_locale(language):
        subject = render_template(f"email/reporter/code_recovery_subject.{language}.txt", **context)
        body = render_template(f"email/reporter/code_recovery.{language}.txt", **context)
    db.session.add(OutboxMessage(report_id=report.id, recipient=contact.email, language=language,
                                 subject=mailer.single_line(subject)[:200],
                                 body=body.strip() + "\n", created_at=now, next_attempt_at=now))
    db.session.flush()
    return True


def _usable(token: str | None, now: datetime, lock: bool = False) -> CodeRecovery | None:
    if not token or len(token) > 100:
        return None
    query = select(CodeRecovery).where(CodeRecovery.token_hash == _token_hash(token))
    if lock:
        # Two clicks on the same link (PostgreSQL): the second waits, then finds it used.
        query = query.with_for_update().execution_options(populate_existing=True)
    found = db.session.scalar(query)
    if found is None or found.used_at is not None or now >= found.expires_at:
        return None
    return found


def link_is_usable(token: str | None, now: datetime) -> bool:
    """True while the link ``token`` has been neither used nor outlived its hour.

    Opening the link only asks; the code changes on a POST (:func:`redeem`), so a mail
    program that opens links to scan them does not use the link up.
    """
    return _usable(token, now) is not None


@dataclass(frozen=True)
class NewCode:
    reference: str
    tracking_code: str
    tracking_hash: str


@writes
def redeem(token: str | None, now: datetime, *, secret_key: str) -> NewCode:
    """Use the link ``token``: the report gets a new tracking code, the old one stops working.

    The link and every other unused link of the report are spent. Raises ``DomainError``
    when the link is unknown, used or expired.
    """
    found = _usable(token, now, lock=True)
    if found is None:
        raise DomainError(_l("Tautan ini tidak berlaku lagi: sudah dipakai atau lewat satu jam."))
    report = db.session.scalar(select(Report).where(Report.id == found.report_id).with_for_update()
                               .execution_options(populate_existing=True))
    code = tracking_codes.generate_code()
    report.tracking_hash = tracking_codes.hash_code(tracking_codes.normalise_code(code), secret_key)
    db.session.execute(update(CodeRecovery)
                       .where(CodeRecovery.report_id == report.id, CodeRecovery.used_at.is_(None))
                       .values(used_at=now)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    return NewCode(reference=report.reference, tracking_code=code, tracking_hash=report.tracking_hash)


def purge(now: datetime) -> int:
    """Delete the links asked for more than :data:`KEEP_FOR` ago; returns how many.

    Run by ``flask lifecycle tick`` in its own transaction.
    """
    result = db.session.execute(delete(CodeRecovery).where(CodeRecovery.created_at < now - KEEP_FOR)
                                .execution_options(synchronize_session=False))
    return result.rowcount or 0
