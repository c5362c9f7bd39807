"""Phone-width layout, keyboard focus and the language switch, in a real Chromium."""
from __future__ import annotations

import pytest

from tests.browser import helpers as h

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/lapor", "/lacak", "/lacak/kode-hilang", "/privasi", "/aksesibilitas", "/status"])
def test_public_pages_fit_a_phone(page, live_server, path):
    page.goto(live_server(path))
    h.assert_fits_phone(page, path)


def test_receipt_error_and_tracking_pages_fit_a_phone(page, live_server):
    page.goto(live_server("/lapor"))
    page.get_by_role("button", name="Kirim laporan").click()  # everything missing: all errors
    expect(page.locator(".error-summary")).to_be_visible()
    h.assert_fits_phone(page, "/lapor with errors")

    reference, code = h.file_quick_report(page, live_server)
    h.assert_fits_phone(page, "receipt")
    h.open_tracking(page, live_server, code)
    h.assert_fits_phone(page, "tracking page")


BOARD_PAGES = ["/transparansi/", "/transparansi/laporan", "/transparansi/laporan?province=13",
               "report", "follow", "/transparansi/instansi", "/transparansi/instansi?level=unit&sort=name&order=desc",
               "agency", "/transparansi/metodologi", "/transparansi/snapshot", "snapshot",
               "/transparansi/wilayah", "/transparansi/wilayah/13?geography=government"]

# Every .table-scroll is a keyboard-focusable, named region; returns those that are not, and
# whether any region actually scrolls (the agency table is wider than a phone).
SCROLL_REGIONS_JS = """() => [...document.querySelectorAll('.table-scroll')].map(el => ({
    ok: el.tabIndex === 0 && el.getAttribute('role') === 'region' && !!el.getAttribute('aria-label'),
    scrolls: el.scrollWidth > el.clientWidth, overflow: getComputedStyle(el).overflowX}))"""


@pytest.mark.parametrize("path", BOARD_PAGES)
def test_board_pages_fit_a_phone(page, live_server, board_data, path):
    path = {"report": f"/transparansi/laporan/{board_data.reference}",
            "follow": f"/transparansi/laporan/{board_data.reference}/ikuti",
            "agency": f"/transparansi/instansi/{board_data.agency_slug}",
            "snapshot": f"/transparansi/snapshot/{board_data.snapshot_id}"}.get(path, path)
    page.goto(live_server(path))
    h.assert_fits_phone(page, path)
    regions = page.evaluate(SCROLL_REGIONS_JS)
    assert all(r["ok"] and r["overflow"] == "auto" for r in regions), (path, regions)
    assert page.evaluate(h.UNLABELLED_CONTROLS_JS) == [], path


def test_a_wide_table_scrolls_in_its_own_region(page, live_server, board_data):
    page.goto(live_server("/transparansi/instansi?level=unit"))
    region = page.get_by_role("region", name="Tabel instansi")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # wider than the phone…
    h.assert_fits_phone(page, "agency table")  # …yet the page does not scroll sideways
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")


def test_choices_sit_beside_their_labels(page, live_server):
    page.goto(live_server("/lapor"))
    misplaced = page.evaluate("""() => [...document.querySelectorAll('.radio, .checkbox')].map(row => {
        const box = row.querySelector('input').getBoundingClientRect();
        const label = row.querySelector('label').getBoundingClientRect();
        return {text: row.textContent.trim().slice(0, 30),
                beside: label.left >= box.right && label.top < box.bottom};
    }).filter(row => !row.beside)""")
    assert misplaced == []


def _focused_outline(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el), r = el.getBoundingClientRect();
        return {tag: el.tagName.toLowerCase(), text: el.textContent.trim().slice(0, 40),
                style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                inView: r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight};
    }""")


@pytest.mark.parametrize("path", ["/", "/lapor"])
def test_keyboard_focus_is_visible(page, live_server, path):
    page.goto(live_server(path))
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = _focused_outline(page)
        if focused["tag"] == "body":  # past the last control of a short page
            break
        seen.append(focused)
        assert focused["style"] != "none" and focused["width"] >= 2, focused
        assert focused["inView"], focused
    assert seen[0]["text"] == "Langsung ke isi"  # the skip link comes first, and shows
    assert len(seen) >= 8
    assert {"a", "button"} <= {f["tag"] for f in seen}


def _in_english(live_server, text: str) -> str:
    """``text`` as the English catalog has it (itself where no compiled catalog exists)."""
    from flask_babel import force_locale, gettext

    with live_server.app.test_request_context(), force_locale("en"):
        return gettext(text)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_language_switch(new_tab, live_server, javascript):
    page = new_tab(javascript=javascript)
    page.goto(live_server("/lacak"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    heading = page.get_by_role("heading", level=1)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == live_server("/lacak")  # back on the page where the switch was pressed
    expect(heading).to_have_text(_in_english(live_server, "Lacak laporan"))
    expect(page.get_by_role("button", name="Bahasa Indonesia")).to_be_visible()

    home_title = "Sampaikan pengaduan layanan publik, dengan aman"
    page.goto(live_server("/"))  # the choice is kept
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading).to_have_text(_in_english(live_server, home_title))
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert page.url == live_server("/")
    expect(heading).to_have_text(home_title)
    expect(page.get_by_role("button", name="English")).to_be_visible()


def test_a_slow_connection_is_measured_once_styled(page, live_server):
    """On a slow link the error page's elements exist before its stylesheet is applied; unstyled, the
    region <select> is as wide as its longest option. The phone check must measure the styled page
    (this failed CI once on a busy machine)."""
    page.goto(live_server("/lapor"))
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 800, "downloadThroughput": -1, "uploadThroughput": -1})
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.locator(".error-summary")).to_be_visible()
    h.assert_fits_phone(page, "/lapor with errors on a slow connection")


# The smallest and largest text of the board's charts in CSS pixels: each <text>'s font size in
# the drawing's units, scaled by how wide the drawing is shown.
CHART_TEXT_PX_JS = """() => [...document.querySelectorAll('svg.board-chart')].map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
    return {min: Math.min(...sizes), max: Math.max(...sizes),
            axisTitles: svg.querySelectorAll('text.axis-title').length};
})"""


def test_board_charts_are_readable_on_a_phone_and_not_huge_on_a_desktop(page, live_server, board_data):
    for path in ("/transparansi/", f"/transparansi/instansi/{board_data.agency_slug}"):
        page.goto(live_server(path))
        charts = page.evaluate(CHART_TEXT_PX_JS)
        assert len(charts) >= 2, path
        assert all(c["min"] >= 11 and c["axisTitles"] == 2 for c in charts), (path, charts)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server("/transparansi/"))
    assert all(c["max"] <= 22 for c in page.evaluate(CHART_TEXT_PX_JS))
