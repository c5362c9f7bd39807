"""The precise location of a report: what is accepted, what is stored, who sees what of it."""
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from flask import current_app

from app.extensions import db
from app.models import Report
from app.services import intake, location, redaction
from app.services.errors import DomainError
from tests import factories

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
PADANG_SELATAN = "13.71.01"
BELAKANG_PONDOK = "13.71.01.1001"
KURANJI = "13.71.07"  # another kecamatan of Kota Padang


def submit(**overrides):
    return intake.submit_report(factories.submission(**overrides), now=NOW,
                                secret_key=current_app.config["SECRET_KEY"],
                                reference_prefix=current_app.config["REFERENCE_PREFIX"])


class TestPlaces:
    def test_the_kecamatan_of_a_kab_kota_by_name(self):
        found = location.districts("13.71")
        assert PADANG_SELATAN in [p.code for p in found]
        assert [p.name for p in found] == sorted(p.name for p in found)
        assert all(p.code.startswith("13.71.") for p in found)

    def test_the_kelurahan_of_a_kecamatan(self):
        found = location.villages(PADANG_SELATAN)
        assert location.Place(BELAKANG_PONDOK, "Belakang Pondok") in found

    @pytest.mark.parametrize("code", ["", None, "13", "13.71.01.1001", "x\x00", "13.71.1"])
    def test_no_kecamatan_for_what_is_not_a_kab_kota(self, code):
        assert location.districts(code) == []

    def test_a_place_by_code(self):
        assert location.place(BELAKANG_PONDOK).name == "Belakang Pondok"
        assert location.place("13.71.99") is None
        assert location.place("13.71") is None  # a kab/kota is not a kecamatan


class TestPin:
    @pytest.mark.parametrize("lat,lng,expected", [
        ("-0.949241", "100.354271", (-0.94924, 100.35427)),
        ("-0,94924", "100,35427", (-0.94924, 100.35427)),  # the Indonesian decimal comma
        (-6.2, 106.816666666, (-6.2, 106.81667)),
        (" 5.9 ", " 95.3 ", (5.9, 95.3)),
    ])
    def test_rounded_to_five_decimals(self, lat, lng, expected):
        assert location.pin(lat, lng) == expected

    def test_none_when_both_are_empty(self):
        assert location.pin("", " ") is None and location.pin(None, None) is None

    @pytest.mark.parametrize("lat,lng,field", [
        ("-0.9", "", "longitude"), ("", "100.3", "latitude"),
        ("abc", "100.3", "latitude"), ("-0.9", "1e5", "longitude"), ("nan", "100", "latitude"),
        ("48.85", "2.35", "latitude"),  # Paris
        ("-0.9", "150.0", "longitude"), ("100.35", "-0.94", "latitude"),  # swapped
        (True, 100.3, "latitude"),
    ])
    def test_refused(self, lat, lng, field):
        with pytest.raises(DomainError) as info:
            location.pin(lat, lng)
        assert info.value.field == field and info.value.message


class TestFiling:
    def test_a_report_without_location_stores_none(self, db_session):
        report = db.session.get(Report, submit().report_id)
        assert (report.incident_district_code, report.incident_village_code, report.incident_address,
                report.incident_lat, report.incident_lng) == (None, None, None, None, None)

    def test_everything_given_is_stored(self, db_session):
        report = db.session.get(Report, submit(
            district_code=PADANG_SELATAN, village_code=BELAKANG_PONDOK,
            incident_address="  Jl. Batang Arau   No. 12 ", latitude="-0.9612345",
            longitude="100.3612345").report_id)
        assert report.incident_district_code == PADANG_SELATAN
        assert report.incident_village_code == BELAKANG_PONDOK
        assert report.incident_address == "Jl. Batang Arau No. 12"
        assert (report.incident_lat, report.incident_lng) == (-0.96123, 100.36123)

    def test_a_kelurahan_alone_gives_its_kecamatan(self, db_session):
        report = db.session.get(Report, submit(village_code=BELAKANG_PONDOK).report_id)
        assert report.incident_district_code == PADANG_SELATAN

    @pytest.mark.parametrize("overrides,field", [
        (dict(district_code="32.76.01"), "district"),  # Depok's, not Padang's
        (dict(district_code="13.71.99"), "district"),
        (dict(district_code="13.71"), "district"),
        (dict(district_code=KURANJI, village_code=BELAKANG_PONDOK), "village"),
        (dict(village_code="32.76.01.1001"), "village"),
        (dict(incident_address="x" * 301), "incident_address"),
        (dict(incident_address="Jl. A\x00"), "incident_address"),
        (dict(latitude="-0.9"), "longitude"),
    ])
    def test_refused(self, db_session, overrides, field):
        with pytest.raises(DomainError) as info:
            submit(**overrides)
        assert info.value.field == field

    def test_every_refused_part_at_once(self, db_session):
        found = intake.problems(factories.submission(
            district_code="32.76.01", village_code="32.76.01.1001", latitude="x", longitude="1"),
            NOW.date(), 5)
        assert {"district", "village", "latitude"} <= set(found)


def _report(**overrides):
    values = dict(is_anonymous=False, is_confidential=False, contact=None, region=SimpleNamespace(
        name="Kota Padang"), incident_district_code=PADANG_SELATAN,
        incident_village_code=BELAKANG_PONDOK, incident_address="Jl. Batang Arau No. 12, rumah Budi Santoso",
        incident_lat=-0.96123, incident_lng=100.36123, public_title=None, public_body=None,
        title="t", body="b")
    values.update(overrides)
    return SimpleNamespace(**values)


class TestWhoSeesWhat:
    def test_the_public_sees_kecamatan_kelurahan_and_a_rounded_pin_of_a_named_report(self):
        seen = location.view_for(_report(), None)
        assert seen.district.name == "Padang Selatan" and seen.village.name == "Belakang Pondok"
        assert (seen.latitude, seen.longitude) == (-0.961, 100.361) and not seen.precise
        assert seen.address is None

    @pytest.mark.parametrize("flags", [dict(is_anonymous=True), dict(is_confidential=True),
                                       dict(is_anonymous=True, is_confidential=True)])
    def test_the_public_sees_only_the_kecamatan_of_an_anonymous_or_rahasia_report(self, flags):
        seen = location.view_for(_report(**flags), redaction.PUBLIC)
        assert seen.district.name == "Padang Selatan"
        assert seen.village is None and not seen.has_pin and seen.address is None
        assert location.public_pin(_report(**flags)) is None

    @pytest.mark.parametrize("reader", [redaction.REPORTER, redaction.NATIONAL_ADMIN,
                                        redaction.OVERSIGHT, redaction.OFFICER,
                                        redaction.AGENCY_ADMIN])
    def test_staff_and_the_reporter_see_everything_of_a_named_report(self, reader):
        seen = location.view_for(_report(), reader)
        assert seen.address == "Jl. Batang Arau No. 12, rumah Budi Santoso"
        assert (seen.latitude, seen.longitude) == (-0.96123, 100.36123) and seen.precise
        assert seen.village.name == "Belakang Pondok"

    @pytest.mark.parametrize("reader", [redaction.OFFICER, redaction.AGENCY_ADMIN])
    def test_an_agency_reads_the_address_of_an_anonymous_report_redacted(self, reader):
        seen = location.view_for(_report(is_anonymous=True), reader)
        assert "Budi Santoso" not in seen.address and "Batang Arau No. 12" not in seen.address
        assert seen.address == redaction.for_viewer(
            _report(is_anonymous=True), "Jl. Batang Arau No. 12, rumah Budi Santoso", reader)
        assert seen.village is not None  # the agency must find the place
        # ... but the pin may be the reporter's home: about 100 m, like the public's rounding
        assert (seen.latitude, seen.longitude) == (-0.961, 100.361) and not seen.precise

    @pytest.mark.parametrize("reader", [redaction.NATIONAL_ADMIN, redaction.OVERSIGHT,
                                        redaction.REPORTER])
    def test_the_verifier_oversight_and_reporter_read_an_anonymous_address_as_written(self, reader):
        seen = location.view_for(_report(is_anonymous=True), reader)
        assert seen.address == "Jl. Batang Arau No. 12, rumah Budi Santoso"
        assert (seen.latitude, seen.longitude) == (-0.96123, 100.36123) and seen.precise


@pytest.mark.parametrize("url, origin", [
    ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
    ("https://tiles.example.id/{z}/{x}/{y}.png", "https://tiles.example.id"),
    ("http://127.0.0.1:8111/t/{z}/{x}/{y}.png", "http://127.0.0.1:8111"),
    ("", None), (None, None), ("javascript:alert(1)", None), ("//tiles.example.id/{z}.png", None),
    ("https://a.example/x'; script-src *", None), ("https://a.example/x y", None),
])
def test_the_tile_server_s_origin_for_the_csp(url, origin):
    from app import tile_origin

    assert tile_origin(url) == origin
