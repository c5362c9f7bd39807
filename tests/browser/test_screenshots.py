"""The main screens at phone and desktop size, saved as PNGs for people to look at (the README's
"Screenshots" come from here: TERANG_SCREENSHOTS=docs/screenshots). Every screen is also
checked with axe, as every page state of the browser tests is (tests/browser/axe.py)."""
from __future__ import annotations

import pytest

from tests.browser import helpers as h
from tests.browser.conftest import DESKTOP, PHONE

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_main_screens(new_tab, live_server, board_data, shots, size):
    from tests.browser.test_officer_inbox import _officer_with_a_routed_report, _sign_in

    page = new_tab(viewport=PHONE if size == "phone" else DESKTOP)

    def shot(name: str) -> None:
        page.wait_for_load_state("load")
        h.htmx_settled(page)
        shots(page, f"{name}-{size}", full_page=False)

    page.goto(live_server("/"))
    shot("home")
    page.goto(live_server("/lapor"))
    shot("report-form")
    reference, code = h.file_quick_report(page, live_server)
    shot("receipt")
    h.open_tracking(page, live_server, code)
    shot("tracking")
    page.goto(live_server("/transparansi/"))
    shot("board")
    page.goto(live_server(f"/transparansi/instansi/{board_data.agency_slug}"))
    shot("board-agency")

    email, routed = _officer_with_a_routed_report(live_server)
    officer = new_tab(viewport=PHONE if size == "phone" else DESKTOP)
    page = officer
    _sign_in(page, live_server, email)
    shot("officer-inbox")
    page.get_by_role("link", name=routed).click()
    expect(page.locator("#case")).to_be_visible()
    shot("officer-case")
