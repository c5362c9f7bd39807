"""Figures of the board's window of months, precomputed at ``stats refresh`` (``figure_windows``).

The national page ranks every agency by its completion rate over the twelve months: at read
time that sums agencies × months rollup rows, a cost that grows with the country. The refresh
that writes the rollup rows ranks them instead, once, and stores the best and worst agencies
with their figures (counts and duration histograms) as one row; the page reads that row.

Exactness: the stored row is what :func:`.read.agency_ranking` and
:func:`.read.figures_by_agency` answer on the rollup rows of that refresh. Any rebuild of an
agency-month or a national month deletes it (:func:`forget`), and the refresh writes it again
in the transaction that writes the national rows, so it never sits beside other rollup rows
than those it was computed from; between the two (or for months other than the stored window,
e.g. just after a new month began) the page computes it from the rollups as before.
"""
from __future__ import annotations

import json
from datetime import datetime
from fractions import Fraction

from sqlalchemy import delete, select

from ...extensions import db
from ...models import FigureWindow
from .. import sla
from . import read

RANKING = "ranking"
WINDOW_MONTHS = 12  # the board's months, up to the current one


def window(now: datetime) -> list[str]:
    """The board's months on ``now``'s day (Jakarta): what the refresh precomputes, and the
    months every board page, download and the API's agency figures show (their one home)."""
    return read.months_back(sla.local_date(now), WINDOW_MONTHS)


def forget() -> None:
    """Drop the precomputed figures: the rollup rows they were computed from are changing."""
    db.session.execute(delete(FigureWindow))


def _histograms_json(histograms: dict) -> dict:
    return {m: [[days, o, c] for days, (o, c) in by_day.items()] for m, by_day in histograms.items()}


def _histograms_of(stored: dict) -> dict:
    return {m: {days: (o, c) for days, o, c in rows} for m, rows in stored.items()}


def refresh(now: datetime, force: bool = True) -> bool:
    """Compute and store the ranking of ``now``'s window from the current rollup rows (not
    committed: the caller commits it with the rows). With ``force`` False, only when no row is
    stored for that window. Returns whether it was written."""
    periods = window(now)
    if not force and _stored(RANKING, periods) is not None:
        return False
    best, worst = read.agency_ranking(periods)
    ranked = sorted({a for a, _rate, _n in best + worst})
    figs = read.figures_by_agency(periods, ranked) if ranked else {}
    payload = {
        # (agency, resolved, received): the rate again as the exact fraction.
        "best": [[a, int(rate * n), n] for a, rate, n in best],
        "worst": [[a, int(rate * n), n] for a, rate, n in worst],
        "figures": [[a, f.counts, _histograms_json(f.histograms)] for a, f in figs.items()],
    }
    db.session.execute(delete(FigureWindow).where(FigureWindow.name == RANKING))
    db.session.add(FigureWindow(name=RANKING, periods=json.dumps(periods),
                                payload=json.dumps(payload, separators=(",", ":")), refreshed_at=now))
    db.session.flush()
    return True


def _stored(name: str, periods: list[str]) -> dict | None:
    row = db.session.execute(select(FigureWindow.periods, FigureWindow.payload)
                             .where(FigureWindow.name == name)).first()
    if row is None or json.loads(row.periods) != list(periods):
        return None
    return json.loads(row.payload)


def ranking(periods: list[str]) -> tuple[list, list, dict]:
    """The best and worst agencies of ``periods`` (:func:`.read.agency_ranking`) and the
    figures of each over those months (:func:`.read.figures_by_agency`): the stored row when
    the last refresh computed this window, else from the rollup rows."""
    stored = _stored(RANKING, periods)
    if stored is None:
        best, worst = read.agency_ranking(periods)
        ranked = sorted({a for a, _rate, _n in best + worst})
        return best, worst, (read.figures_by_agency(periods, ranked) if ranked else {})

    def side(rows):
        return [(a, Fraction(resolved, received), received) for a, resolved, received in rows]

    figs = {a: read.figures_from_parts(counts, _histograms_of(histograms))
            for a, counts, histograms in stored["figures"]}
    return side(stored["best"]), side(stored["worst"]), figs
