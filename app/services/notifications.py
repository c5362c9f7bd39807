"""Notifications to reporters (and reminders to agencies), through the outbox.

A message is queued in the same transaction as the event that causes it (so an event that is
rolled back never sends mail) and delivered later by ``flask --app wsgi outbox deliver``
(:func:`deliver_due`), with retries and exponential backoff.

Reporter messages are written in the report's language and never contain the tracking code:
they say what happened and point to /lacak, where the reporter types the code. The templates
are per language (``email/reporter/*.{id,en}.txt``), so an e-mail never depends on a compiled
catalogue being present.

Delivery claims one message at a time in a short write transaction (``SELECT … FOR UPDATE SKIP
LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite): the claim counts the attempt and moves
``next_attempt_at`` a lease ahead, so no other worker picks the message up while it is being
sent, and no transaction stays open during network I/O. The result is committed per message,
so a crash half-way through a run never sends the delivered ones again (at worst the message
being sent at the moment of the crash goes out twice, after the lease; its Message-ID is the
same both times).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..database import begin_write
from ..extensions import db
from ..models import Agency, OutboxMessage, Report, ReportEvent, Status, User
from ..models.user import AGENCY_ADMIN, NATIONAL_ADMIN, OFFICER
from . import board, mailer, redaction, sla

log = logging.getLogger(__name__)

# Public steps the reporter hears about (their own actions are not echoed back to them).
NOTIFY_ACTIONS = frozenset({"route", "archive", "request_info", "respond", "transfer", "resolve",
                            "auto_close", "deadline_missed"})
LANGUAGES = ("id", "en")

# Retries: 1, 2, 4, … minutes after each failed try, never more than 6 hours.
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
DEFAULT_MAX_ATTEMPTS = 10
# How long a claimed message is left alone by other workers while it is being sent.
CLAIM_LEASE = timedelta(minutes=15)


def queue_for_event(report: Report, event: ReportEvent) -> OutboxMessage | None:
    """Queue the reporter's e-mail about ``event``, if they left an address and it is public."""
    if event.is_internal or event.action not in NOTIFY_ACTIONS:
        return None
    contact = report.contact
    if contact is None or not contact.email:
        return None
    language = report.language if report.language in LANGUAGES else "id"
    context = {
        "reference": report.reference,
        "title": report.title,
        "action": event.action,
        "to_status": event.to_status,
        "public_text": event.public_text,
        # Archive reasons and clocks are codes; a transfer's reason is shown on the timeline too.
        "reason": event.reason,
        "original_reference": (event.related_report.reference
                               if event.related_report is not None else None),
        "agency_name": _agency_name(report),
        "track_url": _absolute_url("/lacak"),
    }
    with force_locale(language):
        subject = render_template(f"email/reporter/event_subject.{language}.txt", **context)
        body = render_template(f"email/reporter/event.{language}.txt", **context)
    if report.id is None:
        db.session.flush()
    message = OutboxMessage(report_id=report.id, recipient=contact.email, language=language,
                            subject=mailer.single_line(subject)[:200], body=body.strip() + "\n",
                            created_at=event.created_at, next_attempt_at=event.created_at)
    db.session.add(message)
    return message


def _agency_name(report: Report) -> str | None:
    """The responsible agency's name (by id: ``report.agency`` is stale right after a transfer)."""
    if report.agency_id is None:
        return None
    agency = db.session.get(Agency, report.agency_id)
    return agency.name if agency is not None else None


def _absolute_url(path: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    return base + path


# --- reminders to the people responsible ----------------------------------------------------

DUE_SOON = "due_soon"
OVERDUE = "overdue"
REMINDER_KINDS = (DUE_SOON, OVERDUE)


def reminder_key_prefix(report_id: int, clock: str, due_on: date, kind: str) -> str:
    """The start of every reminder's dedupe key for one deadline; the recipient's id follows."""
    return f"remind:{report_id}:{clock}:{due_on.isoformat()}:{kind}:"


def reminder_recipients(report: Report) -> list[User]:
    """Who answers for the deadline that runs now: the national admins while the report waits
    for verification, afterwards the active officers and agency admins of the responsible agency."""
    query = select(User).where(User.is_active_account.is_(True)).order_by(User.id)
    if report.status == Status.SUBMITTED:
        query = query.where(User.role == NATIONAL_ADMIN)
    elif report.agency_id is not None:
        query = query.where(User.role.in_((OFFICER, AGENCY_ADMIN)),
                            User.agency_id == report.agency_id)
    else:
        return []
    return list(db.session.scalars(query))


def queue_reminders(report: Report, deadline: sla.Deadline, kind: str, now: datetime) -> int:
    """Queue one reminder per recipient about ``deadline`` (``due_soon`` or ``overdue``).

    Idempotent: each message carries a dedupe key (report, clock, due date, kind, recipient) and
    is inserted with ON CONFLICT DO NOTHING, so a second tick, or two ticks at once, never add a
    copy. The text names the reference, the title (not for a confidential report) and the
    deadline; never the reporter's identity or contact. Returns how many were queued.
    """
    if kind not in REMINDER_KINDS:
        raise ValueError(f"unknown reminder kind {kind!r}")
    recipients = reminder_recipients(report)
    if not recipients:
        return 0
    context = {
        "kind": kind,
        "reference": report.reference,
        "title": redaction.notice_title(report),
        "clock": deadline.clock,
        "due_label": None,
        "days_left": sla.working_days_between(sla.local_date(now), deadline.due_on),
        "agency_name": _agency_name(report),
        "case_url": _absolute_url(f"/petugas/laporan/{report.reference}"),
    }
    with force_locale("id"):
        context["due_label"] = format_date(deadline.due_on, "full")
        subject = mailer.single_line(render_template("email/reminder_subject.txt", **context))
        body = render_template("email/reminder.txt", **context).strip() + "\n"
    prefix = reminder_key_prefix(report.id, deadline.clock, deadline.due_on, kind)
    queued = 0
    for user in recipients:
        statement = _insert_ignore_key(
            dedupe_key=f"{prefix}u{user.id}", report_id=report.id, recipient=user.email,
            language="id", subject=subject[:200], body=body, created_at=now,
            next_attempt_at=now, attempts=0)
        queued += len(db.session.execute(statement).all())  # RETURNING: no row when skipped
    return queued


# --- escalations to oversight ----------------------------------------------------------------

def queue_escalation_notice(escalation, now: datetime) -> int:
    """Tell every active oversight account that a reporter escalated a report (docs/domain.md,
    "Escalation": oversight receives escalations).

    Reference, grounds, agency and a link to the escalation list; never the reporter's identity,
    contact or text, never a confidential report's title. One message per recipient, deduplicated
    by escalation, so queueing twice adds nothing. Returns how many were queued.
    """
    from ..models.user import OVERSIGHT

    report = db.session.get(Report, escalation.report_id)
    recipients = db.session.scalars(select(User).where(
        User.is_active_account.is_(True), User.role == OVERSIGHT).order_by(User.id)).all()
    context = {
        "reference": report.reference,
        "title": redaction.notice_title(report),
        "grounds": escalation.grounds,
        "agency_name": _agency_name(report),
        "list_url": _absolute_url("/petugas/eskalasi"),
    }
    with force_locale("id"):
        subject = mailer.single_line(render_template("email/escalation_subject.txt", **context))
        body = render_template("email/escalation.txt", **context).strip() + "\n"
    queued = 0
    for user in recipients:
        statement = _insert_ignore_key(
            dedupe_key=f"escalation:{escalation.id}:u{user.id}", report_id=report.id,
            recipient=user.email, language="id", subject=subject[:200], body=body,
            created_at=now, next_attempt_at=now, attempts=0)
        queued += len(db.session.execute(statement).all())
    return queued


def _insert_ignore_key(**values):
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING, on PostgreSQL and SQLite alike."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (insert(OutboxMessage.__table__).values(**values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(OutboxMessage.__table__.c.id))


# --- delivery -------------------------------------------------------------------------------

SENT = "sent"
RETRY = "retry"
FAILED = "failed"


@dataclass
class DeliveryStats:
    """What one run of :func:`deliver_due` did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    # Set when the run ended early because the mail server could not be reached.
    stopped: str | None = None

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.failed

    def __str__(self) -> str:
        text = f"{self.sent} sent, {self.retried} to retry, {self.failed} failed"
        if self.stopped:
            text += f" (stopped early: mail server unavailable, {self.stopped})"
        return text + "."


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try: 1, 2, 4 … minutes, at most 6 h."""
    return min(BACKOFF_BASE * 2 ** max(min(attempts, 20) - 1, 0), BACKOFF_CAP)


def _due_filter(now: datetime):
    return (OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
            OutboxMessage.next_attempt_at <= now)


def count_due(now: datetime) -> int:
    """How many messages are waiting to be sent at ``now``."""
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(*_due_filter(now)))


FOLLOWED_REPORT_NOT_PUBLIC = "cancelled: report no longer public"


def _follower_step_no_longer_public(message: OutboxMessage) -> bool:
    from .following import STEP_KEY

    if not (message.dedupe_key or "").startswith(STEP_KEY):
        return False
    report = db.session.get(Report, message.report_id) if message.report_id is not None else None
    return report is None or not board.is_public(report)


def _claim_next(now: datetime) -> tuple[mailer.Outgoing, int] | None:
    """Claim the next due message in its own committed transaction; None when nothing is due.

    A follower's step e-mail whose report is no longer public is not sent: it is given up and
    blanked (its follower will be purged by the next tick)."""
    while True:
        begin_write()
        message = db.session.scalar(
            select(OutboxMessage).where(*_due_filter(now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(1)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True))
        if message is None:
            db.session.rollback()
            return None
        if not _follower_step_no_longer_public(message):
            break
        message.failed_at = now
        message.last_error = FOLLOWED_REPORT_NOT_PUBLIC
        message.recipient = message.subject = message.body = SCRUBBED
        message.unsubscribe_url = None
        db.session.commit()
    message.attempts = (message.attempts or 0) + 1
    message.next_attempt_at = now + CLAIM_LEASE
    reference = (db.session.scalar(select(Report.reference).where(Report.id == message.report_id))
                 if message.report_id is not None else None)
    outgoing = mailer.Outgoing(id=message.id, recipient=message.recipient, subject=message.subject,
                               body=message.body, language=message.language,
                               created_at=message.created_at, reference=reference,
                               unsubscribe_url=message.unsubscribe_url)
    attempts = message.attempts
    db.session.commit()
    return outgoing, attempts


def _record(outgoing: mailer.Outgoing, attempts: int, now: datetime,
            error: mailer.DeliveryError | None, max_attempts: int) -> str:
    """Write the outcome of one try (own transaction) and say which it was."""
    begin_write()
    message = db.session.get(OutboxMessage, outgoing.id, populate_existing=True)
    if error is None:
        message.sent_at = now
        message.last_error = None
        outcome = SENT
    else:
        message.last_error = str(error)[:500]
        if error.permanent or attempts >= max_attempts:
            message.failed_at = now
            outcome = FAILED
            log.warning("outbox message %s for report %s failed after %d attempt(s): %s",
                        outgoing.id, outgoing.reference or "-", attempts, error)
        else:
            message.next_attempt_at = now + backoff(attempts)
            outcome = RETRY
            log.warning("outbox message %s for report %s: attempt %d failed (%s); next try at %s",
                        outgoing.id, outgoing.reference or "-", attempts, error,
                        message.next_attempt_at.isoformat(timespec="seconds"))
    db.session.commit()
    return outcome


SCRUBBED = mailer.SCRUBBED


def scrub_delivered(now: datetime, keep: timedelta) -> int:
    """Blank the recipient, subject and text of messages sent or given up on longer than ``keep``
    ago (UU PDP: an address and a report's words are kept only while they are needed).

    The row stays, with its dedupe key, times and attempts, so a reminder is never queued twice
    and delivery can still be audited. Idempotent; returns how many rows were scrubbed.
    """
    cutoff = now - keep
    finished = or_(OutboxMessage.sent_at < cutoff, OutboxMessage.failed_at < cutoff)
    result = db.session.execute(
        update(OutboxMessage).where(finished, OutboxMessage.recipient != SCRUBBED)
        .values(recipient=SCRUBBED, subject=SCRUBBED, body=SCRUBBED, unsubscribe_url=None))
    return result.rowcount or 0


def deliver_due(now: datetime, batch: int = 100, *, settings: mailer.MailSettings | None = None,
                on_message: Callable[[str], None] | None = None) -> DeliveryStats:
    """Send up to ``batch`` messages that are due at ``now``; commit after each one.

    A failed try is retried after :func:`backoff`; after ``OUTBOX_MAX_ATTEMPTS`` tries, or at
    once when the server refuses the message for good (5xx), the message is marked failed. When
    the server cannot be reached at all the run stops after that message: the others stay due.
    ``on_message`` is called with ``"sent"``, ``"retry"`` or ``"failed"`` after each message.
    """
    config = current_app.config
    settings = settings or mailer.MailSettings.from_config(config)
    max_attempts = int(config.get("OUTBOX_MAX_ATTEMPTS") or DEFAULT_MAX_ATTEMPTS)
    stats = DeliveryStats()
    with mailer.Mailer(settings) as transport:
        for _ in range(batch):
            claimed = _claim_next(now)
            if claimed is None:
                break
            outgoing, attempts = claimed
            error = None
            try:
                transport.send(outgoing, now)
            except mailer.DeliveryError as exc:
                error = exc
            except Exception as exc:  # never leave a message claimed for ever: count the try
                error = mailer.DeliveryError(mailer.describe(exc))
            outcome = _record(outgoing, attempts, now, error, max_attempts)
            if outcome == SENT:
                stats.sent += 1
            elif outcome == RETRY:
                stats.retried += 1
            else:
                stats.failed += 1
            if on_message is not None:
                on_message(outcome)
            if isinstance(error, mailer.ServerUnavailable):
                stats.stopped = str(error)
                break
    return stats
