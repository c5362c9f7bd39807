"""Following a public report by e-mail: double opt-in, its public steps, one-click unsubscribe.

Anyone may follow a report that is on the transparency board (:func:`board.is_public`) and not
yet closed or archived:

1. :func:`subscribe` records the address and queues a confirmation e-mail with a one-time link
   (valid :data:`CONFIRM_LIFETIME`, used once). The answer is the same whether the address was
   new, waiting for confirmation, already following, or over its limit, so the form tells no
   one who follows what. Per address at most :data:`MAX_REQUESTS_PER_ADDRESS` confirmation
   e-mails go out per :data:`LIMIT_WINDOW` (the view adds a limit per client network), and a
   pending link is not sent again within :data:`RESEND_AFTER`. The timing is not equalised
   (an address already following queues nothing); docs/privacy.md says why that is accepted.
2. :func:`confirm` (a POST from the page the link opens, so a mail scanner that follows links
   confirms nothing) starts the mail.
3. Every new public step of the report (:data:`board.PUBLIC_STEPS`, never an internal note,
   the agency's text redacted exactly as on the board) queues one e-mail per confirmed
   follower in the outbox (:func:`queue_for_event`, called by ``workflow.apply`` in the
   step's transaction), in the follower's language, sent in a daily batch the next morning
   (:data:`BATCH_HOUR`, so no e-mail tells the time of a step), with an unsubscribe link and the
   ``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers (RFC 8058). Once the report stops
   being public nothing more is sent.
4. :func:`unsubscribe` deletes the row: the address is gone.

Tokens are 256 random bits (confirmation) or an HMAC keyed with ``SECRET_KEY`` (unsubscribe,
recomputed for each e-mail); only their SHA-256 is stored, and they travel in the query
string, which no log keeps. Addresses are found by a keyed hash. No page, export or API shows
a follower's address; the rows are personal data with the retention of :func:`purge`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, time, timedelta, timezone
from enum import Enum

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..clock import JAKARTA
from ..extensions import db
from ..models import Agency, OutboxMessage, Report, ReportEvent, ReportFollower, Status
from ..unit_of_work import writes
from . import board, mailer, redaction, sla

CONFIRM_LIFETIME = timedelta(hours=48)
LIMIT_WINDOW = timedelta(hours=1)
MAX_REQUESTS_PER_ADDRESS = 5
RESEND_AFTER = timedelta(minutes=10)
# Followers of a closed (or archived) report are deleted this long after it closed.
KEEP_AFTER_CLOSE = timedelta(days=30)
LANGUAGES = ("id", "en")
# The addresses of the pages the links open (blueprints/follow.py registers the same ones;
# e-mails are also queued outside a request, by the lifecycle tick).
CONFIRM_PATH = "/transparansi/ikuti/konfirmasi"
UNSUBSCRIBE_PATH = "/transparansi/ikuti/berhenti"
_EMAIL_CONTEXT = b"terang/follow/email/v1"
_UNSUBSCRIBE_CONTEXT = b"terang/follow/unsubscribe/v1"
MAX_TOKEN_LENGTH = 100
# Dedupe keys of the outbox messages to followers (confirmation, step).
CONFIRM_KEY = "follow-confirm:"
STEP_KEY = "follow:"
# The error an unsent follower e-mail is given up with when its follower is gone.
CANCELLED = "cancelled: follower removed"
# Step e-mails go out in one daily batch, at this hour (Jakarta) of the day after the step: a
# step such as a confirmation or a dispute is the reporter's own, and for an anonymous report
# the public may learn only its day, never its time. The message is stamped with the start of
# the step's day (its Message-ID carries the date only) and sent the next morning.
BATCH_HOUR = 7


def batch_times(moment: datetime) -> tuple[datetime, datetime]:
    """For a step at ``moment``: (the start of its day in Jakarta, the next morning's batch at
    :data:`BATCH_HOUR` Jakarta), both in UTC."""
    day = sla.local_date(moment)
    start = datetime.combine(day, time(0), JAKARTA).astimezone(timezone.utc)
    send = datetime.combine(day + timedelta(days=1), time(BATCH_HOUR), JAKARTA)
    return start, send.astimezone(timezone.utc)


class Outcome(str, Enum):
    """What :func:`subscribe` did; the view answers the same page for every one."""

    QUEUED = "queued"            # a confirmation e-mail was queued
    PENDING = "pending"          # a link was sent minutes ago: not sent again yet
    FOLLOWING = "following"      # already confirmed: nothing to do
    LIMITED = "limited"          # the address had its confirmation e-mails this hour
    NOT_PUBLIC = "not_public"    # no such public report
    INVALID = "invalid"          # no address


def normalise_email(email: str | None) -> str:
    return (email or "").strip().casefold()


def _key(secret_key: str, context: bytes) -> bytes:
    return hmac.new(secret_key.encode(), context, hashlib.sha256).digest()


def email_hash(email: str, secret_key: str) -> str:
    """The keyed hash an address is found by (never the address itself)."""
    return hmac.new(_key(secret_key, _EMAIL_CONTEXT), normalise_email(email).encode(),
                    hashlib.sha256).hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unsubscribe_token(follower: ReportFollower, secret_key: str) -> str:
    """The follower's unsubscribe token: the same in every e-mail, worthless without the key."""
    digest = hmac.new(_key(secret_key, _UNSUBSCRIBE_CONTEXT),
                      f"{follower.id}:{follower.email_hash}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def absolute_url(path: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    return base + path


def unsubscribe_url(token: str) -> str:
    return absolute_url(f"{UNSUBSCRIBE_PATH}?token={token}")


# A finished report has no more steps to tell (its followers are deleted KEEP_AFTER_CLOSE later).
FINISHED = (Status.CLOSED, Status.ARCHIVED)


def can_be_followed(status: str) -> bool:
    """Whether a public report with ``status`` may get new followers (not once it is finished)."""
    return status not in FINISHED


def public_report_for(reference: str | None) -> Report | None:
    """The report ``reference`` if it is on the board and not finished: the ones that can be
    followed."""
    reference = (reference or "").strip().upper()
    if not reference or len(reference) > 24:
        return None
    return db.session.scalar(board.public_reports_query().where(
        Report.reference == reference, Report.status.not_in(FINISHED)))


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else "id"


def _recent_requests(address_hash: str, now: datetime) -> int:
    """How many confirmation e-mails went to the address within :data:`LIMIT_WINDOW`: the
    e-mails themselves (a follower row keeps only its latest request)."""
    since = now - LIMIT_WINDOW
    # Every confirmation of the window belongs to a row requested within it.
    ids = db.session.scalars(select(ReportFollower.id).where(
        ReportFollower.email_hash == address_hash, ReportFollower.requested_at > since)
        .limit(MAX_REQUESTS_PER_ADDRESS)).all()
    if len(ids) >= MAX_REQUESTS_PER_ADDRESS or not ids:
        return len(ids)
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(
        # next_attempt_at (indexed) is never before created_at: it narrows the scan.
        OutboxMessage.next_attempt_at > since, OutboxMessage.created_at > since,
        or_(*(OutboxMessage.dedupe_key.startswith(f"{CONFIRM_KEY}{int(i)}:") for i in ids)))
    ) or 0


@writes
def subscribe(reference: str, email: str, language: str | None, now: datetime, *,
              secret_key: str) -> Outcome:
    """Ask to follow the public report ``reference`` at ``email`` (see the module docstring).

    The view must answer the same whatever the outcome.
    """
    address = (email or "").strip()
    if not normalise_email(address):
        return Outcome.INVALID
    report = public_report_for(reference)
    if report is None:
        return Outcome.NOT_PUBLIC
    address_hash = email_hash(address, secret_key)
    follower = db.session.scalar(select(ReportFollower).where(
        ReportFollower.report_id == report.id, ReportFollower.email_hash == address_hash)
        .with_for_update())
    if follower is not None and follower.confirmed_at is not None:
        return Outcome.FOLLOWING
    if (follower is not None and follower.confirm_expires_at is not None
            and now < follower.confirm_expires_at and now - follower.requested_at < RESEND_AFTER):
        return Outcome.PENDING
    if _recent_requests(address_hash, now) >= MAX_REQUESTS_PER_ADDRESS:
        return Outcome.LIMITED
    token = secrets.token_urlsafe(32)
    if follower is None:
        follower = ReportFollower(report_id=report.id, email=address, email_hash=address_hash,
                                  created_at=now, requested_at=now)
        try:
            with db.session.begin_nested():  # two requests at once: the second one waits
                db.session.add(follower)
                db.session.flush()
        except IntegrityError:
            return Outcome.PENDING
    follower.language = _language(language)
    follower.requested_at = now
    follower.confirm_token_hash = _token_hash(token)
    follower.confirm_expires_at = now + CONFIRM_LIFETIME
    _queue_confirmation(report, follower, token, now)
    db.session.flush()
    return Outcome.QUEUED


def _queue_confirmation(report: Report, follower: ReportFollower, token: str,
                        now: datetime) -> None:
    language = follower.language
    context = {"reference": report.reference,
               "title": redaction.publishable(report, redaction.TITLE) or "",
               "link": absolute_url(f"{CONFIRM_PATH}?token={token}"),
               "report_url": absolute_url(f"/transparansi/laporan/{report.reference}"),
               "hours": int(CONFIRM_LIFETIME.total_seconds() // 3600)}
    with force_locale(language):
        subject = render_template(f"email/follower/confirm_subject.{language}.txt", **context)
        body = render_template(f"email/follower/confirm.{language}.txt", **context)
    # The key marks the message as a follower's (forget() finds it) and keeps it single.
    db.session.add(OutboxMessage(dedupe_key=f"{CONFIRM_KEY}{follower.id}:{int(now.timestamp())}",
                                 report_id=report.id, recipient=follower.email, language=language,
                                 subject=mailer.single_line(subject)[:200],
                                 body=body.strip() + "\n", created_at=now, next_attempt_at=now))


def _pending(token: str | None, now: datetime, lock: bool = False) -> ReportFollower | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    query = select(ReportFollower).where(ReportFollower.confirm_token_hash == _token_hash(token))
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    found = db.session.scalar(query)
    if found is None or found.confirm_expires_at is None or now >= found.confirm_expires_at:
        return None
    # The report must still be one that can be followed: public, and not closed or archived.
    report = db.session.get(Report, found.report_id)
    if report is None or public_report_for(report.reference) is None:
        return None
    return found


def confirmation_is_usable(token: str | None, now: datetime) -> str | None:
    """The reference of the report the link ``token`` confirms, while it is unused and within
    :data:`CONFIRM_LIFETIME`; else None. Opening the link only asks (:func:`confirm` acts)."""
    found = _pending(token, now)
    return db.session.get(Report, found.report_id).reference if found is not None else None


@writes
def confirm(token: str | None, now: datetime, *, secret_key: str) -> str | None:
    """Use the confirmation link ``token``: the address now follows the report. Returns the
    report's reference, or None when the link is unknown, used, expired or the report is no
    longer public. The link is spent."""
    found = _pending(token, now, lock=True)
    if found is None:
        return None
    found.confirmed_at = now
    found.confirm_token_hash = None
    found.confirm_expires_at = None
    db.session.flush()  # the id is part of the unsubscribe token
    found.unsubscribe_token_hash = _token_hash(unsubscribe_token(found, secret_key))
    db.session.flush()
    return db.session.get(Report, found.report_id).reference


def _by_unsubscribe_token(token: str | None) -> ReportFollower | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return db.session.scalar(select(ReportFollower).where(
        ReportFollower.unsubscribe_token_hash == _token_hash(token)))


def unsubscribe_reference(token: str | None) -> str | None:
    """The reference of the report ``token`` unsubscribes from, or None (unknown or done)."""
    found = _by_unsubscribe_token(token)
    return db.session.get(Report, found.report_id).reference if found is not None else None


@writes
def unsubscribe(token: str | None, now: datetime) -> bool:
    """Stop following: the row (and with it the address) is deleted, and so is the address in
    the e-mails queued or sent to it as this follower (an unsent one is given up). True when
    there was one; a second click finds nothing and changes nothing."""
    found = _by_unsubscribe_token(token)
    if found is None:
        return False
    blank_messages_of([found.id], now)
    db.session.delete(found)
    db.session.flush()
    return True


# --- the public steps, mailed ----------------------------------------------------------------

def _agency_name(agency_id: int | None) -> str | None:
    if agency_id is None:
        return None
    agency = db.session.get(Agency, agency_id)
    return agency.name if agency is not None else None


def queue_for_event(report: Report, event: ReportEvent) -> int:
    """Queue one e-mail per confirmed follower about ``event`` when it is a public step of a
    public report (the same steps the board's timeline shows). Returns how many were queued."""
    if event.is_internal or event.action not in board.PUBLIC_STEPS or not board.is_public(report):
        return 0
    if report.id is None:
        db.session.flush()
    followers = db.session.scalars(select(ReportFollower).where(
        ReportFollower.report_id == report.id, ReportFollower.confirmed_at.is_not(None))
        .order_by(ReportFollower.id)).all()
    if not followers:
        return 0
    db.session.flush()  # the event's id (dedupe key)
    secret_key = current_app.config["SECRET_KEY"]
    agency_id = (event.target_agency_id if event.action in ("route", "transfer")
                 else event.actor_agency_id)
    context = {
        "reference": report.reference,
        "title": redaction.publishable(report, redaction.TITLE) or "",
        "action": event.action,
        "to_status": event.to_status,
        "day": sla.local_date(event.created_at),
        "agency_name": _agency_name(agency_id) or _agency_name(report.agency_id),
        "from_agency_name": (_agency_name(event.actor_agency_id)
                             if event.action == "transfer" else None),
        "text": (redaction.publishable(report, event.public_text)
                 if event.action in board.AGENCY_TEXT_STEPS else None),
        "report_url": absolute_url(f"/transparansi/laporan/{report.reference}"),
    }
    rendered: dict[str, tuple[str, str]] = {}
    day_start, send_at = batch_times(event.created_at)
    queued = 0
    for follower in followers:
        language = _language(follower.language)
        token = unsubscribe_token(follower, secret_key)
        link = unsubscribe_url(token)
        if language not in rendered:
            with force_locale(language):
                subject = render_template(f"email/follower/step_subject.{language}.txt", **context)
                body = render_template(f"email/follower/step.{language}.txt", **context)
            rendered[language] = (mailer.single_line(subject)[:200], body.strip())
        subject, body = rendered[language]
        footer = render_template(f"email/follower/footer.{language}.txt", unsubscribe_link=link)
        db.session.add(OutboxMessage(
            dedupe_key=f"{STEP_KEY}{event.id}:f{follower.id}", report_id=report.id,
            recipient=follower.email, language=language, subject=subject,
            body=body + "\n\n" + footer.strip() + "\n", unsubscribe_url=link,
            created_at=day_start, next_attempt_at=send_at))
        queued += 1
    return queued


# --- retention ------------------------------------------------------------------------------

def _follower_message_filter(follower_ids):
    """The outbox rows of the followers ``follower_ids``: their steps (``follow:{event}:f{id}``)
    and confirmations (``follow-confirm:{id}:{time}``)."""
    keys = []
    for follower_id in follower_ids:
        keys.append(OutboxMessage.dedupe_key.like(f"{STEP_KEY}%:f{int(follower_id)}"))
        keys.append(OutboxMessage.dedupe_key.startswith(f"{CONFIRM_KEY}{int(follower_id)}:"))
    return or_(*keys)


def _blank(where, now: datetime) -> int:
    return db.session.execute(
        update(OutboxMessage).where(where)
        .values(recipient=mailer.SCRUBBED, subject=mailer.SCRUBBED, body=mailer.SCRUBBED,
                unsubscribe_url=None,
                failed_at=case((and_(OutboxMessage.sent_at.is_(None),
                                     OutboxMessage.failed_at.is_(None)), now),
                               else_=OutboxMessage.failed_at),
                last_error=case((and_(OutboxMessage.sent_at.is_(None),
                                      OutboxMessage.failed_at.is_(None)), CANCELLED),
                                else_=OutboxMessage.last_error))
        .execution_options(synchronize_session=False)).rowcount or 0


def blank_messages_of(follower_ids, now: datetime) -> int:
    """Blank the address and text of every e-mail queued or sent to the followers
    ``follower_ids``; an unsent one is given up (failed, :data:`CANCELLED`). Called before their
    rows are deleted (unsubscribe, purge, forget)."""
    ids = list(follower_ids)
    blanked = 0
    for start in range(0, len(ids), 200):
        blanked += _blank(_follower_message_filter(ids[start:start + 200]), now)
    return blanked


@writes
def forget(email: str, now: datetime, *, secret_key: str) -> int:
    """Erase ``email`` as a follower of every report (a request to the privacy contact from
    someone who has no e-mail with the link at hand): the rows are deleted, and the e-mails
    queued or sent to it as a follower are blanked (an unsent one is given up). Returns how
    many reports it followed or asked to follow. ``flask followers forget`` calls it."""
    address = normalise_email(email)
    if not address:
        return 0
    address_hash = email_hash(address, secret_key)
    ids = db.session.scalars(select(ReportFollower.id)
                             .where(ReportFollower.email_hash == address_hash)).all()
    blank_messages_of(ids, now)
    # E-mails of followers removed before (rows kept from an older version): compared in the
    # same normalised form the hash uses (casefold, which SQL's lower() is not).
    older = [message_id for message_id, recipient in db.session.execute(
        select(OutboxMessage.id, OutboxMessage.recipient).where(
            OutboxMessage.recipient != mailer.SCRUBBED,
            or_(OutboxMessage.dedupe_key.startswith(STEP_KEY, autoescape=True),
                OutboxMessage.dedupe_key.startswith(CONFIRM_KEY, autoescape=True))))
        if normalise_email(recipient) == address]
    for start in range(0, len(older), 200):
        _blank(OutboxMessage.id.in_(older[start:start + 200]), now)
    removed = db.session.execute(
        delete(ReportFollower).where(ReportFollower.email_hash == address_hash)
        .execution_options(synchronize_session=False)).rowcount or 0
    return removed


def purge(now: datetime) -> int:
    """Delete what is no longer needed (run by ``flask lifecycle tick``); returns how many rows.

    * requests never confirmed, once their link has expired (:data:`CONFIRM_LIFETIME`);
    * followers of a report closed or archived more than :data:`KEEP_AFTER_CLOSE` ago;
    * followers of a report that is no longer public (nothing more would be sent to them).

    The e-mails queued or sent to them are blanked first (:func:`blank_messages_of`).
    """
    # Correlated from the (few) followers to their report by primary key: the tick never reads
    # the reports table as a whole.
    report = select(Report.id).where(Report.id == ReportFollower.report_id)
    still_public = board.public_reports_query().with_only_columns(Report.id).where(
        Report.id == ReportFollower.report_id)
    finished_long_ago = report.where(Report.status.in_(FINISHED),
                                     Report.closed_at < now - KEEP_AFTER_CLOSE)
    gone = or_(
        and_(ReportFollower.confirmed_at.is_(None),
             or_(ReportFollower.confirm_expires_at.is_(None),
                 ReportFollower.confirm_expires_at <= now)),
        finished_long_ago.exists(),
        ~still_public.exists(),
    )
    ids = db.session.scalars(select(ReportFollower.id).where(gone)).all()
    if not ids:
        return 0
    blank_messages_of(ids, now)
    removed = 0
    for start in range(0, len(ids), 200):
        removed += db.session.execute(
            delete(ReportFollower).where(ReportFollower.id.in_(ids[start:start + 200]))
            .execution_options(synchronize_session=False)).rowcount or 0
    return removed
