"""Figures by region: the regional rollups hold exactly what the reports of a region add.

A region's figures (its reports' incident kab/kota, or its government and units) are checked
against a recomputation from the raw tables by the methodology's words
(``statistics.corrections.recompute``, the helper the corrections log uses), and against the
national and agency figures they must add up to.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import inspect

from app.extensions import db
from app.models import Agency, RegionMonthStats
from app.models.agency import PROVINCIAL
from app.services import regional, snapshots, statistics, workflow
from app.services.statistics import corrections, registry
from tests import factories
from tests.unit.test_statistics import ADMIN, PERIOD, day, officer_of, routed_report

PADANG, AGAM, LEBAK = "13.71", "13.06", "36.02"
# Columns of region_month_stats that are keys and bookkeeping, not counts.
NOT_COUNTS = {"id", "region_code", "province_code", "period", "refreshed_at"}


def shown(fig) -> dict:
    """The published figures but the satisfaction mean (the recomputation leaves ratings out)."""
    return {k: v for k, v in snapshots.figures_dict(fig).items() if k != "satisfaction"}


def refresh(now):
    statistics.mark_all_dirty()
    statistics.refresh_dirty(now)


def mixed_month():
    """Reports of three kab/kota in two provinces: answered, late, transferred, resolved and
    disputed, at agencies of other regions too (the incident is not the agency's region)."""
    dinkes = officer_of("dinkes-kota-padang")
    for i in range(4):  # Padang, at the Padang health office: two answered, one resolved
        report = routed_report(region_code=PADANG)
        if i < 2:
            workflow.apply(report, "respond", dinkes, day(1), workflow.ActionInput(text="Kami cek."))
        if i == 0:
            workflow.apply(report, "resolve", dinkes, day(3),
                           workflow.ActionInput(text="Sudah diperbaiki."))
    # Agam, routed to Padang's health office, then transferred to Kemenkes.
    moved = routed_report(region_code=AGAM)
    workflow.apply(moved, "transfer", dinkes, day(2),
                   workflow.ActionInput(agency=factories.agency("kemenkes"), reason="Bukan wewenang"))
    routed_report("kemenkes", region_code=AGAM)
    # Lebak (Banten), one at Kemenkes answered late, one at Padang's government.
    late = routed_report("kemenkes", region_code=LEBAK)
    workflow.apply(late, "respond", officer_of("kemenkes"), day(9), workflow.ActionInput(text="Maaf."))
    routed_report("pemkot-padang", region_code=LEBAK)
    # Filed but never routed: no agency, in no figure.
    factories.file_report(now=day(0), region_code=PADANG, agency_slug=None,
                          incident_date=date(2026, 10, 30))


def test_the_regional_rollup_has_every_declared_count():
    model_counts = {c.key for c in inspect(RegionMonthStats).columns} - NOT_COUNTS
    assert set(registry.stored_columns()) == model_counts


def test_each_regions_figures_equal_a_recomputation_from_the_raw_reports(db_session):
    mixed_month()
    now = day(14)
    refresh(now)
    for code in ("13", PADANG, AGAM, "36", LEBAK, "11"):
        recomputed = corrections.recompute(PERIOD, now, region=code).get(None, statistics.empty_figures())
        assert shown(statistics.region_figures(code, [PERIOD])) == shown(recomputed), code
    padang = statistics.region_figures(PADANG, [PERIOD])
    assert (padang.received, padang.followed_up, padang.resolved) == (4, 2, 1)
    # The Agam report moved to Kemenkes: one transfer out, two routings, two received.
    agam = statistics.region_figures(AGAM, [PERIOD])
    assert (agam.received, agam.transfers_out, agam.routed_in) == (2, 1, 3)


def test_the_provinces_add_up_to_the_national_figures(db_session):
    mixed_month()
    refresh(day(14))
    by_province = statistics.figures_by_region([PERIOD])
    assert set(by_province) == {"13", "36"}
    total = statistics.combine(by_province.values())
    assert shown(total) == shown(statistics.figures(None, [PERIOD]))
    by_regency = statistics.figures_by_region([PERIOD], "13")
    assert set(by_regency) == {PADANG, AGAM}
    assert shown(statistics.combine(by_regency.values())) == shown(by_province["13"])


def test_an_event_marks_the_region_for_the_next_refresh(db_session):
    report = routed_report(region_code=LEBAK, slug="kemenkes")
    refresh(day(1))
    assert statistics.region_figures(LEBAK, [PERIOD]).followed_up == 0
    workflow.apply(report, "respond", officer_of("kemenkes"), day(2), workflow.ActionInput(text="Ya."))
    statistics.refresh_dirty(day(3))  # only what the event marked
    assert statistics.region_figures(LEBAK, [PERIOD]).followed_up == 1
    assert statistics.region_figures("36", [PERIOD]).followed_up == 1


def test_the_government_geography_is_the_government_with_its_units(db_session):
    mixed_month()
    now = day(14)
    refresh(now)
    padang = regional.get_region(PADANG)
    family = [factories.agency("pemkot-padang").id, factories.agency("dinkes-kota-padang").id]
    government = regional.region_figures(padang, regional.GOVERNMENT, [PERIOD])
    assert shown(government) == shown(statistics.figures(family, [PERIOD]))
    # Four Padang reports at its health office and one Lebak report at its government.
    assert government.received == 5
    # No provincial government in the test directory: nothing; then one with a unit.
    province = regional.get_region("13")
    assert regional.region_figures(province, regional.GOVERNMENT, [PERIOD]).received == 0
    pemprov = Agency(slug="pemprov-sumbar", name="Pemerintah Provinsi Sumatera Barat",
                     level=PROVINCIAL, region_code="13")
    db.session.add(pemprov)
    db.session.flush()
    factories.agency("pemkot-padang").parent_id = pemprov.id  # a unit below it, for the test
    db.session.flush()
    ranking = regional.province_ranking(regional.GOVERNMENT, "received", "desc", [PERIOD])
    assert ranking.rows[0].code == "13" and ranking.rows[0].figures.received == 5


def test_every_refresh_mark_covers_the_regions(db_session):
    routed_report(region_code=LEBAK, slug="kemenkes")
    assert (LEBAK, PERIOD) in statistics.dirty_regions()  # marked by the workflow
    statistics.refresh_dirty(day(1))
    assert statistics.dirty_regions() == []
    statistics.mark_open_dirty()  # still open: its censoring time moves
    assert statistics.dirty_regions() == [(LEBAK, PERIOD)]
    statistics.refresh_dirty(day(2))
    statistics.mark_all_dirty()
    assert statistics.dirty_regions() == [(LEBAK, PERIOD)]
    statistics.refresh_dirty(day(3), only_period="2026-10")  # another month: left marked
    assert statistics.dirty_regions() == [(LEBAK, PERIOD)]
