"""Open311 GeoReport v2 (/open311/v2): the board's reports out, partners' reports in."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta

import pytest
from flask import current_app

from app.blueprints.open311 import mapping
from app.extensions import db, limiter
from app.models import ApiKey, Report, Status
from app import clock
from app.services import board, credentials, reporter, sla, workflow
from tests import factories

pytestmark = pytest.mark.usefixtures("fresh_g")

BASE = "/open311/v2"
ADMIN = workflow.Actor(kind="officer", role="national_admin")
# The views use the real clock; reports are filed a few days ago so the default window holds them.
FILED = clock.now().replace(microsecond=0) - timedelta(days=7)
ORIGINAL_ONLY = "ORIGINAL-ONLY-TEXT"
REQUEST_FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code",
                  "description", "agency_responsible", "service_notice", "requested_datetime",
                  "updated_datetime", "expected_datetime", "address", "address_id", "zipcode")


def officer():
    return factories.actor("officer")


def file_public(public_title="Laporan publik Open311", public_body="Puskesmas tutup pagi hari.",
                status="routed", **overrides):
    """A report filed at FILED and routed (made public) an hour later; then walked to ``status``."""
    overrides.setdefault("incident_date", sla.local_date(FILED) - timedelta(days=1))
    overrides.setdefault("body", f"Puskesmas tutup pagi hari. {ORIGINAL_ONLY}")
    receipt = factories.file_report(now=FILED, **overrides)
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", ADMIN, FILED + timedelta(hours=1), workflow.ActionInput(
        agency=factories.agency("dinkes-kota-padang"), resolution_class="sedang",
        extra={"public_title": public_title, "public_body": public_body}))
    steps = {"routed": [], "in_progress": [("respond", officer(), "Petugas hubungi 0812-3456-7890.")],
             "on_hold": [("request_info", officer(), "Mohon kirim foto lokasi.")],
             "resolved": [("resolve", officer(), "Jadwal buka sudah diperbaiki.")],
             "closed": [("resolve", officer(), "Jadwal buka sudah diperbaiki."),
                        ("confirm", workflow.Actor.reporter(), None)],
             "archived": [("request_info", officer(), "Mohon kirim foto lokasi."),
                          ("archive", ADMIN, None)]}[status]
    for n, (action, actor, text) in enumerate(steps, start=2):
        data = workflow.ActionInput(text=text, reason="incomplete" if action == "archive" else None)
        workflow.apply(report, action, actor, FILED + timedelta(hours=n), data)
    db.session.commit()
    assert report.status == status
    return report


@pytest.fixture
def reports(db_session):
    public = file_public(status="in_progress")
    confidential = file_public(public_title="RAHASIA-TITLE", public_body="RAHASIA-BODY",
                               is_confidential=True)
    unverified = factories.file_report(now=FILED, title="UNVERIFIED-TITLE tidak boleh tampil",
                                       incident_date=sla.local_date(FILED) - timedelta(days=1))
    anonymous = file_public(public_title="Laporan anonim Open311", is_anonymous=True,
                            reporter_name="Siti Anonimah", reporter_email="siti.anon@example.com",
                            reporter_phone="0812-9999-8888", category_slug=None)
    return {"public": public, "confidential": confidential,
            "unverified": db.session.get(Report, unverified.report_id), "anonymous": anonymous}


@pytest.fixture
def api_key(db_session):
    _key, secret = credentials.create_api_key("Gateway SMS uji")
    db.session.commit()
    return secret


def as_json(response):
    assert response.mimetype == "application/json", response.get_data(as_text=True)
    return json.loads(response.get_data(as_text=True))


def as_xml(response):
    assert response.mimetype == "text/xml", response.get_data(as_text=True)
    assert response.get_data().startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return ET.fromstring(response.get_data())


def assert_error(response, status):
    """An Open311 error list in the response's format, with ``code`` equal to the status."""
    assert response.status_code == status, response.get_data(as_text=True)
    if response.mimetype == "text/xml":
        root = as_xml(response)
        assert root.tag == "errors"
        errors = root.findall("error")
        assert len(errors) == 1 and errors[0].findtext("code") == str(status)
        assert errors[0].findtext("description")
    else:
        body = as_json(response)
        assert isinstance(body, list) and len(body) == 1
        assert body[0]["code"] == status and body[0]["description"]


def post_request(client, secret=None, fmt="json", **fields):
    data = {"service_code": "kesehatan", "address_id": factories.PADANG,
            "description": "Puskesmas Andalas tutup pada jam layanan. Warga menunggu dua jam."}
    if secret is not None:
        data["api_key"] = secret
    data.update(fields)
    return client.post(f"{BASE}/requests.{fmt}", data={k: v for k, v in data.items() if v is not None})


def public_body_of(response) -> str:
    return response.get_data(as_text=True)


# --- discovery and services --------------------------------------------------------------------

def test_discovery_json_lists_this_endpoint(client):
    body = as_json(client.get(f"{BASE}/discovery.json"))
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/open311/v2"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}


def test_discovery_xml(client):
    root = as_xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("url").endswith("/open311/v2")
    assert {f.text for f in endpoint.findall("formats/format")} == {"application/json", "text/xml"}
    assert root.findtext("changeset") and root.findtext("key_service")


def test_services_json_are_categories_plus_other(client):
    services = as_json(client.get(f"{BASE}/services.json"))
    by_code = {s["service_code"]: s for s in services}
    assert {"kesehatan", "infrastruktur", mapping.OTHER_SERVICE} <= set(by_code)
    health = by_code["kesehatan"]
    assert health["service_name"] == "Kesehatan"
    assert health["metadata"] is False and health["type"] == "realtime"
    assert "Health" in health["keywords"] and health["group"] and health["description"]


def test_services_xml(client):
    root = as_xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    health = next(s for s in root.findall("service") if s.findtext("service_code") == "kesehatan")
    assert health.findtext("service_name") == "Kesehatan"
    assert health.findtext("metadata") == "false" and health.findtext("type") == "realtime"


def test_services_in_english(client):
    services = as_json(client.get(f"{BASE}/services.json?locale=en"))
    assert next(s for s in services if s["service_code"] == "kesehatan")["service_name"] == "Health"


@pytest.mark.parametrize("code", ["kesehatan", mapping.OTHER_SERVICE])
def test_service_definition_json_and_xml(client, code):
    assert as_json(client.get(f"{BASE}/services/{code}.json")) == {"service_code": code,
                                                                   "attributes": []}
    root = as_xml(client.get(f"{BASE}/services/{code}.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == code
    assert root.find("attributes") is not None and len(root.find("attributes")) == 0


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_definition_is_404(client, fmt):
    assert_error(client.get(f"{BASE}/services/tidak-ada.{fmt}"), 404)


# --- reading requests --------------------------------------------------------------------------

def test_requests_json_shows_public_reports_only(client, reports):
    items = as_json(client.get(f"{BASE}/requests.json"))
    references = {i["service_request_id"] for i in items}
    assert reports["public"].reference in references
    assert reports["anonymous"].reference in references
    assert reports["confidential"].reference not in references
    assert reports["unverified"].reference not in references
    text = json.dumps(items)
    for secret in ("RAHASIA", "UNVERIFIED-TITLE", ORIGINAL_ONLY):
        assert secret not in text


def test_request_fields(client, reports):
    report = reports["public"]
    item = next(i for i in as_json(client.get(f"{BASE}/requests.json"))
                if i["service_request_id"] == report.reference)
    assert set(REQUEST_FIELDS) <= set(item)
    assert not {"lat", "long", "media_url"} & set(item)  # no pin given; attachments never public
    assert item["status"] == "open"
    assert item["service_code"] == "kesehatan" and item["service_name"] == "Kesehatan"
    assert item["description"] == "Puskesmas tutup pagi hari."
    assert item["title"] == "Laporan publik Open311" and item["report_type"] == "pengaduan"
    assert item["agency_responsible"] == "Dinas Kesehatan Kota Padang"
    assert item["address"] == "Kota Padang, Sumatera Barat" and item["address_id"] == "13.71"
    assert item["zipcode"] is None
    # The agency's public answer, redacted as on the board.
    assert "[TELEPON]" in item["status_notes"] and "0812" not in item["status_notes"]
    assert item["service_notice"]


def test_times_have_day_precision_and_expected_is_the_sla_deadline(client, reports):
    report = reports["public"]
    item = as_json(client.get(f"{BASE}/requests/{report.reference}.json"))[0]
    submitted_day = sla.local_date(report.submitted_at)
    assert item["requested_datetime"] == f"{submitted_day.isoformat()}T00:00:00+07:00"
    assert item["updated_datetime"].endswith("T00:00:00+07:00")
    deadline = reporter.current_deadline(report, clock.now())
    assert deadline is not None and deadline.clock == sla.RESOLUTION
    assert item["expected_datetime"] == f"{deadline.due_on.isoformat()}T23:59:59+07:00"
    assert deadline.due_on.isoformat() in item["service_notice"]


def test_requests_xml(client, reports):
    root = as_xml(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    requests_ = {r.findtext("service_request_id"): r for r in root.findall("request")}
    assert reports["public"].reference in requests_
    assert reports["confidential"].reference not in requests_
    element = requests_[reports["public"].reference]
    for name in REQUEST_FIELDS:
        assert element.find(name) is not None, name
    assert element.findtext("status") == "open"
    assert element.findtext("agency_responsible") == "Dinas Kesehatan Kota Padang"
    assert element.find("zipcode").text is None and element.find("lat") is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_one_request_is_a_list_of_one(client, reports, fmt):
    reference = reports["public"].reference
    response = client.get(f"{BASE}/requests/{reference}.{fmt}")
    if fmt == "json":
        items = as_json(response)
        assert [i["service_request_id"] for i in items] == [reference]
    else:
        root = as_xml(response)
        assert root.tag == "service_requests"
        assert [r.findtext("service_request_id") for r in root.findall("request")] == [reference]


@pytest.mark.parametrize("kind", ["confidential", "unverified"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_hidden_reports_are_not_found(client, reports, kind, fmt):
    response = client.get(f"{BASE}/requests/{reports[kind].reference}.{fmt}")
    assert_error(response, 404)
    listed = client.get(f"{BASE}/requests.{fmt}?service_request_id={reports[kind].reference}")
    assert reports[kind].reference not in listed.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/requests.json", "/requests.xml", "/requests.json?service_code=lainnya",
    "/requests.json?status=open", "/requests.xml?locale=en",
])
def test_anonymous_reporter_never_appears(client, reports, url):
    page = client.get(BASE + url).get_data(as_text=True)
    single = client.get(f"{BASE}/requests/{reports['anonymous'].reference}.xml").get_data(as_text=True)
    for text in (page, single):
        assert "Siti" not in text and "Anonimah" not in text
        assert "siti.anon@example.com" not in text and "9999" not in text
    assert reports["anonymous"].reference in single


@pytest.mark.parametrize("status, expected", [
    ("routed", "open"), ("in_progress", "open"), ("on_hold", "open"), ("resolved", "open"),
    ("closed", "closed"), ("archived", "closed"),
])
def test_status_mapping(client, db_session, status, expected):
    report = file_public(status=status)
    item = as_json(client.get(f"{BASE}/requests/{report.reference}.json"))[0]
    assert item["status"] == expected
    deadline = reporter.current_deadline(report, clock.now())
    if deadline is None:
        assert item["expected_datetime"] is None and item["service_notice"] is None
    else:
        assert item["expected_datetime"] == f"{deadline.due_on.isoformat()}T23:59:59+07:00"
    if status == "closed":  # the resolution text still explains a confirmed report
        assert item["status_notes"] == "Jadwal buka sudah diperbaiki."
    if status == "archived":
        assert item["status_notes"] == "Diarsipkan"


def test_status_mapping_covers_every_status():
    assert {s: mapping.open311_status(s) for s in Status.ALL} == {
        "submitted": "open", "routed": "open", "in_progress": "open", "on_hold": "open",
        "resolved": "open", "closed": "closed", "archived": "closed"}


def test_filters(client, db_session):
    open_one = file_public(status="routed")
    closed_one = file_public(status="closed", category_slug="infrastruktur")
    def refs(query):
        return {i["service_request_id"] for i in as_json(client.get(f"{BASE}/requests.json?{query}"))}

    assert open_one.reference in refs("status=open") and closed_one.reference not in refs("status=open")
    assert closed_one.reference in refs("status=closed") and open_one.reference not in refs("status=closed")
    assert {open_one.reference, closed_one.reference} <= refs("status=open,closed")
    assert refs("service_code=infrastruktur") >= {closed_one.reference}
    assert open_one.reference not in refs("service_code=infrastruktur")
    assert refs(f"service_request_id={open_one.reference},{closed_one.reference},LPR-0000-0000000") \
        == {open_one.reference, closed_one.reference}
    # service_request_id overrides the other filters, as the spec says.
    assert refs(f"service_request_id={closed_one.reference}&status=open") == {closed_one.reference}
    day = sla.local_date(FILED)
    assert open_one.reference in refs(f"start_date={day}&end_date={day}")
    # Dates filter whole Jakarta days: a time later that same day still includes the report.
    assert open_one.reference in refs(f"start_date={day}T23:59:00%2B07:00")
    assert open_one.reference not in refs(f"start_date={day + timedelta(days=1)}")
    assert open_one.reference not in refs(f"end_date={day - timedelta(days=1)}")


def test_pagination_newest_first_with_next_link(client, db_session):
    older = file_public(status="routed")
    newer = file_public(status="routed")
    first = client.get(f"{BASE}/requests.json?page_size=1&status=open")
    assert [i["service_request_id"] for i in as_json(first)] == [newer.reference]
    # The next page's URL: the same filters, a cursor where this page ended (no OFFSET).
    link = first.headers["Link"]
    assert link.endswith('>; rel="next"') and "page_size=1" in link and "status=open" in link
    assert "cursor=" in link and "page=" not in link.replace("page_size", "")
    followed = client.get(link[link.index("/open311"):link.index(">")])
    assert [i["service_request_id"] for i in as_json(followed)] == [older.reference]
    assert "Link" not in followed.headers
    # page=N, for clients that count pages, is the same page, for the first few pages.
    second = as_json(client.get(f"{BASE}/requests.json?page_size=1&page=2"))
    assert [i["service_request_id"] for i in second] == [older.reference]


def test_a_deep_page_by_cursor_skips_no_row(client, db_session):
    from sqlalchemy import event

    made = [file_public(status="routed") for _ in range(5)]
    url, seen, offsets = f"{BASE}/requests.json?page_size=2", [], []

    def capture(_conn, _cursor, statement, parameters, *_rest):
        # SQLite's compiler writes OFFSET ? (0 bound) after every LIMIT: the value tells.
        if "FROM reports" in statement and "OFFSET" in statement and (
                isinstance(parameters, dict) or parameters[-1] != 0):
            offsets.append(statement)
    engine = db.session.get_bind()
    while url:
        event.listen(engine, "before_cursor_execute", capture)
        try:
            answer = client.get(url)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        seen += [i["service_request_id"] for i in as_json(answer)]
        link = answer.headers.get("Link")
        url = link[link.index("/open311"):link.index(">")] if link else None
    assert seen == [r.reference for r in reversed(made)]
    assert not offsets, offsets  # no page skipped a row
    # Numbered pages stop where OFFSET would grow; page and cursor are one or the other.
    assert client.get(f"{BASE}/requests.json?page={board.NUMBERED_PAGES + 1}").status_code == 400
    assert client.get(f"{BASE}/requests.json?page=2&cursor=x").status_code == 400
    assert client.get(f"{BASE}/requests.json?cursor=bukan-cursor").status_code == 400


def test_text_is_escaped_in_xml(client, db_session):
    report = file_public(public_title="Pagar <b> & \"kutip\"\x07", status="routed",
                         public_body="Harga <naik> & R&D \x01\x0b selesai")
    root = as_xml(client.get(f"{BASE}/requests/{report.reference}.xml"))
    element = root.find("request")
    assert element.findtext("description") == "Harga <naik> & R&D  selesai"
    assert element.findtext("title") == 'Pagar <b> & "kutip"'


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_wrong_jurisdiction_is_404(client, reports, fmt):
    assert_error(client.get(f"{BASE}/requests.{fmt}?jurisdiction_id=kota-lain.go.id"), 404)
    assert_error(client.get(f"{BASE}/services.{fmt}?jurisdiction_id=kota-lain.go.id"), 404)
    ok = client.get(f"{BASE}/services.{fmt}?jurisdiction_id="
                    + current_app.config["OPEN311_JURISDICTION"])
    assert ok.status_code == 200


# --- filing requests ---------------------------------------------------------------------------

def test_post_creates_a_report_the_reporter_can_track(client, api_key):
    response = post_request(client, api_key, first_name="Budi", last_name="Santoso",
                            email="budi@example.com", phone="0812-1111-2222",
                            address_string="Jl. Andalas No. 5")
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    [answer] = as_json(response)
    assert set(answer) == {"service_request_id", "service_notice", "account_id", "token",
                           "tracking_code"}
    assert answer["account_id"] is None and answer["token"] is None
    assert "tracking_code" in answer["service_notice"]
    found = reporter.find_by_code(answer["tracking_code"], current_app.config["SECRET_KEY"])
    assert found is not None and found.reference == answer["service_request_id"]
    assert found.status == Status.SUBMITTED
    assert found.title == "Puskesmas Andalas tutup pada jam layanan"
    assert found.body.startswith("Puskesmas Andalas tutup") and "Jl. Andalas" not in found.body
    assert found.incident_address == "Jl. Andalas No. 5"  # private: never published
    assert found.category.slug == "kesehatan" and found.region_code == factories.PADANG
    assert found.report_type == "pengaduan" and found.agency_id is None
    assert found.contact.name == "Budi Santoso" and found.contact.phone == "+6281211112222"
    assert not found.is_anonymous and not found.is_confidential
    # Filed, not yet verified: not public.
    assert_error(client.get(f"{BASE}/requests/{found.reference}.json"), 404)
    key = db.session.scalar(db.select(ApiKey).where(ApiKey.name == "Gateway SMS uji"))
    assert key.last_used_at is not None


def test_post_xml_with_terang_extensions(client, api_key):
    response = post_request(client, api_key, fmt="xml", service_code=mapping.OTHER_SERVICE,
                            title="Judul dari mitra", report_type="aspirasi", is_anonymous="true",
                            is_confidential="1", agency="pemkot-padang",
                            incident_date=str(clock.today() - timedelta(days=3)),
                            jurisdiction_id=current_app.config["OPEN311_JURISDICTION"])
    assert response.status_code == 201, response.get_data(as_text=True)
    root = as_xml(response)
    assert root.tag == "service_requests"
    request_ = root.find("request")
    for name in ("service_request_id", "service_notice", "account_id", "token", "tracking_code"):
        assert request_.find(name) is not None
    found = reporter.find_by_code(request_.findtext("tracking_code"), current_app.config["SECRET_KEY"])
    assert found.reference == request_.findtext("service_request_id")
    assert found.title == "Judul dari mitra" and found.report_type == "aspirasi"
    assert found.is_anonymous and found.is_confidential and found.category is None
    assert found.requested_agency.slug == "pemkot-padang"
    assert found.incident_date == clock.today() - timedelta(days=3)


def test_posted_report_once_verified_is_listed_without_contact(client, api_key):
    answer = as_json(post_request(client, api_key, is_anonymous="yes", first_name="Rahasia",
                                  last_name="Pelapor", email="rahasia.pelapor@example.com"))[0]
    report = reporter.find_by_code(answer["tracking_code"], current_app.config["SECRET_KEY"])
    workflow.apply(report, "route", ADMIN, clock.now(), workflow.ActionInput(
        agency=factories.agency("dinkes-kota-padang"), resolution_class="ringan",
        extra={"public_title": "Puskesmas tutup", "public_body": "Puskesmas tutup pagi hari."}))
    db.session.commit()
    page = client.get(f"{BASE}/requests.json").get_data(as_text=True)
    assert answer["service_request_id"] in page
    assert "Rahasia" not in page and "rahasia.pelapor" not in page
    assert answer["tracking_code"] not in page


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_without_key_is_refused(client, db_session, fmt):
    before = db.session.scalar(db.select(db.func.count(Report.id)))
    assert_error(post_request(client, None, fmt=fmt), 403)
    assert_error(post_request(client, "o311_not-a-real-key", fmt=fmt), 403)
    assert_error(post_request(client, "", fmt=fmt), 403)
    assert db.session.scalar(db.select(db.func.count(Report.id))) == before


def test_revoked_key_is_refused(client, api_key):
    assert post_request(client, api_key).status_code == 201
    assert credentials.revoke(ApiKey, api_key[:12], clock.now()) == 1
    db.session.commit()
    assert_error(post_request(client, api_key), 403)


def test_key_in_the_url_is_refused(client, api_key):
    response = client.post(f"{BASE}/requests.json?api_key={api_key}",
                           data={"service_code": "kesehatan", "address_id": "13.71",
                                 "description": "Puskesmas tutup."})
    assert_error(response, 403)


@pytest.mark.parametrize("fields, word", [
    ({"service_code": "tidak-ada"}, "service_code"),
    ({"service_code": None}, "service_code"),
    ({"description": "   "}, "description"),
    ({"address_id": None}, "address_id"),
    ({"address_id": "13"}, "address_id"),  # a province, not a kab/kota
    ({"address_id": "99.99"}, "address_id"),
    ({"agency": "tidak-ada"}, "agency"),
    ({"report_type": "keluhan"}, "report_type"),
    ({"email": "bukan-email"}, "email"),
    ({"phone": "12"}, "phone"),
    ({"title": "x" * 201}, "title"),
    ({"incident_date": "2999-01-01"}, "incident_date"),
    ({"is_anonymous": "mungkin"}, "is_anonymous"),
])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_invalid_posts_are_400_naming_the_parameter(client, api_key, fields, word, fmt):
    before = db.session.scalar(db.select(db.func.count(Report.id)))
    response = post_request(client, api_key, fmt=fmt, **fields)
    assert_error(response, 400)
    assert word in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Report.id))) == before


def test_post_to_another_jurisdiction_is_404(client, api_key):
    assert_error(post_request(client, api_key, jurisdiction_id="kota-lain.go.id"), 404)


@pytest.fixture
def limited_app(app, tmp_path):
    """A second app with rate limits on, on its own SQLite database.

    The shared test app has limits off, and having served requests it can no longer be set
    up (Flask refuses new hooks), so the limiter is initialised on a fresh app instead.
    """
    from flask_migrate import upgrade

    from app import create_app

    other = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.db'}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "RATELIMIT_ENABLED": True, "RATELIMIT_INTAKE": "2 per minute"})
    try:
        with other.app_context():
            upgrade()
            factories.reference_data()  # regions too
            db.session.commit()
            limiter.reset()
            yield other
            db.session.remove()
            db.engine.dispose()
    finally:
        limiter.reset()
        limiter.enabled = False  # the shared app's requests are exempt again


def test_post_is_rate_limited_per_key(limited_app):
    client = limited_app.test_client()
    _key, secret = credentials.create_api_key("Gateway SMS uji")
    _key, other = credentials.create_api_key("Chatbot uji")
    db.session.commit()
    assert post_request(client, secret).status_code == 201
    assert post_request(client, secret).status_code == 201
    limited = post_request(client, secret, fmt="xml")  # the same endpoint in the other format
    assert_error(limited, 429)
    assert limited.headers.get("Retry-After")
    # Another partner key has its own budget; without a key, the caller's address has one.
    assert post_request(client, other).status_code == 201
    assert_error(post_request(client, None), 403)


@pytest.mark.parametrize("description, title", [
    ("Puskesmas tutup pada jam layanan. Warga menunggu.", "Puskesmas tutup pada jam layanan"),
    ("Jl. Sudirman rusak berat sejak Juni! Tolong.", "Jl. Sudirman rusak berat sejak Juni!"),
    ("Harga Rp 1.500.000 terlalu mahal", "Harga Rp 1.500.000 terlalu mahal"),
    ("Baris pertama\nbaris kedua.", "Baris pertama"),
    ("kata " * 100, ("kata " * 40).strip()[:195].rsplit(" ", 1)[0] + "…"),
])
def test_title_from_description(description, title):
    derived = mapping.title_from(description)
    assert len(derived) <= 200
    if description.startswith("kata"):
        assert derived.endswith("…") and derived.startswith("kata kata")
    else:
        assert derived == title


# --- nothing a client sends makes a 500 --------------------------------------------------------

BAD_GETS = [
    "/requests.json?start_date=kemarin", "/requests.xml?end_date=2026-13-45",
    "/requests.json?start_date=0001-01-01", "/requests.json?end_date=9999-12-31T23:59:59-12:00",
    "/requests.json?start_date=2026-01-01&end_date=2026-12-31",  # more than 90 days
    "/requests.json?start_date=2026-11-20&end_date=2026-11-01",
    "/requests.json?page=0", "/requests.json?page=abc", "/requests.json?page=" + "9" * 40,
    "/requests.json?page_size=0", "/requests.json?page_size=100000", "/requests.xml?status=pending",
    "/requests.json?status=,", "/requests.json?service_code=tidak-ada",
    "/requests.json?service_request_id=" + ",".join(f"X{i}" for i in range(300)),
    "/requests.json?service_code=a%00b", "/requests.json?status=open%00",
    "/requests.csv", "/services.html", "/services/kesehatan.yaml", "/discovery", "/tidak-ada",
    "/tidak-ada.xml", "/requests/LPR-2026-9999999.json", "/requests/%00.xml",
    "/services/%00.json", "/requests/" + "L" * 5000 + ".json",
    "/requests.json?jurisdiction_id=lain",
]


@pytest.mark.parametrize("url", BAD_GETS)
def test_bad_gets_are_open311_errors(client, db_session, url):
    response = client.get(BASE + url)
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert_error(response, response.status_code)


BAD_POSTS = [
    {"description": "a\x00b"}, {"requested_datetime": "kemarin"},
    {"requested_datetime": "0001-01-01T00:00:00+14:00"}, {"incident_date": "99999-01-01"},
    {"incident_date": "0001-01-01", "requested_datetime": "x"}, {"first_name": "N" * 200},
    {"first_name": "N" * 60, "last_name": "M" * 60}, {"phone": "+" + "9" * 300},
    {"email": "a@" + "b" * 300 + ".com"}, {"description": "x" * 20_001},
    {"address_id": "1" * 500}, {"agency": "a" * 500}, {"service_code": "s" * 500},
    {"report_type": "r" * 500}, {"locale": "xx"},
    {"title": "\x00"}, {"attribute[region]": "13.71", "address_id": None},
    {"api_key\x00": "x"}, {"service_code": "kesehatan\x00"},
]


@pytest.mark.parametrize("fields", BAD_POSTS)
def test_bad_posts_never_500(client, api_key, fields):
    response = post_request(client, api_key, **fields)
    assert response.status_code in (201, 400), response.get_data(as_text=True)
    if response.status_code == 400:
        assert_error(response, 400)


def test_invalid_utf8_in_the_form_is_not_a_500(client, api_key):
    body = (f"api_key={api_key}&service_code=kesehatan&address_id=13.71&is_confidential=%FF%FE"
            "&description=Puskesmas%20tutup%20%C3%28").encode()
    response = client.post(f"{BASE}/requests.json", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert_error(response, 400)
    assert "is_confidential" in response.get_data(as_text=True)


@pytest.mark.parametrize("method, url, status", [
    ("put", "/requests.json", 405), ("delete", "/requests/LPR-2026-0000001.xml", 405),
    ("post", "/services.json", 405), ("post", "/discovery.xml", 405),
    ("patch", "/nowhere.json", 404),
])
def test_wrong_methods_and_paths(client, db_session, method, url, status):
    response = getattr(client, method)(BASE + url)
    assert_error(response, status)


def test_post_with_json_body_is_refused_cleanly(client, api_key):
    response = client.post(f"{BASE}/requests.json", json={"api_key": api_key,
                                                          "service_code": "kesehatan"})
    assert_error(response, 403)  # the spec's body is form-encoded; a JSON body carries no key


def test_mapping_day_strings():
    assert mapping.start_of_day(date(2026, 11, 23)) == "2026-11-23T00:00:00+07:00"
    assert mapping.end_of_day(date(2026, 12, 4)) == "2026-12-04T23:59:59+07:00"
    assert mapping.parse_day("2026-11-22T20:00:00Z", "x") == date(2026, 11, 23)  # Jakarta day
    assert isinstance(FILED, datetime)
