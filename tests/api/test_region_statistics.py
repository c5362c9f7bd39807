"""/api/v1/statistics?region=: a province's or a kab/kota's figures, the same as the board's;
and an unknown query parameter on any open-data endpoint is a 400 that names it."""
from __future__ import annotations

import json

import pytest

from app import clock
from app.services import access, snapshots, statistics
from tests import factories
from tests.api.conftest import conforms, error_of

API = "/api/v1"


def test_a_provinces_figures_are_the_boards(client, seeded):
    body = conforms(client.get(f"{API}/statistics?region=13"), f"{API}/statistics")
    months = statistics.months_back(clock.today(), 12)
    assert body["scope"] == "region" and body["agency"] is None
    assert body["region"] == {"code": "13", "name": "Sumatera Barat", "level": "province", "province": "13"}
    assert body["geography"] == "incident"
    assert body["figures"] == snapshots.figures_dict(statistics.region_figures("13", months))
    # The same figures as the board's regional download.
    board = json.loads(client.get("/transparansi/wilayah.json").get_data(as_text=True))
    row = next(p for p in board["provinces"] if p["code"] == "13")
    assert row["figures"] == body["figures"]
    # Every seeded report lies in Kota Padang: its province is the whole country.
    national = conforms(client.get(f"{API}/statistics"), f"{API}/statistics")
    assert body["figures"]["received"] == national["figures"]["received"]
    assert body["figures"]["received"]["value"] > 0
    other = conforms(client.get(f"{API}/statistics?region=36"), f"{API}/statistics")
    assert other["figures"]["received"]["value"] == 0


def test_a_kab_kotas_figures_in_either_geography(client, seeded):
    incident = conforms(client.get(f"{API}/statistics?region=13.71"), f"{API}/statistics")
    assert incident["region"] == {"code": "13.71", "name": "Kota Padang", "level": "regency",
                                  "province": "13"}
    months = statistics.months_back(clock.today(), 12)
    assert incident["figures"] == snapshots.figures_dict(statistics.region_figures("13.71", months))
    government = conforms(client.get(f"{API}/statistics?region=13.71&geography=government"),
                          f"{API}/statistics")
    assert government["geography"] == "government"
    family = sorted(access.descendants_and_self(factories.agency("pemkot-padang").id))
    assert government["figures"] == snapshots.figures_dict(statistics.figures(family, months))
    # Kota Padang's government and its unit only: the Padang reports at other agencies (e.g.
    # Kabupaten Lebak's) count by incident, not by government.
    elsewhere = sum(f.received for a, f in statistics.figures_by_agency(months).items()
                    if a is not None and a not in family)
    assert elsewhere > 0
    assert government["figures"]["received"]["value"] == \
        incident["figures"]["received"]["value"] - elsewhere


@pytest.mark.parametrize("query, field", [
    ("region=99", "region"), ("region=13.99", "region"), ("region=abc", "region"),
    ("region=13&agency=dinkes-kota-padang", "region"), ("region=13&geography=planet", "geography"),
])
def test_bad_regions_are_refused(client, seeded, query, field):
    response = client.get(f"{API}/statistics?{query}")
    assert field in error_of(response, 400)["fields"]
    conforms(response, f"{API}/statistics")


@pytest.mark.parametrize("url, path", [
    ("/statistics?regoin=13", "/statistics"),
    ("/statistics?agency=dinkes-kota-padang&regoin=13", "/statistics"),
    ("/complaints?regoin=13", "/complaints"),
    ("/agencies?regoin=13", "/agencies"),
    ("/agencies/dinkes-kota-padang?regoin=13", "/agencies/{slug}"),
    ("/snapshots?regoin=13", "/snapshots"),
    ("/openapi.json?regoin=13", "/openapi.json"),
])
def test_an_unknown_parameter_is_a_400_that_names_it(client, seeded, url, path):
    response = client.get(f"{API}{url}")
    error = error_of(response, 400)
    assert set(error["fields"]) == {"regoin"} and "regoin" in error["message"]
    conforms(response, f"{API}{path}")


def test_the_document_describes_the_region_parameter(client, seeded):
    document = client.get(f"{API}/openapi.json").get_json()
    parameters = {p["name"]: p for p in document["paths"][f"{API}/statistics"]["get"]["parameters"]}
    assert parameters["region"]["schema"]["pattern"] == r"^[0-9]{2}(\.[0-9]{2})?$"
    assert parameters["geography"]["schema"]["enum"] == ["incident", "government"]
    statistics_schema = document["components"]["schemas"]["Statistics"]
    assert {"region", "geography"} <= set(statistics_schema["required"])
