"""Filing through /lapor stores the rows the ORM path stored (issue 12: the report, its first
event and the dirty marks are written by Core statements, ``workflow.file_new``): the same
columns and values, checked against literal values and against ``workflow.apply`` on an ORM
report; the contact, the idempotency record (sent again: the first receipt), no e-mail queued,
no data version bumped. This test passed unchanged on the ORM path before the change."""
from datetime import date, datetime, timezone

import pytest
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import (Agency, Category, IdempotencyRecord, OutboxMessage, Report,
                        ReporterContact, ReportEvent, StatsDirty, StatsDirtyRegion)
from app.services import data_version, idempotency, tracking_codes, workflow
from tests import factories
from tests.factories import HTMLPage

pytestmark = [pytest.mark.usefixtures("fresh_g"),
              pytest.mark.frozen_at("2026-11-24T10:00:00+07:00")]

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
SUBMISSION_ID = "uji-baris-sama-0123456789"
FORM = factories.form_data(
    agency="pemkot-padang", category="infrastruktur", reporter_name="  Budi Santoso ",
    reporter_email=" Budi@Example.COM ", reporter_phone="0812-3456-7890",
    district="13.71.01", village="13.71.01.1001", incident_address="Jl. Batang Arau No. 12",
    latitude="-0,961234", longitude="100.361234", submission_id=SUBMISSION_ID)
# Set by the transition (compared with workflow.apply below) or by the counter and the code.
DERIVED = {"id", "reference", "sequence", "tracking_hash", "status", "submitted_at", "updated_at",
           "due_on", "due_clock", "first_response_at"}


def _row(model, *where) -> dict:
    return dict(db.session.execute(select(model.__table__).where(*where)).mappings().one())


def _rows(model) -> set:
    return set(db.session.execute(select(model.__table__)).all())


def _file(client, csrf):
    response = factories.post_multipart(client, "/lapor", dict(FORM, csrf_token=csrf()))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    page = HTMLPage(client.get("/lapor/terkirim").get_data(as_text=True))
    return page.by_id("reference").text.strip(), page.by_id("tracking-code").text.strip()


def test_the_form_stores_the_rows_the_orm_path_stored(client, csrf):
    dirty_before, regions_before = _rows(StatsDirty), _rows(StatsDirtyRegion)
    version_before = data_version.current()
    reference, code = _file(client, csrf)

    report = _row(Report, Report.reference == reference)
    agency_id = db.session.scalar(select(Agency.id).where(Agency.slug == "pemkot-padang"))
    category_id = db.session.scalar(select(Category.id).where(Category.slug == "infrastruktur"))
    assert {k: v for k, v in report.items() if k not in DERIVED} == {
        "year": 2026, "report_type": "pengaduan", "title": FORM["title"], "body": FORM["body"],
        "incident_date": date(2026, 11, 10), "region_code": factories.PADANG,
        "incident_district_code": "13.71.01", "incident_village_code": "13.71.01.1001",
        "incident_address": "Jl. Batang Arau No. 12", "incident_lat": -0.96123,
        "incident_lng": 100.36123, "requested_agency_id": agency_id, "agency_id": None,
        "category_id": category_id, "is_anonymous": False, "is_confidential": False,
        "language": "id", "resolution_class": None, "public_title": None, "public_body": None,
        "routed_at": None, "resolved_at": None, "reopened_at": None, "closed_at": None,
        "on_hold_since": None, "status_before_hold": None, "overdue_clock": None}
    assert reference == f"LPR-2026-{report['sequence']:07d}"
    assert report["tracking_hash"] == tracking_codes.hash_code(
        tracking_codes.normalise_code(code), current_app.config["SECRET_KEY"])
    assert (report["status"], report["submitted_at"], report["updated_at"]) == ("submitted", NOW, NOW)

    event = _row(ReportEvent, ReportEvent.report_id == report["id"])
    assert {k: v for k, v in event.items() if k != "id"} == {
        "report_id": report["id"], "created_at": NOW, "action": "submit", "actor_kind": "reporter",
        "actor_user_id": None, "actor_agency_id": None, "target_agency_id": None,
        "related_report_id": None, "from_status": None, "to_status": "submitted", "reason": None,
        "public_text": None, "is_internal": False}
    # No agency is responsible yet: only the incident kab/kota's month is marked.
    assert _rows(StatsDirty) == dirty_before
    assert _rows(StatsDirtyRegion) - regions_before <= {(factories.PADANG, "2026-11")}
    assert (factories.PADANG, "2026-11") in _rows(StatsDirtyRegion)

    contact = _row(ReporterContact, ReporterContact.report_id == report["id"])
    assert (contact["name"], contact["email"], contact["phone"]) == (
        "Budi Santoso", "Budi@example.com", "+6281234567890")
    record = _row(IdempotencyRecord, IdempotencyRecord.key == f"form:{SUBMISSION_ID}")
    assert (record["report_id"], record["created_at"]) == (report["id"], NOW)
    answer = idempotency._fernet(current_app.config["SECRET_KEY"]).decrypt(
        record["response_encrypted"].encode())
    assert answer.decode() == f'{{"reference": "{reference}", "tracking_code": "{code}"}}'
    assert db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.report_id == report["id"])) is None
    assert data_version.current() == version_before  # a report just filed is not public

    # The same form sent again: the first receipt, no second report.
    assert _file(client, csrf) == (reference, code)
    assert db.session.scalar(select(Report.id).where(Report.id > report["id"])) is None

    # What workflow.apply writes for the same report through the ORM: the same derived values.
    inputs = {k: v for k, v in report.items() if k not in DERIVED}
    twin = Report(**inputs, reference="LPR-2026-9999999", sequence=9999999,
                  tracking_hash="0" * 64)
    db.session.add(twin)
    twin_event = workflow.apply(twin, "submit", workflow.Actor.reporter(), NOW)
    db.session.flush()
    twin_row = _row(Report, Report.id == twin.id)
    assert {k: twin_row[k] for k in DERIVED - {"id", "reference", "sequence", "tracking_hash"}} \
        == {k: report[k] for k in DERIVED - {"id", "reference", "sequence", "tracking_hash"}}
    twin_event_row = _row(ReportEvent, ReportEvent.id == twin_event.id)
    assert {k: v for k, v in twin_event_row.items() if k not in ("id", "report_id")} \
        == {k: v for k, v in event.items() if k not in ("id", "report_id")}
