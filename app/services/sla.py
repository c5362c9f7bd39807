"""Working-day arithmetic and the service-level deadlines of a report.

Working days are Monday to Friday minus Indonesia's national holidays and *cuti bersama*
(joint leave days), taken from the maintained ``holidays`` package (categories ``public`` and
``government``). Days are counted in Jakarta time (WIB). A clock that starts on day D ends at
the close of the N-th working day after D; time spent ``on_hold`` (waiting for the reporter)
does not count, as long as the hold began on or before the due date (a hold that begins after
a clock ran out gives it no extra time). Everything here is a pure function of its arguments,
``now`` included.

This module is the one place that says when a clock starts, what stops it and whether it was
met: the workflow (``current_deadline``, stored for lists and the lifecycle tick), the
statistics (on-time rate), the public board and the escalation dossier all read
:data:`FIRST_RESPONSE_ACTIONS` and :func:`agency_stays`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

import holidays

from ..clock import JAKARTA  # the time zone has one owner: app/clock.py

# Clock lengths in working days (docs/domain.md, "Service levels"). The one owner of these
# numbers: labels, pages, e-mails and the methodology read them from here.
VERIFICATION_DAYS = 3
FIRST_RESPONSE_DAYS = 5
# The resolution classes a verifier chooses from, with their clock lengths.
RESOLUTION_DAYS = {"ringan": 5, "sedang": 14, "berat": 60}
RESOLUTION_CLASSES = tuple(RESOLUTION_DAYS)
DEFAULT_RESOLUTION_CLASS = "sedang"
REPORTER_ANSWER_DAYS = 10

VERIFICATION = "verification"
FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
REPORTER_ANSWER = "reporter_answer"

# The first follow-up (tindak lanjut, docs/domain.md "Service levels") is any public step of the agency on the report:
# a response, a request for information or a resolution, by an officer or an agency admin
# (including the admin of a parent agency, who may act on its units' reports). The national
# admin's requests for information are not the agency's follow-up. This is THE definition:
# the workflow sets ``first_response_at`` by it; statistics, board and dossier read it.
FIRST_RESPONSE_ACTIONS = frozenset({"respond", "request_info", "resolve"})
ARRIVAL_ACTIONS = ("route", "transfer")
_OFFICER_KIND = "officer"  # models.event.OFFICER; kept literal so that this module stays pure

# How a clock ended, or stands today.
MET = "met"
MISSED = "missed"
RUNNING = "running"
PAUSED = "paused"
STOPPED = "stopped"  # the report left the agency (transfer, archive) before the due date


@lru_cache(maxsize=4)
def _holiday_table(language: str) -> holidays.HolidayBase:
    return holidays.country_holidays(
        "ID", categories=("public", "government"), language=language
    )


def holiday_name(day: date, language: str = "id") -> str | None:
    """The holiday (or cuti bersama) on ``day``, by name, or None."""
    return _holiday_table("id" if language == "id" else "en_US").get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holiday_table("id")


# Jakarta has kept UTC+7 since 1964, with no summer time: a UTC moment of a later year (every
# stored time) is dated by adding seven hours, much faster than a time-zone conversion.
_WIB = timedelta(hours=7)


def local_date(moment: datetime) -> date:
    """The calendar date of ``moment`` in Jakarta."""
    if moment.tzinfo is timezone.utc and 1970 <= moment.year < 9999:
        return (moment + _WIB).date()
    return moment.astimezone(JAKARTA).date()


# The calendar functions below are pure and called for every clock of every report (lists, the
# rollups, the bulk demo): each answer is kept (a few hundred thousand small entries at most).
@lru_cache(maxsize=1 << 18)
def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


@lru_cache(maxsize=1 << 18)
def working_days_between(start: date, end: date) -> int:
    """Working days in the half-open span (start, end]; negative when ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(end, start)
    # By each year's running count of working days (what summing is_working_day day by day
    # gives, without the loop).
    total = _working_days_through(end) - _working_days_through(start)
    for year in range(start.year, end.year):
        total += _working_days_of_year(year)[-1]
    return total


@lru_cache(maxsize=64)
def _working_days_of_year(year: int) -> tuple[int, ...]:
    """``[n]``: the working days from 1 January of ``year`` to its ``n``-th day (``[0]`` = 0)."""
    counts, running, day = [0], 0, date(year, 1, 1)
    while day.year == year:
        running += is_working_day(day)
        counts.append(running)
        day += timedelta(days=1)
    return tuple(counts)


def _working_days_through(day: date) -> int:
    """Working days from 1 January of ``day``'s year to ``day`` itself."""
    return _working_days_of_year(day.year)[day.timetuple().tm_yday]


def holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    """Holidays falling on weekdays in (start, end]: the days a deadline skipped."""
    return list(_holidays_between(start, end))


@lru_cache(maxsize=1 << 16)
def _holidays_between(start: date, end: date) -> tuple[tuple[date, str], ...]:
    table = _holiday_table("id")
    days = []
    current = start + timedelta(days=1)
    while current <= end:
        if current.weekday() < 5 and current in table:
            days.append((current, table.get(current)))
        current += timedelta(days=1)
    return tuple(days)


@dataclass(frozen=True)
class Hold:
    """A period on hold; ``ended`` is None while it lasts."""

    started: datetime
    ended: datetime | None = None


@dataclass(frozen=True)
class Deadline:
    """The deadline of one clock as it stands at ``today``."""

    clock: str
    starts_on: date
    due_on: date
    working_days: int
    today: date
    paused: bool = False
    held_days: int = 0  # working days on hold that extended the clock
    holidays_skipped: tuple[tuple[date, str], ...] = field(default_factory=tuple)

    @property
    def working_days_left(self) -> int:
        """Working days from today to the due date; negative once overdue."""
        return working_days_between(self.today, self.due_on)

    @property
    def is_overdue(self) -> bool:
        return self.today > self.due_on


def holds_from_events(events) -> list[Hold]:
    """On-hold periods read from a report's timeline (objects with from/to status and time)."""
    holds: list[Hold] = []
    for event in events:
        if event.to_status == "on_hold" and event.from_status != "on_hold":
            holds.append(Hold(started=event.created_at))
        elif event.from_status == "on_hold" and event.to_status != "on_hold" and holds:
            holds[-1] = Hold(started=holds[-1].started, ended=event.created_at)
    return holds


def extended_due(started: datetime, days: int, holds: list[Hold], until: datetime) -> tuple[date, int]:
    """The due date of a ``days``-working-day clock started at ``started``, and the working days
    on hold that extended it, with what is known at ``until`` (the clock's end, or now).

    A hold extends the clock when it began at or after ``started``, before ``until``, and on or
    before the due date as it stood then (earlier holds included): time on hold before the
    deadline is the reporter's, time after it cannot make a late answer on time. Each hold
    counts up to its end, or up to ``until`` while it lasts.
    """
    start_day = local_date(started)
    held = 0
    due = add_working_days(start_day, days)
    if not holds:
        return due, held
    for hold in sorted(holds, key=lambda h: h.started):
        if hold.started < started or hold.started >= until:
            continue
        if local_date(hold.started) > due:
            break  # this one and every later one began after the clock had run out
        end = min(hold.ended or until, until)
        held += working_days_between(local_date(hold.started), local_date(end))
        due = add_working_days(start_day, days + held)
    return due, held


def deadline(clock: str, started: datetime, days: int, holds: list[Hold], now: datetime) -> Deadline:
    """The deadline of a clock of ``days`` working days started at ``started``, pauses included.

    ``paused``: the report is on hold now and that hold extends the clock (it began on or
    before the due date); a hold that began after the due date leaves the clock overdue.
    """
    due, held, paused = _due(started, days, holds, now)
    start_day = local_date(started)
    return Deadline(
        clock=clock,
        starts_on=start_day,
        due_on=due,
        working_days=days,
        today=local_date(now),
        paused=paused,
        held_days=held,
        holidays_skipped=_holidays_between(start_day, due),
    )


def _due(started: datetime, days: int, holds: list[Hold], now: datetime) -> tuple[date, int, bool]:
    """The due date of :func:`deadline`, the working days on hold that extended it, and whether
    it is paused now."""
    due, held = extended_due(started, days, holds, now)
    paused = bool(holds) and any(
        h.started >= started and h.started <= now and (h.ended is None or h.ended > now)
        and local_date(h.started) <= due for h in holds)
    return due, held, paused


def resolution_days(resolution_class: str | None) -> int:
    return RESOLUTION_DAYS[resolution_class or DEFAULT_RESOLUTION_CLASS]


def current_deadline(report, holds: list[Hold], now: datetime) -> Deadline | None:
    """The deadline that applies to ``report`` now, by its status; None once it is finished.

    ``report`` needs ``status``, ``submitted_at``, ``routed_at``, ``first_response_at``,
    ``resolved_at``, ``reopened_at``, ``resolution_class`` and, when on hold,
    ``status_before_hold``. The first follow-up clock runs from routing until the agency's
    first public step (:data:`FIRST_RESPONSE_ACTIONS`); the resolution clock from routing, or
    afresh from the reporter's dispute when a resolution was disputed (``reopened_at``).
    """
    clock = current_clock(report)
    if clock is None:
        return None
    name, started, days, held = clock
    return deadline(name, started, days, holds if held else [], now)


def current_clock(report) -> tuple[str, datetime, int, bool] | None:
    """The clock that runs for ``report`` by its status (see :func:`current_deadline`): its
    name, start, length in working days, and whether holds extend it; None once finished."""
    status = report.status
    if status == "on_hold":
        status = report.status_before_hold or "routed"
    if status == "submitted":
        return VERIFICATION, report.submitted_at, VERIFICATION_DAYS, True
    if status == "routed" and report.first_response_at is None:
        return FIRST_RESPONSE, report.routed_at, FIRST_RESPONSE_DAYS, True
    if status in ("routed", "in_progress"):
        return (RESOLUTION, report.reopened_at or report.routed_at,
                resolution_days(report.resolution_class), True)
    if status == "resolved":
        return REPORTER_ANSWER, report.resolved_at, REPORTER_ANSWER_DAYS, False
    return None


def current_due(report, holds: list[Hold], now: datetime) -> tuple[str, date, bool] | None:
    """The clock, due date and pause of :func:`current_deadline` without the rest of its
    :class:`Deadline` (what the workflow stores after every step; the bulk demo stores it a
    few million times)."""
    clock = current_clock(report)
    if clock is None:
        return None
    name, started, days, held = clock
    due, _held, paused = _due(started, days, holds if held else (), now)
    return name, due, paused


# --- the agency's clocks read from a report's timeline -------------------------------------------

def counts_as_first_response(action: str, actor_kind: str, actor_agency_id: int | None) -> bool:
    """Does this step end the agency's first follow-up clock? (see FIRST_RESPONSE_ACTIONS)"""
    return (action in FIRST_RESPONSE_ACTIONS and actor_kind == _OFFICER_KIND
            and actor_agency_id is not None)


def is_first_response(event) -> bool:
    return not event.is_internal and counts_as_first_response(
        event.action, event.actor_kind, event.actor_agency_id)


@dataclass(frozen=True)
class ClockRun:
    """One run of an agency clock and how it ended, or stands at ``now``.

    The agency's step and the stop are kept apart: ``step_at`` is the step the clock waits for,
    taken by the agency (its follow-up, its resolution); ``stopped_at`` is the report leaving
    the agency without that step (a transfer away, an archive by the national admin). Only a
    step completes a clock; a stop censors it (methodology 2026.3). A stop after the due date
    is still MISSED: the deadline had passed with nothing done.
    """

    clock: str
    started: datetime
    deadline: Deadline  # due date as it stood when the run ended (or now)
    step_at: datetime | None  # the agency's step that met or missed it; None: no step
    stopped_at: datetime | None  # the report left the agency before any step; None otherwise
    outcome: str  # MET, MISSED, STOPPED, RUNNING, PAUSED
    reopened: bool = False  # a resolution clock started afresh by the reporter's dispute

    @property
    def ended_at(self) -> datetime | None:
        """When the run ended: the agency's step, or the stop; None while it is open."""
        return self.step_at or self.stopped_at

    @property
    def completed(self) -> bool:
        """The agency took the step the clock waits for (in time or late); a stop is not a step."""
        return self.step_at is not None

    @property
    def met(self) -> bool | None:
        """True: met; False: missed (late, or overdue and still open or stopped after the due
        date without a step); None: not decided yet."""
        return {MET: True, MISSED: False}.get(self.outcome)


def judge(clock: str, started: datetime, days: int, holds: list[Hold], now: datetime,
          met_at: datetime | None = None, stopped_at: datetime | None = None,
          reopened: bool = False) -> ClockRun:
    """How a clock of ``days`` working days from ``started`` ended or stands: the one judge.

    Met when the step came on or before the due date (its calendar day in Jakarta; holds only
    until that step count); missed when it came later, or when the due date has passed with
    nothing done (a report on hold since before its due date is paused, not missed), a stop
    after the due date included; stopped when the report left the agency before its due date.
    A ``stopped_at`` given with ``met_at`` is ignored: the step came first.
    """
    if met_at is not None:
        stopped_at = None
    end = met_at or stopped_at
    due = deadline(clock, started, days, holds, end or now)
    if end is not None:
        on_time = local_date(end) <= due.due_on
        outcome = (MET if on_time else MISSED) if met_at is not None else (STOPPED if on_time else MISSED)
    else:
        outcome = MISSED if due.is_overdue else PAUSED if due.paused else RUNNING
    return ClockRun(clock=clock, started=started, deadline=due, step_at=met_at,
                    stopped_at=stopped_at, outcome=outcome, reopened=reopened)


@dataclass(frozen=True)
class AgencyStay:
    """The clocks of one agency while a report was (or is) with it: from one routing or transfer
    to the next. The first follow-up clock once; the resolution clock from the arrival to the
    first resolution, then once more from each dispute to the next resolution."""

    agency_id: int | None
    arrived_at: datetime
    first_response: ClockRun
    resolutions: tuple[ClockRun, ...]
    left_at: datetime | None  # transfer away or archive


def agency_stays(events, resolution_class: str | None, now: datetime) -> list[AgencyStay]:
    """Every stay of the report at an agency, oldest first, with its clocks judged at ``now``.

    ``events`` are the report's timeline in order (objects with ``action``, ``created_at``,
    ``actor_kind``, ``actor_agency_id``, ``target_agency_id``, ``from_status``, ``to_status``,
    ``is_internal``). The clocks restart at each routing or transfer, as in the workflow.
    """
    events = list(events)
    holds = holds_from_events(events)
    arrivals = [i for i, e in enumerate(events) if e.action in ARRIVAL_ACTIONS]
    stays = []
    for n, index in enumerate(arrivals):
        arrival = events[index]
        next_index = arrivals[n + 1] if n + 1 < len(arrivals) else len(events)
        segment = events[index + 1:next_index]
        stop = events[next_index] if next_index < len(events) else next(
            (e for e in segment if e.action == "archive"), None)
        stopped_at = stop.created_at if stop is not None else None
        response = next((e for e in segment if is_first_response(e)), None)
        first = judge(FIRST_RESPONSE, arrival.created_at, FIRST_RESPONSE_DAYS, holds, now,
                      met_at=response.created_at if response else None,
                      stopped_at=None if response else stopped_at)
        # The resolution clock: from the arrival, and afresh from each dispute, each run ended
        # by the next resolution.
        starts = [-1] + [i for i, e in enumerate(segment) if e.action == "dispute"]
        resolutions = []
        for start in starts:
            begun = arrival.created_at if start < 0 else segment[start].created_at
            resolve = next((e for e in segment[start + 1:] if e.action == "resolve"), None)
            resolutions.append(judge(RESOLUTION, begun, resolution_days(resolution_class), holds,
                                     now, met_at=resolve.created_at if resolve else None,
                                     stopped_at=None if resolve else stopped_at,
                                     reopened=start >= 0))
        stays.append(AgencyStay(agency_id=arrival.target_agency_id, arrived_at=arrival.created_at,
                                first_response=first, resolutions=tuple(resolutions),
                                left_at=stopped_at))
    return stays
