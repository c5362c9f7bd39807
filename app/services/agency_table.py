"""The board's agency table (/transparansi/instansi): one level, a name search, a sort, pages."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Agency
from . import querying, statistics

PER_PAGE = 50
ASCENDING, DESCENDING = "asc", "desc"
# Column → the figure it sorts by (None: the name). Names read A→Z first, figures largest first.
SORT_COLUMNS = {
    "name": None,
    "received": lambda fig: fig.received,
    "follow_up": lambda fig: fig.follow_up_rate.value,
    "completion": lambda fig: fig.completion_rate.value,
    "on_time": lambda fig: fig.on_time.value,
}
DEFAULT_SORT = "received"


def default_order(sort: str) -> str:
    return ASCENDING if sort == "name" else DESCENDING


@dataclass(frozen=True)
class AgencyTable:
    rows: list  # [(Agency, Figures)]
    total: int
    page: int
    pages: int
    sort: str
    order: str


def sort_rows(rows: list, sort: str, order: str) -> list:
    """Rows sorted by ``sort`` in ``order``; ties by name. A rate under the small-number rule
    has no value and goes last in either direction (it is not a small percentage)."""
    by_name = sorted(rows, key=lambda row: (row[0].name.lower(), row[0].id))
    value_of = SORT_COLUMNS.get(sort)
    if value_of is None:
        return by_name if order == ASCENDING else list(reversed(by_name))
    known = [row for row in by_name if value_of(row[1]) is not None]
    unknown = [row for row in by_name if value_of(row[1]) is None]
    known.sort(key=lambda row: value_of(row[1]), reverse=order == DESCENDING)  # stable: names stay A→Z
    return known + unknown


def agency_table(level: str, q: str | None, sort: str, order: str, page: int,
                 months: list[str]) -> AgencyTable:
    """Active agencies of ``level`` whose name (or short name) has every word of ``q``."""
    sort = sort if sort in SORT_COLUMNS else DEFAULT_SORT
    order = order if order in (ASCENDING, DESCENDING) else default_order(sort)
    query = select(Agency).where(Agency.level == level, Agency.is_active.is_(True))
    # LIKE wildcards typed in the box (_ and %) are taken literally.
    query = querying.words_in(query, (Agency.name, Agency.short_name), q)
    agencies = db.session.scalars(query.order_by(Agency.name)).all()
    figs = statistics.figures_by_agency(months, [a.id for a in agencies], durations=False)
    empty = statistics.empty_figures()
    rows = sort_rows([(a, figs.get(a.id, empty)) for a in agencies], sort, order)
    total = len(rows)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    return AgencyTable(rows[(page - 1) * PER_PAGE: page * PER_PAGE], total, page, pages, sort, order)
