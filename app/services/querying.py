"""Small query pieces shared by the lists (inbox, board, agency search)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import ceil

from sqlalchemy import or_

from ..extensions import db
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


@dataclass
class Page:
    """One page of a list: its rows, the total count, the page shown and how many per page."""
    items: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 25

    @property
    def pages(self) -> int:
        """Pages in the list; an empty list still has its one (empty) page."""
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query, page: int, per_page: int, *, clamp: bool = True) -> Page:
    """One page of ``query`` (a SELECT, already ordered) through Flask-SQLAlchemy's paginate.

    With ``clamp`` (the lists on the screens), a page past the last shows the last page, so an
    old link after a filter or a deletion still lands on rows; without it (the API), the page
    asked for is answered as it is, empty when past the end.
    """
    found = db.paginate(query, page=max(1, page), per_page=per_page, error_out=False,
                        max_per_page=None)
    last = max(1, ceil((found.total or 0) / per_page))
    if clamp and found.page > last:
        found = db.paginate(query, page=last, per_page=per_page, error_out=False,
                            max_per_page=None)
    return Page(items=list(found.items), total=found.total or 0, page=found.page,
                per_page=per_page)
