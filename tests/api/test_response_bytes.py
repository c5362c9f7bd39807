"""The response bodies built from the pydantic models (serialize.py, schemas.py) are byte for
byte what the hand-written dicts gave before them: same keys, same values, same nulls.

``_Before`` is the serialiser as it was (plain dicts, kept here only as the reference); each
test asks the API and compares the raw bytes with what Flask's ``jsonify`` makes of the old
dict for the same objects at the same moment.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from flask import url_for

from app.extensions import db
from app.models import Report
from app import clock
from app.services import (access, agencies, board, casework, inbox, reporter, service_status, sla, snapshots,
                          statistics)
ROLES_WITH_TOKENS = ("admin", "officer", "agency_admin", "lebak", "oversight")


class _Before:
    """The dict builders of app/blueprints/api/serialize.py and routes.py before the models."""

    @staticmethod
    def day(moment):
        if moment is None:
            return None
        return (sla.local_date(moment) if isinstance(moment, datetime) else moment).isoformat()

    @staticmethod
    def timestamp(moment):
        if moment is None:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")

    @staticmethod
    def agency_ref(agency):
        return None if agency is None else {"slug": agency.slug, "name": agency.name}

    @staticmethod
    def agency(agency):
        return {"slug": agency.slug, "name": agency.name, "short_name": agency.short_name,
                "level": agency.level, "parent": agency.parent.slug if agency.parent else None,
                "region": agency.region_code}

    @staticmethod
    def region(report):
        return {"code": report.region_code, "name": report.region.name}

    @classmethod
    def deadline(cls, found):
        if found is None:
            return None
        return {"clock": found.clock, "starts_on": found.starts_on.isoformat(),
                "due_on": found.due_on.isoformat(), "working_days": found.working_days,
                "working_days_left": found.working_days_left, "overdue": found.is_overdue,
                "paused": found.paused,
                "holidays_skipped": [{"date": d.isoformat(), "name": str(name)}
                                     for d, name in found.holidays_skipped]}

    @classmethod
    def complaint_summary(cls, report):
        category = report.category
        return {"reference": report.reference, "title": report.public_title or "",
                "report_type": report.report_type, "status": report.status,
                "submitted_on": cls.day(report.submitted_at), "agency": cls.agency_ref(report.agency),
                "region": cls.region(report),
                "category": None if category is None else {
                    "slug": category.slug, "name_id": category.name_id, "name_en": category.name_en}}

    @classmethod
    def public_complaint(cls, found):
        category = None
        if found.category_name_id is not None:
            category = {"name_id": found.category_name_id, "name_en": found.category_name_en}
        return {
            "reference": found.reference, "title": found.title, "body": found.body,
            "report_type": found.report_type, "status": found.status,
            "submitted_on": cls.day(found.submitted_on), "incident_date": cls.day(found.incident_date),
            "region_name": found.region_name,
            # Added with the report's location (issue 14), after the pydantic bodies.
            "district_name": found.location.district.name if found.location.district else None,
            "village_name": found.location.village.name if found.location.village else None,
            "lat": found.location.latitude, "long": found.location.longitude,
            "agency": {"slug": found.agency_slug, "name": found.agency_name},
            "category": category,
            "steps": [{"date": cls.day(s.day), "action": s.action, "status": s.to_status,
                       "agency": s.agency_name, "text": s.text} for s in found.steps],
            "deadlines": [{"clock": d.clock, "due_on": cls.day(d.due_on), "met": d.met,
                           "reopened": d.reopened} for d in found.deadlines],
        }

    @staticmethod
    def _reporter_actor(event):
        if event.actor_kind in ("reporter", "system"):
            return event.actor_kind
        return "agency" if event.actor_agency is not None else "national_admin"

    @classmethod
    def tracking(cls, report, timeline, current_deadline, can_add):
        return {
            "reference": report.reference, "title": report.title, "report_type": report.report_type,
            "status": report.status, "submitted_on": cls.day(report.submitted_at),
            "agency": cls.agency_ref(report.agency), "is_anonymous": report.is_anonymous,
            "is_confidential": report.is_confidential, "deadline": cls.deadline(current_deadline),
            "can_add_information": can_add,
            "timeline": [{
                "date": cls.day(entry.event.created_at), "actor": cls._reporter_actor(entry.event),
                "agency": cls.agency_ref(entry.event.actor_agency), "action": entry.event.action,
                "from_status": entry.event.from_status, "to_status": entry.event.to_status,
                "text": entry.event.public_text, "reason": entry.event.reason,
                "attachments": [{"name": a.original_name, "size": a.size} for a in entry.attachments],
            } for entry in timeline],
        }

    @classmethod
    def officer_event(cls, event, view):
        return {
            # The reporter's own steps of an anonymous report: the day only for agency roles.
            "at": cls.timestamp(view.event_at(event)), "action": event.action,
            "actor": {"kind": event.actor_kind, "agency": cls.agency_ref(event.actor_agency),
                      "name": event.actor.name if event.actor is not None else None},
            "target_agency": cls.agency_ref(event.target_agency),
            "from_status": event.from_status, "to_status": event.to_status,
            "text": view.text(event.public_text), "reason": view.reason(event),
            "internal": bool(event.is_internal),
            "duplicate_of": event.related_report.reference if event.related_report is not None else None,
        }

    @classmethod
    def inbox_item(cls, report, view):
        return {"reference": report.reference, "title": view.title,
                "report_type": report.report_type, "status": report.status,
                "submitted_at": cls.timestamp(view.submitted_at), "agency": cls.agency_ref(report.agency),
                "region": cls.region(report),
                "category": report.category.slug if report.category else None,
                "due_on": cls.day(report.due_on), "due_clock": report.due_clock,
                "is_anonymous": report.is_anonymous, "is_confidential": report.is_confidential}

    @classmethod
    def officer_report(cls, report, *, show_contact, current_deadline, actions, view):
        contact = report.contact if show_contact else None
        return {
            "reference": report.reference, "status": report.status, "report_type": report.report_type,
            # The agency text of an anonymous report for agency roles (redaction.for_viewer).
            "title": view.title, "body": view.body,
            "public_title": report.public_title, "public_body": report.public_body,
            "incident_date": cls.day(report.incident_date), "submitted_at": cls.timestamp(view.submitted_at),
            "routed_at": cls.timestamp(report.routed_at), "region": cls.region(report),
            # Added with the report's location (issue 14), after the pydantic bodies.
            "location": {"district": None, "village": None, "address": None, "lat": None,
                         "long": None},
            "requested_agency": cls.agency_ref(report.requested_agency),
            "agency": cls.agency_ref(report.agency),
            "category": report.category.slug if report.category else None,
            "resolution_class": report.resolution_class,
            "is_anonymous": report.is_anonymous, "is_confidential": report.is_confidential,
            "reporter": None if contact is None else {
                "name": contact.name, "email": contact.email, "phone": contact.phone},
            "deadline": cls.deadline(current_deadline),
            "available_actions": list(actions),
            "attachments": [{"name": view.attachment_name(a), "size": a.size}
                            for a in report.attachments],
            "events": [cls.officer_event(e, view) for e in report.events],
        }

    @classmethod
    def snapshot_summary(cls, found):
        return {"id": found.public_id, "period": found.period,
                "methodology_version": found.methodology_version,
                "published_at": cls.timestamp(found.published_at), "sha256": found.sha256,
                "permanent_url": url_for("board.snapshot", public_id=found.public_id, _external=True)}


def _same_bytes(app, response, before: dict, status: int = 200) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    with app.test_request_context():
        expected = app.json.response(before).get_data()
    assert response.get_data() == expected


def _today() -> date:
    return clock.today()


def test_public_reports(app, client, seeded):
    page = board.public_report_list(board.ReportFilter())
    # Since issue 12 the list carries its order and the next and previous pages (none here).
    before = {"page": page.page, "per_page": page.per_page, "pages": page.pages,
              "total": page.total, "total_is_capped": page.total_is_capped,
              "order": "newest", "next_cursor": None, "next": None, "previous_cursor": None,
              "previous": None, "items": [_Before.complaint_summary(r) for r in page.items]}
    _same_bytes(app, client.get("/api/v1/complaints"), before)
    for name in ("public", "anonymous", "named", "lebak"):
        found = board.public_report(seeded.ref(name))
        _same_bytes(app, client.get(f"/api/v1/complaints/{seeded.ref(name)}"),
                    _Before.public_complaint(found))


def test_agencies_and_figures(app, client, seeded):
    found = agencies.active_page(None, None, 1, 50)
    _same_bytes(app, client.get("/api/v1/agencies"), {
        "page": found.page, "per_page": found.per_page, "total": found.total,
        "items": [_Before.agency(a) for a in found.items]})
    for slug in ("pemkot-padang", "dinkes-kota-padang"):
        agency = agencies.get_by_slug(slug, active_only=False)
        months = statistics.months_back(_today(), 12)
        family = sorted(access.descendants_and_self(agency.id))
        _same_bytes(app, client.get(f"/api/v1/agencies/{slug}"), {
            "agency": _Before.agency(agency),
            "units": [_Before.agency_ref(unit) for unit in agency.children],
            "from": months[0], "to": months[-1],
            "methodology_version": statistics.METHODOLOGY_VERSION,
            "figures": snapshots.figures_dict(statistics.figures([agency.id], months)),
            "figures_with_units": snapshots.figures_dict(statistics.figures(family, months))
            if len(family) > 1 else None})
    agency = agencies.get_by_slug("dinkes-kota-padang", active_only=False)
    months = statistics.months_back(date(2026, 12, 1), 3)
    with app.test_request_context():
        methodology_url = url_for("board.methodology", _external=True)
    for scope, query in ((None, ""), (agency, "&agency=dinkes-kota-padang")):
        _same_bytes(app, client.get(f"/api/v1/statistics?from=2026-10&to=2026-12{query}"), {
            "scope": "agency" if scope else "national",
            "agency": _Before.agency(scope) if scope else None,
            "from": months[0], "to": months[-1], "months": months,
            "methodology_version": statistics.METHODOLOGY_VERSION,
            "methodology_url": methodology_url,
            "definitions": [{"id": d.id, "title": str(d.title), "text": str(d.text)}
                            for d in statistics.DEFINITIONS.values()],
            "figures": snapshots.figures_dict(statistics.figures(
                [scope.id] if scope else None, months)),
            # Added with ?region= (issue 11): null outside a region's figures.
            "region": None, "geography": None,
            # Added with "data as of" (issue 11): when the rollups were last computed.
            "data_as_of": _Before.timestamp(service_status.stats_as_of())})


def test_snapshots(app, client, seeded):
    published = snapshots.publish("2026-11", datetime(2026, 12, 1, 3, tzinfo=timezone.utc))
    db.session.commit()
    with app.test_request_context():
        listing = {"items": [_Before.snapshot_summary(s) for s in snapshots.listing()]}
        one = {**_Before.snapshot_summary(published),
               "json_url": url_for("board.snapshot_export", public_id=published.public_id,
                                   fmt="json", _external=True),
               "payload": json.loads(published.canonical_json)}
    _same_bytes(app, client.get("/api/v1/snapshots"), listing)
    _same_bytes(app, client.get(f"/api/v1/snapshots/{published.public_id}"), one)


def test_the_reporter_s_view_and_the_receipt(app, client, seeded):
    for name in ("public", "anonymous", "named", "unverified", "confidential"):
        report = db.session.scalar(db.select(Report).where(Report.reference == seeded.ref(name)))
        before = _Before.tracking(report, reporter.public_timeline(report),
                                  reporter.current_deadline(report, clock.now()),
                                  reporter.can_add_information(report))
        _same_bytes(app, client.get("/api/v1/tracking", headers=seeded.tracking(name)), before)
    filed = client.post("/api/v1/complaints", json={
        "report_type": "pengaduan", "title": "Jalan berlubang di depan SDN 3 Padang",
        "body": "Sejak dua minggu lalu ada lubang besar di jalan depan sekolah.",
        "incident_date": (_today() - timedelta(days=1)).isoformat(), "region": "13.71"})
    answer = filed.get_json()
    assert filed.status_code == 201, answer
    _same_bytes(app, filed, {"reference": answer["reference"],
                             "tracking_code": answer["tracking_code"], "status": "submitted"}, 201)


@pytest.mark.parametrize("who", ROLES_WITH_TOKENS)
def test_the_officer_views(app, client, seeded, who):
    user = seeded.users[who]
    for name in seeded.reports:
        response = client.get(f"/api/v1/inbox/{seeded.ref(name)}", headers=seeded.bearer(who))
        report = db.session.scalar(db.select(Report).where(Report.reference == seeded.ref(name)))
        if not access.can_view(user, report):
            assert response.status_code == 404
            _same_bytes(app, response, {"error": {"code": "not_found",
                                                  "message": "Laporan tidak ditemukan.",
                                                  "fields": {}}}, 404)
            continue
        _same_bytes(app, response, _Before.officer_report(
            report, show_contact=access.can_see_contact(user, report),
            current_deadline=reporter.current_deadline(report, clock.now()),
            actions=casework.available_actions(user, report),
            view=casework.case_view(user, report)))
    queues = ("routed", "verification") if access.can_read_verification_queue(user) else ("routed",)
    for queue in queues:
        flt = inbox.InboxFilter()
        page = (inbox.verification_queue(flt, _today()) if queue == "verification"
                else inbox.agency_inbox(user, flt, _today()))
        _same_bytes(app, client.get(f"/api/v1/inbox?queue={queue}", headers=seeded.bearer(who)), {
            "queue": queue, "page": page.page, "per_page": page.per_page, "pages": page.pages,
            "total": page.total,
            "items": [_Before.inbox_item(r, casework.case_view(user, r)) for r in page.items]})


def test_an_action_and_an_invalid_body(app, client, seeded):
    reference = seeded.ref("anonymous")
    response = client.post(f"/api/v1/inbox/{reference}/actions", headers=seeded.bearer("officer"),
                           json={"action": "respond", "text": "Siti Anonimah, kami tindak lanjuti."})
    report = db.session.scalar(db.select(Report).where(Report.reference == reference))
    written = report.events[-1]
    view = casework.case_view(seeded.users["officer"], report)
    _same_bytes(app, response, {"reference": report.reference, "status": report.status,
                                "event": _Before.officer_event(written, view)}, 201)
    assert response.get_json()["event"]["text"] == "[NAMA], kami tindak lanjuti."
    refused = client.post(f"/api/v1/inbox/{reference}/actions", headers=seeded.bearer("officer"),
                          json={"action": "respond", "teks": "x"})
    _same_bytes(app, refused, {"error": {"code": "invalid", "message": "Ada isian yang tidak valid.",
                                         "fields": {"teks": "Kolom tidak dikenal.",
                                                    "text": "Wajib diisi."}}}, 422)


def test_timestamps_keep_their_writing():
    from app.blueprints.api import schemas

    for moment in (datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc),
                   datetime(2026, 11, 2, 2, 0, 0, 123456, tzinfo=timezone.utc),
                   datetime(2026, 11, 2, 9, 0, tzinfo=timezone(timedelta(hours=7))),
                   datetime(2026, 11, 2, 2, 0)):
        event = schemas.SnapshotSummary(id="x", period="2026-11", methodology_version="1",
                                        published_at=moment, sha256="0" * 64, permanent_url="u")
        assert event.dump()["published_at"] == _Before.timestamp(moment)
