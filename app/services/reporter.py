"""The reporter's view of a report, reached only with the tracking code."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..database import begin_write
from ..extensions import db
from ..models import Report, ReportEvent, Status
from . import attachments, sla, tracking_codes, workflow
from .errors import DomainError


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


def add_information(report: Report, text: str, staged_tokens: list[str], now: datetime,
                    max_attachments: int = 5) -> ReportEvent:
    """The reporter adds text and files; a report on hold goes back where it was.

    The caller commits.
    """
    if not can_add_information(report):
        raise DomainError("Laporan ini sudah selesai; informasi tambahan tidak dapat dikirim.")
    if not (text or "").strip():
        raise DomainError("Tulis informasi tambahan.", field="message")
    if len(staged_tokens) > max_attachments:
        raise DomainError(f"Paling banyak {max_attachments} lampiran.", field="attachments")
    report_id = report.id
    begin_write()
    report = db.session.get(Report, report_id)
    action = "reporter_reply" if report.status == Status.ON_HOLD else "reporter_message"
    event = workflow.apply(report, action, workflow.Actor.reporter(), now,
                           workflow.ActionInput(text=text.strip()))
    db.session.flush()
    attachments.attach(report, attachments.find_staged(staged_tokens), event)
    return event
