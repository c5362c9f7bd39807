"""The rollups' read side: declared counts summed over agencies and months, then the figures.

Nothing here scans reports: a page reads a few rollup rows per agency and month (each month's
histograms packed in one row, ``agency_month_histograms``), and runs Kaplan–Meier on the summed
histograms. The board's ranking is precomputed at refresh (:mod:`.windows`).
"""
from __future__ import annotations

import heapq
import json
from datetime import date
from fractions import Fraction

from sqlalchemy import func, select

from ...extensions import db
from ...models import (AgencyMonthHistogram, AgencyMonthStats, DurationBucket, RegionDurationBucket,
                       RegionMonthStats)
from . import registry
from .definitions import METHODOLOGY_VERSION, MIN_N

# Older attribute names of three figures, still read by templates and callers.
ALIASES = {"on_time": "on_time_rate", "first_response": "time_to_first_response",
           "resolution": "time_to_resolution"}


class Figures:
    """The figures of a set of agencies over a set of months.

    Every declared figure is an attribute by its key (``fig.follow_up_rate`` is a ``Rate``,
    ``fig.received`` an int, ``fig.time_to_first_response`` a ``Survival``), and so is every
    summed stored count (``fig.routed_in``). ``values`` holds the figures in declaration order.

    Each figure is computed the first time it is read, not when the object is made: a page
    builds dozens of these (a month each of a trend, the ranked agencies) and reads a few
    figures of most; a Kaplan–Meier median nobody shows is not computed (issue 12).
    """

    def __init__(self, counts: dict, histograms: dict, methodology_version: str = METHODOLOGY_VERSION):
        self.methodology_version = methodology_version
        self.counts = dict.fromkeys(registry.stored_columns(), 0) | dict(counts)
        self.histograms = histograms
        self._declared = registry.by_key()
        self._computed: dict = {}
        self._complete = False

    @property
    def values(self) -> dict:
        """Every declared figure by its key, in declaration order."""
        if not self._complete:
            self._computed = {key: self._value(key) for key in self._declared}
            self._complete = True
        return self._computed

    def _value(self, key: str):
        computed = self._computed
        if key not in computed:
            computed[key] = self._declared[key].value(self.counts, self.histograms)
        return computed[key]

    def __getattr__(self, name: str):
        # Only called for names that are not ordinary attributes.
        if name.startswith("_") or name in ("counts", "histograms"):
            raise AttributeError(name)
        name = ALIASES.get(name, name)
        if name in self._declared:
            return self._value(name)
        counts = self.counts
        if name in counts:
            return counts[name]
        raise AttributeError(f"no figure or stored count named {name!r}")

    @property
    def definitions(self) -> dict[str, str]:
        """{figure key: its definition id}."""
        return {key: f.definition for key, f in self._declared.items()}

    def __repr__(self) -> str:
        return f"Figures({self.counts!r})"


def figures_from_parts(values: dict, histograms: dict) -> Figures:
    """Figures from summed rollup counts and {measure: {days: (observed, censored)}}."""
    return Figures(values, histograms)


def empty_figures() -> Figures:
    """The figures of an agency without a report in the months asked (every count 0)."""
    return Figures({}, {})


def _sums(columns):
    return [func.coalesce(func.sum(getattr(AgencyMonthStats, n)), 0) for n in columns]


def _scope_of(model, agency_ids, periods) -> list:
    """The conditions of rows of these agencies (None: the national rows) and months (None: all)."""
    where = [model.agency_id.is_(None) if agency_ids is None else model.agency_id.in_(agency_ids or [-1])]
    if periods is not None:
        where.append(model.period.in_(periods or ["-"]))
    return where


def _scope(query, model, agency_ids, periods):
    """Rows of these agencies (None: the national rows) and months (None: all)."""
    return query.where(*_scope_of(model, agency_ids, periods))


def figures(agency_ids: list[int] | None = None, periods: list[str] | None = None) -> Figures:
    """Figures summed over ``agency_ids`` (None: national) and ``periods`` (None: all months)."""
    columns = registry.stored_columns()
    sums = db.session.execute(_scope(select(*_sums(columns)), AgencyMonthStats, agency_ids, periods)).one()
    values = dict(zip(columns, (int(v) for v in sums)))
    return figures_from_parts(values, duration_histogram(agency_ids, periods))


def _add_packed(histograms: dict, packed: str) -> None:
    """Add one rollup row's packed histograms (``agency_month_histograms``) into
    {measure: {days: (observed, censored)}}."""
    for measure_name, rows in json.loads(packed).items():
        into = histograms.setdefault(measure_name, {})
        for days, observed, censored in rows:
            before = into.get(days)
            into[days] = (observed, censored) if before is None else \
                (before[0] + observed, before[1] + censored)


def _by_day(histograms: dict) -> dict:
    """Each measure's days in order, as the grouped bucket query returned them."""
    return {m: dict(sorted(days.items())) for m, days in histograms.items()}


def _packed_rows(*columns, where=()) -> list | None:
    """``columns`` of the ``AgencyMonthStats`` rows matching ``where``, each with its packed
    histograms (last), or None when a row has none (written before migration 0025, or by
    hand): then the buckets are read instead."""
    rows = db.session.execute(
        select(*columns, AgencyMonthHistogram.histograms).select_from(AgencyMonthStats)
        .outerjoin(AgencyMonthHistogram, AgencyMonthHistogram.stats_id == AgencyMonthStats.id)
        .where(*where)).all()
    return None if any(row[-1] is None for row in rows) else rows


def duration_histogram(agency_ids: list[int] | None, periods: list[str]) -> dict:
    """{measure: {days: (observed, censored)}} summed over agencies and months: one packed row
    per agency-month (``agency_month_histograms``), not one per distinct day."""
    histograms = {m: {} for m in registry.measures()}
    packed = _packed_rows(where=_scope_of(AgencyMonthStats, agency_ids, periods))
    if packed is not None:
        for (value,) in packed:
            _add_packed(histograms, value)
        return _by_day(histograms)
    rows = db.session.execute(_scope(
        select(DurationBucket.measure, DurationBucket.days, func.sum(DurationBucket.observed),
               func.sum(DurationBucket.censored)).group_by(DurationBucket.measure, DurationBucket.days),
        DurationBucket, agency_ids, periods)).all()
    for measure_name, days, observed, censored in rows:
        histograms.setdefault(measure_name, {})[days] = (int(observed), int(censored))
    return histograms


def figures_by_agency(periods: list[str], agency_ids: list[int] | None = None,
                      durations: bool = True) -> dict[int, Figures]:
    """Figures of many agencies at once: grouped rollup queries, whatever the number of reports.

    Only agencies with rollup rows in ``periods`` are keys (the others: :func:`empty_figures`).
    ``durations=False`` skips the Kaplan–Meier histograms (the agency table shows counts and
    rates; medians are on each agency's page), so the table reads one row per agency-month.
    """
    columns = registry.stored_columns()
    query = select(AgencyMonthStats.agency_id, *_sums(columns)) \
        .where(AgencyMonthStats.period.in_(periods)).group_by(AgencyMonthStats.agency_id)
    if agency_ids is not None:
        query = query.where(AgencyMonthStats.agency_id.in_(agency_ids or [-1]))
    sums = {row[0]: dict(zip(columns, (int(v) for v in row[1:]))) for row in db.session.execute(query)}
    histograms: dict[int, dict] = {}
    packed = None
    if durations:
        where = [AgencyMonthStats.period.in_(periods)]
        if agency_ids is not None:
            where.append(AgencyMonthStats.agency_id.in_(agency_ids or [-1]))
        packed = _packed_rows(AgencyMonthStats.agency_id, where=where)
    if packed is not None:
        for agency_id, value in packed:
            if value != "{}":  # an agency-month without a duration (no bucket row either)
                _add_packed(histograms.setdefault(agency_id, {m: {} for m in registry.measures()}), value)
        histograms = {agency_id: _by_day(h) for agency_id, h in histograms.items()}
    elif durations:
        bucket_query = select(DurationBucket.agency_id, DurationBucket.measure, DurationBucket.days,
                              func.sum(DurationBucket.observed), func.sum(DurationBucket.censored)) \
            .where(DurationBucket.period.in_(periods)) \
            .group_by(DurationBucket.agency_id, DurationBucket.measure, DurationBucket.days)
        if agency_ids is not None:
            bucket_query = bucket_query.where(DurationBucket.agency_id.in_(agency_ids or [-1]))
        for agency_id, measure_name, days, observed, censored in db.session.execute(bucket_query):
            per_agency = histograms.setdefault(agency_id, {m: {} for m in registry.measures()})
            per_agency.setdefault(measure_name, {})[days] = (int(observed), int(censored))
    return {agency_id: figures_from_parts(values, histograms.get(agency_id, {}))
            for agency_id, values in sums.items()}


def combine(parts) -> Figures:
    """The figures of several disjoint sets of reports together: their stored counts and
    histograms added up (exactly what one query over all their rollup rows would sum)."""
    counts: dict[str, int] = {}
    histograms: dict[str, dict] = {m: {} for m in registry.measures()}
    for part in parts:
        for column, value in part.counts.items():
            counts[column] = counts.get(column, 0) + value
        for measure_name, days in part.histograms.items():
            into = histograms.setdefault(measure_name, {})
            for day, (observed, censored) in days.items():
                o, c = into.get(day, (0, 0))
                into[day] = (o + observed, c + censored)
    return figures_from_parts(counts, histograms)


def _region_column(model, code: str):
    """The rows of a province (``13``: every kab/kota in it) or of one kab/kota (``13.71``)."""
    return model.region_code == code if "." in code else model.province_code == code


def region_figures(code: str, periods: list[str] | None) -> Figures:
    """Figures of the reports whose incident lies in ``code`` (a province or a kab/kota), over
    ``periods`` (None: all months), from the regional rollups."""
    columns = registry.stored_columns()
    query = select(*(func.coalesce(func.sum(getattr(RegionMonthStats, n)), 0) for n in columns)) \
        .where(_region_column(RegionMonthStats, code))
    bucket_query = select(RegionDurationBucket.measure, RegionDurationBucket.days,
                          func.sum(RegionDurationBucket.observed), func.sum(RegionDurationBucket.censored)) \
        .where(_region_column(RegionDurationBucket, code)) \
        .group_by(RegionDurationBucket.measure, RegionDurationBucket.days)
    if periods is not None:
        query = query.where(RegionMonthStats.period.in_(periods or ["-"]))
        bucket_query = bucket_query.where(RegionDurationBucket.period.in_(periods or ["-"]))
    values = dict(zip(columns, (int(v) for v in db.session.execute(query).one())))
    histograms = {m: {} for m in registry.measures()}
    for measure_name, days, observed, censored in db.session.execute(bucket_query):
        histograms.setdefault(measure_name, {})[days] = (int(observed), int(censored))
    return figures_from_parts(values, histograms)


def figures_by_region(periods: list[str], province_code: str | None = None) -> dict[str, Figures]:
    """Figures by incident region: {province code: Figures} of every province, or with
    ``province_code`` {kab/kota code: Figures} of its kab/kota. Grouped rollup queries; only
    regions with rows in ``periods`` are keys (the others: :func:`empty_figures`)."""
    columns = registry.stored_columns()
    if province_code is None:
        key, bucket_key = RegionMonthStats.province_code, RegionDurationBucket.province_code
    else:
        key, bucket_key = RegionMonthStats.region_code, RegionDurationBucket.region_code
    query = select(key, *_sums_of(RegionMonthStats, columns)) \
        .where(RegionMonthStats.period.in_(periods or ["-"])).group_by(key)
    bucket_query = select(bucket_key, RegionDurationBucket.measure, RegionDurationBucket.days,
                          func.sum(RegionDurationBucket.observed), func.sum(RegionDurationBucket.censored)) \
        .where(RegionDurationBucket.period.in_(periods or ["-"])) \
        .group_by(bucket_key, RegionDurationBucket.measure, RegionDurationBucket.days)
    if province_code is not None:
        query = query.where(RegionMonthStats.province_code == province_code)
        bucket_query = bucket_query.where(RegionDurationBucket.province_code == province_code)
    sums = {row[0]: dict(zip(columns, (int(v) for v in row[1:]))) for row in db.session.execute(query)}
    histograms: dict[str, dict] = {}
    for code, measure_name, days, observed, censored in db.session.execute(bucket_query):
        per_region = histograms.setdefault(code, {m: {} for m in registry.measures()})
        per_region.setdefault(measure_name, {})[days] = (int(observed), int(censored))
    return {code: figures_from_parts(values, histograms.get(code, {})) for code, values in sums.items()}


def _sums_of(model, columns):
    return [func.coalesce(func.sum(getattr(model, n)), 0) for n in columns]


def monthly_series(agency_ids: list[int] | None, periods: list[str]) -> list[tuple[str, Figures]]:
    """Figures month by month (for trend charts): two grouped queries (counts, histograms) for
    all the months, not two per month. The figures of several months together are
    :func:`combine` of theirs (the same sums one query over all of them would make)."""
    columns = registry.stored_columns()
    sums = {row[0]: dict(zip(columns, (int(v) for v in row[1:]))) for row in db.session.execute(
        _scope(select(AgencyMonthStats.period, *_sums(columns)), AgencyMonthStats, agency_ids, periods)
        .group_by(AgencyMonthStats.period))}
    histograms: dict[str, dict] = {p: {m: {} for m in registry.measures()} for p in periods}
    packed = _packed_rows(AgencyMonthStats.period, where=_scope_of(AgencyMonthStats, agency_ids, periods))
    if packed is not None:
        for period, value in packed:
            _add_packed(histograms[period], value)
        return [(p, figures_from_parts(sums.get(p, {}), _by_day(histograms[p]))) for p in periods]
    for period, measure_name, days, observed, censored in db.session.execute(_scope(
            select(DurationBucket.period, DurationBucket.measure, DurationBucket.days,
                   func.sum(DurationBucket.observed), func.sum(DurationBucket.censored))
            .group_by(DurationBucket.period, DurationBucket.measure, DurationBucket.days),
            DurationBucket, agency_ids, periods)):
        histograms[period].setdefault(measure_name, {})[days] = (int(observed), int(censored))
    return [(p, figures_from_parts(sums.get(p, {}), histograms[p])) for p in periods]


def months_back(today: date, count: int) -> list[str]:
    """The ``count`` months up to and including ``today``'s, oldest first."""
    year, month = today.year, today.month
    result = []
    for _ in range(count):
        result.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(result))


RANKING_SIZE = 5
RANKED_BY = "completion_rate"  # the declared rate the best and worst agencies are ranked by


def agency_ranking(periods: list[str], limit: int = RANKING_SIZE) -> tuple[list, list]:
    """Best and worst agencies by completion rate, among those with at least MIN_N reports
    received over ``periods``. Ties: more reports received first, then the agency's id (its
    order of registration). Every level is ranked together (methodology page, "Peringkat")."""
    rate = registry.by_key()[RANKED_BY]
    numerator = func.sum(getattr(AgencyMonthStats, rate.numerator.column))
    denominator = func.sum(getattr(AgencyMonthStats, rate.denominator.column))
    rows = db.session.execute(
        select(AgencyMonthStats.agency_id, denominator, numerator)
        .where(AgencyMonthStats.period.in_(periods), AgencyMonthStats.agency_id.is_not(None))
        .group_by(AgencyMonthStats.agency_id)
        .having(denominator >= MIN_N)).all()
    # The exact fraction: ranked exactly, and rounded once where it is shown. Only the first
    # ``limit`` either way are wanted: a heap, not two sorts of every agency.
    ranked = [(a, Fraction(int(res), int(rec)), int(rec)) for a, rec, res in rows]
    best = heapq.nsmallest(limit, ranked, key=lambda r: (-r[1], -r[2], r[0]))
    worst = heapq.nsmallest(limit, ranked, key=lambda r: (r[1], -r[2], r[0]))
    return best, worst
