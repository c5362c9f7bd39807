"""One report's facts for the rollups: what it adds to its agencies' month (write side).

The per-report rules behind the stored counts of :mod:`.declarations`: when a report's
agency followed it up, resolved it, answered on time, and how long each step took.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...models import Report, ReportEvent, Status
from .. import sla

FINISHED = (Status.CLOSED, Status.ARCHIVED)
# LAPOR!'s statuses in Terang's terms (follow_up_rate_lapor.v1): "selesai" is a report now
# resolved or closed; "proses" a report still open at the agency after a step of the agency.
LAPOR_SELESAI = (Status.RESOLVED, Status.CLOSED)
LAPOR_OPEN = (Status.ROUTED, Status.IN_PROGRESS, Status.ON_HOLD)
# The fixed window of resolved_within_window.v1: working days from the last arrival.
RESOLUTION_WINDOW_DAYS = sla.RESOLUTION_DAYS["sedang"]


def _duration(start: datetime, end: datetime, holds: list[sla.Hold]) -> int:
    """Working days from ``start`` to ``end``, not counting days on hold in between."""
    total = sla.working_days_between(sla.local_date(start), sla.local_date(end))
    for hold in holds:
        if hold.started < start or hold.started >= end:
            continue
        hold_end = min(hold.ended or end, end)
        total -= sla.working_days_between(sla.local_date(hold.started), sla.local_date(hold_end))
    return max(total, 0)


@dataclass
class ReportMeasures:
    """One report's contribution to its responsible agency's month."""

    followed_up: bool
    resolved: bool
    first_response_days: int
    first_response_observed: bool
    resolution_days: int
    resolution_observed: bool
    on_time_eligible: bool
    on_time_answered: bool
    disputed: bool
    ever_resolved: bool = False
    # SP4N-LAPOR!'s "tindak lanjut": selesai (status resolved or closed, whoever closed it) or
    # proses (still open at the agency — routed, in progress, on hold — with a step of its own).
    lapor_followed_up: bool = False
    # Resolved within RESOLUTION_WINDOW_DAYS working days of the last arrival (fixed window):
    # eligible once the window has passed or the report was resolved within it.
    window_eligible: bool = False
    window_resolved: bool = False


def current_stay(report: Report, events: list[ReportEvent], now: datetime) -> sla.AgencyStay | None:
    """The clocks of ``report`` at its current agency (since it last arrived there), judged at
    ``now`` by ``sla.agency_stays``; None when it was never routed. The board shows these, and
    the figures are computed from them, so the two always agree."""
    if report.agency_id is None:
        return None
    stays = [s for s in sla.agency_stays(events, report.resolution_class, now)
             if s.agency_id == report.agency_id]
    return stays[-1] if stays else None


def measure(report: Report, events: list[ReportEvent], now: datetime) -> ReportMeasures | None:
    """The report's measures for its current agency; None when it was never routed.

    Everything counts from the report's last arrival at the agency (routing or transfer): the
    agency's public steps since then — by its officers, its admin, or the admin of a parent
    agency acting on it — are its follow-up and resolution.
    """
    stay = current_stay(report, events, now)
    if stay is None:
        return None
    start = stay.arrived_at
    holds = sla.holds_from_events(events)
    first = stay.first_response
    resolution = stay.resolutions[0]  # time to resolution: to the first resolution
    # A case is observed at the agency's step only; without one it is censored at the stop
    # (archived by someone else, closed) or now. A stop is never the agency's step: an overdue
    # report archived by the national admin is not followed up nor resolved (methodology 2026.3).
    end_of_watch = report.closed_at if report.status in FINISHED and report.closed_at else now
    first_end = first.step_at if first.completed else (first.stopped_at or end_of_watch)
    resolution_end = (resolution.step_at if resolution.completed
                      else (resolution.stopped_at or end_of_watch))
    ever_resolved = resolution.completed
    resolution_days = _duration(start, resolution_end, holds)
    window_resolved = resolution.completed and resolution_days <= RESOLUTION_WINDOW_DAYS
    after_arrival = [e for e in events if e.created_at >= start]
    return ReportMeasures(
        followed_up=first.completed,
        resolved=report.status in (Status.RESOLVED, Status.CLOSED),
        first_response_days=_duration(start, first_end, holds),
        first_response_observed=first.completed,
        resolution_days=resolution_days,
        resolution_observed=resolution.completed,
        # On time: the first follow-up clock, judged as the board and the dossier judge it.
        on_time_eligible=first.met is not None,
        on_time_answered=first.met is True,
        disputed=ever_resolved and any(e.action == "dispute" for e in after_arrival),
        ever_resolved=ever_resolved,
        lapor_followed_up=report.status in LAPOR_SELESAI
        or (report.status in LAPOR_OPEN and first.completed),
        window_eligible=window_resolved or resolution_days > RESOLUTION_WINDOW_DAYS,
        window_resolved=window_resolved,
    )


def transferred_from(events: list[ReportEvent]) -> set[int | None]:
    """The agencies the report was transferred away from: the agency it was at when the
    transfer happened (whoever clicked, e.g. the admin of a parent agency)."""
    senders, current = set(), None
    for event in events:
        if event.action == "transfer":
            senders.add(current)
        if event.action in sla.ARRIVAL_ACTIONS:
            current = event.target_agency_id
    return senders


def routed_to(events: list[ReportEvent], agency_id: int) -> bool:
    """Whether the report was ever routed or transferred to ``agency_id``."""
    return any(e.action in ("route", "transfer") and e.target_agency_id == agency_id for e in events)


@dataclass
class ReportFacts:
    """What the declarations' stored counts read about one report for one agency's month.

    ``measures`` is None for a report that only passed through the agency (routed there, then
    transferred on): only the counts declared ``every_related`` read it then.
    """

    report: Report
    events: list
    agency_id: int
    measures: ReportMeasures | None = None
    rating: int | None = None
