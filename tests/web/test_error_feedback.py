"""Feedback a screen reader does not miss: a form with errors puts "Kesalahan:" first in the
title and focuses its error summary; the no-JavaScript refine buttons come back where they were."""
import pytest

from tests import factories
from tests.conftest import csrf_token_from
from tests.factories import HTMLPage

pytestmark = pytest.mark.usefixtures("fresh_g")


def test_a_form_with_errors_says_so_in_the_title_and_focuses_its_summary(client, csrf):
    response = factories.post_multipart(client, "/lapor", dict(factories.form_data(title=""),
                                                               csrf_token=csrf()))
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert page.find("title").text.startswith("Kesalahan: Buat laporan")
    summary = page.by_id("error-summary")
    assert summary.get("tabindex") == "-1" and summary.get("autofocus") is not None
    assert page.find("script", src="/static/js/terang.js") is not None


def test_a_page_without_errors_keeps_its_title(client):
    page = HTMLPage(client.get("/lapor").get_data(as_text=True))
    assert page.find("title").text.startswith("Buat laporan")
    assert page.by_id("error-summary") is None


def test_refine_buttons_come_back_to_their_own_part_of_the_form(client):
    page = HTMLPage(client.get("/lapor").get_data(as_text=True))
    actions = {b.text.strip(): b.get("formaction") for b in page.find_all("button", value="refine")
               if b.get("formaction")}
    assert actions["Tampilkan kabupaten/kota"] == "/lapor#region-field"
    assert actions["Cari instansi"] == "/lapor#agency-field"
    assert page.by_id("region-field") is not None and page.by_id("agency-field") is not None
    # With JavaScript, Enter in a one-line field stays in place (terang.js reads this mark).
    assert page.by_id("report-form").get("data-enter-refines") is not None


def test_the_script_is_allowed_by_the_content_security_policy(client):
    with client.get("/static/js/terang.js") as response:
        assert response.status_code == 200
    assert "script-src 'self'" in client.get("/").headers["Content-Security-Policy"]
