"""Anonymity and privacy as a reporter (or an onlooker) would notice them."""
import logging

import pytest
from flask import url_for
from sqlalchemy import select

from app.extensions import db
from app.models import Attachment, Report
from app.services import pdf
from tests import factories
from tests.factories import HTMLPage, upload

# Each request gets its own flask.g (see conftest.fresh_g), so header checks mean something.
pytestmark = pytest.mark.usefixtures("fresh_g")

NAME = "Rahmawati Anonimawati"
EMAIL = "rahma.anon@example.com"
PHONE_TYPED = "0812-9876-5432"
PHONE_FORMS = ("0812-9876-5432", "081298765432", "+6281298765432", "6281298765432", "9876-5432")
IDENTITY = (NAME, "Anonimawati", EMAIL, "rahma.anon") + PHONE_FORMS
IP = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (UniqueBrowser-7Q4Z) TerangTest/1.0"


def submit(client, csrf, files=None, headers=None, environ_base=None, **fields):
    data = dict(factories.form_data(**fields), csrf_token=csrf())
    if data.get("is_anonymous") or data.get("is_confidential"):
        data.setdefault("confirm_flags", "y")  # the check page before sending: test_report_form
    if files:
        data["attachments"] = files
    return factories.post_multipart(client, "/lapor", data, headers=headers or {},
                                    environ_base=environ_base or {})


def receipt_values(client):
    page = HTMLPage(client.get("/lapor/terkirim").get_data(as_text=True))
    return page.by_id("reference").text.strip(), page.by_id("tracking-code").text.strip()


def csrf_of(response) -> str:
    return HTMLPage(response.get_data(as_text=True)).find("input", name="csrf_token").get("value")


def assert_no_identity(text: str, where: str):
    for needle in IDENTITY:
        assert needle not in text, f"{needle!r} shown on {where}"


# --- anonymity ----------------------------------------------------------------------------------

@pytest.fixture
def anonymous_report(client, csrf):
    response = submit(client, csrf, is_anonymous="y", reporter_name=NAME, reporter_email=EMAIL,
                      reporter_phone=PHONE_TYPED)
    assert response.status_code == 303
    reference, code = receipt_values(client)
    report = db.session.scalar(select(Report).where(Report.reference == reference))
    # The contact is kept (for notifications only) …
    assert report.is_anonymous and report.contact.name == NAME
    return {"reference": reference, "code": code, "report": report}


def test_anonymous_identity_is_not_on_the_receipt(client, anonymous_report):
    response = client.get("/lapor/terkirim")
    assert anonymous_report["reference"] in response.get_data(as_text=True)
    assert_no_identity(response.get_data(as_text=True), "the receipt")


def test_anonymous_identity_is_not_on_the_tracking_page(client, csrf, anonymous_report):
    client.post("/lacak", data={"csrf_token": csrf("/lacak"), "tracking_code": anonymous_report["code"]})
    page = client.get("/lacak").get_data(as_text=True)
    assert anonymous_report["reference"] in page
    assert "Anonim" in page
    assert_no_identity(page, "/lacak")


def test_anonymous_identity_is_not_in_the_pdf_receipt(client, anonymous_report, monkeypatch):
    rendered = []
    original = pdf.render_template

    def capture(*args, **kwargs):
        rendered.append((args, kwargs, original(*args, **kwargs)))
        return rendered[-1][2]

    monkeypatch.setattr(pdf, "render_template", capture)
    page = client.get("/lapor/terkirim")
    fields = {"csrf_token": csrf_of(page), "reference": anonymous_report["reference"],
              "tracking_code": anonymous_report["code"]}
    response = client.post("/lapor/tanda-terima.pdf", data=fields)
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert len(rendered) == 1
    _args, context, html = rendered[0]
    assert anonymous_report["reference"] in html
    assert_no_identity(html, "the PDF receipt's source")
    assert_no_identity(repr(context), "the PDF receipt's context")
    for needle in IDENTITY:
        assert needle.encode() not in response.data


def test_anonymous_identity_is_not_in_the_pdf_text(anonymous_report):
    pypdf = pytest.importorskip("pypdf")
    import io

    from app import clock
    from app.services import tracking

    report = anonymous_report["report"]
    document = pdf.render_receipt(report, anonymous_report["code"], "id",
                                  track_url="http://terang.test/lacak",
                                  steps=tracking.next_steps(report, clock.now()))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(document)).pages)
    assert anonymous_report["reference"] in text
    assert_no_identity(text, "the PDF receipt")


# --- nothing that identifies the reporter's device is stored -------------------------------------

def test_no_ip_address_or_user_agent_is_stored(client, csrf):
    headers = {"X-Forwarded-For": IP, "X-Real-IP": IP, "User-Agent": USER_AGENT}
    environ = {"REMOTE_ADDR": IP}
    response = submit(client, csrf, headers=headers, environ_base=environ,
                      files=[upload(factories.jpeg_with_gps(), "foto.jpg", "image/jpeg")])
    assert response.status_code == 303
    reference, code = receipt_values(client)
    # Follow it and add information from the same address, too.
    opened = client.post("/lacak", data={"csrf_token": csrf("/lacak"), "tracking_code": code},
                         headers=headers, environ_base=environ)
    assert opened.status_code == 303
    added = factories.post_multipart(client, "/lacak/tambah", {
        "csrf_token": csrf("/lacak"), "message": "Tambahan dari alamat yang sama."},
        headers=headers, environ_base=environ)
    assert added.status_code == 303
    report = db.session.scalar(select(Report).where(Report.reference == reference))
    assert len(report.events) == 2 and len(report.attachments) == 1
    # Every column of every table, scanned.
    assert factories.cells_containing(IP, "203.0.113", USER_AGENT, "UniqueBrowser") == []


# --- the tracking code never reaches a log --------------------------------------------------------

@pytest.fixture
def all_logs(caplog):
    """Capture every logger at DEBUG, including those migrations/env.py's fileConfig disabled.

    Requested before ``client`` so that the test's database connection logs its SQL too.
    """
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    loggers += [logging.getLogger("sqlalchemy.engine"), logging.getLogger("sqlalchemy.engine.Engine"),
                logging.getLogger("werkzeug"), logging.getLogger("app")]
    saved = [(lg, lg.disabled, lg.propagate) for lg in loggers if isinstance(lg, logging.Logger)]
    for logger, _disabled, _propagate in saved:
        logger.disabled = False
        logger.propagate = True
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "sqlalchemy.engine.Engine", "werkzeug", "app", "flask"):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog
    for logger, disabled, propagate in saved:
        logger.disabled, logger.propagate = disabled, propagate


def record_texts(records):
    for record in records:
        yield record.getMessage()
        yield repr(record.args)
        yield repr({k: v for k, v in vars(record).items() if k not in ("args", "msg")})


def test_the_tracking_code_never_reaches_a_log(all_logs, app, client, csrf):
    with app.test_request_context():
        app.logger.info("test-marker")  # proves records are captured
    response = submit(client, csrf, reporter_email="budi@example.com",
                      files=[upload(factories.small_pdf(), "surat.pdf", "application/pdf")])
    assert response.status_code == 303
    receipt_page = client.get("/lapor/terkirim")
    reference, code = receipt_values(client)
    client.post("/lapor/tanda-terima.pdf", data={"csrf_token": csrf_of(receipt_page),
                                                 "reference": reference, "tracking_code": code})
    for typed in (code, code.lower(), "WRONG-" + code[6:]):
        client.post("/lacak", data={"csrf_token": csrf("/lacak"), "tracking_code": typed})
    client.get("/lacak")
    factories.post_multipart(client, "/lacak/tambah", {"csrf_token": csrf("/lacak"),
                                                       "message": "Tambahan."})
    client.get(f"/lacak?kode={code}")  # even a code pasted into a URL by mistake
    client.get(f"/tidak-ada/{code}")

    records = all_logs.records
    assert any("test-marker" in r.getMessage() for r in records)
    assert any(r.name.startswith("sqlalchemy.engine") for r in records), "SQL logging was not captured"
    bare = code.replace("-", "")
    for text in record_texts(records):
        for form in (code, bare, code.lower(), bare.lower()):
            assert form not in text


# --- private pages are never cached -------------------------------------------------------------

def test_private_pages_are_not_cached(client, csrf):
    invalid = submit(client, csrf, title="")
    assert invalid.status_code == 422
    assert "no-store" in invalid.headers["Cache-Control"]
    assert "no-store" in submit(client, csrf).headers["Cache-Control"]
    receipt = client.get("/lapor/terkirim")
    assert "no-store" in receipt.headers["Cache-Control"]
    _reference, code = receipt_values(client)
    assert "no-store" in client.get("/lacak").headers["Cache-Control"]   # before opening
    opened = client.post("/lacak", data={"csrf_token": csrf("/lacak"), "tracking_code": code})
    assert "no-store" in opened.headers["Cache-Control"]
    tracked = client.get("/lacak")
    assert "no-store" in tracked.headers["Cache-Control"]
    wrong = client.post("/lacak", data={"csrf_token": csrf("/lacak"), "tracking_code": "nope"})
    assert "no-store" in wrong.headers["Cache-Control"]
    client.post("/lapor/terkirim/selesai", data={"csrf_token": csrf()})
    gone = client.get("/lapor/terkirim")
    assert gone.status_code == 410 and "no-store" in gone.headers["Cache-Control"]


# --- content security policy --------------------------------------------------------------------

PAGES = ["/", "/lapor", "/lacak", "/lapor/terkirim", "/halaman-yang-tidak-ada"]


@pytest.mark.parametrize("path", PAGES)
def test_csp_forbids_inline_code(client, path):
    response = client.get(path)
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"no CSP on {path}"
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


@pytest.mark.parametrize("path", PAGES)
def test_pages_need_no_inline_script_or_style(client, path):
    """So that the CSP above does not break them: no inline <script>, handlers or style attributes."""
    page = HTMLPage(client.get(path).get_data(as_text=True))
    for script in page.find_all("script"):
        assert script.get("src", "").startswith("/static/"), script
        assert not script.text.strip()
    for element in page.elements:
        for attr in element.attrs:
            assert not attr.startswith("on"), (element, attr)
            assert not attr.startswith("hx-on"), (element, attr)
            assert attr != "style", element


def test_csp_on_htmx_partials(client):
    response = client.get("/lapor/wilayah?province=13", headers={"HX-Request": "true"})
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


# --- attachments are never public -----------------------------------------------------------------

def test_attachments_are_not_reachable_by_any_public_url(app, client, csrf):
    assert submit(client, csrf, files=[
        upload(factories.jpeg_with_gps(), "rumah.jpg", "image/jpeg"),
        upload(factories.small_pdf(), "surat.pdf", "application/pdf")]).status_code == 303
    reference, _code = receipt_values(client)
    report = db.session.scalar(select(Report).where(Report.reference == reference))
    assert len(report.attachments) == 2
    for attachment in report.attachments:
        name = attachment.storage_name
        for path in (f"/static/{name}", f"/static/{name[:2]}/{name}", f"/static/uploads/{name}",
                     f"/static/uploads/{name[:2]}/{name}", f"/uploads/{name}",
                     f"/uploads/{name[:2]}/{name}", f"/instance/uploads/{name[:2]}/{name}",
                     f"/static/../instance/uploads/{name[:2]}/{name}", f"/lampiran/{attachment.id}",
                     f"/{name}"):
            response = client.get(path)
            assert response.status_code == 404, path
        # The officers' download needs a signed-in officer.
        with app.test_request_context():
            officer_url = url_for("officer.attachment", attachment_id=attachment.id)
        response = client.get(officer_url)
        assert response.status_code in (302, 303, 401, 403, 404)
        assert not response.data.startswith((b"%PDF", b"\xff\xd8"))


def test_attachment_names_are_not_on_the_reporters_pages(client, csrf):
    submit(client, csrf, files=[upload(factories.small_pdf(), "surat.pdf", "application/pdf")])
    reference, code = receipt_values(client)
    client.post("/lacak", data={"csrf_token": csrf("/lacak"), "tracking_code": code})
    html = client.get("/lacak").get_data(as_text=True)
    attachment = db.session.scalar(select(Attachment).join(Report).where(Report.reference == reference))
    assert "surat.pdf" in html                   # the reporter sees their own file's name …
    assert attachment.storage_name not in html   # … but never where it is stored



# --- no-store is the default; public pages opt out ----------------------------------------------

def test_every_answer_is_no_store_unless_its_page_is_public(client):
    for path in ("/petugas/masuk", "/halaman-yang-tidak-ada"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    for path in ("/", "/lapor", "/api", "/api/v1/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Cache-Control" not in response.headers, path
    # Shared pages (the board, open data) are public and short-lived (app/page_cache.py).
    for path in ("/transparansi/", "/transparansi/metodologi", "/open311/v2/discovery.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "public, max-age=60", path
    static = client.get("/static/css/terang.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")
