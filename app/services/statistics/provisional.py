"""Provisional months: a month whose figures may still move because its reports' clocks run.

The rule (simple and documented on /transparansi/metodologi#sementara): a month of submission is
*provisional* until the longest window in which one of its reports can still change state has
passed for its last day: ``sla.VERIFICATION_DAYS`` + the longest resolution window
(``max(sla.RESOLUTION_DAYS)``, "berat") working days after the month's last day (Jakarta
dates). Until then a report submitted on that last day may still be verified, followed up,
resolved or go overdue within its deadlines, and the month's rates move. Afterwards the month is
*complete*: its figures still change when a late step happens, but no deadline of its reports
is still running under this rule (waiting for the reporter can extend a deadline beyond it; the
rule does not read reports, so pages stay rollup-only).

Month-over-month comparisons (the national page's "this month against the earlier months") use
the last complete month of the window.
"""
from __future__ import annotations

from calendar import monthrange
from datetime import date

from .. import sla


def window_working_days() -> int:
    """How many working days after a month's last day it stays provisional."""
    return sla.VERIFICATION_DAYS + max(sla.RESOLUTION_DAYS.values())


def last_day(period: str) -> date:
    year, month = (int(x) for x in period.split("-"))
    return date(year, month, monthrange(year, month)[1])


def provisional_through(period: str) -> date:
    """The last day on which ``period`` is provisional: the window's last working day."""
    return sla.add_working_days(last_day(period), window_working_days())


def is_provisional(period: str, today: date) -> bool:
    return today <= provisional_through(period)


def provisional_months(periods, today: date) -> set[str]:
    return {p for p in periods if is_provisional(p, today)}


def last_complete(periods: list[str], today: date) -> str | None:
    """The latest of ``periods`` (oldest first) that is complete; None when none is."""
    complete = [p for p in periods if not is_provisional(p, today)]
    return complete[-1] if complete else None
