"""An officer on a phone: the inbox opens on the work to do, and resolving asks first."""
from __future__ import annotations

import uuid

import pytest

from tests.browser import helpers as h

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

SUMMARY = "Jadwal buka puskesmas kini ditempel dan dipatuhi; petugas jaga sudah ditegur."


def _officer_with_a_routed_report(live_server) -> tuple[str, str]:
    """An officer of dinkes-kota-padang and a report routed there: (e-mail, reference)."""
    from datetime import timedelta

    from app import clock
    from app.extensions import db
    from app.models import Report
    from tests import factories

    email = f"petugas-{uuid.uuid4().hex[:8]}@dinkes-padang.test"
    with live_server.app.app_context():
        factories.make_user("officer", "dinkes-kota-padang", email=email, name="Rina Petugas")
        receipt = factories.file_report(now=clock.now() - timedelta(days=1))
        report = db.session.get(Report, receipt.report_id)
        factories.advance(report, "routed", clock.now() - timedelta(hours=12))
        db.session.commit()
        db.session.remove()
    return email, receipt.reference


def _sign_in(page, live_server, email):
    from tests import factories

    page.goto(live_server("/petugas/masuk"))
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(factories.OFFICER_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url("**/petugas/kotak-masuk")


def test_the_inbox_shows_the_work_first_and_resolving_asks_to_confirm(page, live_server, shots):
    email, reference = _officer_with_a_routed_report(live_server)
    _sign_in(page, live_server, email)

    # On a phone: the counters, then the list; the filters are folded away.
    h.assert_fits_phone(page, "officer inbox")
    expect(page.get_by_role("navigation", name="Ringkasan pekerjaan")).to_contain_text("perlu tindakan")
    expect(page.locator("details.filter-fold")).not_to_have_attribute("open", "")
    first_row = page.locator("li.case-row").first
    expect(first_row).to_be_visible()
    assert first_row.bounding_box()["y"] < 740, "the first case is below the phone's first screen"
    shots(page, "officer-inbox-phone")

    page.get_by_role("link", name=reference).click()
    page.locator("summary", has_text="Nyatakan selesai").click()
    page.get_by_label("Ringkasan penyelesaian").fill(SUMMARY)
    page.get_by_role("button", name="Nyatakan selesai").click()

    # The check: what the reporter reads, the answer window, focus on the question.
    heading = page.get_by_role("heading", name="Periksa sebelum menyatakan selesai")
    expect(heading).to_be_focused()
    expect(page.locator("#case")).to_contain_text(SUMMARY)
    h.assert_fits_phone(page, "resolution check")
    shots(page, "officer-resolve-check")

    page.get_by_role("button", name="Ubah ringkasan").click()
    expect(page.get_by_label("Ringkasan penyelesaian")).to_have_value(SUMMARY)
    page.get_by_role("button", name="Nyatakan selesai").click()
    page.get_by_role("button", name="Ya, nyatakan selesai").click()
    expect(page.locator("#case .status").first).to_contain_text("Diselesaikan instansi")
    # The result is announced where the focus goes (a status region), not lost.
    expect(page.locator(".case-status")).to_contain_text("Tindakan tersimpan.")
    expect(page.locator(".case-status")).to_be_focused()


def test_on_a_wide_screen_the_filters_are_open(new_tab, live_server):
    from tests.browser.conftest import DESKTOP

    email, _reference = _officer_with_a_routed_report(live_server)
    tab = new_tab(viewport=DESKTOP)
    _sign_in(tab, live_server, email)
    expect(tab.locator("details.filter-fold")).to_have_attribute("open", "")
    expect(tab.get_by_label("Status")).to_be_visible()
