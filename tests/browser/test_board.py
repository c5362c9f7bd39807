"""Someone looking for reports on the board narrows the list by agency name and by place, at
phone width, with and without JavaScript; the address keeps the filters."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser import helpers as h

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

PADANG_HEALTH = "Antrean obat di puskesmas Andalas sangat panjang"
PADANG_CITY = "Lampu jalan di Jalan Sudirman mati sejak sebulan"
LEBAK = "Sekolah dasar di Rangkasbitung rusak atapnya"


def _query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_filtering_reports_with_javascript(page, live_server, board_data):
    page.goto(live_server("/transparansi/laporan"))
    rows = page.locator("#report-rows")
    expect(rows).to_contain_text(LEBAK)

    # The agency: type part of its name, the select narrows in place, choose.
    page.get_by_label("Cari instansi").fill("kesehatan padang")
    agency = page.get_by_label("Instansi", exact=True)
    expect(agency.locator("option", has_text="Dinas Kesehatan Kota Padang")).to_have_count(1)
    expect(agency.locator("option", has_text="Pemerintah Kabupaten Lebak")).to_have_count(0)
    h.htmx_settled(page)
    agency.select_option(label="Dinas Kesehatan Kota Padang")
    expect(rows).not_to_contain_text(LEBAK)
    expect(rows).to_contain_text(PADANG_HEALTH)
    expect(rows).not_to_contain_text(PADANG_CITY)
    assert _query(page)["agency"] == "dinkes-kota-padang"
    assert "/transparansi/laporan/" not in page.url  # the helper requests never land in the address

    # Back to every agency, then the place: a province, then one of its kab/kota.
    agency.select_option(value="")
    h.htmx_settled(page)
    region = page.get_by_label("Kabupaten/kota")
    expect(region).to_be_disabled()
    page.get_by_label("Provinsi").select_option(value="13")
    expect(region).to_be_enabled()
    expect(rows).not_to_contain_text(LEBAK)
    h.htmx_settled(page)
    region.select_option(label="Kota Padang")
    h.htmx_settled(page)
    assert _query(page)["region"] == "13.71" and _query(page)["province"] == "13"
    expect(rows).to_contain_text(PADANG_CITY)

    # Another province: the old kab/kota no longer counts, nor stays in the address.
    page.get_by_label("Provinsi").select_option(value="36")
    expect(rows).to_contain_text(LEBAK)
    expect(rows).not_to_contain_text(PADANG_CITY)
    h.htmx_settled(page)
    assert _query(page).get("province") == "36" and "region" not in _query(page)

    # The address is the filter: opening it again shows the same list and choices.
    page.goto(page.url)
    expect(page.get_by_label("Provinsi")).to_have_value("36")
    expect(page.locator("#report-rows")).to_contain_text(LEBAK)
    assert page.evaluate(h.UNLABELLED_CONTROLS_JS) == []


def test_filtering_reports_without_javascript(nojs_page, live_server, board_data):
    page = nojs_page
    page.goto(live_server("/transparansi/laporan"))
    page.get_by_label("Cari instansi").fill("lebak")
    page.get_by_role("button", name="Cari instansi").click()
    agency = page.get_by_label("Instansi", exact=True)
    expect(agency.locator("option", has_text="Pemerintah Kabupaten Lebak")).to_have_count(1)
    agency.select_option(label="Pemerintah Kabupaten Lebak")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator("#report-rows")).to_contain_text(LEBAK)
    expect(page.locator("#report-rows")).not_to_contain_text(PADANG_HEALTH)
    assert _query(page)["agency"] == "pemkab-lebak"

    agency.select_option(value="")
    page.get_by_label("Provinsi").select_option(value="13")
    page.get_by_role("button", name="Tampilkan kabupaten/kota").click()
    page.get_by_label("Kabupaten/kota").select_option(label="Kota Padang")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator("#report-rows")).to_contain_text(PADANG_HEALTH)
    expect(page.locator("#report-rows")).not_to_contain_text(LEBAK)
    assert _query(page)["region"] == "13.71"


def test_sorting_the_agency_table_both_ways(page, live_server, board_data):
    page.goto(live_server("/transparansi/instansi?level=regency"))
    page.get_by_role("link", name="Instansi (pilih untuk mengurutkan menurut kolom ini)").click()
    header = page.locator("th[aria-sort]")
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(header).to_contain_text("diurutkan dari A ke Z")
    page.get_by_role("link", name="Instansi (diurutkan dari A ke Z; pilih untuk membalik urutan)").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    names = page.locator("#agency-rows tbody th").all_inner_texts()
    assert len(names) > 1 and names == sorted(names, key=str.lower, reverse=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_language_switch_of_a_cached_board_page(new_tab, live_server, javascript):
    """A board page is shared by every reader (app/page_cache.py), so its switch is a GET form
    without a CSRF token; it still switches and comes back to the same page and filters."""
    page = new_tab(javascript=javascript)
    page.goto(live_server("/transparansi/instansi?level=provincial"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == live_server("/transparansi/instansi?level=provincial")
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
