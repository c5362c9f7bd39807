"""Open311 carries a report's map point as the board shows it: rounded to about 100 m, and
never for an anonymous report; a partner may send lat/long (and an address kept private)."""
from __future__ import annotations

import pytest
from flask import current_app

from app.services import reporter
from tests.api.test_open311 import BASE, as_json, as_xml, assert_error, file_public, post_request
from tests.api.test_open311 import api_key  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("fresh_g")

PIN = dict(latitude="-0.961234", longitude="100.361234", district_code="13.71.01",
           village_code="13.71.01.1001", incident_address="Jl. Batang Arau No. 12")


def one(client, reference, fmt="json"):
    response = client.get(f"{BASE}/requests/{reference}.{fmt}")
    return as_json(response)[0] if fmt == "json" else as_xml(response).find("request")


def test_a_named_report_s_pin_is_published_rounded(client, db_session):
    report = file_public(**PIN)
    item = one(client, report.reference)
    assert (item["lat"], item["long"]) == (-0.961, 100.361)
    assert item["address"] == "Belakang Pondok, Padang Selatan, Kota Padang, Sumatera Barat"
    assert "Batang Arau" not in str(item)  # the address is never public
    element = one(client, report.reference, "xml")
    assert (element.findtext("lat"), element.findtext("long")) == ("-0.961", "100.361")


def test_an_anonymous_report_s_pin_and_kelurahan_are_not_published(client, db_session):
    report = file_public(is_anonymous=True, **PIN)
    item = one(client, report.reference)
    assert "lat" not in item and "long" not in item
    assert item["address"] == "Padang Selatan, Kota Padang, Sumatera Barat"
    assert "Batang Arau" not in str(item)


def test_a_report_without_a_pin_has_no_lat_long(client, db_session):
    item = one(client, file_public().reference)
    assert "lat" not in item and "long" not in item


def test_the_json_api_follows_the_same_public_rule(client, db_session):
    named = client.get(f"/api/v1/complaints/{file_public(**PIN).reference}").get_json()
    assert (named["lat"], named["long"]) == (-0.961, 100.361)
    assert named["district_name"] == "Padang Selatan" and named["village_name"] == "Belakang Pondok"
    anonymous = client.get(
        f"/api/v1/complaints/{file_public(is_anonymous=True, **PIN).reference}").get_json()
    assert anonymous["lat"] is None and anonymous["village_name"] is None
    assert anonymous["district_name"] == "Padang Selatan"
    assert "Batang Arau" not in str(named) + str(anonymous)


def test_a_partner_sends_lat_long_and_an_address(client, api_key):  # noqa: F811
    response = post_request(client, api_key, lat="-0.9612349", long="100.3612349",
                            address_string="Jl. Batang Arau No. 12")
    assert response.status_code == 201, response.get_data(as_text=True)
    found = reporter.find_by_code(as_json(response)[0]["tracking_code"],
                                  current_app.config["SECRET_KEY"])
    assert (found.incident_lat, found.incident_lng) == (-0.96123, 100.36123)
    assert found.incident_address == "Jl. Batang Arau No. 12"


@pytest.mark.parametrize("fields", [dict(lat="-0.96"), dict(lat="48.85", long="2.35"),
                                    dict(lat="x", long="100.3")])
def test_a_partner_s_wrong_pin_is_a_400_naming_lat_or_long(client, api_key, fields):  # noqa: F811
    response = post_request(client, api_key, **fields)
    assert_error(response, 400)
    description = as_json(response)[0]["description"]
    assert description.startswith("lat") or description.startswith("long")
