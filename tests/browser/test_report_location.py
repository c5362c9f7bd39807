"""The report form's location in a real Chromium at phone width: kecamatan and kelurahan by
htmx, a pin typed by hand when no map is configured, and the map writing into the same fields
when a tile server is."""
from __future__ import annotations

import pytest

from tests.browser import helpers as h

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser


def _stored(live_server, reference: str) -> tuple:
    from app.extensions import db
    from app.models import Report

    with live_server.app.app_context():
        report = db.session.scalar(db.select(Report).where(Report.reference == reference))
        stored = (report.incident_district_code, report.incident_village_code,
                  report.incident_address, report.incident_lat, report.incident_lng)
        db.session.remove()
    return stored


def test_the_location_without_a_map_server(page, live_server, shots):
    page.goto(live_server("/lapor"))
    h.fill_story(page, h.past_day())
    # No MAP_TILE_URL: no map, no map script; the pin fields are plain labelled inputs.
    expect(page.locator("#incident-map")).to_have_count(0)
    expect(page.locator("script[src$='report-map.js']")).to_have_count(0)
    with page.expect_response(lambda r: "/lapor/kecamatan" in r.url):
        page.locator("#region").select_option("13.71")
    h.htmx_settled(page)
    assert "Padang Selatan" in h.option_labels(page, "#district")
    with page.expect_response(lambda r: "/lapor/kecamatan" in r.url):
        page.get_by_label("Kecamatan").select_option(label="Padang Selatan")
    h.htmx_settled(page)
    page.get_by_label("Kelurahan/desa").select_option(label="Belakang Pondok")
    expect(page.get_by_label("Kecamatan")).to_have_value("13.71.01")
    page.get_by_label("Alamat atau patokan lokasi").fill("Jl. Batang Arau No. 12")
    page.get_by_label("Lintang (latitude)").fill("-0,961234")
    page.get_by_label("Bujur (longitude)").fill("100.361234")
    h.assert_fits_phone(page, "the location fields")
    shots(page, "lapor-location")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/lapor/terkirim")
    reference, _code = h.read_receipt(page)
    expect(page.locator("main")).to_contain_text("Belakang Pondok, Padang Selatan, Kota Padang")
    expect(page.locator("main")).to_contain_text("-0.96123, 100.36123")
    assert _stored(live_server, reference) == ("13.71.01", "13.71.01.1001", "Jl. Batang Arau No. 12",
                                               -0.96123, 100.36123)


def test_the_map_writes_the_pin_into_the_fields(page, live_server):
    # A tile server that answers nothing useful: the map still takes a click.
    live_server.app.config["MAP_TILE_URL"] = live_server("/peta-uji/{z}/{x}/{y}.png")
    try:
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error"
                and "peta-uji" not in m.text and "404" not in m.text else None)
        page.goto(live_server("/lapor"))
        the_map = page.locator("#incident-map")
        expect(the_map).to_be_visible()
        expect(page.get_by_label("Lintang (latitude)")).to_have_value("")
        the_map.click(position={"x": 120, "y": 100})
        lat = page.get_by_label("Lintang (latitude)").input_value()
        lng = page.get_by_label("Bujur (longitude)").input_value()
        assert lat and lng and len(lat.split(".")[1]) == 5
        assert -90 <= float(lat) <= 90 and -180 <= float(lng) <= 180
        expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        live_server.app.config["MAP_TILE_URL"] = ""
