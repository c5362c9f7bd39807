"""/transparansi/wilayah: provinces and their kab/kota ranked, sortable without JavaScript,
with the small-number rule, the geography said, a tile map, and the same figures in CSV,
JSON and PDF.

The figures are written straight into the regional rollup (``region_month_stats``), as
tests/web/test_board_exports.py does for the agency rollup, so each case is exact.
"""
from __future__ import annotations

import json

import pytest

from app.extensions import db
from app.models import RegionDurationBucket, RegionMonthStats
from app.services import statistics
from tests.factories import HTMLPage
from tests.web.test_board_exports import (NOW, THIS_MONTH, captured_pdf_html, pdf_text, put,  # noqa: F401
                                          read_csv)

COUNTS = ("routed_in", "received", "confidential", "followed_up", "resolved", "on_time_answered",
          "on_time_eligible", "transfers_out", "disputed", "ever_resolved", "rating_sum", "rating_count")


def put_region(code, period=THIS_MONTH, resolution=None, **counts):
    values = dict.fromkeys(COUNTS, 0) | counts
    values.setdefault("routed_in", values["received"])
    province = code.split(".")[0]
    db.session.add(RegionMonthStats(region_code=code, province_code=province, period=period,
                                    refreshed_at=NOW, **values))
    db.session.add_all(RegionDurationBucket(region_code=code, province_code=province, period=period,
                                            measure=statistics.RESOLUTION, days=d, observed=o, censored=c)
                       for d, (o, c) in (resolution or {}).items())


@pytest.fixture
def regions_data(db_session, frozen_clock):
    """Sumatera Barat: 12 reports in Kota Padang and 3 in Agam (9/15 followed up, 60%);
    Jawa Barat: 20 in Kota Bandung (18 followed up, 90%); Banten: 4 reports (too few)."""
    frozen_clock.move_to(NOW)
    put_region("13.71", received=12, followed_up=6, resolved=4, on_time_answered=5,
               on_time_eligible=12, resolution={3: (4, 0), 10: (0, 8)})
    put_region("13.06", received=3, followed_up=3, resolved=3, on_time_eligible=3,
               on_time_answered=3, resolution={2: (3, 0)})
    put_region("32.73", received=20, followed_up=18, resolved=15, on_time_answered=14,
               on_time_eligible=20, resolution={4: (15, 0), 9: (0, 5)})
    put_region("36.02", received=4, followed_up=1, on_time_eligible=4)
    db.session.commit()


def rows_of(html: str) -> list[tuple[str, str]]:
    """(code, name) of each row of the ranking table, in order."""
    page = HTMLPage(html)
    table = page.by_id("region-table")
    body = page.within(table, "tbody")[0]
    return [(tr_cells[0].text.strip(), tr_heads[0].text.strip())
            for tr in page.within(body, "tr")
            for tr_cells, tr_heads in [(page.within(tr, "td"), page.within(tr, "th"))]]


def test_the_provinces_are_ranked_by_follow_up_with_small_numbers_last(client, regions_data):
    response = client.get("/transparansi/wilayah")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = rows_of(html)
    assert len(rows) == 38
    assert rows[:2] == [("32", "Jawa Barat"), ("13", "Sumatera Barat")]
    # Banten has 4 reports: "n too small", never ranked as a small percentage.
    banten = rows.index(("36", "Banten"))
    assert banten >= 2
    assert "90,0%" in html and "60,0%" in html and "(18/20)" in html and "(9/15)" in html
    assert "n terlalu kecil" in html and "(1/4)" in html
    page = HTMLPage(html)
    head = page.find("th", aria_sort="descending")
    assert "Tindak lanjut" in head.text
    # The page says which geography it uses and offers the other one.
    assert "wilayah kejadian laporan" in page.by_id("geography-note").text
    assert [o.get("value") for o in page.within(page.by_id("geography"), "option")] == \
        ["incident", "government"]
    # The board's navigation links the page.
    assert page.find("a", href="/transparansi/wilayah", aria_current="page") is not None


def test_sorting_is_server_side_links_that_work_without_javascript(client, regions_data):
    html = client.get("/transparansi/wilayah").get_data(as_text=True)
    page = HTMLPage(html)
    links = {a.text.split("(")[0].strip(): a.get("href") for a in page.within(page.by_id("region-table"), "a")
             if "sort=" in (a.get("href") or "")}
    assert "sort=received" in links["Diterima"] and "order=desc" in links["Diterima"]
    assert "sort=median_days" in links["Median hari kerja sampai selesai"] and \
        "order=asc" in links["Median hari kerja sampai selesai"]
    # The current column's link reverses the order.
    assert "sort=follow_up" in links["Tindak lanjut"] and "order=asc" in links["Tindak lanjut"]
    ascending = rows_of(client.get("/transparansi/wilayah?sort=follow_up&order=asc").get_data(as_text=True))
    assert ascending[:2] == [("13", "Sumatera Barat"), ("32", "Jawa Barat")]
    by_received = rows_of(client.get("/transparansi/wilayah?sort=received&order=desc").get_data(as_text=True))
    assert [code for code, _ in by_received[:3]] == ["32", "13", "36"]
    by_name = rows_of(client.get("/transparansi/wilayah?sort=name&order=asc").get_data(as_text=True))
    assert by_name[0] == ("11", "Aceh")
    # Medians: Sumatera Barat's is not reached (8 of 15 still open), Jawa Barat's is 4 days.
    by_median = client.get("/transparansi/wilayah?sort=median_days").get_data(as_text=True)
    assert rows_of(by_median)[0] == ("32", "Jawa Barat")
    assert "4 hari kerja" in by_median and "belum tercapai" in by_median


def test_a_provinces_page_ranks_its_kab_kota(client, regions_data):
    response = client.get("/transparansi/wilayah/13?sort=received")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = rows_of(html)
    assert rows[:2] == [("13.71", "Kota Padang"), ("13.06", "Kabupaten Agam")]
    assert len(rows) == 19  # every kab/kota of Sumatera Barat
    assert "50,0%" in html and "(6/12)" in html and "(3/3)" in html
    assert client.get("/transparansi/wilayah/99").status_code == 404
    assert client.get("/transparansi/wilayah/13.71").status_code == 404  # a kab/kota has no page


def test_the_government_geography_is_offered_and_said(client, regions_data):
    # No report is at a provincial or kab/kota government in this data: every row is empty.
    html = client.get("/transparansi/wilayah?geography=government").get_data(as_text=True)
    page = HTMLPage(html)
    assert "pemerintah daerah yang bertanggung jawab beserta unitnya" in page.by_id("geography-note").text
    assert page.find("option", value="government", selected="") is not None
    assert "(18/20)" not in html
    # The province links keep the geography.
    assert page.find("a", href="/transparansi/wilayah/13?geography=government") is not None


def test_the_map_prints_each_value_and_has_a_legend(client, regions_data):
    html = client.get("/transparansi/wilayah").get_data(as_text=True)
    page = HTMLPage(html)
    svg = page.find("svg", role="img")
    assert svg is not None and svg.get("aria-labelledby") == "region-map-t region-map-d"
    tiles = {g.get("data-code"): g.text for g in page.within(svg, "g", class_="tile")}
    assert len(tiles) == 38
    assert "JABAR" in tiles["32"] and "90,0%" in tiles["32"]
    assert "SUMBAR" in tiles["13"] and "60,0%" in tiles["13"]
    assert "n<10" in tiles["36"] and "Banten" in tiles["36"]  # the tile's title names it
    legend = page.within(svg, "g", class_="legend")[0].text
    assert "0,0%–59,9%" in legend and "90,0%–100,0%" in legend and "n terlalu kecil" in legend
    # The shade repeats the value's class: 90% is in the darkest class, 60% in the second.
    fills = {g.get("data-code"): page.within(g, "rect")[0].get("fill")
             for g in page.within(svg, "g", class_="tile")}
    swatches = [r.get("fill") for r in page.within(page.within(svg, "g", class_="legend")[0], "rect")]
    assert (fills["32"], fills["13"], fills["36"]) == (swatches[4], swatches[1], swatches[5])


def test_downloads_carry_the_same_figures(client, regions_data, captured_pdf_html):
    rows = read_csv(client.get("/transparansi/wilayah.csv"))
    assert len(rows) == 38
    first = rows[0]
    assert (first["province_code"], first["province_name"], first["regency_code"]) == ("32", "Jawa Barat", "")
    assert (first["follow_up_rate"], first["received"], first["geography"]) == ("0.9000", "20", "incident")
    banten = next(r for r in rows if r["province_code"] == "36")
    assert banten["follow_up_rate"] == "n_too_small"
    data = json.loads(client.get("/transparansi/wilayah.json").get_data(as_text=True))
    assert data["geography"] == "incident" and len(data["provinces"]) == 38
    west_java = data["provinces"][0]
    assert (west_java["code"], west_java["name"]) == ("32", "Jawa Barat")
    assert west_java["figures"]["follow_up_rate"]["numerator"] == 18
    province = json.loads(client.get("/transparansi/wilayah/13.json?sort=received").get_data(as_text=True))
    assert province["province"] == {"code": "13", "name": "Sumatera Barat"}
    assert province["regencies"][0]["code"] == "13.71"
    assert province["regencies"][0]["figures"]["received"]["value"] == 12
    regency_rows = read_csv(client.get("/transparansi/wilayah/13.csv?sort=received"))
    assert (regency_rows[0]["regency_code"], regency_rows[0]["regency_name"],
            regency_rows[0]["province_name"]) == ("13.71", "Kota Padang", "Sumatera Barat")
    document = client.get("/transparansi/wilayah.pdf")
    assert document.status_code == 200 and document.mimetype == "application/pdf"
    text = pdf_text(document.data)
    assert "Jawa Barat" in text and "90,0%" in text and "JABAR" in text
    assert 'class="chart region-map"' in captured_pdf_html["pdf/regions.html"]


def test_an_unknown_parameter_of_a_download_is_refused_by_name(client, regions_data):
    for url in ("/transparansi/wilayah.csv?regoin=13", "/transparansi/ringkasan.json?regoin=13",
                "/transparansi/instansi.csv?level=national&regoin=13",
                "/transparansi/instansi/kemenkes.json?regoin=13"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "regoin" in response.get_data(as_text=True)
    assert client.get("/transparansi/wilayah.csv?geography=government&sort=name&order=asc").status_code == 200


def test_the_agency_csvs_carry_the_agencys_province_and_kab_kota(client, db_session, frozen_clock):
    frozen_clock.move_to(NOW)
    put("dinkes-kota-padang", THIS_MONTH, received=10, followed_up=9, first={}, resolution={})
    statistics.refresh_national(THIS_MONTH, NOW)
    db.session.commit()
    rows = {r["slug"]: r for r in read_csv(client.get("/transparansi/instansi.csv"))}
    unit = rows["dinkes-kota-padang"]
    assert (unit["province_code"], unit["province_name"], unit["regency_code"], unit["regency_name"]) == \
        ("13", "Sumatera Barat", "13.71", "Kota Padang")
    assert rows["kemenkes"]["province_code"] == "" and rows["kemenkes"]["regency_name"] == ""
    agency_rows = read_csv(client.get("/transparansi/instansi/dinkes-kota-padang.csv"))
    assert {r["regency_name"] for r in agency_rows} == {"Kota Padang"}


def test_the_methodology_says_how_regional_figures_are_built(client, db_session):
    html = client.get("/transparansi/metodologi").get_data(as_text=True)
    section = HTMLPage(html).by_id("wilayah")
    assert section is not None
    assert "wilayah kejadian" in section.text.lower() and "beserta unitnya" in section.text

