"""Open data: exactly what the board shows, and never a confidential or unverified report, an
original text, a reporter's identity or a tracking code."""
from __future__ import annotations

import hashlib

import pytest

from app import clock
from app.services import board, snapshots, statistics
from tests.api.conftest import (ANON_EMAIL, ANON_NAME, ANON_PHONE, NAMED_EMAIL, NAMED_NAME,
                                ORIGINAL_MARKER, conforms, error_of)

API = "/api/v1"
ORIGINAL_TITLE = "Puskesmas tutup pada jam layanan"  # every seeded report's own title
NEVER_PUBLIC = (ORIGINAL_MARKER, ORIGINAL_TITLE, "RAHASIA-TITLE", "UNVERIFIED-TITLE",
                "budi.santoso@example.com", ANON_NAME, ANON_EMAIL, ANON_PHONE, NAMED_NAME,
                NAMED_EMAIL, "0812-3456-7890")

PUBLIC_URLS = [
    "/complaints", "/complaints?q=laporan", "/complaints?agency=dinkes-kota-padang",
    "/complaints?region=13", "/complaints?status=in_progress", "/complaints?type=pengaduan",
    "/complaints?from=2026-11-01&to=2026-11-30", "/agencies", "/agencies/dinkes-kota-padang",
    "/agencies/pemkot-padang", "/statistics", "/statistics?agency=dinkes-kota-padang",
    "/snapshots",
]


def _texts_never_public(text: str, seeded) -> None:
    for secret in NEVER_PUBLIC:
        assert secret not in text, secret
    for name in ("confidential", "unverified"):
        assert seeded.ref(name) not in text
    for code in seeded.codes.values():
        assert code not in text


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_endpoints_never_expose_hidden_reports_original_text_or_identity(client, seeded, url):
    response = client.get(API + url)
    assert response.status_code == 200
    _texts_never_public(response.get_data(as_text=True), seeded)


@pytest.mark.parametrize("name", ["public", "anonymous", "named", "lebak"])
def test_public_report_pages_never_expose_original_text_or_identity(client, seeded, name):
    response = client.get(f"{API}/complaints/{seeded.ref(name)}")
    body = conforms(response, f"{API}/complaints/{{reference}}")
    _texts_never_public(response.get_data(as_text=True), seeded)
    assert body["reference"] == seeded.ref(name)


def test_the_list_is_the_board_list(client, seeded):
    body = conforms(client.get(f"{API}/complaints"), f"{API}/complaints")
    listed = {item["reference"] for item in body["items"]}
    assert listed == {seeded.ref(n) for n in ("public", "anonymous", "named", "lebak")}
    assert body["total"] == 4 and body["page"] == 1 and body["pages"] == 1
    assert not body["total_is_capped"]
    board_page = board.public_report_list(board.ReportFilter())
    assert [i["reference"] for i in body["items"]] == [r.reference for r in board_page.items]
    public = next(i for i in body["items"] if i["reference"] == seeded.ref("public"))
    assert public["title"] == "Laporan publik yang boleh tampil"
    assert public["submitted_on"] == "2026-11-02"  # a day, never a time
    assert public["agency"] == {"slug": "dinkes-kota-padang", "name": "Dinas Kesehatan Kota Padang"}


@pytest.mark.parametrize("name", ["confidential", "unverified"])
def test_hidden_reports_do_not_exist_publicly(client, seeded, name):
    error = error_of(client.get(f"{API}/complaints/{seeded.ref(name)}"), 404)
    assert error["code"] == "not_found"


def test_a_public_report_is_exactly_what_the_board_gives(client, seeded):
    body = conforms(client.get(f"{API}/complaints/{seeded.ref('public')}"),
                    f"{API}/complaints/{{reference}}")
    expected = board.public_report(seeded.ref("public"))
    assert body["title"] == expected.title == "Laporan publik yang boleh tampil"
    assert body["body"] == expected.body
    assert [s["action"] for s in body["steps"]] == [s.action for s in expected.steps]
    respond = next(s for s in body["steps"] if s["action"] == "respond")
    assert "[TELEPON]" in respond["text"] and "0812" not in respond["text"]
    assert all(len(s["date"]) == 10 for s in body["steps"])  # YYYY-MM-DD: day precision
    assert [(d["clock"], d["due_on"], d["met"], d["reopened"]) for d in body["deadlines"]] == [
        (d.clock, d.due_on.isoformat(), d.met, d.reopened) for d in expected.deadlines]


@pytest.mark.parametrize("query, expected", [
    ("agency=pemkab-lebak", {"lebak"}),
    ("agency=tidak-ada", set()),
    ("region=13.71", {"public", "anonymous", "named", "lebak"}),
    ("region=36", set()),
    ("status=in_progress", {"public"}),
    ("type=aspirasi", set()),
    ("q=bernama", {"named"}),
    ("q=", {"public", "anonymous", "named", "lebak"}),
    ("from=2026-11-03", set()),
    ("to=2026-11-02", {"public", "anonymous", "named", "lebak"}),
    ("category=kesehatan", {"public", "anonymous", "named", "lebak"}),
    ("page=50", {"public", "anonymous", "named", "lebak"}),  # past the last page: the last
])
def test_filters_are_the_board_filters(client, seeded, query, expected):
    body = conforms(client.get(f"{API}/complaints?{query}"), f"{API}/complaints")
    assert {i["reference"] for i in body["items"]} == {seeded.ref(n) for n in expected}


@pytest.mark.parametrize("query, field", [
    ("status=submitted", "status"), ("status=", "status"), ("type=keluhan", "type"),
    ("from=2026-13-01", "from"), ("to=20261101", "to"), ("page=0", "page"), ("page=abc", "page"),
    ("page=1.5", "page"), ("page=51", "page"), ("cursor=a%2Bb", "cursor"), ("q=" + "x" * 101, "q"),
    ("region=Padang", "region"), ("agency=a%00b", "agency"), ("q=a%00", "q"),
    ("status=routed&status=closed", "status"),
])
def test_bad_parameters_are_400_naming_the_parameter(client, seeded, query, field):
    response = client.get(f"{API}/complaints?{query}")
    error = error_of(response, 400)
    assert field in error["fields"]
    conforms(response, f"{API}/complaints")


def test_agencies_list_and_filters(client, seeded):
    body = conforms(client.get(f"{API}/agencies"), f"{API}/agencies")
    assert "dinkes-kota-padang" in {a["slug"] for a in body["items"]}
    units = conforms(client.get(f"{API}/agencies?level=unit"), f"{API}/agencies")
    assert {a["level"] for a in units["items"]} == {"unit"}
    page = conforms(client.get(f"{API}/agencies?per_page=1&page=2"), f"{API}/agencies")
    assert len(page["items"]) == 1 and page["total"] == body["total"]
    found = conforms(client.get(f"{API}/agencies?q=kota padang"), f"{API}/agencies")
    assert {a["slug"] for a in found["items"]} == {"pemkot-padang", "dinkes-kota-padang"}
    for literal in ("%25", "_", "%5C", "100%25"):  # LIKE wildcards and escapes are plain text
        assert conforms(client.get(f"{API}/agencies?q={literal}"), f"{API}/agencies")["items"] == []
    error_of(client.get(f"{API}/agencies?per_page=201"), 400)
    error_of(client.get(f"{API}/agencies?level=planet"), 400)


def test_an_agency_with_its_last_twelve_months(client, seeded):
    body = conforms(client.get(f"{API}/agencies/dinkes-kota-padang"), f"{API}/agencies/{{slug}}")
    months = statistics.months_back(clock.today(), 12)
    own = statistics.figures([seeded.reports["public"].agency_id], months)
    assert body["figures"] == snapshots.figures_dict(own)
    assert body["figures"]["received"] == {"definition": "received.v1", "value": 4}
    assert (body["from"], body["to"]) == (months[0], months[-1])
    assert body["figures_with_units"] is None and body["units"] == []
    parent = conforms(client.get(f"{API}/agencies/pemkot-padang"), f"{API}/agencies/{{slug}}")
    assert parent["units"] == [{"slug": "dinkes-kota-padang", "name": "Dinas Kesehatan Kota Padang"}]
    assert parent["figures"]["received"]["value"] == 0
    assert parent["figures_with_units"]["received"]["value"] == 4
    error_of(client.get(f"{API}/agencies/tidak-ada"), 404)


def test_statistics_default_to_the_last_twelve_months_nationally(client, seeded):
    body = conforms(client.get(f"{API}/statistics"), f"{API}/statistics")
    months = statistics.months_back(clock.today(), 12)
    assert body["scope"] == "national" and body["agency"] is None
    assert body["months"] == months
    assert body["figures"] == snapshots.figures_dict(statistics.figures(None, months))
    assert body["figures"]["received"]["value"] == 5  # the confidential one counts, unshown
    # One confidential report: under the small-number rule, its count is not published.
    assert body["figures"]["confidential_received"] == {
        "definition": "received.v1", "value": None, "too_small": True}
    assert body["methodology_version"] == statistics.METHODOLOGY_VERSION
    assert body["methodology_url"].endswith("/transparansi/metodologi")
    defined = {d["id"] for d in body["definitions"]}
    used = {v["definition"] for v in body["figures"].values() if isinstance(v, dict)}
    assert used <= defined


def test_statistics_of_an_agency_over_chosen_months(client, seeded):
    body = conforms(client.get(f"{API}/statistics?agency=pemkab-lebak&from=2026-10&to=2026-11"),
                    f"{API}/statistics")
    assert body["scope"] == "agency" and body["agency"]["slug"] == "pemkab-lebak"
    assert body["months"] == ["2026-10", "2026-11"]
    assert body["figures"]["received"]["value"] == 1
    only_to = conforms(client.get(f"{API}/statistics?to=2026-03"), f"{API}/statistics")
    assert only_to["months"][0] == "2025-04" and len(only_to["months"]) == 12


@pytest.mark.parametrize("query, field", [
    ("from=2026-11&to=2026-10", "from"), ("from=2010-01&to=2026-11", "to"),
    ("agency=tidak-ada", "agency"), ("from=2026-13", "from"), ("to=26-11", "to"),
])
def test_statistics_refuse_bad_months_and_unknown_agencies(client, seeded, query, field):
    response = client.get(f"{API}/statistics?{query}")
    assert field in error_of(response, 400)["fields"]
    conforms(response, f"{API}/statistics")


def test_snapshots_carry_their_hash_and_permanent_url(client, seeded):
    assert conforms(client.get(f"{API}/snapshots"), f"{API}/snapshots")["items"] == []
    published = snapshots.publish("2026-10", clock.now())
    listed = conforms(client.get(f"{API}/snapshots"), f"{API}/snapshots")["items"]
    assert [s["id"] for s in listed] == [published.public_id]
    body = conforms(client.get(f"{API}/snapshots/{published.public_id}"),
                    f"{API}/snapshots/{{snapshot_id}}")
    assert body["sha256"] == published.sha256
    canonical = snapshots.canonical_json(body["payload"]).encode("utf-8")
    assert hashlib.sha256(canonical).hexdigest() == body["sha256"]
    assert body["permanent_url"].endswith(f"/transparansi/snapshot/{published.public_id}")
    download = client.get(body["json_url"].replace("http://localhost", ""))
    assert hashlib.sha256(download.get_data()).hexdigest() == body["sha256"]
    error_of(client.get(f"{API}/snapshots/2001-01-m0"), 404)


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31",
                                   "from=0001-01-01&to=9999-12-31", "from=0001-01-02&to=9999-12-30"])
def test_dates_at_the_ends_of_the_calendar_bound_nothing(client, seeded, query):
    body = conforms(client.get(f"{API}/complaints?{query}"), f"{API}/complaints")
    every = client.get(f"{API}/complaints").get_json()
    assert body["total"] == every["total"] > 0


# --- an agency's reply names the reporter --------------------------------------------------------

def _reply(report, text: str) -> None:
    from datetime import timedelta

    from app.extensions import db
    from app.services import workflow
    from tests import factories
    from tests.api.conftest import FILED

    workflow.apply(report, "respond", factories.actor("officer"), FILED + timedelta(days=1),
                   workflow.ActionInput(text=text))
    db.session.commit()


def test_an_officer_reply_never_names_an_anonymous_reporter_on_any_public_surface(client, seeded):
    # The officer addressed the reporter by name and repeated their number: the board page, the
    # JSON API and Open311 all show the same redacted reply, never the name or the number.
    ref = seeded.ref("anonymous")
    _reply(seeded.reports["anonymous"], "Baik Ibu Siti Anonimah, hubungi 081234567890 bila perlu.")
    board_page = client.get(f"/transparansi/laporan/{ref}").get_data(as_text=True)
    api = conforms(client.get(f"{API}/complaints/{ref}"), f"{API}/complaints/{{reference}}")
    open311 = client.get(f"/open311/v2/requests/{ref}.json").get_json()
    api_reply = next(s["text"] for s in api["steps"] if s["action"] == "respond")
    notes = open311[0]["status_notes"]
    expected = "Baik Ibu [NAMA], hubungi [TELEPON] bila perlu."
    assert api_reply == notes == expected
    assert expected in board_page
    for surface in (board_page, str(api), notes):
        for secret in ("Siti", "Anonimah", "081234567890", ANON_PHONE):
            assert secret not in surface


def test_the_reporters_name_is_masked_in_a_reply_on_a_named_report_too(client, seeded):
    ref = seeded.ref("named")
    _reply(seeded.reports["named"], "Terima kasih Pak Budi Terbuka, lampu sudah diganti.")
    api = client.get(f"{API}/complaints/{ref}").get_json()
    assert [s["text"] for s in api["steps"] if s["action"] == "respond"] == [
        "Terima kasih Pak [NAMA], lampu sudah diganti."]
    assert "Terbuka" not in client.get(f"/transparansi/laporan/{ref}").get_data(as_text=True)
    assert client.get(f"/open311/v2/requests/{ref}.json").get_json()[0]["status_notes"] == \
        "Terima kasih Pak [NAMA], lampu sudah diganti."


def test_open311_and_the_api_read_the_boards_step_list(client, seeded):
    """One list of public steps: Open311's status_notes is the board's last agency text."""
    from app.blueprints.open311 import mapping

    ref = seeded.ref("public")
    found = board.public_report(ref)
    assert mapping.status_notes(seeded.reports["public"], list(found.steps)) == found.steps[-1].text
    assert client.get(f"/open311/v2/requests/{ref}.json").get_json()[0]["status_notes"] == \
        found.steps[-1].text
