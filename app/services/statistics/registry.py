"""Questions about the declared figures, answered from ``declarations.FIGURES`` at call time
(so that a test may declare a figure by replacing that tuple)."""
from __future__ import annotations

from dataclasses import dataclass

from . import declarations
from .kinds import SURVIVAL, Figure, Stored


def figures() -> tuple[Figure, ...]:
    """Every declared figure, in the order of the JSON and the CSV."""
    return tuple(declarations.FIGURES)


# Answers derived from one declared tuple, kept with it (every Figures asks for them): a test
# that replaces ``declarations.FIGURES`` gets answers from its own tuple.
_derived: dict = {"declared": None}


def _of_declared() -> dict:
    declared = declarations.FIGURES
    if _derived["declared"] is not declared:
        found: dict[str, Stored] = {}
        for figure in declared:
            for column in figure.stored():
                found.setdefault(column.column, column)
        _derived.update(declared=declared, by_key={f.key: f for f in declared},
                        stored=tuple(found.values()), columns=tuple(found))
    return _derived


def by_key() -> dict[str, Figure]:
    """{key: figure}, in declaration order (one dict, shared: do not change it)."""
    return _of_declared()["by_key"]


def stored() -> tuple[Stored, ...]:
    """The rollup columns the figures read, each once, in the order first read."""
    return _of_declared()["stored"]


def stored_columns() -> tuple[str, ...]:
    return _of_declared()["columns"]


def survival_figures() -> tuple[Figure, ...]:
    return tuple(f for f in figures() if f.kind == SURVIVAL)


def measures() -> tuple[str, ...]:
    """The duration measures kept as histograms (``duration_buckets.measure``)."""
    return tuple(m for f in figures() for m in f.measures())


def duration_definitions() -> dict[str, str]:
    """{measure: the definition id of its figure} (the distribution downloads name them)."""
    return {f.measure: f.definition for f in survival_figures()}


@dataclass(frozen=True)
class PageRow:
    """One row of the page's figures table: ``figure`` with ``label``; for a survival, ``part``
    says which quantile (``median`` or ``p90``); ``along`` the figures shown inside the row."""

    figure: Figure
    label: object
    part: str | None = None
    along: tuple = ()


def page_rows() -> list[PageRow]:
    """The figures table's rows: declaration order, a ``page_after`` figure moved after the one
    it names, ``shown_in`` figures inside their host's row, a survival in two rows."""
    declared = figures()
    own = [f for f in declared if f.shown_in is None]
    ordered = [f for f in own if f.page_after is None]
    keys = [f.key for f in ordered]
    for figure in own:
        if figure.page_after is None:
            continue
        at = keys.index(figure.page_after) + 1 if figure.page_after in keys else len(keys)
        while at < len(ordered) and ordered[at].page_after == figure.page_after:
            at += 1
        ordered.insert(at, figure)
        keys.insert(at, figure.key)
    rows = []
    for figure in ordered:
        along = tuple(f for f in declared if f.shown_in == figure.key)
        if figure.kind == SURVIVAL:
            rows.append(PageRow(figure, figure.label, "median", along))
            rows.append(PageRow(figure, figure.p90_label, "p90"))
        else:
            rows.append(PageRow(figure, figure.label, None, along))
    return rows
