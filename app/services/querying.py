"""Small query pieces shared by the lists (inbox, board, agency search)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import or_

from . import sla

MAX_SEARCH_WORDS = 6


def like_pattern(term: str) -> str:
    """``%term%`` with LIKE's wildcards taken literally (use with ``escape="\\\\"``)."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def words_in(query, columns, text: str | None):
    """Every word of ``text`` must appear in one of ``columns`` (case-insensitive)."""
    for word in (text or "").replace("\x00", " ").split()[:MAX_SEARCH_WORDS]:
        pattern = like_pattern(word)
        query = query.where(or_(*(column.ilike(pattern, escape="\\") for column in columns)))
    return query


def jakarta_day_start(day: date) -> datetime:
    """Midnight of ``day`` in Jakarta, as an aware datetime (dates are Jakarta dates)."""
    return datetime.combine(day, time.min, tzinfo=sla.JAKARTA)


def submitted_between(query, column, date_from: date | None, date_to: date | None):
    """Rows whose ``column`` falls on Jakarta days ``date_from`` … ``date_to`` (inclusive).

    Any valid date is accepted: a bound at the very ends of the calendar (0001-01-01,
    9999-12-31) bounds nothing, and is left out rather than overflow when it is turned into a
    UTC instant (midnight of 0001-01-01 in Jakarta is still year 0 in UTC; the day after
    9999-12-31 does not exist).
    """
    if date_from and date_from > date.min:
        query = query.where(column >= jakarta_day_start(date_from))
    if date_to and date_to < date.max:
        query = query.where(column < jakarta_day_start(date_to + timedelta(days=1)))
    return query
