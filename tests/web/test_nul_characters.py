"""A NUL character, wherever a visitor puts it, is a client error, never a server error.

PostgreSQL can neither store nor compare text that holds NUL: every lookup, search or filter
that passed one on failed with a 500 there (SQLite does not mind, so run this suite with
TEST_DATABASE_URL to see the difference). In a page's address it is refused (404 in the path,
400 in the query); in a form it is a field error, or simply finds nothing.
"""
from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import csrf_token_from
from tests.factories import login

PAGES = [
    ("/lapor/instansi?agency_q=%00&region=%00", 400),
    ("/lapor/wilayah?province=%00", 400),
    ("/transparansi/instansi?q=%00&level=%00&region=%00", 400),
    ("/transparansi/laporan?q=%00&agency=%00&region=%00&category=%00", 400),
    ("/transparansi/laporan.csv?q=%00", 400),
    ("/transparansi/laporan?q%00=x", 400),
    ("/transparansi/instansi/%00", 404),
    ("/transparansi/instansi/a%00b.json", 404),
    ("/transparansi/laporan/LPR-2026%00", 404),
    ("/transparansi/snapshot/%00", 404),
]
OFFICER_PAGES = [
    ("/petugas/kotak-masuk?q=%00&category=%00", 400),
    ("/petugas/verifikasi?q=%00", 400),
    ("/petugas/instansi?agency_q=%00", 400),
    ("/petugas/laporan/%00", 404),
]


@pytest.mark.parametrize("url, status", PAGES)
def test_a_nul_in_a_page_address_is_a_client_error(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert "text/html" in response.content_type


def test_the_400_page_speaks_indonesian(client):
    html = client.get("/transparansi/laporan?q=%00").get_data(as_text=True)
    assert "Permintaan tidak valid" in html


@pytest.mark.parametrize("role", ["national_admin", "oversight"])
def test_a_nul_in_an_officer_page_address_is_a_client_error(app, db_session, fresh_g, role):
    client = app.test_client()
    login(client, factories.make_user(role))
    for url, status in OFFICER_PAGES:
        assert client.get(url).status_code == status, url


def test_the_api_still_names_the_bad_parameter(client, db_session):
    response = client.get("/api/v1/complaints?q=%00")
    assert response.status_code == 400 and "q" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("field", ["region", "province", "category", "agency", "agency_q"])
def test_a_nul_in_a_report_form_choice_is_a_form_error(client, csrf, field):
    response = client.post("/lapor", data={**factories.form_data(), "csrf_token": csrf(),
                                           field: "13\x00"})
    # A choice that names nothing is a form error; the agency search and the province (which
    # only narrows the list) ignore it and the report is filed.
    expected = (303,) if field in ("province", "agency_q") else (200, 422)
    assert response.status_code in expected


def test_a_nul_in_the_sign_in_form_signs_nobody_in(client, db_session):
    user = factories.make_user("officer", "dinkes-kota-padang")
    token = csrf_token_from(client.get("/petugas/masuk").get_data(as_text=True))
    response = client.post("/petugas/masuk", data={"csrf_token": token,
                                                   "email": user.email + "\x00",
                                                   "password": factories.OFFICER_PASSWORD})
    assert response.status_code in (200, 422)
    assert client.get("/petugas/kotak-masuk").status_code == 302  # still signed out
