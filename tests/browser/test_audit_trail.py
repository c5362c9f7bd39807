"""An agency admin reads its accounts' audit trail on a phone, without JavaScript."""
from __future__ import annotations

import pytest

from tests.browser import helpers as h
from tests.browser.test_accounts import _agency_admin, _sign_in

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser


def test_the_audit_trail_filters_on_a_phone_without_javascript(nojs_page, live_server, shots):
    from tests import factories

    page = nojs_page
    _sign_in(page, live_server, _agency_admin(live_server), factories.OFFICER_PASSWORD)
    page.get_by_role("link", name="Jejak audit").click()
    page.wait_for_url("**/petugas/jejak-audit")
    h.assert_fits_phone(page, "audit trail")
    assert page.evaluate(h.UNLABELLED_CONTROLS_JS) == []
    expect(page.locator("li.account-row").first).to_contain_text("masuk")
    shots(page, "audit-trail")

    page.get_by_label("Kegiatan").select_option(label="Keamanan akun (masuk, sesi, token)")
    page.get_by_label("Akun (nama atau e-mail)").fill("Andi Admin")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**/petugas/jejak-audit?*")
    expect(page.get_by_label("Akun (nama atau e-mail)")).to_have_value("Andi Admin")
    expect(page.locator("li.account-row").first).to_contain_text("Andi Admin Padang")
    h.assert_fits_phone(page, "filtered audit trail")
