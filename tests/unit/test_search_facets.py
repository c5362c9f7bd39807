"""The board's filters as words of the search index (migration 0028, ``search.facets_sql``):
filters combined give the same list as the filters in SQL, and the words follow every change.

The list with the filters in SQL (``board._combined`` answering no: each filter a condition on
``reports``, as before 0028) is the reference the index's answer is compared with, page by page,
for every combination of a small data set. Runs on SQLite (FTS5) and, with
TEST_DATABASE_URL=postgresql://…, on PostgreSQL (tsvector, GIN).
"""
from __future__ import annotations

import importlib.util
import itertools
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models import Report, Status
from app.services import board, categories, search
from tests import factories
from tests.unit.test_search import FILED, publish

PADANG, SOLOK, LEBAK = "13.71", "13.72", "36.02"
REAL_COMBINED = board._combined


def in_sql(flt: board.ReportFilter) -> bool:
    return False


def listing(flt: board.ReportFilter, monkeypatch, *, by_index: bool = True):
    """Every page of the list for ``flt`` (forward, then the last page's previous page), as
    (ids, total, capped, page number, order), read through the index or with the filters in SQL."""
    monkeypatch.setattr(board, "_combined", REAL_COMBINED if by_index else in_sql)
    pages = [board.public_report_list(flt)]
    while pages[-1].next_cursor and len(pages) < 20:
        pages.append(board.public_report_list(flt, pages[-1].next_cursor))
    seen = [([r.id for r in p.items], p.total, p.total_is_capped, p.page, p.order) for p in pages]
    seen.append(board.count_public_reports(flt))  # the downloads' exact count
    if pages[-1].prev_cursor:
        back = board.public_report_list(flt, pages[-1].prev_cursor)
        seen.append(([r.id for r in back.items], back.page))
    numbered = board.public_report_list(flt, page=2)
    seen.append(([r.id for r in numbered.items], numbered.page))
    return seen


@pytest.fixture
def reports(db_session, monkeypatch):
    """Thirty public reports over three agencies, three kab/kota in two provinces, two
    categories and none, three types and four statuses (filed in the order of their ids), and
    two reports the board does not show."""
    monkeypatch.setattr(board, "PAGE_SIZE", 4)
    agencies = ["dinkes-kota-padang", "kemenkes", "pemkab-lebak"]
    regions = [PADANG, SOLOK, LEBAK]
    kinds = ["pengaduan", "aspirasi", "informasi"]
    statuses = [Status.ROUTED, Status.IN_PROGRESS, Status.CLOSED, Status.ON_HOLD]
    health = categories.get_by_slug("kesehatan").id
    roads = categories.get_by_slug("infrastruktur").id
    made = []
    for n in range(30):
        report = publish(f"Laporan {n}", f"Sampah {'jalan ' * (n % 3)}di pasar {n}.",
                         minutes=n * 7, agency=agencies[n % 3], region_code=regions[(n // 3) % 3],
                         report_type=kinds[(n // 2) % 3])
        report.status = statuses[(n // 5) % 4]
        report.category_id = (health, roads, None)[(n // 4) % 3]
        made.append(report)
    db.session.commit()
    hidden = publish("Rahasia", "Sampah rahasia.", minutes=300, region_code=PADANG)
    hidden.is_confidential = True
    factories.file_report(now=FILED + timedelta(hours=6), incident_date=date(2026, 10, 30),
                          title="Belum diverifikasi", region_code=PADANG,
                          body="Sampah yang belum diverifikasi oleh siapa pun juga.")
    db.session.commit()
    return made


AGENCIES = [None, "dinkes-kota-padang", "kemenkes", "tidak-ada"]
REGIONS = [None, "13", PADANG, "36"]
CATEGORIES = [None, "kesehatan", "tidak-ada"]
TYPES = [None, "pengaduan"]
STATUSES = [None, Status.ROUTED, Status.CLOSED, "bukan"]


def combinations():
    for agency, region, category, kind, status in itertools.product(
            AGENCIES, REGIONS, CATEGORIES, TYPES, STATUSES):
        flt = board.ReportFilter(agency=agency, region=region, category=category,
                                 report_type=kind, status=status)
        if board._structured_filters(flt) >= 2:
            yield flt


def test_filters_combined_list_the_same_reports_in_the_same_order(reports, monkeypatch):
    checked = nonempty = 0
    for flt in combinations():
        expected = listing(flt, monkeypatch, by_index=False)
        assert listing(flt, monkeypatch) == expected, flt
        checked += 1
        nonempty += bool(expected[0][0])
    assert checked > 250 and nonempty > 50


def test_values_no_report_has_match_nothing_alike(reports, monkeypatch):
    for filters in (dict(region="13.7x1", status=Status.ROUTED), dict(region="99.99", agency="kemenkes"),
                    dict(region="13", report_type="PENGADUAN"), dict(report_type="pengaduan x", region="13"),
                    dict(status="bukan", report_type="pengaduan", region="13"),
                    dict(category="tidak-ada", status=Status.CLOSED), dict(agency="kemenkes", region="13.71.01")):
        flt = board.ReportFilter(**filters)
        assert listing(flt, monkeypatch) == listing(flt, monkeypatch, by_index=False), flt


FILTERS = [dict(agency="kemenkes", status=Status.CLOSED), dict(region="13", report_type="pengaduan"),
           dict(category="kesehatan", region=PADANG, status=Status.ROUTED),
           dict(agency="dinkes-kota-padang", category="tidak-ada")]
DATES = [dict(date_from=date(2026, 11, 2)), dict(date_to=date(2026, 11, 2)),
         dict(date_from=date(2026, 11, 2), date_to=date(2026, 11, 2)), {}]
WORDS = [None, "sampah", "jalan", "pasar 7", "tidak-ada-kata"]


@pytest.mark.parametrize("cap", [3, 10_000])
def test_with_dates_words_and_a_capped_count_too(reports, monkeypatch, cap):
    monkeypatch.setattr(board, "COUNT_CAP", cap)
    for filters, dates, q in itertools.product(FILTERS, DATES, WORDS):
        flt = board.ReportFilter(q=q, **filters, **dates)
        assert listing(flt, monkeypatch) == listing(flt, monkeypatch, by_index=False), flt


def test_words_and_one_filter_too(reports, monkeypatch):
    for filters in (dict(agency="kemenkes"), dict(region="36"), dict(status=Status.CLOSED),
                    dict(category="kesehatan"), dict(report_type="informasi"),
                    dict(region="99.99"), dict(category="tidak-ada")):
        for q in ("sampah", "jalan", "pasar 7"):
            flt = board.ReportFilter(q=q, **filters)
            assert listing(flt, monkeypatch) == listing(flt, monkeypatch, by_index=False), flt


def test_a_reference_with_filters(reports, monkeypatch):
    report = reports[4]
    agency = report.agency.slug
    for filters in (dict(agency=agency, status=report.status), dict(agency="dinkes-kota-padang"),
                    dict(agency=agency, region="36")):
        flt = board.ReportFilter(q=report.reference, **filters)
        assert listing(flt, monkeypatch) == listing(flt, monkeypatch, by_index=False), flt
    assert [r.id for r in board.public_report_list(board.ReportFilter(
        q=report.reference, agency=agency, status=report.status)).items] == [report.id]


def test_filters_combined_are_read_from_the_index(reports, monkeypatch):
    statements = []

    def capture(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        page = board.public_report_list(board.ReportFilter(agency="kemenkes", status=Status.CLOSED))
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert page.items
    assert sum(search.FACETS_COLUMN in statement for statement in statements) == 2  # count, page


# --- the words follow the report -------------------------------------------------------------

def words_of(report: Report) -> set[str]:
    """The facet words the index holds for ``report`` (each one looked up)."""
    region = report.region
    candidates = {search.facet_word(search.AGENCY, report.agency_id),
                  search.facet_word(search.REGION, report.region_code),
                  search.facet_word(search.PROVINCE, region.parent_code),
                  search.facet_word(search.TYPE, report.report_type),
                  search.facet_word(search.STATUS, report.status)}
    if report.category_id:
        candidates.add(search.facet_word(search.CATEGORY, report.category_id))
    return candidates


def indexed_with(word: str) -> set[int]:
    found = search.facet_matches([word])
    return set(db.session.scalars(select(found.c.report_id)))


def test_the_words_are_the_report_s_filters(db_session):
    report = publish("Lampu jalan mati", "Lampu jalan di pasar mati.")
    words = words_of(report)
    assert {f"s{Status.ROUTED}", "r13xd71", "p13", "tpengaduan"} <= words
    for word in words:
        assert indexed_with(word) == {report.id}, word
    assert search.facet_word(search.STATUS, Status.IN_PROGRESS) == "sinxuprogress"
    assert search.facet_word(search.REGION, "31.71") != search.facet_word(search.REGION, "3171")
    assert search.facet_word(search.REGION, "31x71") == "r31xx71"
    for value in ("PENGADUAN", "a b", "lampu*", "x\"y", "é"):
        assert search.facet_word(search.TYPE, value) is None


@pytest.mark.parametrize("change", ["status", "agency", "category", "region", "report_type"])
def test_a_change_of_a_public_report_s_filters_changes_its_words(db_session, change):
    report = publish("Lampu jalan mati", "Lampu jalan di pasar mati.")
    other = publish("Sampah", "Sampah di pasar.", minutes=1)
    before = words_of(report)
    if change == "status":
        report.status = Status.IN_PROGRESS
    elif change == "agency":
        report.agency_id = factories.agency("kemenkes").id
    elif change == "category":
        report.category_id = categories.get_by_slug("infrastruktur").id
    elif change == "region":
        report.region_code = LEBAK
    else:
        report.report_type = "aspirasi"
    db.session.commit()
    after = words_of(report)
    assert before != after
    for word in before - after:
        assert report.id not in indexed_with(word), word
    for word in after:
        assert report.id in indexed_with(word), word
    assert other.id in indexed_with(search.facet_word(search.STATUS, Status.ROUTED))
    # The text is still found, once.
    matches = search.public_matches("lampu")
    assert list(db.session.scalars(select(matches.c.report_id))) == [report.id]


def test_a_report_that_leaves_the_board_leaves_the_index_with_its_words(db_session):
    report = publish("Lampu jalan mati", "Lampu jalan di pasar mati.")
    words = words_of(report)
    report.is_confidential = True
    db.session.commit()
    for word in words:
        assert indexed_with(word) == set(), word
    report.is_confidential = False
    report.status = Status.CLOSED
    db.session.commit()
    assert report.id in indexed_with(f"s{Status.CLOSED}")
    report.public_body = None
    db.session.commit()
    assert indexed_with(f"s{Status.CLOSED}") == set()


def test_a_filing_is_not_indexed(db_session):
    receipt = factories.file_report(now=FILED, incident_date=date(2026, 10, 30))
    report = db.session.get(Report, receipt.report_id)
    assert report.id not in indexed_with(search.facet_word(search.STATUS, Status.SUBMITTED))
    assert report.id not in indexed_with(search.facet_word(search.REGION, report.region_code))


def test_the_migration_wrote_the_words_as_the_search_module_spells_them():
    path = Path(__file__).parents[2] / "migrations" / "versions" / "0028_search_facets.py"
    spec = importlib.util.spec_from_file_location("migration_0028", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    for row in ("new.", "old.", "NEW.", "OLD.", "reports.", "r."):
        assert migration._facets(row) == search.facets_sql(row)
    assert re.fullmatch(r"[a-z]", search.AGENCY)
