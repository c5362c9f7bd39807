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
_MEASURES = {
    "received": lambda fig: fig.received,
    "follow_up": lambda fig: fig.follow_up_rate.value,
    "completion": lambda fig: fig.completion_rate.value,
    "on_time": lambda fig: fig.on_time.value,
}
# Each figure twice: the agency's own reports, and with its units' ("…_units": a government
# and its dinas, badan and RSUD together; the same as its own for an agency without units).
SORT_COLUMNS = {
    "name": None,
    **{key: (lambda value: lambda row: value(row[1]))(value) for key, value in _MEASURES.items()},
    **{f"{key}_units": (lambda value: lambda row: value(row[2]))(value)
       for key, value in _MEASURES.items()},
}
DEFAULT_SORT = "received"


def default_order(sort: str) -> str:
    return ASCENDING if sort == "name" else DESCENDING


@dataclass(frozen=True)
class AgencyTable:
    rows: list  # [(Agency, Figures, Figures with its units)]
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
    known = [row for row in by_name if value_of(row) is not None]
    unknown = [row for row in by_name if value_of(row) is None]
    known.sort(key=value_of, reverse=order == DESCENDING)  # stable: names stay A→Z
    return known + unknown


def _children() -> dict[int, list[int]]:
    """{agency id: ids of its direct units}, read once per data version in this process (a
    change of an agency counts as a change of data: ``data_version``), not 6,000 rows a page."""
    from . import data_version

    def read():
        children: dict[int, list[int]] = {}
        for agency_id, parent_id in db.session.execute(select(Agency.id, Agency.parent_id)):
            if parent_id is not None:
                children.setdefault(parent_id, []).append(agency_id)
        return children

    return data_version.kept("agency_table.children", read)


def _subtrees(agencies) -> dict[int, list[int]]:
    """Each agency's id with the ids of every unit below it (the agency tree, :func:`_children`)."""
    children = _children()
    found = {}
    for agency in agencies:
        ids, todo = [], [agency.id]
        while todo:
            current = todo.pop()
            ids.append(current)
            todo.extend(children.get(current, ()))
        found[agency.id] = ids
    return found


def agency_table(level: str, q: str | None, sort: str, order: str, page: int,
                 months: list[str]) -> AgencyTable:
    """Active agencies of ``level`` whose name (or short name) has every word of ``q``."""
    sort = sort if sort in SORT_COLUMNS else DEFAULT_SORT
    order = order if order in (ASCENDING, DESCENDING) else default_order(sort)
    query = select(Agency).where(Agency.level == level, Agency.is_active.is_(True))
    # LIKE wildcards typed in the box (_ and %) are taken literally.
    query = querying.words_in(query, (Agency.name, Agency.short_name), q)
    agencies = db.session.scalars(query.order_by(Agency.name)).all()
    trees = _subtrees(agencies)
    figs = statistics.figures_by_agency(months, sorted({i for ids in trees.values() for i in ids}),
                                        durations=False)
    empty = statistics.empty_figures()

    def with_units(agency):
        ids = trees[agency.id]
        if len(ids) == 1:
            return figs.get(agency.id, empty)
        return statistics.combine(figs[i] for i in ids if i in figs)

    rows = sort_rows([(a, figs.get(a.id, empty), with_units(a)) for a in agencies], sort, order)
    total = len(rows)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    return AgencyTable(rows[(page - 1) * PER_PAGE: page * PER_PAGE], total, page, pages, sort, order)


def with_units_figures(agencies, months: list[str]) -> dict:
    """Each agency's figures together with every unit below it (the table's "dengan unit")."""
    trees = _subtrees(agencies)
    figs = statistics.figures_by_agency(months, sorted({i for ids in trees.values() for i in ids}),
                                        durations=False)
    return {agency.id: statistics.combine(figs[i] for i in trees[agency.id] if i in figs)
            for agency in agencies}


# The "with units" columns of the agency CSV: what the table shows, with their counts.
WITH_UNITS_RATES = ("follow_up_rate", "completion_rate", "on_time")


def with_units_cells(fig) -> dict:
    """CSV cells of the "dengan unit" figures: received and the table's three rates, each with
    its numerator and denominator (a rate under the small-number rule is ``n_too_small``)."""
    from .statistics.kinds import rate_cell, rate_dict

    cells = {"received_with_units": fig.received}
    for name in WITH_UNITS_RATES:
        rate = getattr(fig, name)
        key = f"{'on_time_rate' if name == 'on_time' else name}_with_units"
        cells[key] = rate_cell(rate_dict(rate))  # the one rounding rule, as every other cell
        cells[f"{key}_numerator"], cells[f"{key}_denominator"] = rate.numerator, rate.denominator
    return cells

