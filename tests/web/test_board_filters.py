"""The board's lists: report filters a person can use (agency by name, province → kab/kota), with
and without JavaScript, and an agency table that sorts both ways and says how it is sorted."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from app import clock
from app.extensions import db
from app.models import Agency, Report
from app.models.agency import NATIONAL
from app.services import statistics, workflow
from tests import factories

SUBMITTED = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
ADMIN = workflow.Actor(kind="officer", role="national_admin")


def public_report(title: str, region: str, agency: str):
    receipt = factories.file_report(now=SUBMITTED, region_code=region, agency_slug=None,
                                    incident_date=date(2026, 10, 30))
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", ADMIN, SUBMITTED + timedelta(hours=2), workflow.ActionInput(
        agency=factories.agency(agency), resolution_class="ringan",
        extra={"public_title": title, "public_body": "Teks publik laporan."}))
    db.session.commit()
    return report


@pytest.fixture
def listed(db_session):
    return {
        "padang": public_report("Antrean panjang di puskesmas Kota Padang", "13.71", "dinkes-kota-padang"),
        "solok": public_report("Jalan rusak di Kota Solok", "13.72", "kemenkes"),
        "lebak": public_report("Sekolah rusak di Lebak", "36.02", "pemkab-lebak"),
    }


def titles(html: str) -> set[str]:
    return {t for t in ("Antrean panjang", "Jalan rusak", "Sekolah rusak") if t in html}


def options(html: str, select_id: str) -> dict[str, str]:
    """{value: label} of a <select>; the selected value under the key ``selected``."""
    block = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert block, f"no select #{select_id}"
    found = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', block[1]))
    chosen = re.search(r'<option value="([^"]*)"\s*selected', block[1])
    found["selected"] = chosen[1] if chosen else None
    return found


# --- agency filter ------------------------------------------------------------------------------

def test_the_agency_filter_is_a_name_search_narrowing_a_select(client, listed):
    page = client.get("/transparansi/laporan").get_data(as_text=True)
    assert "slug" not in page.split('class="filters"')[1].split("</form>")[0].lower()
    assert 'list="agency-hint"' not in page
    assert re.search(r'<label for="agency_q">Cari instansi</label>', page)
    assert '<label for="agency">Instansi</label>' in page

    # Without JavaScript: submit the name, get a shorter list, choose from it.
    page = client.get("/transparansi/laporan?agency_q=kesehatan+padang").get_data(as_text=True)
    choices = options(page, "agency")
    assert choices.get("dinkes-kota-padang") == "Dinas Kesehatan Kota Padang"
    assert "pemkab-lebak" not in choices and "kemenkes" not in choices
    assert 'value="kesehatan padang"' in page  # the search box keeps what was typed
    assert titles(page) == {"Antrean panjang", "Jalan rusak", "Sekolah rusak"}  # nothing chosen yet

    page = client.get("/transparansi/laporan?agency_q=kesehatan+padang&agency=dinkes-kota-padang"
                      ).get_data(as_text=True)
    assert titles(page) == {"Antrean panjang"}
    assert options(page, "agency")["selected"] == "dinkes-kota-padang"


def test_htmx_narrows_the_agency_select_and_keeps_the_chosen_agency(client, listed):
    response = client.get("/transparansi/laporan/instansi?agency_q=lebak&agency=kemenkes",
                          headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="agency-filter"' in html
    choices = options(html, "agency")
    assert "pemkab-lebak" in choices
    assert choices["selected"] == "kemenkes"  # narrowing never drops the filter in force
    assert "HX-Request" in response.headers["Vary"]
    # Without htmx the address is the list itself, filters kept.
    plain = client.get("/transparansi/laporan/instansi?agency_q=lebak")
    assert plain.status_code == 302 and "/transparansi/laporan?agency_q=lebak" in plain.headers["Location"]


def test_name_search_without_text_offers_national_agencies(client, listed):
    html = client.get("/transparansi/laporan").get_data(as_text=True)
    national = db.session.scalars(db.select(Agency.slug).where(Agency.level == NATIONAL)).all()
    assert set(national) <= set(options(html, "agency"))


# --- region filter ------------------------------------------------------------------------------

def test_province_then_kab_kota_without_javascript(client, listed):
    page = client.get("/transparansi/laporan").get_data(as_text=True)
    assert re.search(r'<select id="region" name="region" disabled', page)  # a province first

    page = client.get("/transparansi/laporan?province=13").get_data(as_text=True)
    regencies = options(page, "region")
    assert regencies["13.71"] == "Kota Padang" and regencies["13.72"] == "Kota Solok"
    assert "36.02" not in regencies
    assert titles(page) == {"Antrean panjang", "Jalan rusak"}

    page = client.get("/transparansi/laporan?province=13&region=13.72").get_data(as_text=True)
    assert titles(page) == {"Jalan rusak"}
    assert options(page, "region")["selected"] == "13.72"
    assert options(page, "province")["selected"] == "13"


def test_a_kab_kota_outside_the_chosen_province_is_dropped(client, listed):
    # The province was changed (no JavaScript) while the old kab/kota stayed in the form.
    page = client.get("/transparansi/laporan?province=36&region=13.71").get_data(as_text=True)
    assert titles(page) == {"Sekolah rusak"}
    # "All provinces" means all of them, whatever kab/kota was left behind.
    page = client.get("/transparansi/laporan?province=&region=13.71").get_data(as_text=True)
    assert titles(page) == {"Antrean panjang", "Jalan rusak", "Sekolah rusak"}


def test_a_link_with_region_alone_still_filters(client, listed):
    page = client.get("/transparansi/laporan?region=13.71").get_data(as_text=True)
    assert titles(page) == {"Antrean panjang"}
    assert options(page, "province")["selected"] == "13"
    assert options(page, "region")["selected"] == "13.71"
    assert titles(client.get("/transparansi/laporan?region=13").get_data(as_text=True)) == {
        "Antrean panjang", "Jalan rusak"}


def test_htmx_region_options_and_the_address_bar(client, listed):
    html = client.get("/transparansi/laporan/wilayah?province=36",
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="region-filter"' in html and "36.02" in options(html, "region")
    response = client.get("/transparansi/laporan?q=&agency_q=&agency=&province=36&region=13.71&type=",
                          headers={"HX-Request": "true"})
    assert titles(response.get_data(as_text=True)) == {"Sekolah rusak"}
    # The address bar shows the filters in force, not the stale kab/kota or empty fields.
    pushed = urlsplit(response.headers["HX-Push-Url"])
    assert pushed.path == "/transparansi/laporan" and parse_qs(pushed.query) == {"province": ["36"]}


def test_downloads_use_the_same_filters(client, listed):
    body = client.get("/transparansi/laporan.csv?province=13&region=13.72").get_data(as_text=True)
    assert "Jalan rusak" in body and "Antrean panjang" not in body


def test_the_api_keeps_its_parameter_names(client, listed):
    items = client.get("/api/v1/complaints?region=13.71").get_json()["items"]
    assert [i["reference"] for i in items] == [listed["padang"].reference]
    items = client.get("/api/v1/complaints?agency=pemkab-lebak").get_json()["items"]
    assert [i["reference"] for i in items] == [listed["lebak"].reference]


# --- CSV injection through a public title --------------------------------------------------------

def test_a_public_title_cannot_become_a_spreadsheet_formula(client, db_session):
    public_report('=HYPERLINK("http://jahat.example","klik")', "13.71", "dinkes-kota-padang")
    public_report("@SUM(1+1)*cmd|' /C calc'!A0", "13.71", "dinkes-kota-padang")
    body = client.get("/transparansi/laporan.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert {r["title"] for r in rows} == {"'=HYPERLINK(\"http://jahat.example\",\"klik\")",
                                          "'@SUM(1+1)*cmd|' /C calc'!A0"}
    # The JSON download is data, not a spreadsheet: it keeps the title as it is.
    data = client.get("/transparansi/laporan.json").get_json()
    assert {r["title"] for r in data["rows"]} == {'=HYPERLINK("http://jahat.example","klik")',
                                                 "@SUM(1+1)*cmd|' /C calc'!A0"}


# --- the report downloads hold every row --------------------------------------------------------

def test_the_report_downloads_hold_every_matching_row_and_say_how_many(client, db_session, monkeypatch):
    from app.services import board

    for n in range(7):
        public_report(f"Laporan unduhan nomor {n}", "13.71", "dinkes-kota-padang")
    monkeypatch.setattr(board, "EXPORT_BATCH", 3)  # several batches, read by keyset
    response = client.get("/transparansi/laporan.csv")
    assert response.status_code == 200 and response.headers["X-Total-Count"] == "7"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    references = [r["reference"] for r in rows]
    assert len(references) == len(set(references)) == 7
    data = client.get("/transparansi/laporan.json").get_json()
    assert data["total"] == 7 and [r["reference"] for r in data["rows"]] == references
    assert [r["submitted_on"] for r in rows] == sorted((r["submitted_on"] for r in rows), reverse=True)
    filtered = client.get("/transparansi/laporan.json?q=nomor").get_json()
    assert filtered["total"] == len(filtered["rows"]) == 7
    empty = client.get("/transparansi/laporan.csv?q=zqxwv")
    assert empty.headers["X-Total-Count"] == "0"
    assert empty.get_data(as_text=True).lstrip("\ufeff").startswith("reference,submitted_on")
    assert client.get("/transparansi/laporan.json?q=zqxwv").get_json() == {"total": 0, "rows": []}


# --- the agency table ---------------------------------------------------------------------------

@pytest.fixture
def agencies(db_session):
    """Four national agencies: received 30, 12 and 11 (rates known) and 3 (n too small)."""
    from app.models import AgencyMonthStats

    period = statistics.months_back(clock.today(), 1)[0]
    for slug, name, received, resolved in (("alpha", "Badan Alpha", 30, 3), ("beta", "Badan Beta", 12, 12),
                                           ("gamma", "Badan Gamma 100%_persen", 11, 6),
                                           ("delta", "Badan Delta", 3, 3)):
        agency = Agency(slug=slug, name=name, level=NATIONAL)
        db.session.add(agency)
        db.session.flush()
        db.session.add(AgencyMonthStats(agency_id=agency.id, period=period, received=received,
                                        resolved=resolved, routed_in=received))
    db.session.commit()


def agency_order(html: str) -> list[str]:
    return [s for s in re.findall(r'href="/transparansi/instansi/([a-z0-9-]+)"', html)
            if s in ("alpha", "beta", "gamma", "delta")]


def header(html: str, label: str) -> str:
    return next(th for th in re.findall(r"<th scope=\"col\".*?</th>", html, re.S) if f">{label}" in th)


@pytest.mark.parametrize("query, expected", [
    ("", ["alpha", "beta", "gamma", "delta"]),  # received, largest first
    ("sort=received&order=asc", ["delta", "gamma", "beta", "alpha"]),
    ("sort=completion&order=desc", ["beta", "gamma", "alpha", "delta"]),  # n too small: last
    ("sort=completion&order=asc", ["alpha", "gamma", "beta", "delta"]),  # …in both directions
    ("sort=name", ["alpha", "beta", "delta", "gamma"]),
    ("sort=name&order=desc", ["gamma", "delta", "beta", "alpha"]),
])
def test_the_agency_table_sorts_both_ways(client, agencies, query, expected):
    html = client.get(f"/transparansi/instansi?level=national&{query}").get_data(as_text=True)
    assert agency_order(html) == expected


def test_sort_headers_tell_screen_readers_how_the_table_is_sorted(client, agencies):
    html = client.get("/transparansi/instansi?sort=completion&order=desc").get_data(as_text=True)
    sorted_th = header(html, "Penyelesaian")
    assert 'aria-sort="descending"' in sorted_th
    assert "diurutkan dari yang terbesar" in sorted_th and "visually-hidden" in sorted_th
    assert "order=asc" in sorted_th and "sort=completion" in sorted_th  # the link flips the order
    other = header(html, "Diterima")
    assert "aria-sort" not in other and "order=desc" in other
    assert html.count("aria-sort=") == 1

    html = client.get("/transparansi/instansi?sort=name&order=asc").get_data(as_text=True)
    name_th = header(html, "Instansi")
    assert 'aria-sort="ascending"' in name_th and "diurutkan dari A ke Z" in name_th
    assert "order=desc" in name_th
    assert 'name="order" value="asc"' in html  # the search form keeps the order


@pytest.mark.parametrize("q, expected", [
    ("Alpha", ["alpha"]), ("badan gamma", ["gamma"]),
    ("_", ["gamma"]), ("%", ["gamma"]), ("0%_p", ["gamma"]),  # only the name that has them
    ("a_p", []),  # "_" is no wildcard: "Alpha" does not match
])
def test_the_agency_name_search_takes_wildcards_literally(client, agencies, q, expected):
    html = client.get("/transparansi/instansi", query_string={"q": q}).get_data(as_text=True)
    assert agency_order(html) == expected


# --- the report list pages by cursor, filters kept ---------------------------------------------

def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_next_and_previous_links_carry_a_cursor_and_keep_the_filters(client, db_session):
    for n in range(23):
        public_report(f"Sampah menumpuk di pasar {n}", "13.71",
                      "dinkes-kota-padang" if n < 22 else "kemenkes")
    first = client.get("/transparansi/laporan?q=sampah&agency=dinkes-kota-padang&page=7")
    html = first.get_data(as_text=True)
    assert html.count('class="case-row"') == 20 and "halaman 1 dari 2" in html
    assert _link(html, "prev") is None
    following = _link(html, "next")
    args = parse_qs(urlsplit(following).query)
    assert args["q"] == ["sampah"] and args["agency"] == ["dinkes-kota-padang"]
    assert "page" not in args and len(args["cursor"]) == 1
    second = client.get(following).get_data(as_text=True)
    assert second.count('class="case-row"') == 2 and "halaman 2 dari 2" in second
    assert _link(second, "next") is None
    back = client.get(_link(second, "prev")).get_data(as_text=True)
    assert back.count('class="case-row"') == 20 and "halaman 1 dari 2" in back


def test_a_partial_page_puts_its_cursor_in_the_address_bar(client, db_session, fresh_g):
    for n in range(21):
        public_report(f"Sampah menumpuk di pasar {n}", "13.71", "dinkes-kota-padang")
    html = client.get("/transparansi/laporan?q=sampah").get_data(as_text=True)
    following = _link(html, "next")
    response = client.get(following, headers={"HX-Request": "true"})
    pushed = parse_qs(urlsplit(response.headers["HX-Push-Url"]).query)
    assert pushed["q"] == ["sampah"] and pushed["cursor"] == parse_qs(urlsplit(following).query)["cursor"]
    assert response.get_data(as_text=True).count('class="case-row"') == 1


def test_a_cursor_that_is_not_one_shows_the_first_page(client, listed):
    html = client.get("/transparansi/laporan?cursor=%E2%80%9Cbroken").get_data(as_text=True)
    assert html.count('class="case-row"') == 3


def test_a_later_page_links_downloads_that_answer(client, db_session):
    """A later page carries a keyset cursor (and whatever else the address had); its download
    links keep only the filters in force, which the downloads accept."""
    for n in range(23):
        public_report(f"Sampah menumpuk di pasar {n}", "13.71", "dinkes-kota-padang")
    first = client.get("/transparansi/laporan?q=sampah").get_data(as_text=True)
    later = client.get(_link(first, "next") + "&stray=1").get_data(as_text=True)
    links = re.findall(r'href="(/transparansi/laporan\.(?:csv|json)[^"]*)"', later)
    assert len(links) == 2
    for link in links:
        link = link.replace("&amp;", "&")
        assert "cursor" not in link and "stray" not in link and "q=sampah" in link
        assert client.get(link).status_code == 200


def test_the_agency_csv_carries_every_numerator_and_denominator_even_when_suppressed(client, agencies):
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(
        client.get("/transparansi/instansi.csv").get_data(as_text=True).lstrip("\ufeff")))}
    delta, alpha = rows["delta"], rows["alpha"]
    assert delta["completion_rate"] == "n_too_small"
    assert (delta["completion_rate_numerator"], delta["completion_rate_denominator"]) == ("3", "3")
    assert (alpha["completion_rate_numerator"], alpha["completion_rate_denominator"]) == ("3", "30")
    assert alpha["completion_rate"] == "0.1000"
    for rate in ("follow_up_rate", "on_time_rate", "transfer_rate", "dispute_rate"):
        assert f"{rate}_numerator" in alpha and f"{rate}_denominator" in alpha, rate


def test_the_agency_table_offers_the_figures_with_units_sortable(client, db_session):
    from app.models import AgencyMonthStats

    period = statistics.months_back(clock.today(), 1)[0]
    for slug, received, resolved in (("pemkot-padang", 2, 1), ("dinkes-kota-padang", 20, 18),
                                     ("pemkab-lebak", 6, 6)):
        db.session.add(AgencyMonthStats(agency_id=factories.agency(slug).id, period=period,
                                        received=received, resolved=resolved, routed_in=received))
    db.session.commit()
    html = client.get("/transparansi/instansi?level=regency&sort=received_units").get_data(as_text=True)
    assert "Diterima, dengan unit" in html and 'aria-sort="descending"' in html
    order = [s for s in re.findall(r'href="/transparansi/instansi/([a-z0-9-]+)"', html)
             if s in ("pemkot-padang", "pemkab-lebak")]
    assert order == ["pemkot-padang", "pemkab-lebak"]  # 22 with its health office, against 6
    own_first = client.get("/transparansi/instansi?level=regency&sort=received").get_data(as_text=True)
    assert [s for s in re.findall(r'href="/transparansi/instansi/([a-z0-9-]+)"', own_first)
            if s in ("pemkot-padang", "pemkab-lebak")] == ["pemkab-lebak", "pemkot-padang"]
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(
        client.get("/transparansi/instansi.csv").get_data(as_text=True).lstrip("\ufeff")))}
    padang = rows["pemkot-padang"]
    assert padang["received"] == "2" and padang["received_with_units"] == "22"
    assert (padang["completion_rate_with_units_numerator"], padang["completion_rate_with_units_denominator"]) == ("19", "22")
    assert padang["completion_rate_with_units"] == "0.8636"
