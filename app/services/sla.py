"""Working-day arithmetic and the service-level deadlines of a report.

Working days are Monday to Friday minus Indonesia's national holidays and *cuti bersama*
(joint leave days), taken from the maintained ``holidays`` package (categories ``public`` and
``government``). Days are counted in Jakarta time (WIB). A clock that starts on day D ends at
the close of the N-th working day after D; time spent ``on_hold`` (waiting for the reporter)
does not count. Everything here is a pure function of its arguments, ``now`` included.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

JAKARTA = ZoneInfo("Asia/Jakarta")

# Clock lengths in working days (DOMAIN.md, "Service levels").
VERIFICATION_DAYS = 3
FIRST_RESPONSE_DAYS = 5
RESOLUTION_DAYS = {"ringan": 5, "sedang": 14, "berat": 60}
DEFAULT_RESOLUTION_CLASS = "sedang"
REPORTER_ANSWER_DAYS = 10

VERIFICATION = "verification"
FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
REPORTER_ANSWER = "reporter_answer"


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


def local_date(moment: datetime) -> date:
    """The calendar date of ``moment`` in Jakarta."""
    return moment.astimezone(JAKARTA).date()


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in the half-open span (start, end]; negative when ``end`` is before ``start``."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for offset in range(1, (end - start).days + 1)
               if is_working_day(start + timedelta(days=offset)))


def holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    """Holidays falling on weekdays in (start, end]: the days a deadline skipped."""
    table = _holiday_table("id")
    days = []
    current = start + timedelta(days=1)
    while current <= end:
        if current.weekday() < 5 and current in table:
            days.append((current, table.get(current)))
        current += timedelta(days=1)
    return days


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


def held_working_days(holds: list[Hold], since: datetime, now: datetime) -> int:
    """Working days spent on hold after ``since`` (an ongoing hold counts up to ``now``)."""
    total = 0
    for hold in holds:
        if hold.started < since:
            continue
        end = hold.ended or now
        total += working_days_between(local_date(hold.started), local_date(end))
    return total


def deadline(clock: str, started: datetime, days: int, holds: list[Hold], now: datetime) -> Deadline:
    """The deadline of a clock of ``days`` working days started at ``started``, pauses included."""
    start_day = local_date(started)
    extension = held_working_days(holds, started, now)
    due = add_working_days(start_day, days + extension)
    paused = any(h.ended is None and h.started >= started for h in holds)
    return Deadline(
        clock=clock,
        starts_on=start_day,
        due_on=due,
        working_days=days,
        today=local_date(now),
        paused=paused,
        holidays_skipped=tuple(holidays_between(start_day, due)),
    )


def resolution_days(resolution_class: str | None) -> int:
    return RESOLUTION_DAYS[resolution_class or DEFAULT_RESOLUTION_CLASS]


def current_deadline(report, holds: list[Hold], now: datetime) -> Deadline | None:
    """The deadline that applies to ``report`` now, by its status; None once it is finished.

    ``report`` needs ``status``, ``submitted_at``, ``routed_at``, ``first_response_at``,
    ``resolved_at``, ``resolution_class`` and, when on hold, ``status_before_hold``.
    """
    status = report.status
    if status == "on_hold":
        status = report.status_before_hold or "routed"
    if status == "submitted":
        return deadline(VERIFICATION, report.submitted_at, VERIFICATION_DAYS, holds, now)
    if status == "routed" and report.first_response_at is None:
        return deadline(FIRST_RESPONSE, report.routed_at, FIRST_RESPONSE_DAYS, holds, now)
    if status in ("routed", "in_progress"):
        return deadline(RESOLUTION, report.routed_at, resolution_days(report.resolution_class),
                        holds, now)
    if status == "resolved":
        return deadline(REPORTER_ANSWER, report.resolved_at, REPORTER_ANSWER_DAYS, [], now)
    return None
