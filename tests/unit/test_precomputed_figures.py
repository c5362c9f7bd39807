"""The figures precomputed at ``stats refresh`` equal a recomputation from the reports.

Two precomputed kinds (migration 0025): each agency-month's packed duration histograms
(``agency_month_histograms``) and the board's ranking of the twelve months with the ranked
agencies' figures (``figure_windows``). After a full rebuild and after an incremental refresh,
both must hold exactly what reading the rollup rows the old way gives — the buckets one row per
day, the ranking summed over every agency — and those rows are the reports' (test_statistics).
"""
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import AgencyMonthHistogram, AgencyMonthStats, DurationBucket, FigureWindow, Report
from app.services import data_version, statistics, workflow
from app.services.statistics import read, windows
from tests import factories

NOW = datetime(2026, 11, 20, 3, tzinfo=timezone.utc)
ADMIN = workflow.Actor(kind="officer", role="national_admin")
AGENCIES = ("dinkes-kota-padang", "pemkot-padang", "pemkab-lebak")


@pytest.fixture(autouse=True)
def small_ranking(monkeypatch):
    # A ranking of a handful of reports (the rule's 10 would need dozens per agency).
    monkeypatch.setattr(read, "MIN_N", 2)


def _file(slug: str, submitted: datetime, steps: tuple[str, ...] = ()) -> Report:
    receipt = factories.file_report(now=submitted, incident_date=(submitted - timedelta(days=2)).date())
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", ADMIN, submitted + timedelta(hours=1),
                   workflow.ActionInput(agency=factories.agency(slug), resolution_class="ringan"))
    officer = workflow.Actor(kind="officer", role="officer", agency_id=factories.agency(slug).id)
    for n, action in enumerate(steps, start=2):
        workflow.apply(report, action, officer, submitted + timedelta(days=n),
                       workflow.ActionInput(**factories._STEP[action][1]))
    return report


def _country():
    """Reports in three agencies over three months, some answered, some resolved, some open."""
    for month, day in ((9, 7), (10, 5), (11, 2)):
        start = datetime(2026, month, day, 2, tzinfo=timezone.utc)
        for n, slug in enumerate(AGENCIES * 2):
            steps = (("respond",), ("respond", "resolve"), ())[(n + month) % 3]
            _file(slug, start + timedelta(hours=n), steps)
    db.session.commit()


def _histograms_from_buckets() -> dict:
    """{(agency, period): {(measure, days): (observed, censored)}} from ``duration_buckets``."""
    found: dict = {}
    for agency_id, period, measure, days, observed, censored in db.session.execute(
            select(DurationBucket.agency_id, DurationBucket.period, DurationBucket.measure,
                   DurationBucket.days, DurationBucket.observed, DurationBucket.censored)):
        found.setdefault((agency_id, period), {})[(measure, days)] = (observed, censored)
    return found


def _packed() -> dict:
    """The same, from ``agency_month_histograms`` (every rollup row has one)."""
    rows = db.session.execute(
        select(AgencyMonthStats.agency_id, AgencyMonthStats.period, AgencyMonthHistogram.histograms)
        .outerjoin(AgencyMonthHistogram, AgencyMonthHistogram.stats_id == AgencyMonthStats.id)).all()
    assert rows and all(h is not None for _a, _p, h in rows), "every rollup row has its histograms"
    found = {}
    for agency_id, period, packed in rows:
        days = {(m, d): (o, c) for m, by_day in json.loads(packed).items() for d, o, c in by_day}
        if days:
            found[(agency_id, period)] = days
    return found


def _read_everything() -> dict:
    """What the pages read: the series, the sums and each agency's figures, ranking included."""
    periods = windows.window(NOW)
    ids = sorted(a.id for a in map(factories.agency, AGENCIES))

    def plain(fig):
        return fig.counts, fig.histograms

    return {
        "national": [(p, plain(f)) for p, f in statistics.monthly_series(None, periods)],
        "agency": [(p, plain(f)) for p, f in statistics.monthly_series(ids[:1], periods)],
        "family": plain(statistics.figures(ids, periods)),
        "everything": plain(statistics.figures(None, None)),
        "by_agency": {a: plain(f) for a, f in statistics.figures_by_agency(periods, ids).items()},
        "ranking": windows.ranking(periods)[:2],
        "ranked": {a: plain(f) for a, f in windows.ranking(periods)[2].items()},
    }


def _recomputed() -> dict:
    """The same read from the buckets and with the ranking summed over every agency: the
    precomputed rows set aside (inside a savepoint, rolled back)."""
    nested = db.session.begin_nested()
    db.session.execute(delete(AgencyMonthHistogram))
    db.session.execute(delete(FigureWindow))
    try:
        return _read_everything()
    finally:
        nested.rollback()


def _assert_precomputed_exact():
    assert _packed() == _histograms_from_buckets()
    stored = db.session.scalar(select(func.count()).select_from(FigureWindow))
    assert stored == 1, "the refresh stored the ranking of its window"
    precomputed = _read_everything()
    assert precomputed["ranking"][0], "the scenario ranks agencies"
    assert precomputed == _recomputed()


def test_a_full_rebuild_precomputes_exactly_what_the_rollups_give(db_session):
    _country()
    statistics.rebuild_everything(NOW)
    _assert_precomputed_exact()


def test_the_incremental_refresh_keeps_them_exact_and_rebuilds_only_what_changed(db_session):
    _country()
    statistics.rebuild_everything(NOW)
    before = data_version.current()
    # One report resolved, one filed: only their agency-months are dirty.
    report = _file("pemkab-lebak", datetime(2026, 11, 3, 2, tzinfo=timezone.utc), ("respond", "resolve"))
    db.session.commit()
    dirty = statistics.dirty_pairs()
    assert 0 < len(dirty) <= 2
    assert statistics.refresh_dirty(NOW) == len(dirty)
    assert report.id and data_version.current() != before
    _assert_precomputed_exact()
    # A refresh with nothing dirty and the same window leaves the stored ranking as it was.
    stored = db.session.scalar(select(FigureWindow.refreshed_at))
    assert statistics.refresh_dirty(NOW + timedelta(minutes=5)) == 0
    assert db.session.scalar(select(FigureWindow.refreshed_at)) == stored


def test_a_month_rebuilt_alone_drops_the_stored_ranking_until_the_refresh_writes_it(db_session):
    _country()
    statistics.rebuild_everything(NOW)
    statistics.refresh_pair(factories.agency("pemkot-padang").id, "2026-11", NOW)
    assert db.session.scalar(select(func.count()).select_from(FigureWindow)) == 0
    periods = windows.window(NOW)
    assert windows.ranking(periods)[:2] == read.agency_ranking(periods)
    statistics.mark_all_dirty()
    statistics.refresh_dirty(NOW)
    _assert_precomputed_exact()


def test_a_new_window_is_computed_from_the_rollups_until_the_refresh(db_session):
    _country()
    statistics.rebuild_everything(NOW)
    later = windows.window(NOW + timedelta(days=31))  # December: not the stored window
    assert windows.ranking(later)[:2] == read.agency_ranking(later)
    statistics.refresh_dirty(NOW + timedelta(days=31))  # nothing dirty, a new window: written
    stored = db.session.scalar(select(FigureWindow.periods))
    assert stored and json.loads(stored) == later
