"""What the reporter may do now on a report: the options the tracking page offers.

It combines the reporter's own actions (:mod:`.reporter`: answer the resolution, rate) with
escalation (:mod:`.escalations`, which builds on :mod:`.reporter`), so it sits above both and
neither of them imports it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
