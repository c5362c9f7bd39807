"""The reporter's view of a report, reached only with the tracking code."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..database import begin_write
from ..unit_of_work import writes
from ..extensions import db
from ..models import Rating, Report, ReportEvent, Status
from . import attachments, intake, sla, statistics, texts, tracking_codes, workflow
from .errors import DomainError

MAX_MESSAGE_LENGTH = intake.MAX_BODY  # additional information: as long as a report


def find_by_code(typed_code: str, secret_key: str) -> Report | None:
    """The report whose code the reporter typed, or None (same answer for malformed codes)."""
    normalised = tracking_codes.normalise_code(typed_code)
    if normalised is None:
        return None
    return find_by_hash(tracking_codes.hash_code(normalised, secret_key))


def find_by_hash(tracking_hash: str | None) -> Report | None:
    if not tracking_hash:
        return None
    return db.session.scalar(select(Report).where(Report.tracking_hash == tracking_hash))


def find_by_reference(reference: str) -> Report | None:
    """The report with this reference (for a page that already holds the reporter's code)."""
    return db.session.scalar(select(Report).where(Report.reference == reference))


def holds_of(report: Report) -> list[sla.Hold]:
    """The report's on-hold periods, read from its timeline."""
    return sla.holds_from_events(report.events)


def current_deadline(report: Report, now: datetime) -> sla.Deadline | None:
    return sla.current_deadline(report, holds_of(report), now)


@dataclass(frozen=True)
class TimelineEntry:
    event: ReportEvent
    attachments: list


def public_timeline(report: Report) -> list[TimelineEntry]:
    """What the reporter sees: every event but internal notes, oldest first."""
    by_event: dict[int | None, list] = {}
    for attachment in report.attachments:
        by_event.setdefault(attachment.event_id, []).append(attachment)
    return [TimelineEntry(e, by_event.get(e.id, [])) for e in report.events if not e.is_internal]


def can_add_information(report: Report) -> bool:
    return report.status in (Status.SUBMITTED, Status.ROUTED, Status.IN_PROGRESS, Status.ON_HOLD)


@writes
def add_information(report: Report, text: str, staged_tokens: list[str], now: datetime,
                    max_attachments: int = 5) -> ReportEvent:
    """The reporter adds text and files; a report on hold goes back where it was.

    The unit of work commits (app/unit_of_work.py).
    """
    if not can_add_information(report):
        raise DomainError(_l("Laporan ini sudah selesai; informasi tambahan tidak dapat dikirim."))
    if not (text or "").strip():
        raise DomainError(_l("Tulis informasi tambahan."), field="message")
    texts.check_storable("message", text, MAX_MESSAGE_LENGTH)
    if len(staged_tokens) > max_attachments:
        raise DomainError(_l("Paling banyak %(n)s lampiran.", n=max_attachments), field="attachments")
    report = lock_report(report.id)
    if not can_add_information(report):  # again, now that the row is locked: it may have moved on
        raise DomainError(_l("Laporan ini sudah selesai; informasi tambahan tidak dapat dikirim."))
    action = "reporter_reply" if report.status == Status.ON_HOLD else "reporter_message"
    event = workflow.apply(report, action, workflow.Actor.reporter(), now,
                           workflow.ActionInput(text=text.strip()))
    db.session.flush()
    attachments.attach(report, attachments.find_staged(staged_tokens), event)
    return event


# --- answering a resolution, rating, escalating ------------------------------------------------
#
# The reporter's own actions on a resolved report (docs/domain.md, "Lifecycle" and "Roles");
# escalation builds on them in escalations.py, and tracking.py sums up what the tracking page
# offers. Each takes the report the reporter opened with the tracking code; the unit of work commits.

# Rating is for the handling of a finished case: after the agency resolved it (the reporter may
# rate while still deciding to accept) or once it is closed. A report archived without being
# handled, or one still being worked on, cannot be rated.
RATEABLE_STATES = (Status.RESOLVED, Status.CLOSED)
MAX_REASON_LENGTH = 5000
MAX_COMMENT_LENGTH = 2000


def lock_report(report_id: int) -> Report:
    """Start the write transaction and reload the report with its row locked (PostgreSQL).

    On SQLite ``begin_write`` already holds the database's write lock; on PostgreSQL the
    ``FOR UPDATE`` serialises two requests on the same report, so a double click cannot
    confirm twice, rate twice or escalate twice.
    """
    begin_write()
    return db.session.scalar(select(Report).where(Report.id == report_id).with_for_update()
                             .execution_options(populate_existing=True))


def answer_deadline(report: Report, now: datetime) -> sla.Deadline | None:
    """The reporter's window to accept or dispute a resolution; None unless resolved.

    It starts the day the agency resolved the report and ends at the close of the
    ``sla.REPORTER_ANSWER_DAYS``-th working day after it (Jakarta time, holidays and cuti
    bersama excluded), the same deadline after which the lifecycle tick closes the report on its
    own.
    """
    if report.status != Status.RESOLVED or report.resolved_at is None:
        return None
    return sla.deadline(sla.REPORTER_ANSWER, report.resolved_at, sla.REPORTER_ANSWER_DAYS, [], now)


def can_answer_resolution(report: Report, now: datetime) -> bool:
    """True while the reporter may still accept or dispute the resolution."""
    window = answer_deadline(report, now)
    return window is not None and not window.is_overdue


def _check_answer_window(report: Report, now: datetime) -> None:
    if report.status == Status.CLOSED:
        raise DomainError(_l("Laporan ini sudah ditutup; penyelesaiannya tidak dapat ditanggapi "
                             "lagi."))
    if report.status != Status.RESOLVED:
        raise DomainError(_l("Belum ada penyelesaian dari instansi yang dapat Anda tanggapi."))
    if not can_answer_resolution(report, now):
        raise DomainError(_l(
            "Batas waktu %(days)s hari kerja untuk menanggapi penyelesaian sudah lewat; laporan "
            "ditutup otomatis.", days=sla.REPORTER_ANSWER_DAYS))


@writes
def confirm_resolution(report: Report, now: datetime) -> ReportEvent:
    """The reporter accepts the agency's resolution: the report is closed.

    Allowed only while the report is ``resolved`` and the answer window is open. The unit of work commits (app/unit_of_work.py).
    """
    report = lock_report(report.id)
    _check_answer_window(report, now)
    return workflow.apply(report, "confirm", workflow.Actor.reporter(), now)


@writes
def dispute_resolution(report: Report, reason: str, now: datetime) -> ReportEvent:
    """The reporter rejects the resolution with a reason: the report is reopened (``in_progress``).

    The reason is shown on the report's timeline. Allowed only within the answer window.
    The unit of work commits (app/unit_of_work.py).
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Tuliskan alasan Anda menolak penyelesaian."), field="reason")
    texts.check_storable("reason", reason)
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(_l("Alasan paling banyak %(n)s karakter.", n=MAX_REASON_LENGTH),
                          field="reason")
    report = lock_report(report.id)
    _check_answer_window(report, now)
    return workflow.apply(report, "dispute", workflow.Actor.reporter(), now,
                          workflow.ActionInput(reason=reason))


def rating_of(report: Report) -> Rating | None:
    """The reporter's rating of ``report``, if they gave one."""
    return db.session.scalar(select(Rating).where(Rating.report_id == report.id))


def can_rate(report: Report) -> bool:
    """True when the report is resolved or closed and has no rating yet."""
    return report.status in RATEABLE_STATES and rating_of(report) is None


@writes
def rate(report: Report, score: int | None, comment: str | None, now: datetime) -> Rating:
    """Record the reporter's rating (1–5, optional comment) of how the report was handled.

    Once per report, and only when it is resolved or closed. The agency's satisfaction figure
    is rebuilt from it. The unit of work commits (app/unit_of_work.py).
    """
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise DomainError(_l("Pilih nilai dari 1 sampai 5."), field="score")
    comment = (comment or "").strip() or None
    texts.check_storable("comment", comment)
    if comment is not None and len(comment) > MAX_COMMENT_LENGTH:
        raise DomainError(_l("Komentar paling banyak %(n)s karakter.", n=MAX_COMMENT_LENGTH),
                          field="comment")
    report = lock_report(report.id)
    if report.status not in RATEABLE_STATES:
        raise DomainError(_l("Penilaian dapat diberikan setelah instansi menyelesaikan laporan."))
    if rating_of(report) is not None:
        raise DomainError(_l("Anda sudah memberi penilaian untuk laporan ini; penilaian hanya "
                             "dapat diberikan satu kali."))
    rating = Rating(report_id=report.id, score=score, comment=comment, created_at=now)
    db.session.add(rating)
    db.session.flush()
    statistics.mark_dirty(report)
    return rating


# --- erasing the reporter's contact details (UU PDP) ----------------------------------------------

@writes
def erase_contact(report: Report, now: datetime) -> bool:
    """Delete the reporter's name, e-mail and phone from ``report`` for good, at their request;
    True when there was something to erase.

    E-mail already addressed to them is blanked too (sent or not: an unsent one would go to an
    address they took back). What stays: the report, its steps and its public text, which never
    held the contact. What is lost with it: e-mail updates, recovering a lost code by e-mail,
    and the masking of their own name in texts written after this (the verifier and the
    general name rules still mask names); the tracking page says so before they confirm.
    """
    from ..models import OutboxMessage, ReporterContact
    from .notifications import SCRUBBED
    from sqlalchemy import and_, case, func, update

    contact = db.session.scalar(select(ReporterContact).where(ReporterContact.report_id == report.id))
    if contact is None:
        return False
    if contact.email:
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.report_id == report.id,
                                        func.lower(OutboxMessage.recipient) == contact.email.lower())
            .values(recipient=SCRUBBED, subject=SCRUBBED, body=SCRUBBED,
                    # An unsent message is given up (never sent to the address taken back).
                    failed_at=case((and_(OutboxMessage.sent_at.is_(None),
                                         OutboxMessage.failed_at.is_(None)), now),
                                   else_=OutboxMessage.failed_at))
            .execution_options(synchronize_session=False))
    db.session.delete(contact)
    db.session.flush()
    db.session.expire(report, ["contact"])
    return True
