"""The reporter's API: the tracking code in X-Tracking-Code (never the URL), the view, replies."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Report
from app.services import workflow
from tests import factories
from tests.api.conftest import FILED, conforms, error_of

URL = "/api/v1/tracking"
MESSAGES = "/api/v1/tracking/messages"


def say(client, seeded, name, text="Ini foto lokasi yang diminta.", **body):
    return client.post(MESSAGES, json={"text": text, **body}, headers=seeded.tracking(name))


@pytest.mark.parametrize("headers", [{}, {"X-Tracking-Code": ""}, {"X-Tracking-Code": "ABCD-EFGH"},
                                     {"X-Tracking-Code": "K7QM-2XPA-9TRD-WB4N"}])
def test_a_missing_or_unknown_code_is_401(client, seeded, headers):
    response = client.get(URL, headers=headers)
    error = error_of(response, 401)
    assert error["code"] == "unauthorized"
    # A 401 says how to authenticate: a scheme of Terang's own that names the header.
    assert response.headers["WWW-Authenticate"] == (
        'TrackingCode realm="terang", header="X-Tracking-Code"')
    posted = client.post(MESSAGES, json={"text": "halo"}, headers=headers)
    error_of(posted, 401)
    assert posted.headers["WWW-Authenticate"].startswith("TrackingCode ")


@pytest.mark.parametrize("query", ["tracking_code", "code", "x-tracking-code"])
def test_a_code_in_the_url_is_not_read(client, seeded, query):
    error_of(client.get(f"{URL}?{query}={seeded.codes['public']}"), 401)


def test_the_reporters_view(client, seeded):
    report = seeded.reports["public"]
    workflow.apply(report, "note", factories.actor("officer"), FILED + timedelta(days=2),
                   workflow.ActionInput(text="CATATAN-INTERNAL jangan tampil"))
    db.session.commit()
    response = client.get(URL, headers=seeded.tracking("public"))
    body = conforms(response, URL)
    assert response.headers["Cache-Control"] == "no-store"
    assert body["reference"] == report.reference and body["status"] == "in_progress"
    assert body["title"] == "Puskesmas tutup pada jam layanan"  # the reporter's own title
    assert body["agency"] == {"slug": "dinkes-kota-padang", "name": "Dinas Kesehatan Kota Padang"}
    assert [e["action"] for e in body["timeline"]] == ["submit", "route", "respond"]
    assert "CATATAN-INTERNAL" not in response.get_data(as_text=True)
    assert all(len(e["date"]) == 10 for e in body["timeline"])  # days, never times
    respond = body["timeline"][-1]
    assert respond["actor"] == "agency" and respond["agency"]["slug"] == "dinkes-kota-padang"
    assert respond["text"] == "Petugas kami hubungi di 0812-3456-7890."
    deadline = body["deadline"]
    assert deadline["clock"] == "resolution" and deadline["paused"] is False
    assert isinstance(deadline["working_days_left"], int) and deadline["due_on"] == "2026-11-09"
    assert body["can_add_information"] is True


def test_the_code_is_forgiving_about_case_and_dashes(client, seeded):
    code = seeded.codes["named"].replace("-", "").lower()
    assert client.get(URL, headers={"X-Tracking-Code": code}).status_code == 200


def test_a_reply_to_a_request_for_information_restarts_the_clock(client, seeded):
    report = seeded.reports["named"]
    workflow.apply(report, "request_info", factories.actor("officer"), FILED + timedelta(days=1),
                   workflow.ActionInput(text="Mohon kirim foto lokasi."))
    db.session.commit()
    paused = conforms(client.get(URL, headers=seeded.tracking("named")), URL)
    assert paused["status"] == "on_hold" and paused["deadline"]["paused"] is True
    response = say(client, seeded, "named")
    body = conforms(response, MESSAGES, "post")
    assert response.status_code == 201
    assert body["status"] == "routed" and body["deadline"]["paused"] is False
    assert body["timeline"][-1]["action"] == "reporter_reply"
    assert body["timeline"][-1]["text"] == "Ini foto lokasi yang diminta."


def test_a_message_on_a_report_at_work_keeps_its_status(client, seeded):
    body = conforms(say(client, seeded, "public"), MESSAGES, "post")
    assert body["status"] == "in_progress"
    assert body["timeline"][-1]["action"] == "reporter_message"


def test_no_message_on_a_finished_report(client, seeded):
    report = seeded.reports["unverified"]
    workflow.apply(report, "archive", factories.actor("national_admin"), FILED + timedelta(days=1),
                   workflow.ActionInput(reason="spam"))
    db.session.commit()
    response = say(client, seeded, "unverified")
    assert error_of(response, 409)["code"] == "conflict"
    conforms(response, MESSAGES, "post")
    assert db.session.get(Report, report.id).status == "archived"


@pytest.mark.parametrize("body, field", [
    ({"text": ""}, "text"), ({"text": "   "}, "text"), ({}, "text"), ({"text": 5}, "text"),
    ({"text": "x" * 20_001}, "text"), ({"text": "halo", "attachments": []}, "attachments"),
    ({"text": "a\x00b"}, "text"),
])
def test_bad_messages_are_422_naming_the_field(client, seeded, body, field):
    response = client.post(MESSAGES, json=body, headers=seeded.tracking("public"))
    assert field in error_of(response, 422)["fields"]
    conforms(response, MESSAGES, "post")


def test_a_non_json_message_is_refused(client, seeded):
    headers = seeded.tracking("public")
    error_of(client.post(MESSAGES, data="text=halo", headers=headers,
                         content_type="application/x-www-form-urlencoded"), 415)
    error_of(client.post(MESSAGES, data="{", headers=headers, content_type="application/json"), 400)
    error_of(client.post(MESSAGES, data="[]", headers=headers, content_type="application/json"), 422)
