"""docs/privacy.md, "Who sees what", cell by cell: role × field → original / agency text /
public text / hidden, on every surface that shows it (the case page, the API, the inbox search on
the screen and in the API, the e-mails to staff, the board and its exports, Open311, dossiers).

One anonymous report, filed with no contact fields, whose title, text, later message and file
name say who the reporter is; the verifier masks the name the machine did not catch, confirms
the public text and routes it to Dinkes Kota Padang.
"""
from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from markupsafe import escape
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AccessLog, OutboxMessage, Report
from app.services import casework, credentials, notifications, redaction, reporter, sla
from tests import factories
from tests.factories import csrf_from, login

pytestmark = pytest.mark.usefixtures("fresh_g")

NAME = "Rudi Hartono"
TITLE = "Rudi Hartono: pungutan di puskesmas"
BODY = ("Saya Rudi Hartono, NIK 3171015505900001, HP 0813 1111 2222, tinggal di Jl. Kenanga "
        "No. 7 RT 03/RW 05. Petugas loket puskesmas meminta Rp 50.000 pada 12 November 2026.")
MESSAGE = "Ini Rudi lagi, HP saya 0813 1111 2222 dan surel rudi.h@example.com."
FILE_NAME = "KTP_Rudi_Hartono.pdf"
# What the original says and no agency text, no public text may: the reporter's identity.
SECRETS = ("Hartono", "3171015505900001", "0813 1111 2222", "Kenanga", "rudi.h@example.com",
           "KTP_Rudi")

ORIGINAL, AGENCY, PUBLIC, HIDDEN = "original", "agency text", "public text", "hidden"
TIME, DAY = "time", "day"
STAFF = ("national_admin", "oversight", "agency_admin", "officer")
# The table of docs/privacy.md for an anonymous report (the same words, the same cells).
TABLE = {
    "national_admin": {"title": ORIGINAL, "body": ORIGINAL, "message": ORIGINAL,
                       "attachment": ORIGINAL, "contact": HIDDEN, "submitted": TIME},
    "oversight": {"title": ORIGINAL, "body": ORIGINAL, "message": ORIGINAL,
                  "attachment": ORIGINAL, "contact": HIDDEN, "submitted": TIME},
    "agency_admin": {"title": AGENCY, "body": AGENCY, "message": AGENCY,
                     "attachment": AGENCY, "contact": HIDDEN, "submitted": DAY},
    "officer": {"title": AGENCY, "body": AGENCY, "message": AGENCY,
                "attachment": AGENCY, "contact": HIDDEN, "submitted": DAY},
    "public": {"title": PUBLIC, "body": PUBLIC, "message": HIDDEN,
               "attachment": HIDDEN, "contact": HIDDEN, "submitted": DAY},
}
CELLS = [(role, field) for role, row in TABLE.items() for field in row]


@pytest.fixture
def world(app, db_session):
    staff = SimpleNamespace(
        national_admin=factories.make_user("national_admin"),
        oversight=factories.make_user("oversight"),
        officer=factories.make_user("officer", "dinkes-kota-padang"),
        agency_admin=factories.make_user("agency_admin", "pemkot-padang"))
    db.session.commit()
    # Filed at a time that is not midnight in Jakarta, so "the day" and "the time" differ.
    filed_at = clock.now() - timedelta(hours=3, minutes=7, seconds=13)
    receipt = factories.file_report(
        now=filed_at, title=TITLE, body=BODY, is_anonymous=True,
        incident_date=sla.local_date(filed_at) - timedelta(days=1),
        staged_tokens=[factories.staged_pdf(FILE_NAME)])
    report = db.session.get(Report, receipt.report_id)
    proposal = casework.propose_public_text(report)
    # The verifier masks what the machine missed and confirms the public text.
    public_title = proposal.title.replace(NAME, "[NAMA]")
    public_body = proposal.body.replace(NAME, "[NAMA]")
    casework.take_action(staff.national_admin, report.reference, casework.ActionRequest(
        action="route", agency_slug="dinkes-kota-padang", resolution_class="ringan",
        public_title=public_title, public_body=public_body, confirm_public_text=True),
        filed_at + timedelta(hours=1))
    db.session.commit()
    report = db.session.get(Report, receipt.report_id)
    reporter.add_information(report, MESSAGE, [], filed_at + timedelta(hours=2), 5)
    db.session.commit()
    clients, tokens = {}, {}
    for role in STAFF:
        client = app.test_client()
        client.token = login(client, getattr(staff, role))
        clients[role] = client
        tokens[role] = {"Authorization": "Bearer " + credentials.create_token(
            getattr(staff, role).email, f"uji {role}")[1]}
    clients["public"] = app.test_client()
    db.session.commit()
    report = db.session.get(Report, receipt.report_id)
    return SimpleNamespace(staff=staff, report=report, clients=clients, tokens=tokens,
                           filed_at=filed_at)


def texts(world, reading: str) -> dict:
    """Each field's text in ``reading``."""
    report = world.report
    if reading == ORIGINAL:
        return {"title": TITLE, "body": BODY, "message": MESSAGE, "attachment": FILE_NAME}
    if reading == AGENCY:
        return {"title": report.public_title, "body": report.public_body,
                "message": redaction.redact(MESSAGE).text, "attachment": "lampiran-1.pdf"}
    return {"title": report.public_title, "body": report.public_body}


def shows(surface: str, text: str) -> bool:
    return text in surface or str(escape(text)) in surface


def check_cell(world, surface: str, role: str, field: str, *, html: bool = True) -> None:
    """The cell (role, field) holds on ``surface`` (a page or a JSON answer, as text)."""
    reading = TABLE[role][field]
    if field == "contact":
        assert "rudi.h@example.com" not in surface.split("Ini Rudi lagi")[0] or reading != HIDDEN
        return
    if field == "submitted":
        return  # checked in the API, where a time is written out
    original = texts(world, ORIGINAL)[field]
    if reading == HIDDEN:
        assert not shows(surface, original)
        return
    expected = texts(world, reading)[field]
    if not html:
        expected = json.dumps(expected, ensure_ascii=False)[1:-1]
    assert shows(surface, expected), (role, field, expected)
    if reading != ORIGINAL:
        for secret in SECRETS:
            assert secret not in surface, (role, field, secret)


# --- the case page and the API's detail ----------------------------------------------------------

@pytest.mark.parametrize("role, field", [c for c in CELLS if c[0] in STAFF])
def test_the_case_page(world, role, field):
    page = world.clients[role].get(f"/petugas/laporan/{world.report.reference}")
    assert page.status_code == 200
    check_cell(world, page.get_data(as_text=True), role, field)


@pytest.mark.parametrize("role, field", [c for c in CELLS if c[0] in STAFF])
def test_the_api_detail(world, role, field):
    answer = world.clients["public"].get(f"/api/v1/inbox/{world.report.reference}",
                                         headers=world.tokens[role])
    assert answer.status_code == 200
    body = answer.get_json()
    if field == "submitted":
        submitted = body["submitted_at"]
        day_start = "T17:00:00Z"  # 00:00 in Jakarta
        if TABLE[role][field] == DAY:
            assert submitted.endswith(day_start)
            reporter_steps = [e["at"] for e in body["events"] if e["action"] in ("submit",
                                                                                 "add_information")]
            assert reporter_steps and all(at.endswith(day_start) for at in reporter_steps)
        else:
            assert not submitted.endswith(day_start)
        return
    if field == "contact":
        assert body["reporter"] is None
        return
    check_cell(world, json.dumps(body, ensure_ascii=False), role, field, html=False)


@pytest.mark.parametrize("role", STAFF)
def test_the_inbox_rows_on_the_screen_and_in_the_api(world, role):
    page = world.clients[role].get("/petugas/kotak-masuk").get_data(as_text=True)
    rows = world.clients["public"].get("/api/v1/inbox", headers=world.tokens[role]).get_json()
    row = next(r for r in rows["items"] if r["reference"] == world.report.reference)
    expected = texts(world, TABLE[role]["title"])["title"]
    assert shows(page, expected) and row["title"] == expected
    if TABLE[role]["submitted"] == DAY:
        assert "Hartono" not in page and "Hartono" not in json.dumps(rows)
        assert row["submitted_at"].endswith("T17:00:00Z")


# --- the inbox search, on the screen and in the API ------------------------------------------------

@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize("words, in_agency_text", [
    ("Hartono", False), ("Kenanga", False), ("puskesmas pungutan", True)])
def test_the_inbox_search(world, role, words, in_agency_text):
    """Agency roles search an anonymous report's agency text only: a search for the name the
    reporter wrote in the text does not single the report out."""
    reads_original = TABLE[role]["body"] == ORIGINAL
    expected = reads_original or in_agency_text
    page = world.clients[role].get("/petugas/kotak-masuk", query_string={"q": words})
    found_on_screen = world.report.reference in page.get_data(as_text=True)
    answer = world.clients["public"].get("/api/v1/inbox", query_string={"q": words},
                                         headers=world.tokens[role]).get_json()
    found_in_api = world.report.reference in {r["reference"] for r in answer["items"]}
    assert found_on_screen is expected and found_in_api is expected


# --- e-mails to staff -----------------------------------------------------------------------------

def test_the_e_mails_to_staff_carry_the_agency_text(world):
    current = reporter.current_deadline(world.report, clock.now())
    assert notifications.queue_reminders(world.report, current, "due_soon", clock.now()) >= 1
    db.session.commit()
    sent = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.report_id == world.report.id)).all()
    to_staff = [m for m in sent if m.recipient == world.staff.officer.email]
    assert to_staff
    for message in to_staff:
        assert world.report.public_title in message.body
        for secret in SECRETS:
            assert secret not in message.body and secret not in message.subject


def test_a_reminder_before_routing_carries_the_agency_text_too(db_session):
    receipt = factories.file_report(title=TITLE, body=BODY, is_anonymous=True)
    report = db.session.get(Report, receipt.report_id)
    assert "[NIK]" not in (redaction.notice_title(report) or "x")
    assert redaction.notice_title(report) == redaction.proposal(report, TITLE).text


# --- the public: the board, its exports, the API, Open311 ------------------------------------------

@pytest.mark.parametrize("field", [f for r, f in CELLS if r == "public"])
@pytest.mark.parametrize("surface", ["board", "board_json", "board_csv", "api", "open311"])
def test_the_public(world, surface, field):
    reference = world.report.reference
    client = world.clients["public"]
    url = {"board": f"/transparansi/laporan/{reference}",
           "board_json": "/transparansi/laporan.json", "board_csv": "/transparansi/laporan.csv",
           "api": f"/api/v1/complaints/{reference}",
           "open311": f"/open311/v2/requests/{reference}.json"}[surface]
    answer = client.get(url)
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    for secret in SECRETS + ("lampiran-1.pdf", "Ini Rudi lagi"):
        assert secret not in text
    if field in ("title", "body") and surface in ("board", "api"):
        expected = getattr(world.report, f"public_{field}")
        assert shows(text, expected) or json.dumps(expected, ensure_ascii=False)[1:-1] in text


# --- dossiers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["officer", "agency_admin"])
def test_agency_roles_get_no_dossier(world, role):
    assert world.clients[role].get("/petugas/eskalasi").status_code == 403


# --- each read of an anonymous original is logged ---------------------------------------------

@pytest.mark.parametrize("role", STAFF)
def test_each_read_of_the_original_is_logged(world, role):
    user = getattr(world.staff, role)
    attachment = world.report.attachments[0]

    def logged():
        return db.session.scalars(select(AccessLog.what).where(
            AccessLog.user_id == user.id, AccessLog.report_id == world.report.id)
            .order_by(AccessLog.id)).all()

    before = logged()
    world.clients[role].get(f"/petugas/laporan/{world.report.reference}")
    world.clients["public"].get(f"/api/v1/inbox/{world.report.reference}", headers=world.tokens[role])
    world.clients[role].get(f"/petugas/lampiran/{attachment.id}")
    world.clients[role].get(f"/petugas/laporan/{world.report.reference}")
    db.session.expire_all()
    added = logged()[len(before):]
    if TABLE[role]["body"] == ORIGINAL:
        assert added == ["view_report", "view_report", "download", "view_report"]
    else:
        assert added == []


def test_a_named_report_is_read_as_written_by_the_agency_and_not_logged(app, world):
    receipt = factories.file_report(title="Puskesmas tutup", body="Saya Budi, HP 0812 3456 7890. Puskesmas tutup sejak pagi.",
                                    agency_slug="dinkes-kota-padang")
    report = db.session.get(Report, receipt.report_id)
    casework.take_action(world.staff.national_admin, report.reference, casework.ActionRequest(
        action="route", agency_slug="dinkes-kota-padang", resolution_class="ringan",
        confirm_public_text=True), clock.now())
    db.session.commit()
    page = world.clients["officer"].get(f"/petugas/laporan/{report.reference}").get_data(as_text=True)
    assert "Saya Budi, HP 0812 3456 7890. Puskesmas tutup sejak pagi." in page
    world.clients["national_admin"].get(f"/petugas/laporan/{report.reference}")
    assert not db.session.scalars(select(AccessLog).where(
        AccessLog.report_id == report.id, AccessLog.user_id == world.staff.national_admin.id)).all()
