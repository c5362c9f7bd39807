"""The rollups' write side: mark what changed, rebuild it, from the declared counts.

``mark_dirty`` is called by the workflow as events happen; ``refresh_pair`` rebuilds the rollup
rows (``agency_month_stats``, ``duration_buckets``, and the buckets packed in one row,
``agency_month_histograms``) of one (agency, month) from those reports only, adding up what
:mod:`.declarations` says each report adds; ``refresh_region`` does the same for the reports
of one incident kab/kota and month (``region_month_stats``, ``region_duration_buckets``), for
every agency each report touched; ``mark_dirty`` marks the report's kab/kota-month
(``stats_dirty_regions``) beside its agency-months. ``refresh_dirty`` then stores the board's
ranking (:mod:`.windows`) with the national rows. A daily
``mark_open_dirty`` (``flask stats refresh --all-open``) moves the censoring time of still-open
cases forward.
"""
from __future__ import annotations

import json
import multiprocessing
from collections import namedtuple
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import selectinload

from ...database import ignoring_insert
from ...extensions import db
from ...models import (AgencyMonthHistogram, AgencyMonthStats, DurationBucket, FigureWindow, Rating,
                       RegionDurationBucket, RegionMonthStats, Report, ReportEvent, StatsDirty,
                       StatsDirtyRegion)
from .. import sla
from . import registry, windows
from .definitions import MAX_TRACKED_DAYS
from .measures import FINISHED, ReportFacts, measure, transferred_from


def period_of(moment: datetime) -> str:
    return sla.local_date(moment).strftime("%Y-%m")


def pack_histograms(buckets: dict[tuple[str, int], list[int] | tuple[int, int]]) -> str:
    """A row's duration histograms, {(measure, days): (observed, censored)}, as the JSON of
    ``AgencyMonthHistogram.histograms``: {measure: [[days, observed, censored], ...]} by days."""
    packed: dict[str, list] = {}
    for (measure_name, days), (observed, censored) in sorted(buckets.items()):
        packed.setdefault(measure_name, []).append([days, observed, censored])
    return json.dumps(packed, separators=(",", ":"))


def _delete_month_rows(*where) -> None:
    """Delete the ``AgencyMonthStats`` rows matching ``where`` with their packed histograms."""
    db.session.execute(delete(AgencyMonthHistogram).where(AgencyMonthHistogram.stats_id.in_(
        select(AgencyMonthStats.id).where(*where))))
    db.session.execute(delete(AgencyMonthStats).where(*where))


def _add_month_row(buckets: dict, **values) -> None:
    """Add an ``AgencyMonthStats`` row and its packed histograms (``buckets``)."""
    row = AgencyMonthStats(**values)
    db.session.add(row)
    db.session.flush()  # its id
    db.session.add(AgencyMonthHistogram(stats_id=row.id, histograms=pack_histograms(buckets)))


def _insert_ignore(model, **values):
    """Mark one pair: the table's one ``INSERT OR IGNORE`` (built once), this row as parameters."""
    db.session.execute(ignoring_insert(model), values)


def mark_dirty(report: Report, *agency_ids: int | None) -> None:
    """Note that the figures of ``report``'s month for these agencies (and its own) and for its
    incident kab/kota must be rebuilt."""
    period = period_of(report.submitted_at)
    # One INSERT per pair and transaction, not per event (bulk work marks the same pairs often).
    marked = db.session().info.setdefault("terang_stats_marked", set())
    for agency_id in {report.agency_id, *agency_ids} - {None}:
        if (agency_id, period) not in marked:
            _insert_ignore(StatsDirty, agency_id=agency_id, period=period)
            marked.add((agency_id, period))
    # And the report's incident kab/kota (its regional rollup row).
    if report.region_code and (report.region_code, period) not in marked:
        _insert_ignore(StatsDirtyRegion, region_code=report.region_code, period=period)
        marked.add((report.region_code, period))


def _period_bounds(period: str) -> tuple[datetime, datetime]:
    year, month = (int(x) for x in period.split("-"))
    start = datetime(year, month, 1, tzinfo=sla.JAKARTA)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=sla.JAKARTA)
    return start, end


class _Declared:
    """What the declarations say a report adds, read once (``registry`` answers at call time,
    so a rebuild reads it once, not once per agency-month)."""

    def __init__(self):
        stored = registry.stored()
        self.every_related = [(s.column, s.add) for s in stored if s.every_related]
        self.received_only = [(s.column, s.add) for s in stored if not s.every_related]
        self.durations = [(f.measure, f.observe) for f in registry.survival_figures()]
        self.columns = tuple(s.column for s in stored)

    def contribution(self, report: Report, agency_id: int, rating: int | None, now: datetime,
                     measured: dict | None = None) -> tuple[list, list]:
        """What ``report`` adds to ``agency_id``'s month: the counts declared ``every_related``
        for any agency it touched, the rest and the durations only at its current agency, as
        ([(column, n)], [((measure, days), 0 observed | 1 censored)]). ``measured`` keeps each
        report's measures, for a report added to several sums."""
        facts = ReportFacts(report, report.events, agency_id, rating=rating)
        counts = [(column, int(add(facts))) for column, add in self.every_related]
        if report.agency_id != agency_id:
            return counts, []
        if measured is None:
            facts.measures = measure(report, report.events, now)
        else:
            if report.id not in measured:
                measured[report.id] = measure(report, report.events, now)
            facts.measures = measured[report.id]
        if facts.measures is None:
            return counts, []
        counts += [(column, int(add(facts))) for column, add in self.received_only]
        durations = []
        for name, observe in self.durations:
            days, observed = observe(facts.measures)
            durations.append(((name, min(days, MAX_TRACKED_DAYS + 1)), 0 if observed else 1))
        return counts, durations


class _Sums:
    """The stored counts and duration histograms of a set of (report, agency) contributions."""

    def __init__(self, declared: _Declared | None = None):
        self.declared = declared or _Declared()
        self.values = dict.fromkeys(self.declared.columns, 0)
        self.buckets: dict[tuple[str, int], list[int]] = {}

    def add(self, report: Report, agency_id: int, rating: int | None, now: datetime,
            measured: dict | None = None) -> None:
        """Add what ``report`` adds to ``agency_id``'s month (:meth:`_Declared.contribution`)."""
        self.add_contribution(self.declared.contribution(report, agency_id, rating, now, measured))

    def add_contribution(self, contribution: tuple[list, list]) -> None:
        counts, durations = contribution
        values = self.values
        for column, n in counts:
            values[column] += n
        buckets = self.buckets
        for key, index in durations:
            histogram = buckets.get(key)
            if histogram is None:
                histogram = buckets[key] = [0, 0]
            histogram[index] += 1

    def merge(self, other: "_Sums") -> None:
        """Add ``other``'s counts and histograms (a worker's part of the same agency-month)."""
        values = self.values
        for column, value in other.values.items():
            values[column] += value
        buckets = self.buckets
        for key, (observed, censored) in other.buckets.items():
            counts = buckets.get(key)
            if counts is None:
                buckets[key] = [observed, censored]
            else:
                counts[0] += observed
                counts[1] += censored

    def __getstate__(self):
        # A worker sends back the sums only; the declarations are the parent's own.
        return self.values, self.buckets

    def __setstate__(self, state):
        self.values, self.buckets = state


def _ratings(reports: list[Report]) -> dict[int, int]:
    if not reports:
        return {}
    return dict(db.session.execute(
        select(Rating.report_id, Rating.score).where(Rating.report_id.in_([r.id for r in reports]))).all())


def touched_agencies(report: Report) -> set[int]:
    """Every agency whose month ``report`` can add to: its current agency, every agency an
    event sent it to, every agency it was transferred away from (``refresh_pair``'s choice)."""
    touched = {report.agency_id} | {e.target_agency_id for e in report.events}
    touched |= transferred_from(report.events)
    return touched - {None}


def refresh_pair(agency_id: int, period: str, now: datetime) -> None:
    """Rebuild the rollup rows of one agency and month from that month's reports.

    Each declared stored count adds what the report's facts say (``declarations``); each
    survival figure adds the report's (days, reached) to its measure's histogram.
    """
    start, end = _period_bounds(period)
    # Two lookups, each by its own index (an OR of the two columns reads every event).
    related = select(ReportEvent.report_id).where(ReportEvent.target_agency_id == agency_id).union(
        select(ReportEvent.report_id).where(ReportEvent.actor_agency_id == agency_id,
                                            ReportEvent.action == "transfer"))
    reports = db.session.scalars(
        select(Report).where(Report.submitted_at >= start, Report.submitted_at < end,
                             or_(Report.agency_id == agency_id, Report.id.in_(related)))
        .options(selectinload(Report.events))).all()
    ratings = _ratings(reports)
    sums = _Sums()
    for report in reports:
        sums.add(report, agency_id, ratings.get(report.id), now)
    values, buckets = sums.values, sums.buckets

    _delete_month_rows(AgencyMonthStats.agency_id == agency_id, AgencyMonthStats.period == period)
    db.session.execute(delete(DurationBucket).where(DurationBucket.agency_id == agency_id,
                                                    DurationBucket.period == period))
    # A row only for an agency the month touched (every received count implies "received").
    if any(values.values()):
        _add_month_row(buckets, agency_id=agency_id, period=period, refreshed_at=now, **values)
        db.session.add_all(DurationBucket(agency_id=agency_id, period=period, measure=m, days=d,
                                          observed=c[0], censored=c[1])
                           for (m, d), c in buckets.items())
    db.session.execute(delete(StatsDirty).where(StatsDirty.agency_id == agency_id,
                                                StatsDirty.period == period))
    windows.forget()  # computed from the rows just replaced (refresh_dirty writes it again)


def province_of(region_code: str) -> str:
    """The province of a kab/kota code (Kemendagri codes: ``13.71`` lies in ``13``)."""
    return region_code.split(".")[0]


def refresh_region(region_code: str, period: str, now: datetime) -> None:
    """Rebuild the regional rows of one kab/kota (incident region) and month.

    Each report of that kab/kota and month adds, for every agency it touched, exactly what it
    adds to that agency's rows in :func:`refresh_pair`; so the kab/kota rows of a month sum to
    the national row, and a region's figures are its reports' figures.
    """
    start, end = _period_bounds(period)
    reports = db.session.scalars(
        select(Report).where(Report.submitted_at >= start, Report.submitted_at < end,
                             Report.region_code == region_code)
        .options(selectinload(Report.events))).all()
    ratings = _ratings(reports)
    sums = _Sums()
    for report in reports:
        for agency_id in sorted(touched_agencies(report)):
            sums.add(report, agency_id, ratings.get(report.id), now)
    db.session.execute(delete(RegionMonthStats).where(RegionMonthStats.region_code == region_code,
                                                      RegionMonthStats.period == period))
    db.session.execute(delete(RegionDurationBucket).where(RegionDurationBucket.region_code == region_code,
                                                          RegionDurationBucket.period == period))
    if any(sums.values.values()):
        province = province_of(region_code)
        db.session.add(RegionMonthStats(region_code=region_code, province_code=province,
                                        period=period, refreshed_at=now, **sums.values))
        db.session.add_all(RegionDurationBucket(region_code=region_code, province_code=province,
                                                period=period, measure=m, days=d,
                                                observed=c[0], censored=c[1])
                           for (m, d), c in sums.buckets.items())
    db.session.execute(delete(StatsDirtyRegion).where(StatsDirtyRegion.region_code == region_code,
                                                      StatsDirtyRegion.period == period))


def refresh_national(period: str, now: datetime) -> None:
    """Rebuild the national rows of ``period`` (agency_id NULL) by summing the agencies' rows."""
    windows.forget()
    _delete_month_rows(AgencyMonthStats.agency_id.is_(None), AgencyMonthStats.period == period)
    db.session.execute(delete(DurationBucket).where(DurationBucket.agency_id.is_(None),
                                                    DurationBucket.period == period))
    columns = registry.stored_columns()
    sums = db.session.execute(
        select(*(func.coalesce(func.sum(getattr(AgencyMonthStats, n)), 0) for n in columns))
        .where(AgencyMonthStats.agency_id.is_not(None), AgencyMonthStats.period == period)).one()
    values = dict(zip(columns, (int(v) for v in sums)))
    rows = db.session.execute(
        select(DurationBucket.measure, DurationBucket.days, func.sum(DurationBucket.observed),
               func.sum(DurationBucket.censored))
        .where(DurationBucket.agency_id.is_not(None), DurationBucket.period == period)
        .group_by(DurationBucket.measure, DurationBucket.days)).all()
    # routed_in stays the sum of routings: the national transfer rate is bounced routings ÷ routings.
    _add_month_row({(m, d): (int(o), int(c)) for m, d, o, c in rows},
                   agency_id=None, period=period, refreshed_at=now, **values)
    db.session.add_all(DurationBucket(agency_id=None, period=period, measure=m, days=d,
                                      observed=int(o), censored=int(c)) for m, d, o, c in rows)


def refresh_dirty(now: datetime, progress=None, only_period: str | None = None) -> int:
    """Rebuild every dirty agency-month, then the national rows of the months touched, then
    every dirty kab/kota-month (the regional rows).

    Commits after each agency-month so that a long run makes steady progress.
    """
    pairs = [p for p in dirty_pairs() if only_period is None or p[1] == only_period]
    for agency_id, period in (progress(pairs) if progress else pairs):
        refresh_pair(agency_id, period, now)
        db.session.commit()
    for period in sorted({p for _a, p in pairs}):
        refresh_national(period, now)
    # The precomputed ranking, in the national rows' transaction: again when a month changed,
    # else only when a new window began (or none is stored).
    windows.refresh(now, force=bool(pairs))
    db.session.commit()
    for code, period in dirty_regions(only_period):
        refresh_region(code, period, now)
        db.session.commit()
    return len(pairs)


def _pair_agencies(report: Report) -> set[int]:
    """The agencies whose month :func:`refresh_pair` reads ``report`` for: its current agency,
    every agency an event sent it to, and every agency that clicked a transfer of it."""
    actors = {e.actor_agency_id for e in report.events if e.action == "transfer"}
    return (touched_agencies(report) | actors) - {None}


def _bulk_rows(model, rows: list[dict]) -> None:
    if rows:
        db.session.execute(model.__table__.insert(), rows)


# A report as the rollups read it (plain columns and its events, no ORM object), and an event
# as they and ``sla.agency_stays`` read it.
_ReportRow = namedtuple("_ReportRow", ("id", "agency_id", "status", "closed_at", "is_confidential",
                                       "resolution_class", "submitted_at", "region_code", "events"))
_EventRow = namedtuple("_EventRow", ("report_id", "action", "created_at", "actor_kind",
                                     "actor_agency_id", "target_agency_id", "from_status",
                                     "to_status", "is_internal"))
_REPORT_READ = _ReportRow._fields[:-1]
_EVENT_READ = _EventRow._fields


def _read_range(connection, first: int, stop: int) -> tuple[list[_ReportRow], dict[int, int]]:
    """The reports with ``first <= id < stop``, in id order, each with its events in id order,
    and their ratings; read with plain selects (the columns' own types convert the values)."""
    reports_table, events_table = Report.__table__, ReportEvent.__table__
    reports = [_ReportRow(*values, []) for values in connection.execute(
        select(*(reports_table.c[n] for n in _REPORT_READ))
        .where(reports_table.c.id >= first, reports_table.c.id < stop)
        .order_by(reports_table.c.id))]
    events_of = {report.id: report.events for report in reports}
    make = _EventRow._make
    for event in map(make, connection.execute(
            select(*(events_table.c[n] for n in _EVENT_READ))
            .where(events_table.c.report_id >= first, events_table.c.report_id < stop)
            .order_by(events_table.c.report_id, events_table.c.id))):
        events = events_of.get(event.report_id)
        if events is not None:
            events.append(event)
    ratings = dict(connection.execute(
        select(Rating.report_id, Rating.score)
        .where(Rating.report_id >= first, Rating.report_id < stop).order_by(Rating.id)).all())
    return reports, ratings


def _sum_range(connection, first: int, stop: int, now: datetime, declared: _Declared,
               pair_sums: dict, region_sums: dict) -> int:
    """Add what the reports with ``first <= id < stop`` add to each agency-month and kab/kota-
    month (``pair_sums``, ``region_sums``, in the order first met); return how many were read."""
    reports, ratings = _read_range(connection, first, stop)
    measured: dict[int, object] = {}  # measured once, added to its agency's and region's sums
    periods: dict[tuple[int, int], str] = {}
    for report in reports:
        day = sla.local_date(report.submitted_at)
        period = periods.get((day.year, day.month))
        if period is None:
            period = periods[(day.year, day.month)] = day.strftime("%Y-%m")
        rating = ratings.get(report.id)
        # What it adds for each agency, worked out once for the agency's sums and its region's.
        added = {}
        for agency_id in sorted(_pair_agencies(report)):
            into = pair_sums.get((agency_id, period))
            if into is None:
                into = pair_sums[(agency_id, period)] = _Sums(declared)
            added[agency_id] = contribution = declared.contribution(report, agency_id, rating,
                                                                    now, measured)
            into.add_contribution(contribution)
        if report.region_code:
            into = region_sums.get((report.region_code, period))
            if into is None:
                into = region_sums[(report.region_code, period)] = _Sums(declared)
            for agency_id in sorted(touched_agencies(report)):
                contribution = added.get(agency_id)
                if contribution is None:
                    contribution = declared.contribution(report, agency_id, rating, now, measured)
                into.add_contribution(contribution)
    return len(reports)


_REBUILD = None  # what the forked workers of rebuild_everything inherit


def _rebuild_part(bounds: tuple[int, int]):
    """In a forked worker: the sums of one id range, read on the worker's own connection."""
    engine, now, declared = _REBUILD
    pair_sums: dict = {}
    region_sums: dict = {}
    with engine.connect() as connection:
        read = _sum_range(connection, bounds[0], bounds[1], now, declared, pair_sums, region_sums)
    return read, pair_sums, region_sums


def _forget_inherited_connections(engine) -> None:
    """In a forked worker: never touch the parent's pooled connections (open its own)."""
    engine.dispose(close=False)


def _merge_into(target: dict, part: dict, declared: _Declared) -> None:
    for key, sums in part.items():
        mine = target.get(key)
        if mine is None:
            mine = target[key] = _Sums(declared)
        mine.merge(sums)


def rebuild_everything(now: datetime, progress=None, batch: int = 10_000, processes: int = 1) -> int:
    """Rebuild every rollup row from all reports in one pass (``stats refresh --everything``).

    The same sums as :func:`refresh_pair` and :func:`refresh_region` (the same ``_Sums.add``
    for the same (report, agency) pairs; tests/unit/test_statistics.py compares them), but each
    report is read once, by id ranges of ``batch`` with its events and rating, with plain
    selects (no ORM object), instead of once per agency-month: the cost grows with the number
    of reports, not with reports × months. With ``processes`` > 1, forked workers each read and
    add up their own id ranges on their own connection (what is committed: the caller's
    pending work is committed first), and this process adds their sums in id-range order, so
    the rows are exactly those of one process. ``progress(n)`` is told how many reports each
    range read. Writes and commits once, at the end: the board reads the old rows until the new
    ones are all there. Returns the agency-months built.
    """
    declared = _Declared()
    pair_sums: dict[tuple[int, str], _Sums] = {}
    region_sums: dict[tuple[str, str], _Sums] = {}
    low, high = db.session.execute(select(func.min(Report.id), func.max(Report.id))).one()
    ranges = ([(first, min(first + batch, high + 1)) for first in range(low, high + 1, batch)]
              if low is not None else [])
    if processes > 1 and len(ranges) > 1:
        global _REBUILD
        db.session.commit()  # the workers see what is committed
        engine = db.session.get_bind()
        _REBUILD = (engine, now, declared)
        try:
            context = multiprocessing.get_context("fork")
            with context.Pool(processes, initializer=_forget_inherited_connections,
                              initargs=(engine,)) as pool:
                for read, pairs, regions in pool.imap(_rebuild_part, ranges):
                    _merge_into(pair_sums, pairs, declared)
                    _merge_into(region_sums, regions, declared)
                    if progress:
                        progress(read)
        finally:
            _REBUILD = None
    else:
        connection = db.session.connection()
        for first, stop in ranges:
            read = _sum_range(connection, first, stop, now, declared, pair_sums, region_sums)
            if progress:
                progress(read)

    for model in (AgencyMonthHistogram, AgencyMonthStats, DurationBucket, RegionMonthStats,
                  RegionDurationBucket, StatsDirty, StatsDirtyRegion, FigureWindow):
        db.session.execute(delete(model))
    agency_rows, agency_buckets = [], []
    for (agency_id, period), sums in pair_sums.items():
        if not any(sums.values.values()):
            continue
        agency_rows.append({"agency_id": agency_id, "period": period, "refreshed_at": now, **sums.values})
        agency_buckets += [{"agency_id": agency_id, "period": period, "measure": m, "days": d,
                            "observed": c[0], "censored": c[1]} for (m, d), c in sums.buckets.items()]
    _bulk_rows(AgencyMonthStats, agency_rows)
    # Each row's packed histograms, by the id the row was given.
    _bulk_rows(AgencyMonthHistogram, [
        {"stats_id": stats_id, "histograms": pack_histograms(pair_sums[(agency_id, period)].buckets)}
        for stats_id, agency_id, period in db.session.execute(
            select(AgencyMonthStats.id, AgencyMonthStats.agency_id, AgencyMonthStats.period)
            .where(AgencyMonthStats.agency_id.is_not(None)))])
    _bulk_rows(DurationBucket, agency_buckets)
    for period in sorted({period for _agency, period in pair_sums}):
        refresh_national(period, now)
    region_rows, region_buckets = [], []
    for (code, period), sums in region_sums.items():
        if not any(sums.values.values()):
            continue
        province = province_of(code)
        region_rows.append({"region_code": code, "province_code": province, "period": period,
                            "refreshed_at": now, **sums.values})
        region_buckets += [{"region_code": code, "province_code": province, "period": period,
                            "measure": m, "days": d, "observed": c[0], "censored": c[1]}
                           for (m, d), c in sums.buckets.items()]
    _bulk_rows(RegionMonthStats, region_rows)
    _bulk_rows(RegionDurationBucket, region_buckets)
    windows.refresh(now)
    db.session.commit()
    return len(agency_rows)


def mark_open_dirty() -> int:
    """Mark every pair with a still-open report, and its kab/kota-month (their censoring time
    moves each day)."""
    pairs = db.session.execute(
        select(Report.agency_id, Report.submitted_at)
        .where(Report.agency_id.is_not(None), Report.status.not_in(FINISHED))).all()
    seen = {(agency_id, period_of(submitted)) for agency_id, submitted in pairs}
    for agency_id, period in seen:
        _insert_ignore(StatsDirty, agency_id=agency_id, period=period)
    _mark_regions(select(Report.region_code, Report.submitted_at).where(
        Report.agency_id.is_not(None), Report.status.not_in(FINISHED)))
    return len(seen)


def _mark_regions(query) -> None:
    """Mark the (kab/kota, month) of each (region code, submitted at) row of ``query``."""
    seen = {(code, period_of(submitted)) for code, submitted in db.session.execute(query).all()}
    for code, period in seen:
        _insert_ignore(StatsDirtyRegion, region_code=code, period=period)


def mark_all_dirty() -> int:
    """Mark every agency-month that any report touches (responsible, routed to, transferred from),
    and every kab/kota-month with a report."""
    touched = db.session.execute(
        select(Report.agency_id, Report.submitted_at).where(Report.agency_id.is_not(None))).all()
    touched += db.session.execute(
        select(ReportEvent.target_agency_id, Report.submitted_at)
        .join(Report, Report.id == ReportEvent.report_id)
        .where(ReportEvent.target_agency_id.is_not(None))).all()
    touched += db.session.execute(
        select(ReportEvent.actor_agency_id, Report.submitted_at)
        .join(Report, Report.id == ReportEvent.report_id)
        .where(ReportEvent.action == "transfer", ReportEvent.actor_agency_id.is_not(None))).all()
    seen = {(agency_id, period_of(submitted)) for agency_id, submitted in touched}
    for agency_id, period in seen:
        _insert_ignore(StatsDirty, agency_id=agency_id, period=period)
    _mark_regions(select(Report.region_code, Report.submitted_at))
    return len(seen)


def dirty_regions(only_period: str | None = None) -> list[tuple[str, str]]:
    """The (kab/kota, month) pairs marked for a rebuild, oldest month first."""
    query = select(StatsDirtyRegion.region_code, StatsDirtyRegion.period) \
        .order_by(StatsDirtyRegion.period, StatsDirtyRegion.region_code)
    if only_period is not None:
        query = query.where(StatsDirtyRegion.period == only_period)
    return [tuple(r) for r in db.session.execute(query).all()]


def dirty_pairs(limit: int | None = None) -> list[tuple[int, str]]:
    query = select(StatsDirty.agency_id, StatsDirty.period).order_by(StatsDirty.period, StatsDirty.agency_id)
    if limit:
        query = query.limit(limit)
    return [tuple(r) for r in db.session.execute(query).all()]
