"""Escalation to oversight (Ombudsman / inspektorat) and the dossier that goes with it.

A reporter may escalate a report when the agency let a deadline pass (``deadline_missed``) or
after disputing a resolution (``disputed``), once per grounds. An escalation changes no status
and writes no timeline event: it is an :class:`~app.models.Escalation` row, shown on the
tracking page, on the officers' case page and in the oversight list.

The dossier is a PDF for oversight: the report as the reporter wrote it, the agency, every
public timeline step (internal notes never), the service-level deadlines met or missed, and the
escalation grounds, all at day precision. It never carries the tracking code, and never the
reporter's contact when the report is anonymous. Its template gets plain values only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Agency, Escalation, Report, Status
from ..unit_of_work import writes
from . import notifications, pdf, querying, reporter, sla, texts
from .errors import DomainError
from .inbox import PAGE_SIZE
from .querying import Page

DEADLINE_MISSED = "deadline_missed"
DISPUTED = "disputed"
GROUNDS = (DEADLINE_MISSED, DISPUTED)
MAX_TEXT_LENGTH = 5000

# Deadline outcomes in the dossier: the one judge is sla.judge.
MET = sla.MET
MISSED = sla.MISSED
RUNNING = sla.RUNNING
PAUSED = sla.PAUSED
STOPPED = sla.STOPPED  # the report left the agency (transfer, archive) before the due date


# --- grounds ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DeadlineOutcome:
    """One service-level clock of a report and how it ended (or stands today)."""

    clock: str
    agency_name: str | None  # None: the national admin's verification clock
    starts_on: date
    due_on: date
    working_days: int
    held_days: int
    holidays_skipped: int
    ended_on: date | None
    outcome: str
    reopened: bool = False  # resolution clock reopened by a disputed resolution


def _row(run: sla.ClockRun, agency_name: str | None) -> DeadlineOutcome:
    due = run.deadline
    return DeadlineOutcome(
        clock=run.clock, agency_name=agency_name, starts_on=due.starts_on, due_on=due.due_on,
        working_days=due.working_days, held_days=due.held_days,
        holidays_skipped=len(due.holidays_skipped),
        ended_on=sla.local_date(run.ended_at) if run.ended_at else None, outcome=run.outcome,
        reopened=run.reopened)


def deadline_record(report: Report, now: datetime) -> list[DeadlineOutcome]:
    """Every agency-side deadline of ``report``, in order: verification, then per routing the
    first follow-up and the resolution clocks.

    The agency clocks are ``sla.agency_stays``, as the workflow, the statistics and the public
    board read them: a routing (``route`` or ``transfer``) starts them afresh; the first
    follow-up is the agency's first public step (``sla.FIRST_RESPONSE_ACTIONS``); the
    resolution clock ends with the first resolution, and a disputed resolution starts a fresh
    resolution clock (``reopened``) at the dispute. Time on hold before a due date extends it.
    The reporter's own answer window (``sla.REPORTER_ANSWER_DAYS``) is not an agency deadline and is left out.
    """
    events = list(report.events)
    holds = sla.holds_from_events(events)
    verified = next((e.created_at for e in events if e.action in ("route", "archive")), None)
    rows = [_row(sla.judge(sla.VERIFICATION, report.submitted_at, sla.VERIFICATION_DAYS, holds,
                           now, met_at=verified), None)]
    names = {}
    for stay in sla.agency_stays(events, report.resolution_class, now):
        if stay.agency_id not in names:
            agency = db.session.get(Agency, stay.agency_id) if stay.agency_id else None
            names[stay.agency_id] = agency.name if agency is not None else None
        rows.append(_row(stay.first_response, names[stay.agency_id]))
        rows.extend(_row(run, names[stay.agency_id]) for run in stay.resolutions)
    return rows


def deadline_missed(report: Report, now: datetime) -> bool:
    """True when the verifier or the agency let one of the report's deadlines pass.

    Any of: the lifecycle tick recorded a missed deadline (``overdue_clock``, a
    ``deadline_missed`` event), the deadline that applies now is overdue, or an earlier clock
    ended after its due date (the tick may not have run yet).
    """
    if report.overdue_clock or any(e.action == "deadline_missed" for e in report.events):
        return True
    current = reporter.current_deadline(report, now)
    if (current is not None and current.clock != sla.REPORTER_ANSWER and not current.paused
            and current.is_overdue):
        return True
    return any(row.outcome == MISSED for row in deadline_record(report, now))


def was_disputed(report: Report) -> bool:
    """True when the reporter has ever disputed a resolution of the report."""
    return any(e.action == "dispute" for e in report.events)


def eligible_grounds(report: Report, now: datetime) -> list[str]:
    """The grounds on which ``report`` may be escalated at ``now`` (used or not)."""
    found = []
    if deadline_missed(report, now):
        found.append(DEADLINE_MISSED)
    if was_disputed(report):
        found.append(DISPUTED)
    return found


def for_report(report: Report) -> list[Escalation]:
    """The report's escalations, oldest first."""
    return list(db.session.scalars(select(Escalation).where(Escalation.report_id == report.id)
                                   .order_by(Escalation.created_at, Escalation.id)))


def open_grounds(report: Report, now: datetime) -> list[str]:
    """Grounds the reporter may still escalate on: eligible and not used yet."""
    used = {e.grounds for e in for_report(report)}
    return [g for g in eligible_grounds(report, now) if g not in used]


_NOT_ELIGIBLE = {
    DEADLINE_MISSED: _l("Tenggat laporan ini belum terlewati; eskalasi dengan alasan ini belum "
                        "dapat diajukan."),
    DISPUTED: _l("Anda belum pernah menolak penyelesaian laporan ini; eskalasi dengan alasan ini "
                 "belum dapat diajukan."),
}


@writes
def escalate(report: Report, grounds: str, text: str | None, now: datetime) -> Escalation:
    """Escalate ``report`` to oversight on ``grounds``, with the reporter's optional text.

    Refused (DomainError on ``grounds``) unless the grounds hold now, and when the report was
    already escalated on the same grounds. The status does not change. The unit of work commits (app/unit_of_work.py).
    """
    if grounds not in GROUNDS:
        raise DomainError(_l("Pilih alasan eskalasi."), field="grounds")
    text = (text or "").strip() or None
    texts.check_storable("details", text)
    if text is not None and len(text) > MAX_TEXT_LENGTH:
        raise DomainError(_l("Keterangan paling banyak %(n)s karakter.", n=MAX_TEXT_LENGTH),
                          field="details")
    report = reporter.lock_report(report.id)
    if grounds not in eligible_grounds(report, now):
        raise DomainError(_NOT_ELIGIBLE[grounds], field="grounds")
    if any(e.grounds == grounds for e in for_report(report)):
        raise DomainError(_l("Laporan ini sudah Anda eskalasikan dengan alasan ini; setiap alasan "
                             "hanya dapat diajukan satu kali."), field="grounds")
    escalation = Escalation(report_id=report.id, grounds=grounds, text=text, created_at=now)
    db.session.add(escalation)
    db.session.flush()
    notifications.queue_escalation_notice(escalation, now)
    return escalation


# --- oversight --------------------------------------------------------------------------------

def get(escalation_id: int) -> Escalation | None:
    return db.session.get(Escalation, escalation_id)


def list_page(page: int = 1, per_page: int = PAGE_SIZE) -> Page:
    """Every escalation, newest first, one page of them (for oversight and the national admin)."""
    return querying.paginate(
        select(Escalation)
        .options(selectinload(Escalation.report).selectinload(Report.agency))
        .order_by(Escalation.created_at.desc(), Escalation.id.desc()), page, per_page)


# --- the dossier --------------------------------------------------------------------------------

@dataclass(frozen=True)
class DossierEvent:
    """One public step of the timeline, as plain values."""

    day: date
    actor_kind: str
    agency_name: str | None
    action: str
    from_status: str | None
    to_status: str | None
    text: str | None
    reason: str | None
    attachments: tuple[str, ...] = field(default_factory=tuple)
    original_reference: str | None = None  # archived as a duplicate of this report


def _agency_name(agency) -> str | None:
    return agency.name if agency is not None else None


def dossier_context(escalation: Escalation, now: datetime) -> dict:
    """Plain values for ``pdf/dossier.html`` (no ORM object reaches the template).

    Deliberately absent: the tracking code (only its hash is stored anyway), internal notes,
    officers' names, hours of the day, and — for an anonymous report — every contact detail.
    """
    report = escalation.report
    contact = None
    if not report.is_anonymous and report.contact is not None:
        found = report.contact
        if found.name or found.email or found.phone:
            contact = {"name": found.name, "email": found.email, "phone": found.phone}
    timeline = [
        DossierEvent(
            day=sla.local_date(entry.event.created_at),
            actor_kind=entry.event.actor_kind,
            agency_name=_agency_name(entry.event.actor_agency),
            action=entry.event.action,
            from_status=entry.event.from_status,
            to_status=entry.event.to_status,
            text=entry.event.public_text,
            reason=entry.event.reason,
            attachments=tuple(a.original_name for a in entry.attachments),
            original_reference=(entry.event.related_report.reference
                                if entry.event.related_report is not None else None),
        )
        for entry in reporter.public_timeline(report)
    ]
    rating = reporter.rating_of(report)
    return {
        "reference": report.reference,
        "report_type": report.report_type,
        "title": report.title,
        "body": report.body,
        "incident_date": report.incident_date,
        "submitted_on": sla.local_date(report.submitted_at),
        "region_name": report.region.name if report.region else None,
        "category_name_id": report.category.name_id if report.category else None,
        "category_name_en": report.category.name_en if report.category else None,
        "agency_name": _agency_name(report.agency),
        "requested_agency_name": _agency_name(report.requested_agency),
        "status": report.status,
        "resolution_class": report.resolution_class,
        "is_anonymous": report.is_anonymous,
        "is_confidential": report.is_confidential,
        "contact": contact,
        "escalation": {"id": escalation.id, "grounds": escalation.grounds, "text": escalation.text,
                       "created_on": sla.local_date(escalation.created_at)},
        "other_escalations": [
            {"grounds": e.grounds, "created_on": sla.local_date(e.created_at), "text": e.text}
            for e in for_report(report) if e.id != escalation.id],
        "deadlines": deadline_record(report, now),
        "timeline": timeline,
        "attachments": [(a.original_name, a.size) for a in report.attachments],
        "rating": (rating.score, rating.comment) if rating is not None else None,
        "generated_on": sla.local_date(now),
        "closed": report.status in (Status.CLOSED, Status.ARCHIVED),
    }


def render_dossier_html(escalation: Escalation, locale: str, now: datetime) -> str:
    """The dossier as the HTML WeasyPrint lays out (for checks that need its text)."""
    with force_locale(locale):
        return render_template("pdf/dossier.html", static_prefix=pdf.STATIC_PREFIX,
                               **dossier_context(escalation, now))


def render_dossier(escalation: Escalation, locale: str, now: datetime) -> bytes:
    """The escalation dossier as an A4 PDF."""
    return pdf.render_pdf("dossier.html", locale, **dossier_context(escalation, now))


def dossier_filename(escalation: Escalation) -> str:
    return f"dosier-eskalasi-{escalation.report.reference}-{escalation.id}.pdf"
