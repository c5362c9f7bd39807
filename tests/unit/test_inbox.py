"""inbox.py: the agency inbox and the verification queue — scope, filters, order, pages (in SQL)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.models import Agency, Report
from app.models.agency import UNIT
from app.services import inbox, querying, workflow
from app.services.inbox import InboxFilter, Page
from tests import factories

TODAY = date(2026, 11, 23)
T0 = datetime(2026, 11, 2, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def unit(db_session):
    """A fresh unit below pemkot-padang, so that counts here are exact."""
    agency = Agency(slug="dinas-uji-kotak-masuk", name="Dinas Uji Kotak Masuk", level=UNIT,
                    region_code=factories.PADANG, parent=factories.agency("pemkot-padang"))
    db.session.add(agency)
    db.session.flush()
    return agency


@pytest.fixture
def officer(unit):
    return factories.make_user("officer", unit.slug)


def routed(unit, now=T0, **overrides):
    overrides.setdefault("incident_date", date(2026, 11, 1))
    return factories.routed_report(unit.slug, now=now, **overrides)


def refs(page: Page) -> list[str]:
    return [r.reference for r in page.items]


def listing(user, **filters) -> list[str]:
    return refs(inbox.agency_inbox(user, InboxFilter(**filters), TODAY))


# --- scope -------------------------------------------------------------------------------------

def test_the_inbox_holds_the_agencys_routed_reports_only(unit, officer):
    mine = routed(unit)
    routed_elsewhere = factories.routed_report("pemkab-lebak")
    parents = factories.routed_report("pemkot-padang")
    unrouted = db.session.get(Report, factories.file_report(agency_slug=unit.slug).report_id)
    assert listing(officer) == [mine.reference]
    admin = factories.make_user("agency_admin", "pemkot-padang")
    listed = set(listing(admin))
    assert {mine.reference, parents.reference} <= listed
    assert routed_elsewhere.reference not in listed and unrouted.reference not in listed


def test_the_national_admin_and_oversight_inbox_is_every_routed_report(unit):
    mine = routed(unit)
    unrouted = db.session.get(Report, factories.file_report().report_id)
    for role in ("national_admin", "oversight"):
        listed = listing(factories.make_user(role))
        assert mine.reference in listed and unrouted.reference not in listed


# --- filters -----------------------------------------------------------------------------------

def test_status_filter(unit, officer):
    a = routed(unit)
    b = routed(unit)
    workflow.apply(b, "respond", factories.actor("officer", unit.slug), T0 + timedelta(days=1),
                   workflow.ActionInput(text="Kami periksa."))
    db.session.flush()
    assert listing(officer, status="in_progress") == [b.reference]
    assert listing(officer, status="routed") == [a.reference]
    assert listing(officer, status="closed") == []
    assert set(listing(officer, status="bukan-status")) == {a.reference, b.reference}


def test_category_filter(unit, officer):
    health = routed(unit, category_slug="kesehatan")
    roads = routed(unit, category_slug="infrastruktur")
    none = routed(unit, category_slug=None)
    assert listing(officer, category="kesehatan") == [health.reference]
    assert listing(officer, category="infrastruktur") == [roads.reference]
    assert listing(officer, category="tidak-ada") == []
    assert set(listing(officer)) == {health.reference, roads.reference, none.reference}


def test_overdue_means_due_before_today(unit, officer):
    reports = [routed(unit) for _ in range(4)]
    for report, due in zip(reports, (TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1), None)):
        report.due_on = due
    db.session.flush()
    assert listing(officer, overdue=True) == [reports[0].reference]


def test_dates_are_jakarta_days(unit, officer):
    # 16:59 UTC is 23:59 in Jakarta; 17:00 UTC is already the next day there.
    late_on_the_9th = routed(unit, now=datetime(2026, 11, 9, 16, 59, tzinfo=timezone.utc))
    early_on_the_10th = routed(unit, now=datetime(2026, 11, 9, 17, 0, tzinfo=timezone.utc))
    on_the_12th = routed(unit, now=datetime(2026, 11, 12, 3, 0, tzinfo=timezone.utc))
    assert listing(officer, date_from=date(2026, 11, 10)) == [early_on_the_10th.reference, on_the_12th.reference]
    assert listing(officer, date_to=date(2026, 11, 9)) == [late_on_the_9th.reference]
    assert listing(officer, date_from=date(2026, 11, 10), date_to=date(2026, 11, 10)) == [early_on_the_10th.reference]
    assert listing(officer, date_from=date(2026, 11, 13)) == []
    assert listing(officer, date_from=date(2026, 11, 12), date_to=date(2026, 11, 9)) == []


def test_inbox_day_start_is_midnight_in_jakarta():
    start = querying.jakarta_day_start(date(2026, 11, 10))
    assert start == datetime(2026, 11, 9, 17, 0, tzinfo=timezone.utc)


@pytest.fixture
def texts(unit):
    return {
        "roof": routed(unit, title="Atap puskesmas bocor", body="Air masuk ke ruang tunggu saat hujan deras."),
        "vaccine": routed(unit, title="Jadwal imunisasi", body="Posyandu RW 04 tidak mengumumkan jadwal."),
        "percent": routed(unit, title="Diskon 50% tidak berlaku", body="Potongan harga obat tidak diberikan."),
        "under": routed(unit, title="Kode antrian_2 hilang", body="Sistem antrean rusak di loket 2."),
    }


@pytest.mark.parametrize("q,expected", [
    ("bocor", {"roof"}),
    ("BoCoR", {"roof"}),
    ("hujan", {"roof"}),                  # body
    ("posyandu jadwal", {"vaccine"}),     # every word, in any order
    ("posyandu hujan", set()),
    ("50%", {"percent"}),
    ("%", {"percent"}),                   # a literal percent sign, not "anything"
    ("_", {"under"}),                     # a literal underscore, not "any character"
    ("antrian_2", {"under"}),
    ("antrian22", set()),
    ("\\", set()),
    ("   ", {"roof", "vaccine", "percent", "under"}),
])
def test_full_text_search(officer, texts, q, expected):
    assert set(listing(officer, q=q)) == {texts[k].reference for k in expected}


def test_search_by_reference_whole_or_in_part(officer, texts):
    reference = texts["vaccine"].reference
    assert listing(officer, q=reference) == [reference]
    assert listing(officer, q=reference.lower()) == [reference]
    assert listing(officer, q=reference.rsplit("-", 1)[1]) == [reference]


def test_only_the_first_six_words_count(officer, texts):
    six_then_nonsense = "atap puskesmas bocor air masuk hujan zzzzzz"
    assert listing(officer, q=six_then_nonsense) == [texts["roof"].reference]


# --- order ---------------------------------------------------------------------------------------

@pytest.fixture
def dated(unit):
    """Five reports whose stored deadlines are set by hand (what the ORDER BY reads)."""
    dues = {"none_old": None, "late": date(2026, 11, 25), "early": date(2026, 11, 20),
            "none_new": None, "tie_b": date(2026, 11, 22), "tie_a": date(2026, 11, 22)}
    made = {}
    for n, (name, due) in enumerate(dues.items()):
        report = routed(unit, now=T0 + timedelta(days=n))
        report.due_on = due
        made[name] = report
    db.session.flush()
    return made


def test_deadline_order_puts_reports_without_a_running_clock_last(officer, dated):
    expected = ["early", "tie_b", "tie_a", "late", "none_old", "none_new"]  # ties: older first
    assert listing(officer, sort="deadline") == [dated[n].reference for n in expected]
    assert listing(officer) == listing(officer, sort="deadline")           # the default


def test_submission_order(officer, dated):
    by_age = ["none_old", "late", "early", "none_new", "tie_b", "tie_a"]
    assert listing(officer, sort="oldest") == [dated[n].reference for n in by_age]
    assert listing(officer, sort="newest") == [dated[n].reference for n in reversed(by_age)]


def test_the_same_submission_time_is_ordered_by_id(unit, officer):
    same = [routed(unit, now=T0) for _ in range(3)]
    assert listing(officer, sort="oldest") == [r.reference for r in same]
    assert listing(officer, sort="newest") == [r.reference for r in reversed(same)]


# --- pages ---------------------------------------------------------------------------------------

@pytest.fixture
def many(unit):
    return [routed(unit, now=T0 + timedelta(hours=n)) for n in range(inbox.PAGE_SIZE * 2 + 3)]


def test_pages_of_twenty_five(officer, many):
    seen = []
    for number in (1, 2, 3):
        page = inbox.agency_inbox(officer, InboxFilter(sort="oldest", page=number), TODAY)
        assert page.total == len(many) == 53
        assert page.pages == 3 and page.page == number
        assert page.has_prev is (number > 1) and page.has_next is (number < 3)
        seen += refs(page)
    assert [len(seen[i:i + 25]) for i in (0, 25, 50)] == [25, 25, 3]
    assert seen == [r.reference for r in many]


def test_a_page_out_of_range_is_clamped(officer, many):
    for asked, shown in ((0, 1), (-5, 1), (4, 3), (1000, 3)):
        page = inbox.agency_inbox(officer, InboxFilter(page=asked), TODAY)
        assert (page.page, bool(page.items)) == (shown, True), asked


def test_an_empty_list_is_one_empty_page(officer):
    page = inbox.agency_inbox(officer, InboxFilter(page=3), TODAY)
    assert (page.total, page.pages, page.page, page.items) == (0, 1, 1, [])
    assert not page.has_prev and not page.has_next


def test_the_total_counts_the_filtered_rows_not_the_page(officer, many):
    page = inbox.agency_inbox(officer, InboxFilter(q=many[0].reference), TODAY)
    assert page.total == 1 and refs(page) == [many[0].reference]


# --- the verification queue ---------------------------------------------------------------------

def test_the_queue_holds_new_reports_and_those_on_hold_before_routing(unit):
    admin = factories.actor("national_admin")
    marker = "antrean-verifikasi-uji"
    new = db.session.get(Report, factories.file_report(title=f"Baru {marker}").report_id)
    asked = db.session.get(Report, factories.file_report(title=f"Ditanya {marker}").report_id)
    workflow.apply(asked, "request_info", admin, T0 + timedelta(days=22), workflow.ActionInput(text="Di mana?"))
    routed_then_held = routed(unit, title=f"Diteruskan {marker}")
    workflow.apply(routed_then_held, "request_info", factories.actor("officer", unit.slug),
                   T0 + timedelta(days=1), workflow.ActionInput(text="Foto?"))
    archived = db.session.get(Report, factories.file_report(title=f"Arsip {marker}").report_id)
    workflow.apply(archived, "archive", admin, T0 + timedelta(days=22), workflow.ActionInput(reason="spam"))
    routed(unit, title=f"Diteruskan saja {marker}")
    db.session.flush()

    flt = InboxFilter(q=marker, status="routed")
    page = inbox.verification_queue(flt, TODAY)
    assert set(refs(page)) == {new.reference, asked.reference}
    assert flt.status == "routed"  # the caller's filter is left as it was


# --- which clock ---------------------------------------------------------------------------------

@pytest.fixture
def clocks(unit):
    """An agency deadline passed, one to come, and two resolved reports waiting for the reporter."""
    officer = factories.actor("officer", unit.slug)
    late = routed(unit, now=T0)                       # first follow-up due 9 November: passed
    upcoming = routed(unit, now=datetime(2026, 11, 20, 3, tzinfo=timezone.utc))  # due 27 November
    answered = routed(unit, now=T0)
    workflow.apply(answered, "resolve", officer, datetime(2026, 11, 4, 3, tzinfo=timezone.utc),
                   workflow.ActionInput(text="Selesai."))  # reporter's window ends 18 November
    answering = routed(unit, now=T0)
    workflow.apply(answering, "resolve", officer, datetime(2026, 11, 20, 3, tzinfo=timezone.utc),
                   workflow.ActionInput(text="Selesai."))  # reporter's window ends 4 December
    db.session.flush()
    return {"late": late, "upcoming": upcoming, "answered": answered, "answering": answering}


def test_the_reporters_answer_window_is_not_an_overdue_agency_deadline(officer, clocks):
    assert clocks["answered"].due_clock == "reporter_answer"
    assert clocks["answered"].due_on < TODAY
    assert listing(officer, overdue=True) == [clocks["late"].reference]


def test_deadline_order_puts_the_agencys_own_deadlines_first(officer, clocks):
    expected = ["late", "upcoming", "answered", "answering"]
    assert listing(officer, sort="deadline") == [clocks[n].reference for n in expected]
