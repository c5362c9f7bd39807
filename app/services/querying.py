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
    for word in (text or "").split()[:MAX_SEARCH_WORDS]:
        pattern = like_pattern(word)
        query = query.where(or_(*(column.ilike(pattern, escape="\\") for column in columns)))
    return query


def jakarta_day_start(day: date) -> datetime:
    """Midnight of ``day`` in Jakarta, as an aware datetime (dates are Jakarta dates)."""
    return datetime.combine(day, time.min, tzinfo=sla.JAKARTA)


def submitted_between(query, column, date_from: date | None, date_to: date | None):
    """Rows whose ``column`` falls on Jakarta days ``date_from`` … ``date_to`` (inclusive)."""
    if date_from:
        query = query.where(column >= jakarta_day_start(date_from))
    if date_to:
        query = query.where(column < jakarta_day_start(date_to + timedelta(days=1)))
    return query
