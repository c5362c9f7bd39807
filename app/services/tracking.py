"""What the reporter may do now on a report: the options the tracking page offers.

It combines the reporter's own actions (:mod:`.reporter`: answer the resolution, rate) with
escalation (:mod:`.escalations`, which builds on :mod:`.reporter`), so it sits above both and
neither of them imports it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..models import Rating, Report
from . import escalations, reporter, sla


@dataclass(frozen=True)
class ReporterActions:
    """What the reporter may do now on a report, for the tracking page."""

    answer_deadline: sla.Deadline | None
    can_answer: bool
    answer_expired: bool
    can_rate: bool
    rating: Rating | None
    escalation_grounds: tuple[str, ...]  # grounds the reporter may still escalate on
    escalations: list


def reporter_actions(report: Report, now: datetime) -> ReporterActions:
    """Everything the tracking page needs to offer confirm, dispute, rating and escalation."""
    window = reporter.answer_deadline(report, now)
    rating = reporter.rating_of(report)
    return ReporterActions(
        answer_deadline=window,
        can_answer=window is not None and not window.is_overdue,
        answer_expired=window is not None and window.is_overdue,
        can_rate=report.status in reporter.RATEABLE_STATES and rating is None,
        rating=rating,
        escalation_grounds=tuple(escalations.open_grounds(report, now)),
        escalations=escalations.for_report(report),
    )


@dataclass(frozen=True)
class NextSteps:
    """What happens next to a new report, with dates from the service levels (``sla``).

    ``verification_due``: the national admin verifies and routes the report by then.
    ``first_response_due``: the agency's first follow-up at the latest, counted from routing
    (or, before routing, from the last day of verification: the latest it can come).
    ``agency_name``: the responsible agency, or the one the reporter chose
    (``agency_confirmed`` False) or None when the national admin will choose.
    """

    verification_due: date
    verification_days: int
    first_response_due: date
    first_response_days: int
    resolution_days: dict[str, int]
    agency_name: str | None
    agency_confirmed: bool


def next_steps(report: Report, now: datetime) -> NextSteps:
    """The dates and steps the receipt and its PDF announce (working days, holidays excluded)."""
    verification = sla.deadline(sla.VERIFICATION, report.submitted_at, sla.VERIFICATION_DAYS, [], now)
    if report.routed_at is not None:
        first_due = sla.deadline(sla.FIRST_RESPONSE, report.routed_at, sla.FIRST_RESPONSE_DAYS,
                                 [], now).due_on
    else:
        first_due = sla.add_working_days(verification.due_on, sla.FIRST_RESPONSE_DAYS)
    agency = report.agency or report.requested_agency
    return NextSteps(
        verification_due=verification.due_on, verification_days=sla.VERIFICATION_DAYS,
        first_response_due=first_due, first_response_days=sla.FIRST_RESPONSE_DAYS,
        resolution_days=dict(sla.RESOLUTION_DAYS),
        agency_name=agency.name if agency is not None else None,
        agency_confirmed=report.agency is not None)
