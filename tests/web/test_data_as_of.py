"""Every board page, figure download and statistics answer says when its figures were computed
(the last `stats refresh`), and a refresh shows on the next request even when no figure moved."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from app import clock, create_app
from app.extensions import db
from app.services import service_status
from tests.factories import HTMLPage

pytestmark = pytest.mark.usefixtures("fresh_g")


def _refresh(app, shift=None, frozen_clock=None):
    if shift:
        frozen_clock.shift(shift)
    assert app.test_cli_runner().invoke(args=["stats", "refresh"]).exit_code == 0


def _as_of_line(html: str) -> str:
    line = HTMLPage(html).find("p", class_="hint data-as-of")
    assert line is not None
    return " ".join(line.text.split())


def test_before_any_refresh_the_board_says_so(client, db_session):
    assert "Statistik belum pernah dihitung." in _as_of_line(client.get("/transparansi/").get_data(as_text=True))


def test_every_board_page_and_download_carries_the_refresh_time(app, client, db_session, frozen_clock):
    _refresh(app)
    as_of = service_status.stats_as_of()
    wib = (as_of + timedelta(hours=7)).strftime("%H.%M")
    for path in ("/transparansi/", "/transparansi/instansi", "/transparansi/laporan",
                 "/transparansi/wilayah", "/transparansi/metodologi"):
        line = _as_of_line(client.get(path).get_data(as_text=True))
        assert line.startswith("Data per") and wib in line, path
    iso = as_of.isoformat(timespec="seconds")
    assert client.get("/transparansi/ringkasan.json").get_json()["data_as_of"] == iso
    assert client.get("/transparansi/instansi.json").get_json()["data_as_of"] == iso
    assert client.get("/transparansi/wilayah.json").get_json()["data_as_of"] == iso
    rows = list(csv.DictReader(io.StringIO(
        client.get("/transparansi/ringkasan.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows and {r["data_as_of"] for r in rows} == {iso}
    api = client.get("/api/v1/statistics").get_json()
    assert api["data_as_of"].replace("Z", "+00:00") == iso


def test_a_refresh_shows_on_the_next_request_even_when_no_figure_moved(app, db_session, frozen_clock):
    cached = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                    "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
                                    "PAGE_CACHE_TYPE": "simple"})
    try:
        reader = cached.test_client()
        _refresh(app)
        first = reader.get("/transparansi/")
        again = reader.get("/transparansi/")
        assert again.headers.get("X-Page-Cache") == "hit"
        _refresh(app, timedelta(minutes=5), frozen_clock)  # nothing changed but the time
        after = reader.get("/transparansi/")
        assert after.headers.get("ETag") != first.headers.get("ETag")
        assert _as_of_line(after.get_data(as_text=True)) != _as_of_line(first.get_data(as_text=True))
    finally:
        with cached.app_context():
            db.engine.dispose()


def test_figures_over_an_hour_old_bring_the_warning(app, client, db_session, frozen_clock):
    _refresh(app)
    assert 'class="status-line"' not in client.get("/transparansi/").get_data(as_text=True)
    frozen_clock.shift(timedelta(minutes=61))
    page = HTMLPage(client.get("/transparansi/").get_data(as_text=True))
    assert "pembaruan sedang tertunda" in page.find("div", class_="status-line").text


def test_the_pdfs_say_when_the_figures_were_computed(app, client, db_session, frozen_clock):
    from tests.web.test_board_exports import pdf_text

    _refresh(app)
    wib = (service_status.stats_as_of() + timedelta(hours=7)).strftime("%H.%M")
    for path in ("/transparansi/ringkasan.pdf", "/transparansi/wilayah.pdf"):
        text = " ".join(pdf_text(client.get(path).data).split())
        assert "Data per" in text and wib in text, path
