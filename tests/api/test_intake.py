"""POST /api/v1/complaints: the /lapor form's names, field errors, idempotent retries, limits."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import IdempotencyRecord, Report
from app import clock
from tests.api.conftest import conforms, error_of

URL = "/api/v1/complaints"


def yesterday() -> str:
    """Read when the body is built: fixtures may have moved the clock (``seeded`` does)."""
    return (clock.today() - timedelta(days=1)).isoformat()


def valid(**overrides) -> dict:
    body = {"report_type": "pengaduan", "title": "Jalan berlubang di depan SDN 3 Padang",
            "body": "Sejak dua minggu lalu ada lubang besar di jalan depan sekolah.",
            "incident_date": yesterday(), "region": "13.71", "agency": "pemkot-padang",
            "category": "infrastruktur"}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}


def post(client, body, headers=None, raw: bytes | str | None = None,
         content_type: str = "application/json"):
    data = raw if raw is not None else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, headers=headers or {})


def report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Report))


def test_a_report_is_filed_with_the_form_names(client, seeded):
    response = post(client, valid(is_anonymous=True, is_confidential=True, reporter={
        "name": "Rina", "email": "rina@example.com", "phone": "0812-3456-7891"}, language="en"))
    receipt = conforms(response, URL, "post")
    assert response.status_code == 201 and receipt["status"] == "submitted"
    assert "Idempotent-Replayed" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    report = db.session.scalar(select(Report).where(Report.reference == receipt["reference"]))
    assert (report.is_anonymous, report.is_confidential, report.language) == (True, True, "en")
    assert report.contact.email == "rina@example.com" and report.contact.phone == "+6281234567891"
    assert report.agency_id is None and report.requested_agency.slug == "pemkot-padang"
    tracked = client.get("/api/v1/tracking", headers={"X-Tracking-Code": receipt["tracking_code"]})
    assert tracked.get_json()["reference"] == receipt["reference"]


def test_optional_fields_may_be_null_or_absent(client, seeded):
    response = post(client, valid(agency=None, category=None, reporter=None))
    assert response.status_code == 201
    assert post(client, valid(agency=..., category=...)).status_code == 201


def test_a_report_may_say_where_exactly(client, seeded):
    response = post(client, valid(district="13.71.01", village="13.71.01.1001",
                                  incident_address="Jl. Batang Arau No. 12",
                                  latitude=-0.9612349, longitude=100.3612349))
    receipt = conforms(response, URL, "post")
    report = db.session.scalar(select(Report).where(Report.reference == receipt["reference"]))
    assert (report.incident_district_code, report.incident_village_code) == ("13.71.01",
                                                                              "13.71.01.1001")
    assert report.incident_address == "Jl. Batang Arau No. 12"
    assert (report.incident_lat, report.incident_lng) == (-0.96123, 100.36123)
    assert post(client, valid(district=None, village=None, incident_address=None, latitude=None,
                              longitude=None)).status_code == 201


BAD_BODIES = [
    # (what is sent, expected status, fields that must be named)
    ("{\"title\": ", 400, []),
    ("[]", 422, ["body"]),
    ("\"a report\"", 422, ["body"]),
    ("null", 422, ["body"]),
    ("42", 422, ["body"]),
    ("{\"title\": NaN}", 400, []),
    ("[" * 100_000 + "]" * 100_000, 400, []),
    (b"\xff\xfe\x00{", 400, []),
    (valid(title=5), 422, ["title"]),
    (valid(latitude=-0.96), 422, ["longitude"]),
    (valid(latitude=48.85, longitude=2.35), 422, ["latitude"]),
    (valid(latitude="-0.96", longitude=100.3), 422, ["latitude"]),
    (valid(district="32.76.01"), 422, ["district"]),
    (valid(title="x" * 201), 422, ["title"]),
    (valid(body="x" * 20_001), 422, ["body"]),
    (valid(title=""), 422, ["title"]),
    (valid(title="   "), 422, ["title"]),
    (valid(report_type="keluhan"), 422, ["report_type"]),
    (valid(is_anonymous="yes"), 422, ["is_anonymous"]),
    (valid(is_anonymous=1), 422, ["is_anonymous"]),
    (valid(is_anonimous=True), 422, ["is_anonimous"]),  # a typo must not file a named report
    (valid(attachments=["x.jpg"]), 422, ["attachments"]),
    (valid(reporter="Rina"), 422, ["reporter"]),
    (valid(reporter={"name": 7, "nik": "1371010101010001"}), 422, ["reporter.name", "reporter.nik"]),
    (valid(reporter={"name": "x" * 121}), 422, ["reporter.name"]),
    (valid(reporter={"email": "bukan-email"}), 422, ["reporter.email"]),
    (valid(reporter={"phone": "12"}), 422, ["reporter.phone"]),
    (valid(incident_date="2026-02-30"), 422, ["incident_date"]),
    (valid(incident_date="23-11-2026"), 422, ["incident_date"]),
    (valid(incident_date="20261101"), 422, ["incident_date"]),
    (valid(incident_date="2999-01-01"), 422, ["incident_date"]),
    (valid(incident_date=20261101), 422, ["incident_date"]),
    (valid(region="13"), 422, ["region"]),
    (valid(region="99.99"), 422, ["region"]),
    (valid(agency="tidak-ada"), 422, ["agency"]),
    (valid(category="tidak-ada"), 422, ["category"]),
    (valid(title="Judul dengan\x00NUL di dalamnya"), 422, ["title"]),
    (valid(title="Judul \ud800 setengah"), 422, ["title"]),
    (json.dumps(valid(title="PLACEHOLDER")).replace('"PLACEHOLDER"', "1e400"), 422, ["title"]),
    (valid(title=10 ** 5000), 400, []),
    ({"report_type": "pengaduan"}, 422, ["title", "body", "incident_date", "region"]),
    # Domain checks name every refused field at once, not only the first.
    (valid(incident_date="2999-01-01", agency="tidak-ada", reporter={"email": "x@", "phone": "12"}),
     422, ["incident_date", "agency", "reporter.email", "reporter.phone"]),
]


@pytest.mark.parametrize("sent, status, fields", BAD_BODIES,
                         ids=[f"bad{i}" for i in range(len(BAD_BODIES))])
def test_what_a_client_sends_never_makes_a_500(client, seeded, sent, status, fields):
    before = report_count()
    if isinstance(sent, dict):
        try:
            raw = json.dumps(sent)
        except ValueError:  # ints past Python's digit limit
            raw = '{"title": ' + "9" * 5000 + "}"
        response = post(client, None, raw=raw)
    else:
        response = post(client, None, raw=sent)
    error = error_of(response, status)
    conforms(response, URL, "post")
    for name in fields:
        assert name in error["fields"], (name, error)
    assert report_count() == before


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_the_body_must_be_json(client, seeded, content_type):
    response = post(client, valid(), content_type=content_type)
    assert error_of(response, 415)["code"] == "unsupported_media_type"


def test_a_body_over_one_mebibyte_is_413(client, seeded):
    response = post(client, None, raw=json.dumps(valid(body="x" * (1024 * 1024 + 10))))
    error_of(response, 413)


def test_a_retry_with_the_same_key_returns_the_same_report(client, seeded):
    before = report_count()
    headers = {"Idempotency-Key": "4a7f0b8e-1111-4c22-9a33-5c6d7e8f9a00"}
    first = post(client, valid(), headers)
    again = post(client, valid(), headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()  # same reference AND same tracking code
    assert again.headers["Idempotent-Replayed"] == "true"
    conforms(again, URL, "post")
    assert report_count() == before + 1
    # The stored answer is encrypted: the tracking code is not in the table in clear.
    record = db.session.scalar(select(IdempotencyRecord))
    assert first.get_json()["tracking_code"] not in (record.response_encrypted or "")


def test_the_same_key_with_another_body_is_refused(client, seeded):
    headers = {"Idempotency-Key": "kunci-uji-1"}
    assert post(client, valid(), headers).status_code == 201
    before = report_count()
    error = error_of(post(client, valid(title="Judul yang lain sama sekali"), headers), 422)
    assert error["code"] == "idempotency_conflict" and "Idempotency-Key" in error["fields"]
    assert report_count() == before


def test_a_refused_body_does_not_use_up_its_key(client, seeded):
    headers = {"Idempotency-Key": "kunci-uji-2"}
    error_of(post(client, valid(region="99.99"), headers), 422)
    assert post(client, valid(), headers).status_code == 201


def test_a_key_older_than_24_hours_is_free_again(client, seeded):
    """The answer (with its tracking code) is kept 24 hours, as the README and /api promise."""
    from datetime import timedelta

    from app.services import idempotency

    headers = {"Idempotency-Key": "kunci-uji-kedaluwarsa"}
    first = post(client, valid(), headers)
    assert first.status_code == 201
    record = db.session.scalar(select(IdempotencyRecord).where(
        IdempotencyRecord.key.endswith(headers["Idempotency-Key"])))
    record.created_at -= idempotency.LIFETIME + timedelta(seconds=1)
    db.session.commit()
    before = report_count()
    again = post(client, valid(), headers)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert again.get_json()["reference"] != first.get_json()["reference"]
    assert report_count() == before + 1
    # Within its own 24 hours the new answer is the one replayed.
    replayed = post(client, valid(), headers)
    assert replayed.get_json() == again.get_json()
    assert replayed.headers["Idempotent-Replayed"] == "true"


def test_without_a_key_every_post_is_a_new_report(client, seeded):
    first, second = post(client, valid()).get_json(), post(client, valid()).get_json()
    assert first["reference"] != second["reference"]


@pytest.mark.parametrize("key", ["x" * 201, "kunci dengan spasi", "kuncí"])
def test_a_malformed_key_is_400(client, seeded, key):
    response = post(client, valid(), {"Idempotency-Key": key.encode("utf-8").decode("latin-1")})
    assert "Idempotency-Key" in error_of(response, 400)["fields"]


# --- files: sent first to /uploads (cleaned there), then named in `attachments` --------------

UPLOADS = "/api/v1/uploads"


def send_file(client, data: bytes, name: str, mimetype: str = "application/octet-stream"):
    import io

    return client.post(UPLOADS, data={"file": (io.BytesIO(data), name, mimetype)},
                       content_type="multipart/form-data")


def test_a_video_is_uploaded_cleaned_and_attached_to_a_report(client, seeded):
    from flask import current_app

    from app.services import attachments
    from tests import factories

    response = send_file(client, factories.video_with_metadata("mov"), "IMG_0042.MOV", "video/quicktime")
    assert response.status_code == 201, response.get_json()
    staged = conforms(response, UPLOADS, "post")
    assert staged["content_type"] == "video/mp4" and staged["name"] == "IMG_0042.MOV"
    response = post(client, valid(is_anonymous=True, attachments=[staged["token"]]))
    receipt = conforms(response, URL, "post")
    report = db.session.scalar(select(Report).where(Report.reference == receipt["reference"]))
    (video,) = report.attachments
    assert (video.content_type, video.size) == ("video/mp4", staged["size"])
    data = attachments.read_file(current_app.config["UPLOAD_FOLDER"], video.storage_name)
    for secret in (factories.VIDEO_GPS, factories.VIDEO_DEVICE, factories.VIDEO_MAKE):
        assert secret.encode() not in data, secret
    # The token is spent: naming it again files nothing.
    again = post(client, valid(attachments=[staged["token"]]))
    assert "attachments" in error_of(again, 422)["fields"]


def test_a_damaged_video_is_refused_saying_why(client, seeded):
    from tests import factories

    good = factories.video_with_metadata("mp4")
    error = error_of(send_file(client, good[: len(good) // 2], "rusak.mp4", "video/mp4"), 422)
    assert error["fields"]["file"].startswith("rusak.mp4: Video rusak atau tidak dapat dibaca")
    conforms(send_file(client, good[:100], "x.mp4"), UPLOADS, "post")


def test_an_upload_is_judged_by_its_bytes_not_its_type(client, seeded):
    error = error_of(send_file(client, b"<script>bukan video</script>", "v.mp4", "video/mp4"), 422)
    assert "jenis berkas tidak diterima" in error["fields"]["file"]


def test_an_upload_must_be_multipart_with_a_file(client, seeded):
    assert error_of(client.post(UPLOADS, json={"file": "x"}), 415)["code"] == "unsupported_media_type"
    error = error_of(client.post(UPLOADS, data={"other": "x"}, content_type="multipart/form-data"), 422)
    assert "other" in error["fields"]


def test_a_video_over_the_configured_limit_is_refused(app, client, seeded, monkeypatch):
    from tests import factories

    data = factories.video_with_metadata("webm")
    monkeypatch.setitem(app.config, "MAX_VIDEO_BYTES", len(data) - 1)
    error = error_of(send_file(client, data, "besar.webm", "video/webm"), 422)
    assert "ukuran video melebihi" in error["fields"]["file"]


def test_an_upload_with_an_unknown_part_is_refused_naming_it(client, seeded):
    import io

    from tests import factories

    response = client.post(UPLOADS, data={"file": (io.BytesIO(factories.jpeg_with_gps()), "a.jpg"),
                                          "lokasi": "-6.2,106.8"}, content_type="multipart/form-data")
    assert "lokasi" in error_of(response, 422)["fields"]
