"""Plain JSON values of domain objects, in the shapes the OpenAPI document publishes.

Public shapes carry days, never times, and nothing of the reporter; the reporter's own view
carries days too; only the officer view has timestamps, the original text (an anonymous
reporter's identity masked for agency roles) and (when allowed) the reporter's contact.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from ...models import Agency, Report
from ...services import sla, snapshots


def day(moment: datetime | date | None) -> str | None:
    """Day precision in Jakarta time (public and reporter views)."""
    if moment is None:
        return None
    return (sla.local_date(moment) if isinstance(moment, datetime) else moment).isoformat()


def timestamp(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC (officer views only)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def agency_ref(agency: Agency | None) -> dict | None:
    return None if agency is None else {"slug": agency.slug, "name": agency.name}


def agency(agency_: Agency) -> dict:
    return {"slug": agency_.slug, "name": agency_.name, "short_name": agency_.short_name,
            "level": agency_.level, "parent": agency_.parent.slug if agency_.parent else None,
            "region": agency_.region_code}


def region(report: Report) -> dict:
    return {"code": report.region_code, "name": report.region.name}


def deadline(found: sla.Deadline | None) -> dict | None:
    if found is None:
        return None
    return {"clock": found.clock, "starts_on": found.starts_on.isoformat(),
            "due_on": found.due_on.isoformat(), "working_days": found.working_days,
            "working_days_left": found.working_days_left, "overdue": found.is_overdue,
            "paused": found.paused,
            "holidays_skipped": [{"date": d.isoformat(), "name": str(name)}
                                 for d, name in found.holidays_skipped]}


def figures(fig) -> dict:
    return snapshots.figures_dict(fig)


# --- public ------------------------------------------------------------------------------------

def complaint_summary(report: Report) -> dict:
    """A row of the board's list: the public title, never the original."""
    category = report.category
    return {"reference": report.reference, "title": report.public_title or "",
            "report_type": report.report_type, "status": report.status,
            "submitted_on": day(report.submitted_at), "agency": agency_ref(report.agency),
            "region": region(report),
            "category": None if category is None else {
                "slug": category.slug, "name_id": category.name_id, "name_en": category.name_en}}


def public_complaint(found) -> dict:
    """``board.PublicReport`` as JSON, field for field."""
    category = None
    if found.category_name_id is not None:
        category = {"name_id": found.category_name_id, "name_en": found.category_name_en}
    return {
        "reference": found.reference, "title": found.title, "body": found.body,
        "report_type": found.report_type, "status": found.status,
        "submitted_on": day(found.submitted_on), "incident_date": day(found.incident_date),
        "region_name": found.region_name,
        "agency": {"slug": found.agency_slug, "name": found.agency_name},
        "category": category,
        "steps": [{"date": day(s.day), "action": s.action, "status": s.to_status,
                   "agency": s.agency_name, "text": s.text} for s in found.steps],
        "deadlines": [{"clock": d.clock, "due_on": day(d.due_on), "met": d.met,
                       "reopened": d.reopened} for d in found.deadlines],
    }


# --- the reporter ------------------------------------------------------------------------------

def _reporter_actor(event) -> str:
    if event.actor_kind in ("reporter", "system"):
        return event.actor_kind
    return "agency" if event.actor_agency is not None else "national_admin"


def tracking(report: Report, timeline, current_deadline, can_add: bool) -> dict:
    """What the tracking page shows the reporter: public events only, days only, no names."""
    return {
        "reference": report.reference, "title": report.title, "report_type": report.report_type,
        "status": report.status, "submitted_on": day(report.submitted_at),
        "agency": agency_ref(report.agency), "is_anonymous": report.is_anonymous,
        "is_confidential": report.is_confidential, "deadline": deadline(current_deadline),
        "can_add_information": can_add,
        "timeline": [{
            "date": day(entry.event.created_at), "actor": _reporter_actor(entry.event),
            "agency": agency_ref(entry.event.actor_agency), "action": entry.event.action,
            "from_status": entry.event.from_status, "to_status": entry.event.to_status,
            "text": entry.event.public_text, "reason": entry.event.reason,
            "attachments": [{"name": a.original_name, "size": a.size} for a in entry.attachments],
        } for entry in timeline],
    }


# --- officers ----------------------------------------------------------------------------------

def officer_event(event, view) -> dict:
    """``view`` is the reader's ``casework.CaseView`` (masks an anonymous reporter's identity)."""
    return {
        "at": timestamp(event.created_at), "action": event.action,
        "actor": {"kind": event.actor_kind, "agency": agency_ref(event.actor_agency),
                  "name": event.actor.name if event.actor is not None else None},
        "target_agency": agency_ref(event.target_agency),
        "from_status": event.from_status, "to_status": event.to_status,
        "text": view.text(event.public_text), "reason": view.reason(event),
        "internal": bool(event.is_internal),
        "duplicate_of": event.related_report.reference if event.related_report is not None else None,
    }


def inbox_item(report: Report, view) -> dict:
    return {"reference": report.reference, "title": view.title,
            "report_type": report.report_type, "status": report.status,
            "submitted_at": timestamp(report.submitted_at), "agency": agency_ref(report.agency),
            "region": region(report),
            "category": report.category.slug if report.category else None,
            "due_on": day(report.due_on), "due_clock": report.due_clock,
            "is_anonymous": report.is_anonymous, "is_confidential": report.is_confidential}


def officer_report(report: Report, *, show_contact: bool, current_deadline, actions, view) -> dict:
    """The officer's case view. ``show_contact`` comes from access.can_see_contact, ``view``
    (``casework.case_view``) masks an anonymous reporter's identity for agency roles."""
    contact = report.contact if show_contact else None
    return {
        "reference": report.reference, "status": report.status, "report_type": report.report_type,
        "title": view.title, "body": view.body,
        "public_title": report.public_title, "public_body": report.public_body,
        "incident_date": day(report.incident_date), "submitted_at": timestamp(report.submitted_at),
        "routed_at": timestamp(report.routed_at), "region": region(report),
        "requested_agency": agency_ref(report.requested_agency),
        "agency": agency_ref(report.agency),
        "category": report.category.slug if report.category else None,
        "resolution_class": report.resolution_class,
        "is_anonymous": report.is_anonymous, "is_confidential": report.is_confidential,
        "reporter": None if contact is None else {
            "name": contact.name, "email": contact.email, "phone": contact.phone},
        "deadline": deadline(current_deadline),
        "available_actions": list(actions),
        "attachments": [{"name": view.attachment_name(a), "size": a.size}
                        for a in report.attachments],
        "events": [officer_event(e, view) for e in report.events],
    }
