"""Full-text search of the public text (app/services/search.py) and the board's list paged by
cursor (board.public_report_list): what a reader finds, and only what the public may read.

Runs on SQLite (FTS5) and, with TEST_DATABASE_URL=postgresql://…, on PostgreSQL (tsvector).
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Report
from app.services import board, redaction, search, workflow
from tests import factories

FILED = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
ADMIN = factories.actor  # called inside tests (needs the app)


def publish(title: str, body: str, *, minutes: int = 0, agency: str = "dinkes-kota-padang",
            original: str | None = None, **overrides) -> Report:
    """File a report (its text ``original``) and route it with ``title`` and ``body`` as its
    reviewed public text."""
    overrides.setdefault("incident_date", date(2026, 10, 30))
    overrides["body"] = original or f"{body} Teks asli yang panjang untuk laporan ini."
    now = FILED + timedelta(minutes=minutes)
    receipt = factories.file_report(now=now, **overrides)
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", factories.actor("national_admin"), now + timedelta(minutes=1),
                   workflow.ActionInput(agency=factories.agency(agency), resolution_class="ringan",
                                        extra={"public_title": title, "public_body": body}))
    db.session.commit()
    return report


def found(q: str, **filters) -> list[str]:
    """References the board's list shows for ``q``, best first (first page)."""
    return [r.reference for r in board.public_report_list(board.ReportFilter(q=q, **filters)).items]


def indexed(q: str) -> set[int]:
    """Report ids the index itself returns for ``q`` (no public filter on top)."""
    matches = search.public_matches(q)
    return set(db.session.scalars(select(matches.c.report_id)))


# --- the query syntax --------------------------------------------------------------------------

def test_words_are_anded_whole_and_case_does_not_matter(db_session):
    lamp = publish("Lampu jalan mati", "Lampu jalan di depan pasar mati sejak sebulan.")
    road = publish("Jalan berlubang", "Jalanan rusak dan berlubang di dekat sekolah.", minutes=1)
    canteen = publish("Kantin sekolah", "Menu KANTIN sekolah kurang bergizi.", minutes=2)
    assert set(found("JALAN")) == {lamp.reference, road.reference}
    assert found("jalan lampu") == [lamp.reference]  # both words, any order
    assert found("jalan kantin") == []
    assert found("jalanan") == [road.reference]  # a whole word: "jalan" is not "jalanan"
    assert found("Kantin") == [canteen.reference]


def test_a_quoted_phrase_keeps_its_words_together_and_in_order(db_session):
    together = publish("Lampu jalan mati", "Lampu jalan di depan pasar mati.")
    apart = publish("Jalan gelap", "Jalan ini gelap karena tidak ada lampu.", minutes=1)
    assert set(found("lampu jalan")) == {together.reference, apart.reference}
    assert found('"lampu jalan"') == [together.reference]
    assert found('"jalan lampu"') == []


def test_a_star_matches_the_start_of_words(db_session):
    fixed = publish("Perbaikan saluran", "Mohon perbaikan saluran air yang tersumbat.")
    publish("Sampah menumpuk", "Sampah di pasar tidak diangkut.", minutes=1)
    assert found("perbai*") == [fixed.reference]
    assert found("perbai") == []


def test_the_title_ranks_above_the_text(db_session):
    in_body = publish("Keluhan layanan", "Pelayanan puskesmas lambat sekali hari ini.")
    in_title = publish("Puskesmas lambat", "Antrean panjang dan petugas sedikit.", minutes=1)
    assert found("puskesmas") == [in_title.reference, in_body.reference]


def test_a_reference_finds_its_report(db_session):
    report = publish("Sampah menumpuk", "Sampah di pasar tidak diangkut.")
    publish("Sampah lagi", "Sampah di terminal.", minutes=1)
    assert found(report.reference.lower()) == [report.reference]


@pytest.mark.parametrize("q", ['NEAR(lampu jalan)', 'lampu OR', '"', '*', '-lampu', 'lampu^',
                               'title:lampu', '(lampu', "lampu' OR '1'='1", "a\\b", ':*', "&|!"])
def test_operators_typed_are_words_or_nothing_never_an_error(db_session, q):
    lamp = publish("Lampu jalan mati", "Lampu di pasar mati.")
    result = found(q)
    assert result in ([], [lamp.reference])


def test_nothing_to_search_for_finds_nothing(db_session):
    publish("Lampu jalan mati", "Lampu di pasar mati.")
    assert search.parse("!!! ??") == []
    assert found("!!!") == []


def test_at_most_six_terms_count():
    assert len(search.parse("satu dua tiga empat lima enam tujuh delapan")) == search.MAX_TERMS


# --- only what the public reads ----------------------------------------------------------------

def test_a_name_masked_by_redaction_is_not_findable(db_session):
    report = publish("Pungutan liar di kelurahan",
                     "Saya Wirya Kusumadinata dimintai uang oleh petugas kelurahan.",
                     reporter_name="Wirya Kusumadinata",
                     original="Saya Wirya Kusumadinata dimintai uang oleh petugas kelurahan. "
                          "ORIGINALONLY kata yang hanya ada di teks asli.")
    assert "Kusumadinata" not in report.public_body and "[NAMA]" in report.public_body
    assert found("pungutan") == [report.reference]
    assert found("Kusumadinata") == [] and indexed("Kusumadinata") == set()
    assert found("Wirya") == []
    assert found("ORIGINALONLY") == []  # the original text is never searched


def test_a_confidential_or_unverified_report_is_not_in_the_index(db_session):
    secret = publish("Rahasia gudang obat", "Gudang obat dibiarkan terbuka.", is_confidential=True)
    receipt = factories.file_report(now=FILED, incident_date=date(2026, 10, 30), title="Belum diverifikasi gudang obat",
                                    body="Gudang obat belum diverifikasi oleh siapa pun juga.")
    assert indexed("gudang") == set()
    assert secret.id not in indexed("gudang") and receipt.report_id not in indexed("gudang")


def test_publication_adds_the_report_to_the_index(db_session):
    receipt = factories.file_report(now=FILED, incident_date=date(2026, 10, 30), title="Trotoar rusak parah sekali",
                                    body="Trotoar di depan kantor camat rusak parah sekali.")
    assert indexed("trotoar") == set()
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", factories.actor("national_admin"), FILED + timedelta(hours=1),
                   workflow.ActionInput(agency=factories.agency("dinkes-kota-padang"),
                                        resolution_class="ringan",
                                        extra={"public_title": report.title,
                                               "public_body": report.body}))
    db.session.commit()
    assert indexed("trotoar") == {report.id}


def test_a_change_of_the_public_text_replaces_what_is_indexed(db_session):
    report = publish("Lampu jalan mati", "Lampu jalan di depan Toko Sinar mati.")
    report.public_body = redaction.public_version(report, "Lampu di depan [DISENSOR] mati.")
    report.public_title = "Lampu mati"
    db.session.commit()
    assert indexed("sinar") == set() and indexed("jalan") == set()
    assert indexed("lampu") == {report.id} and found("lampu") == [report.reference]


def test_making_a_report_confidential_or_withdrawing_its_text_takes_it_out(db_session):
    hidden = publish("Lampu jalan mati", "Lampu jalan di pasar mati.")
    withdrawn = publish("Lampu taman mati", "Lampu taman kota mati.", minutes=1)
    assert indexed("lampu") == {hidden.id, withdrawn.id}
    hidden.is_confidential = True
    withdrawn.public_body = None
    db.session.commit()
    assert indexed("lampu") == set() and found("lampu") == []


def test_later_steps_leave_one_entry_per_report(db_session):
    report = publish("Lampu jalan mati", "Lampu jalan di pasar mati.")
    officer = factories.actor("officer")
    workflow.apply(report, "respond", officer, FILED + timedelta(days=1),
                   workflow.ActionInput(text="Kami periksa."))
    workflow.apply(report, "transfer", officer, FILED + timedelta(days=2),
                   workflow.ActionInput(agency=factories.agency("kemenkes"), reason="Bukan wewenang"))
    db.session.commit()
    matches = search.public_matches("lampu")
    assert list(db.session.scalars(select(matches.c.report_id))) == [report.id]


# --- pages by cursor ---------------------------------------------------------------------------

def walk(flt: board.ReportFilter) -> list[board.ReportList]:
    pages = [board.public_report_list(flt)]
    while pages[-1].next_cursor:
        pages.append(board.public_report_list(flt, pages[-1].next_cursor))
    return pages


def test_next_and_previous_pages_cover_the_list_once_in_order(db_session):
    made = [publish(f"Sampah menumpuk nomor {n}", f"Sampah di pasar {n} tidak diangkut.",
                    minutes=n // 2) for n in range(45)]  # pairs share a submission minute
    pages = walk(board.ReportFilter())
    assert [p.page for p in pages] == [1, 2, 3] and [len(p.items) for p in pages] == [20, 20, 5]
    listed = [r.id for p in pages for r in p.items]
    expected = [r.id for r in sorted(made, key=lambda r: (r.submitted_at, r.id), reverse=True)]
    assert listed == expected
    assert pages[0].prev_cursor is None and pages[-1].next_cursor is None
    back = board.public_report_list(board.ReportFilter(), pages[2].prev_cursor)
    assert back.page == 2 and [r.id for r in back.items] == [r.id for r in pages[1].items]
    first = board.public_report_list(board.ReportFilter(), back.prev_cursor)
    assert first.page == 1 and first.prev_cursor is None
    assert [r.id for r in first.items] == [r.id for r in pages[0].items]
    assert pages[1].total == 45 and pages[1].pages == 3


def test_search_results_page_by_relevance_too(db_session):
    for n in range(25):
        # More mentions of "sampah" in a short text rank higher; some ties share a score.
        publish(f"Laporan {n}", "sampah " * (1 + n % 4) + "di pasar tidak diangkut.", minutes=n)
    flt = board.ReportFilter(q="sampah")
    pages = walk(flt)
    listed = [r.id for p in pages for r in p.items]
    assert len(listed) == 25 and len(set(listed)) == 25
    assert [r.id for r in board.public_report_list(flt, pages[1].prev_cursor).items] == \
        [r.id for r in pages[0].items]


def test_filters_hold_across_pages(db_session):
    for n in range(23):
        publish(f"Sampah menumpuk {n}", "Sampah di pasar tidak diangkut.", minutes=n,
                agency="dinkes-kota-padang" if n % 2 else "kemenkes")
    flt = board.ReportFilter(agency="dinkes-kota-padang", q="sampah")
    pages = walk(flt)
    assert [len(p.items) for p in pages] == [11]
    everyone = walk(board.ReportFilter(q="sampah"))
    assert [len(p.items) for p in everyone] == [20, 3]


@pytest.mark.parametrize("token", ["", "garbage", "eyJ4Ijox", "W10", "WyJuZXdlc3QiLDEsMSwxLDFd",
                                   "WyJuZXdlc3QiLDEsIjIwMjYtMTEtMDJUMDI6MDA6MDAiLDEsMiwzLDBd",
                                   "x" * 500])
def test_a_cursor_that_is_not_one_gives_the_first_page(db_session, token):
    report = publish("Sampah menumpuk", "Sampah di pasar tidak diangkut.")
    page = board.public_report_list(board.ReportFilter(), token)
    assert page.page == 1 and [r.id for r in page.items] == [report.id]


def test_a_cursor_of_another_order_is_ignored(db_session):
    for n in range(21):
        publish(f"Sampah menumpuk {n}", "Sampah di pasar tidak diangkut.", minutes=n)
    newest = board.public_report_list(board.ReportFilter())
    searched = board.public_report_list(board.ReportFilter(q="sampah"), newest.next_cursor)
    assert searched.page == 1 and len(searched.items) == 20


def test_a_cursor_of_other_filters_is_ignored(db_session):
    for n in range(21):
        publish(f"Sampah menumpuk {n}", "Sampah di pasar tidak diangkut.", minutes=n)
    everything = board.public_report_list(board.ReportFilter())
    narrowed = board.public_report_list(board.ReportFilter(agency="dinkes-kota-padang"),
                                        everything.next_cursor)
    assert narrowed.page == 1 and len(narrowed.items) == 20
    with pytest.raises(board.CursorRefused):
        board.public_report_list(board.ReportFilter(agency="dinkes-kota-padang"),
                                 everything.next_cursor, strict=True)
    # A token made before cursors named their filters is still followed.
    older = board.Cursor.decode(everything.next_cursor)
    unscoped = board.Cursor(*(getattr(older, f) for f in ("order", "after", "key", "page", "total",
                                                          "capped"))).encode()
    assert board.public_report_list(board.ReportFilter(), unscoped).page == 2


def test_a_word_in_too_many_reports_lists_them_newest_first_page_by_page(db_session, monkeypatch):
    made = [publish(f"Jalan rusak {n}", "Jalan berlubang " * (1 + n % 3) + "di depan pasar.",
                    minutes=n) for n in range(45)]
    ranked = board.public_report_list(board.ReportFilter(q="jalan"))
    assert not ranked.newest_first
    monkeypatch.setattr(board, "RANK_AT_MOST", 30)
    flt = board.ReportFilter(q="jalan")
    pages = walk(flt)
    assert all(p.newest_first for p in pages) and [len(p.items) for p in pages] == [20, 20, 5]
    listed = [r.id for p in pages for r in p.items]
    assert listed == sorted((r.id for r in made), reverse=True)
    # Counted up to RANK_AT_MOST only: "more than 30".
    assert (pages[2].total, pages[2].total_is_capped) == (30, True)
    assert pages[2].page == 3 and pages[-1].next_cursor is None
    back = board.public_report_list(flt, pages[2].prev_cursor)
    assert back.page == 2 and [r.id for r in back.items] == [r.id for r in pages[1].items]
    # Words with a filter: the same rule, counted to RANK_AT_MOST, then newest first
    # (ranking every match cost what the matches number).
    filtered = walk(board.ReportFilter(q="jalan", agency="dinkes-kota-padang"))
    assert all(p.newest_first for p in filtered)
    assert [r.id for p in filtered for r in p.items] == listed
    assert (filtered[0].total, filtered[0].total_is_capped) == (30, True)
    # A filter with few matches: ranked.
    assert not board.public_report_list(board.ReportFilter(q="jalan", agency="kemenkes")).newest_first
    # A ranked page's cursor is still followed (a link made before the matches grew).
    assert board.public_report_list(flt, ranked.next_cursor).page == 2


def test_the_board_says_when_matches_come_newest_first(client, db_session, monkeypatch):
    for n in range(4):
        publish(f"Jalan rusak {n}", "Jalan berlubang di depan pasar.", minutes=n)
    monkeypatch.setattr(board, "RANK_AT_MOST", 2)
    page = client.get("/transparansi/laporan?q=jalan").get_data(as_text=True)
    assert "yang terakhir masuk lebih dulu" in page
    # The order is the order of filing (report id), and both languages say so.
    import flask_babel

    client.get("/bahasa?lang=en&next=/transparansi/laporan")
    flask_babel.refresh()  # the test's app context outlives a request: forget the locale it chose
    page = client.get("/transparansi/laporan?q=jalan").get_data(as_text=True)
    assert "Too many matches to rank by relevance: most recently filed first." in page


def public_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(board.public_reports_query().subquery()))


def test_the_unfiltered_list_shows_the_count_kept_at_publication(db_session, monkeypatch):
    made = [publish(f"Lampu mati {n}", "Lampu taman kota mati.", minutes=n) for n in range(5)]
    factories.file_report(now=FILED, incident_date=date(2026, 10, 30), title="Belum diverifikasi",
                          body="Laporan yang belum diverifikasi oleh siapa pun juga.")
    assert board.public_report_total() == public_rows() == 5
    made[0].is_confidential = True
    made[1].public_body = None
    db.session.commit()
    assert board.public_report_total() == public_rows() == 3
    made[0].is_confidential = False
    made[2].public_title = "Lampu taman mati"  # still public: no change in the count
    db.session.commit()
    assert board.public_report_total() == public_rows() == 4
    # Past COUNT_CAP the unfiltered list still says exactly how many (it counts nothing); a
    # filtered one says "more than".
    monkeypatch.setattr(board, "COUNT_CAP", 2)
    whole = board.public_report_list(board.ReportFilter())
    assert (whole.total, whole.total_is_capped) == (4, False)
    deeper = board.public_report_list(board.ReportFilter(), whole.next_cursor) if whole.next_cursor else whole
    assert (deeper.total, deeper.total_is_capped) == (4, False)
    filtered = board.public_report_list(board.ReportFilter(agency="dinkes-kota-padang",
                                                           report_type="pengaduan"))
    assert (filtered.total, filtered.total_is_capped) == (2, True)


def test_newest_first_matches_are_read_in_the_index_s_order_not_sorted(db_session, monkeypatch):
    """The unranked page asks the index for its matches by id alone, in its own order, and
    stops at the page: no sort of every match (an ORDER BY naming the id twice made SQLite
    sort them all: 182,000 for ``jalan`` at a million reports). The page's 21 rows may be
    sorted again after they are read."""
    if db.session.get_bind().dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    for n in range(4):
        publish(f"Jalan rusak {n}", "Jalan berlubang di depan pasar.", minutes=n)
    monkeypatch.setattr(board, "RANK_AT_MOST", 2)
    statements = []

    def capture(_conn, _cursor, statement, parameters, *_rest):
        if "MATCH" in statement and "count(" not in statement:
            statements.append((statement, parameters))

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", capture)
    try:
        first = board.public_report_list(board.ReportFilter(q="jalan"))
        board.public_report_list(board.ReportFilter(q="jalan"), first.next_cursor)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    assert first.newest_first and len(statements) == 2
    for statement, parameters in statements:
        plan = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                       parameters).all()
        scan = next(row[-1] for row in plan if "SCAN report_search" in row[-1])
        # FTS5's plan number: 0x40 is "ORDER BY rowid" handed to the index (0x80: descending).
        assert int(re.search(r"INDEX (\d+)", scan).group(1)) & 0x40, plan
