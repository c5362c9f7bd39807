"""Who sees what of a report's location (docs/privacy.md): the officer case page, the board."""
from __future__ import annotations

from datetime import timedelta

import pytest
from markupsafe import escape

from app import clock
from app.extensions import db
from app.models import Report
from app.services import redaction, sla, workflow
from tests import factories
from tests.factories import login

pytestmark = pytest.mark.usefixtures("fresh_g")

ADDRESS = "Jl. Kenanga No. 7 RT 03/RW 05, rumah Rudi Hartono"
PIN = dict(district_code="13.71.01", village_code="13.71.01.1001", incident_address=ADDRESS,
           latitude="-0.961234", longitude="100.361234")


def routed(**overrides) -> Report:
    filed = clock.now() - timedelta(days=2)
    receipt = factories.file_report(now=filed, incident_date=sla.local_date(filed) - timedelta(days=1),
                                    **PIN, **overrides)
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", factories.actor("national_admin"), filed + timedelta(hours=1),
                   workflow.ActionInput(agency=factories.agency("dinkes-kota-padang"),
                                        resolution_class="sedang",
                                        extra={"public_title": "Pungutan di puskesmas",
                                               "public_body": "Petugas loket meminta uang."}))
    db.session.commit()
    return report


def case_page(app, role, report) -> str:
    client = app.test_client()
    login(client, factories.make_user(role, "dinkes-kota-padang" if role == "officer" else None))
    db.session.commit()
    response = client.get(f"/petugas/laporan/{report.reference}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def shows(page: str, text: str) -> bool:
    return text in page or str(escape(text)) in page


def test_the_officer_reads_an_anonymous_report_s_address_redacted_and_its_pin_rounded(app, db_session):
    """The pin of an anonymous report may be the reporter's home ("Gunakan lokasi saya"): the
    agency gets it to about 100 m, like the public's rounding."""
    report = routed(is_anonymous=True)
    page = case_page(app, "officer", report)
    assert "Rudi Hartono" not in page and "Kenanga No. 7" not in page
    assert shows(page, redaction.for_viewer(report, ADDRESS, "officer"))
    assert "-0.961, 100.361" in page and "-0.96123" not in page and "Belakang Pondok" in page


@pytest.mark.parametrize("role", ["national_admin", "oversight"])
def test_the_verifier_and_oversight_read_the_address_as_written(app, db_session, role):
    page = case_page(app, role, routed(is_anonymous=True))
    assert shows(page, ADDRESS) and "-0.96123, 100.36123" in page


def test_the_officer_reads_a_named_report_s_address_as_written(app, db_session):
    page = case_page(app, "officer", routed())
    assert shows(page, ADDRESS) and "-0.96123, 100.36123" in page


def test_the_board_shows_a_named_report_s_kelurahan_and_a_rounded_pin_never_the_address(client, db_session):
    report = routed()
    page = client.get(f"/transparansi/laporan/{report.reference}").get_data(as_text=True)
    assert "Belakang Pondok, Padang Selatan, Kota Padang" in page
    assert "-0.961, 100.361" in page and "-0.96123" not in page
    assert "Kenanga" not in page and "Rudi" not in page


def test_the_board_shows_an_anonymous_report_only_to_the_kecamatan(client, db_session):
    report = routed(is_anonymous=True)
    page = client.get(f"/transparansi/laporan/{report.reference}").get_data(as_text=True)
    assert "Padang Selatan, Kota Padang" in page
    assert "Belakang Pondok" not in page and "-0.96" not in page and "Kenanga" not in page


@pytest.mark.parametrize("role, anonymous, address_as_written", [
    ("officer", True, False), ("officer", False, True), ("national_admin", True, True)])
def test_the_api_detail_carries_the_location_as_the_case_page_shows_it(app, db_session, role,
                                                                       anonymous, address_as_written):
    from app.services import credentials

    report = routed(is_anonymous=anonymous)
    user = factories.make_user(role, "dinkes-kota-padang" if role == "officer" else None)
    db.session.commit()
    token = credentials.create_token(user.email, "uji lokasi")[1]
    db.session.commit()
    answer = app.test_client().get(f"/api/v1/inbox/{report.reference}",
                                   headers={"Authorization": "Bearer " + token})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    place = answer.get_json()["location"]
    assert place["district"] == {"code": "13.71.01", "name": "Padang Selatan"}
    assert place["village"]["name"] == "Belakang Pondok"
    rounded = role == "officer" and anonymous
    assert (place["lat"], place["long"]) == ((-0.961, 100.361) if rounded else (-0.96123, 100.36123))
    assert (place["address"] == ADDRESS) is address_as_written
    if not address_as_written:
        assert "Rudi" not in place["address"] and "Kenanga" not in place["address"]
