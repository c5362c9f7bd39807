"""Response bodies of domain objects, built as the models of :mod:`.schemas` (which the OpenAPI
document publishes) and returned as their JSON values.

Public shapes carry days, never times, and nothing of the reporter; the reporter's own view
carries days too; only the officer view has timestamps, the original text (as
``redaction.for_viewer`` lets the reader see it) and (when allowed) the reporter's contact. On
an anonymous report an agency role's timestamps of the reporter's own steps (``submitted_at``,
the reporter's events) are the start of the day (``casework.CaseView.moment``).
"""
from __future__ import annotations

from ...models import Agency, Report
from ...services import location, redaction, sla, snapshots
from . import schemas


def _agency_ref(agency_: Agency | None) -> schemas.AgencyRef | None:
    return None if agency_ is None else schemas.AgencyRef(slug=agency_.slug, name=agency_.name)


def _agency(agency_: Agency) -> schemas.Agency:
    return schemas.Agency(slug=agency_.slug, name=agency_.name, short_name=agency_.short_name,
                          level=agency_.level,
                          parent=agency_.parent.slug if agency_.parent else None,
                          region=agency_.region_code)


def _region(report: Report) -> schemas.Region:
    return schemas.Region(code=report.region_code, name=report.region.name)


def _deadline(found: sla.Deadline | None) -> schemas.Deadline | None:
    if found is None:
        return None
    return schemas.Deadline(
        clock=found.clock, starts_on=found.starts_on, due_on=found.due_on,
        working_days=found.working_days, working_days_left=found.working_days_left,
        overdue=found.is_overdue, paused=found.paused,
        holidays_skipped=[schemas.HolidaySkipped(date=d, name=str(name))
                          for d, name in found.holidays_skipped])


def figures(fig) -> dict:
    """The figures are statistics' shape (``statistics.figures_dict``), passed on as they are."""
    return snapshots.figures_dict(fig)


def error(code: str, message: str, fields: dict) -> dict:
    return schemas.Error(error=schemas.ErrorDetail(
        code=code, message=str(message),
        fields={str(k): str(v) for k, v in fields.items()})).dump()


# --- public ------------------------------------------------------------------------------------

def _complaint_summary(report: Report) -> schemas.ComplaintSummary:
    """A row of the board's list: the public title, never the original."""
    category = report.category
    return schemas.ComplaintSummary(
        reference=report.reference, title=redaction.publishable(report, redaction.TITLE) or "",
        report_type=report.report_type, status=report.status, submitted_on=report.submitted_at,
        agency=_agency_ref(report.agency), region=_region(report),
        category=None if category is None else schemas.Category(
            slug=category.slug, name_id=category.name_id, name_en=category.name_en))


def complaint_list(page, url_of) -> dict:
    """A page of ``board.public_report_list``; ``url_of(cursor)`` is the address of the page
    that ``cursor`` starts (the same filters)."""
    return schemas.ComplaintList(
        page=page.page, per_page=page.per_page, pages=page.pages, total=page.total,
        total_is_capped=page.total_is_capped, order=page.order,
        next_cursor=page.next_cursor,
        next=url_of(page.next_cursor) if page.next_cursor else None,
        previous_cursor=page.prev_cursor,
        previous=url_of(page.prev_cursor) if page.prev_cursor else None,
        items=[_complaint_summary(r) for r in page.items]).dump()


def public_complaint(found) -> dict:
    """``board.PublicReport`` as JSON, field for field."""
    category = None
    if found.category_name_id is not None:
        category = schemas.PublicCategory(name_id=found.category_name_id,
                                          name_en=found.category_name_en)
    return schemas.PublicComplaint(
        reference=found.reference, title=found.title, body=found.body,
        report_type=found.report_type, status=found.status,
        submitted_on=found.submitted_on, incident_date=found.incident_date,
        region_name=found.region_name,
        district_name=found.location.district.name if found.location.district else None,
        village_name=found.location.village.name if found.location.village else None,
        lat=found.location.latitude, long=found.location.longitude,
        agency=schemas.AgencyRef(slug=found.agency_slug, name=found.agency_name),
        category=category,
        steps=[schemas.PublicStep(date=s.day, action=s.action, status=s.to_status,
                                  agency=s.agency_name, text=s.text) for s in found.steps],
        deadlines=[schemas.PublicDeadline(clock=d.clock, due_on=d.due_on, met=d.met,
                                          reopened=d.reopened) for d in found.deadlines],
    ).dump()


def agency_list(found) -> dict:
    """A page of ``agencies.active_page``."""
    return schemas.AgencyList(page=found.page, per_page=found.per_page, total=found.total,
                              items=[_agency(a) for a in found.items]).dump()


def agency_detail(found: Agency, months: list[str], methodology_version: str, fig,
                  fig_with_units) -> dict:
    """One agency, its units, and its figures (with its units' too, when it has any)."""
    return schemas.AgencyDetail(
        agency=_agency(found), units=[_agency_ref(unit) for unit in found.children],
        from_=months[0], to=months[-1], methodology_version=methodology_version,
        figures=figures(fig),
        figures_with_units=figures(fig_with_units) if fig_with_units is not None else None,
    ).dump()


def statistics(scope: Agency | None, months: list[str], methodology_version: str,
               methodology_url: str, definitions, fig, region=None, geography: str | None = None,
               data_as_of=None) -> dict:
    """Figures of an agency, a region (a ``models.Region``, in ``geography``) or the whole
    country, with the definitions they name."""
    return schemas.Statistics(
        scope="agency" if scope else ("region" if region is not None else "national"),
        agency=_agency(scope) if scope else None,
        region=schemas.StatisticsRegion(code=region.code, name=region.name, level=region.level,
                              province=region.code.split(".")[0]) if region is not None else None,
        geography=geography if region is not None else None,
        from_=months[0], to=months[-1], months=months, methodology_version=methodology_version,
        methodology_url=methodology_url, data_as_of=data_as_of,
        definitions=[schemas.Definition(id=d.id, title=str(d.title), text=str(d.text))
                     for d in definitions],
        figures=figures(fig)).dump()


def _snapshot_fields(found, permanent_url: str) -> dict:
    return {"id": found.public_id, "period": found.period,
            "methodology_version": found.methodology_version,
            "published_at": found.published_at, "sha256": found.sha256,
            "permanent_url": permanent_url}


def snapshot_list(found: list, permanent_url) -> dict:
    """Every snapshot; ``permanent_url(snapshot)`` is its address on the board."""
    return schemas.SnapshotList(items=[schemas.SnapshotSummary(**_snapshot_fields(
        s, permanent_url(s))) for s in found]).dump()


def snapshot(found, permanent_url: str, json_url: str, payload: dict) -> dict:
    """One frozen snapshot: ``payload`` is its stored JSON, passed on as it was stored."""
    return schemas.Snapshot(**_snapshot_fields(found, permanent_url), json_url=json_url,
                            payload=payload).dump()


# --- intake and the reporter -------------------------------------------------------------------

def receipt(found) -> dict:
    """``intake.Receipt``: the reference and the tracking code, shown once."""
    return schemas.Receipt(reference=found.reference, tracking_code=found.tracking_code,
                           status=found.status).dump()


def staged_file(staged) -> dict:
    """A file accepted (cleaned) and kept until a report names it."""
    return schemas.StagedFile(token=staged.token, name=staged.original_name,
                              content_type=staged.content_type, size=staged.size).dump()


def _reporter_actor(event) -> str:
    if event.actor_kind in ("reporter", "system"):
        return event.actor_kind
    return "agency" if event.actor_agency is not None else "national_admin"


def tracking(report: Report, timeline, current_deadline, can_add: bool) -> dict:
    """What the tracking page shows the reporter: public events only, days only, no names."""
    reader = redaction.REPORTER
    return schemas.Tracking(
        reference=report.reference, title=redaction.for_viewer(report, redaction.TITLE, reader),
        report_type=report.report_type, status=report.status, submitted_on=report.submitted_at,
        agency=_agency_ref(report.agency), is_anonymous=report.is_anonymous,
        is_confidential=report.is_confidential, deadline=_deadline(current_deadline),
        can_add_information=can_add,
        timeline=[schemas.TimelineEntry(
            date=entry.event.created_at, actor=_reporter_actor(entry.event),
            agency=_agency_ref(entry.event.actor_agency), action=entry.event.action,
            from_status=entry.event.from_status, to_status=entry.event.to_status,
            text=redaction.for_viewer(report, entry.event.public_text, reader),
            reason=entry.event.reason,
            attachments=[schemas.AttachmentMeta(name=a.original_name, size=a.size)
                         for a in entry.attachments],
        ) for entry in timeline],
    ).dump()


# --- officers ----------------------------------------------------------------------------------

def _officer_event(event, view) -> schemas.OfficerEvent:
    return schemas.OfficerEvent(
        at=view.event_at(event), action=event.action,
        actor=schemas.EventActor(kind=event.actor_kind, agency=_agency_ref(event.actor_agency),
                                 name=event.actor.name if event.actor is not None else None),
        target_agency=_agency_ref(event.target_agency),
        from_status=event.from_status, to_status=event.to_status,
        text=view.text(event.public_text), reason=view.reason(event),
        internal=bool(event.is_internal),
        duplicate_of=event.related_report.reference if event.related_report is not None else None)


def action_result(report: Report, event, view) -> dict:
    """The answer to an officer action: the report's status and the event written."""
    return schemas.ActionResult(reference=report.reference, status=report.status,
                                event=_officer_event(event, view)).dump()


def _inbox_item(report: Report, view) -> schemas.InboxItem:
    return schemas.InboxItem(
        reference=report.reference, title=view.title, report_type=report.report_type,
        status=report.status, submitted_at=view.submitted_at,
        agency=_agency_ref(report.agency), region=_region(report),
        category=report.category.slug if report.category else None,
        due_on=report.due_on, due_clock=report.due_clock,
        is_anonymous=report.is_anonymous, is_confidential=report.is_confidential)


def inbox_page(queue: str, page, view_of) -> dict:
    """A page of the inbox or the verification queue; ``view_of(report)`` is the reader's
    ``casework.CaseView`` of each report."""
    return schemas.InboxPage(queue=queue, page=page.page, per_page=page.per_page,
                             pages=page.pages, total=page.total,
                             items=[_inbox_item(r, view_of(r)) for r in page.items]).dump()


def _incident_location(place) -> schemas.IncidentLocation:
    """A report's location as :func:`location.view_for` lets this reader see it."""
    return schemas.IncidentLocation(
        district=schemas.Region(code=place.district.code, name=place.district.name)
        if place.district else None,
        village=schemas.Region(code=place.village.code, name=place.village.name)
        if place.village else None,
        address=place.address, lat=place.latitude, long=place.longitude)


def officer_report(report: Report, *, show_contact: bool, current_deadline, actions, view) -> dict:
    """The officer's case view. ``show_contact`` comes from access.can_see_contact, ``view``
    (``casework.case_view``) says what the reader may read of the texts."""
    contact = report.contact if show_contact else None
    return schemas.OfficerReport(
        reference=report.reference, status=report.status, report_type=report.report_type,
        title=view.title, body=view.body,
        public_title=report.public_title, public_body=report.public_body,
        incident_date=report.incident_date, submitted_at=view.submitted_at,
        routed_at=report.routed_at, region=_region(report),
        location=_incident_location(location.view_for(report, view.viewer)),
        requested_agency=_agency_ref(report.requested_agency),
        agency=_agency_ref(report.agency),
        category=report.category.slug if report.category else None,
        resolution_class=report.resolution_class,
        is_anonymous=report.is_anonymous, is_confidential=report.is_confidential,
        reporter=None if contact is None else schemas.ReporterContact(
            name=contact.name, email=contact.email, phone=contact.phone),
        deadline=_deadline(current_deadline),
        available_actions=list(actions),
        attachments=[schemas.AttachmentMeta(name=view.attachment_name(a), size=a.size)
                     for a in report.attachments],
        events=[_officer_event(e, view) for e in report.events],
    ).dump()
