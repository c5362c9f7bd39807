"""The response bodies of /api/v1, each defined once as a pydantic model.

The same model serialises a body (:mod:`.serialize` builds it, ``model_dump(mode="json")``)
and publishes its shape (:func:`components`, the OpenAPI document's component schemas), so
what the API answers and what the document says cannot drift apart. Request bodies stay JSON
Schema in :mod:`.openapi`, which :mod:`.validation` checks clients against.

Conventions: every property is always present (required, possibly null) and no other is
allowed; public and reporter views carry days (:data:`Day`, Jakarta time), officer views
timestamps (:data:`Timestamp`, RFC 3339 in UTC). The figures are another module's
(``statistics.figures_dict``): here they are an opaque reference to the ``Figures`` component,
which the figures' declarations publish (``statistics.openapi_components``, added to the
document by :mod:`.openapi`).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic.json_schema import models_json_schema

from ...models import Status
from ...models.agency import LEVELS
from ...models.report import REPORT_TYPES
from ...services.sla import RESOLUTION_CLASSES
from ...services import board, sla
from ...services.casework import OFFICER_ACTIONS

REF_TEMPLATE = "#/components/schemas/{model}"
# Public reports are verified: never "submitted".
PUBLIC_STATUSES = tuple(s for s in Status.ALL if s != Status.SUBMITTED)


def _jakarta_day(value):
    """A moment becomes its day in Jakarta; a day stays itself."""
    return sla.local_date(value) if isinstance(value, datetime) else value


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


# Day precision in Jakarta time (public and reporter views): "2026-11-02".
Day = Annotated[date, BeforeValidator(_jakarta_day)]
# RFC 3339 in UTC (officer views only): "2026-11-02T02:00:00Z".
Timestamp = Annotated[datetime, PlainSerializer(_rfc3339, return_type=str)]
# Text that is a month or a moment already (a frozen snapshot is passed on as it was stored).
MonthText = Annotated[str, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
DateTimeText = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
# The figures: statistics.figures_dict's shape, published as "Figures" from the figures'
# declarations (pydantic cannot hold a reference to a schema it did not make: _openapi writes it).
_EXTERNAL = "x-terang-component"
Figures = Annotated[dict[str, Any], WithJsonSchema({_EXTERNAL: "Figures"})]

ReportType = Literal[REPORT_TYPES]
AnyStatus = Literal[Status.ALL]
PublicStatus = Literal[PUBLIC_STATUSES]


class Body(BaseModel):
    """A closed JSON object: every property listed and present, nothing else."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True,
                              serialize_by_alias=True)

    def dump(self) -> dict:
        """The JSON value of this body (what the view hands to ``jsonify``)."""
        return self.model_dump(mode="json", by_alias=True)


# --- shared ------------------------------------------------------------------------------------

class AgencyRef(Body):
    slug: str
    name: str


class Agency(Body):
    slug: str
    name: str
    short_name: str | None
    level: Literal[LEVELS]
    parent: str | None
    region: str | None


class Region(Body):
    code: str
    name: str


class Category(Body):
    slug: str
    name_id: str
    name_en: str


class HolidaySkipped(Body):
    date: date
    name: str


class Deadline(Body):
    """The deadline that applies now, in Indonesian working days (holidays and cuti bersama
    excluded); `paused` while the agency waits for the reporter."""

    clock: str
    starts_on: date
    due_on: date
    working_days: int
    working_days_left: int = Field(description="Negative once overdue.")
    overdue: bool
    paused: bool
    holidays_skipped: list[HolidaySkipped]


class AttachmentMeta(Body):
    name: str
    size: int


class Error(Body):
    error: "ErrorDetail"


class ErrorDetail(Body):
    code: str
    message: str
    fields: dict[str, str] = Field(description="Each invalid field (dotted path) and what is wrong.")


# --- public: reports ---------------------------------------------------------------------------

class ComplaintSummary(Body):
    """A public report as listed on the board: the redacted title only."""

    reference: str
    title: str
    report_type: ReportType
    status: PublicStatus
    submitted_on: Day
    agency: AgencyRef
    region: Region
    category: Category | None


class ComplaintList(Body):
    """One page of public reports. Follow `next` (the same filters and `cursor=next_cursor`;
    also the `Link: <…>; rel="next"` header) until it is null to read every match once."""

    page: int = Field(description="This page's number (1 for the first page).")
    per_page: int
    pages: int = Field(description="Pages of `total` matches (with `total_is_capped`: at least).")
    total: int = Field(description=f"Matches, counted up to {board.COUNT_CAP:,} on the first "
                                   f"page (`q` alone: up to {board.RANK_AT_MOST:,}); a page "
                                   "reached by cursor repeats the first page's count. "
                                   "Without filters or `q`: every public report, exactly, on "
                                   "every page.")
    total_is_capped: bool = Field(description="True when more matched than `total` says.")
    order: Literal[board.NEWEST, board.RELEVANCE, board.LATEST_MATCHES] = Field(description=(
        f"`{board.NEWEST}`: no `q`, newest submitted first. `{board.RELEVANCE}`: `q`, best match "
        f"first (with other filters, or at most {board.RANK_AT_MOST:,} matches). "
        f"`{board.LATEST_MATCHES}`: `q` alone with more than {board.RANK_AT_MOST:,} matches, too "
        "many to rank: newest filed first (by report number), not ranked."))
    next_cursor: str | None = Field(description="The `cursor` of the next page; null on the last.")
    next: str | None = Field(description="The next page's URL (these filters and `next_cursor`); "
                                         "null on the last page.")
    previous_cursor: str | None = Field(description="The `cursor` of the page before; null on "
                                                    "the first.")
    previous: str | None = Field(description="The page before's URL; null on the first page.")
    items: list[ComplaintSummary]


class PublicCategory(Body):
    name_id: str
    name_en: str


class PublicStep(Body):
    date: Day
    action: str
    status: str | None
    agency: str | None
    text: str | None = Field(description="The agency's public text, redacted.")


class PublicDeadline(Body):
    clock: str
    due_on: Day
    met: bool | None = Field(description=(
        "null: not decided yet (due date to come, paused while waiting for the reporter, or the "
        "report left the agency before it)."))
    reopened: bool = Field(description="A fresh resolution deadline that started when the "
                                       "reporter disputed a resolution.")


class PublicComplaint(Body):
    reference: str
    title: str = Field(description="Redacted public title.")
    body: str = Field(description="Redacted public text (never the original).")
    report_type: ReportType
    status: PublicStatus
    submitted_on: Day
    incident_date: Day
    region_name: str
    district_name: str | None = Field(description="The kecamatan, when the reporter gave it.")
    village_name: str | None = Field(description=(
        "The kelurahan/desa, when the reporter gave it and the report is not anonymous."))
    lat: float | None = Field(description=(
        "The reporter's map point rounded to 3 decimals (about 100 m); null when none was "
        "given or the report is anonymous."))
    long: float | None = Field(description="See lat.")
    agency: AgencyRef
    category: PublicCategory | None
    steps: list[PublicStep]
    deadlines: list[PublicDeadline]


# --- public: agencies, figures, snapshots ------------------------------------------------------

class AgencyList(Body):
    page: int
    per_page: int
    total: int
    items: list[Agency]


class AgencyDetail(Body):
    """The agency and its figures over the last 12 months (`figures_with_units`: the agency
    and every unit below it, when it has units)."""

    agency: Agency
    units: list[AgencyRef]
    from_: MonthText = Field(alias="from")
    to: MonthText
    methodology_version: str
    figures: Figures
    figures_with_units: Figures | None


class Definition(Body):
    id: str
    title: str
    text: str


class StatisticsRegion(Body):
    """A province (``13``) or a kab/kota (``13.71``) with its Kemendagri code."""

    code: str = Field(pattern=r"^[0-9]{2}(\.[0-9]{2})?$")
    name: str
    level: Literal["province", "regency"]
    province: str = Field(pattern=r"^[0-9]{2}$", description="The province's code (itself for a province).")


class Statistics(Body):
    scope: Literal["national", "agency", "region"]
    agency: Agency | None
    region: StatisticsRegion | None
    geography: Literal["incident", "government"] | None = Field(description=(
        "With `region`: `incident` counts the reports whose incident lies in the region, whatever "
        "agency handles them; `government` the reports of the region's own government (the "
        "provincial or kab/kota government) and its units. Null otherwise."))
    from_: MonthText = Field(alias="from")
    to: MonthText
    months: list[MonthText]
    methodology_version: str
    methodology_url: str
    data_as_of: Timestamp | None = Field(description=(
        "When the figures were computed: the last `stats refresh` (every five minutes in "
        "production). Null before the first. The board warns when it is over an hour old."))
    definitions: list[Definition]
    figures: Figures


class SnapshotSummary(Body):
    id: str
    period: MonthText
    methodology_version: str
    published_at: Timestamp
    sha256: str = Field(pattern="^[0-9a-f]{64}$")
    permanent_url: str


class SnapshotList(Body):
    items: list[SnapshotSummary]


class SnapshotAgency(Body):
    slug: str
    name: str
    level: str
    figures: Figures


class SnapshotPayload(Body):
    snapshot: str
    period: MonthText
    methodology_version: str
    generated_at: DateTimeText
    small_number_rule: int
    # Snapshots frozen since 2 December 2026 (issue 11) carry these three; earlier ones do not.
    provisional: bool | None = Field(default=None, description=(
        "Whether the month was still provisional when frozen (some of its reports' deadlines "
        "still ran): its follow-up and resolution figures may have risen since."))
    provisional_through: str | None = Field(default=None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                                            description="The last day the month is provisional.")
    fixed_window_figures: list[str] | None = Field(default=None, description=(
        "The figures that count each report within a fixed window: they stop moving once the "
        "windows have passed."))
    national: Figures
    agencies: list[SnapshotAgency]


class Snapshot(Body):
    id: str
    period: MonthText
    methodology_version: str
    published_at: Timestamp
    sha256: str = Field(pattern="^[0-9a-f]{64}$", description=(
        "SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of `payload`; the exact "
        "bytes are at `json_url`."))
    permanent_url: str
    json_url: str
    payload: SnapshotPayload


# --- intake and the reporter -------------------------------------------------------------------

class Receipt(Body):
    reference: str
    tracking_code: str = Field(
        description="The reporter's secret receipt; shown once, stored only as a keyed hash.")
    status: AnyStatus


class StagedFile(Body):
    token: str = Field(description="Give it in `attachments` of POST /complaints; kept 24 hours.")
    name: str = Field(description="The file's name as sent (without any path).")
    content_type: Literal["image/jpeg", "image/png", "application/pdf", "video/mp4",
                          "video/webm"] = Field(description="The type stored (a MOV becomes MP4).")
    size: int = Field(description="Bytes of the cleaned file, as stored.")


class TimelineEntry(Body):
    date: Day
    actor: Literal["reporter", "agency", "national_admin", "system"]
    agency: AgencyRef | None
    action: str
    from_status: str | None
    to_status: str | None
    text: str | None
    reason: str | None
    attachments: list[AttachmentMeta]


class Tracking(Body):
    """The reporter's own view: public events (no internal notes), at day precision."""

    reference: str
    title: str
    report_type: ReportType
    status: AnyStatus
    submitted_on: Day
    agency: AgencyRef | None
    is_anonymous: bool
    is_confidential: bool
    deadline: Deadline | None
    can_add_information: bool
    timeline: list[TimelineEntry]


# --- agency systems ----------------------------------------------------------------------------

class EventActor(Body):
    kind: Literal["reporter", "officer", "system"]
    agency: AgencyRef | None
    name: str | None


_DAY_ONLY = ("When the report was filed. For an anonymous report read by an agency role (and "
             "its tokens) only the day: the start of that day in Jakarta (00:00+07:00).")
_DAY_ONLY_STEP = ("When the step happened. For an anonymous report read by an agency role, the "
                  "reporter's own steps carry only their day (00:00 Jakarta time).")


class OfficerEvent(Body):
    at: Timestamp = Field(description=_DAY_ONLY_STEP)
    action: str
    actor: EventActor
    target_agency: AgencyRef | None
    from_status: str | None
    to_status: str | None
    text: str | None
    reason: str | None
    internal: bool
    duplicate_of: str | None = Field(
        description="Archived as a duplicate: the original's reference.")


class InboxItem(Body):
    reference: str
    title: str
    report_type: ReportType
    status: AnyStatus
    submitted_at: Timestamp = Field(description=_DAY_ONLY)
    agency: AgencyRef | None
    region: Region
    category: str | None
    due_on: Day | None
    due_clock: str | None
    is_anonymous: bool
    is_confidential: bool


class InboxPage(Body):
    queue: Literal["routed", "verification"]
    page: int
    per_page: int
    pages: int
    total: int
    items: list[InboxItem]


class ReporterContact(Body):
    """Only for a report that is not anonymous, to a role that may see it; null otherwise."""

    name: str | None
    email: str | None
    phone: str | None


class IncidentLocation(Body):
    """Where exactly, as the reporter gave it (each part optional)."""

    district: Region | None = Field(description="The kecamatan (Kemendagri code `13.71.01`).")
    village: Region | None = Field(description="The kelurahan/desa (`13.71.01.1001`).")
    address: str | None = Field(description=(
        "The reporter's free-text address or landmark; for an anonymous report read by an "
        "agency role, redacted like the agency text."))
    lat: float | None = Field(description=(
        "Latitude, 5 decimals (about 1 m); for an anonymous report read by an agency role, "
        "3 decimals (about 100 m): the point may be where the reporter lives."))
    long: float | None = Field(description="Longitude; rounded as lat.")


class OfficerReport(Body):
    reference: str
    status: AnyStatus
    report_type: ReportType
    title: str = Field(description=(
        "The original title. For an anonymous report read by an agency role (officer, agency "
        "admin) the agency text instead: the verifier-reviewed public title (fully redacted); "
        "the events' texts are fully redacted too, and attachments have generic names."))
    body: str = Field(description="The original text (for an anonymous report and an agency "
                                  "role, the agency text: the verifier-reviewed public text).")
    public_title: str | None
    public_body: str | None
    incident_date: Day
    submitted_at: Timestamp = Field(description=_DAY_ONLY)
    routed_at: Timestamp | None
    region: Region
    location: IncidentLocation
    requested_agency: AgencyRef | None
    agency: AgencyRef | None
    category: str | None
    resolution_class: Literal[RESOLUTION_CLASSES] | None
    is_anonymous: bool
    is_confidential: bool
    reporter: ReporterContact | None
    deadline: Deadline | None
    available_actions: list[Literal[OFFICER_ACTIONS]]
    attachments: list[AttachmentMeta]
    events: list[OfficerEvent]


class ActionResult(Body):
    reference: str
    status: AnyStatus
    event: OfficerEvent


Error.model_rebuild()

# Every response body (with the models they hold, published under their class names).
RESPONSES = (Error, AgencyList, AgencyDetail, Statistics, ComplaintList, PublicComplaint,
             Receipt, StagedFile, Tracking, InboxPage, OfficerReport, ActionResult, SnapshotList, Snapshot)


# --- the published form ------------------------------------------------------------------------

def _nullable(schema: dict) -> dict:
    """pydantic writes ``X | None`` as ``anyOf: [X, {type: null}]``; a plain type is written the
    way the rest of the document is (``type: [t, "null"]``, null listed in an ``enum`` too, so
    that an enumeration admits it); a reference keeps the ``anyOf``."""
    options = schema.get("anyOf")
    if not options or len(options) != 2 or {"type": "null"} not in options:
        return schema
    other = options[0] if options[1] == {"type": "null"} else options[1]
    if "$ref" in other or not isinstance(other.get("type"), str):
        return schema
    merged = {**other, **{k: v for k, v in schema.items() if k != "anyOf"}}
    merged["type"] = [other["type"], "null"]
    if "const" in merged:
        merged["enum"] = [merged.pop("const")]
    if "enum" in merged and None not in merged["enum"]:
        merged["enum"] = [*merged["enum"], None]
    return merged


def _openapi(node):
    """JSON Schema as pydantic writes it → as this OpenAPI 3.1 document writes it: no generated
    ``title`` keywords (a property may still be called "title"), nullables as above, the
    figures a reference to openapi.py's component."""
    if isinstance(node, list):
        return [_openapi(item) for item in node]
    if not isinstance(node, dict):
        return node
    if _EXTERNAL in node:
        return {"$ref": REF_TEMPLATE.format(model=node[_EXTERNAL])}
    cleaned = {key: _openapi(value) for key, value in node.items()
               if not (key == "title" and isinstance(value, str))}
    if isinstance(cleaned.get("description"), str):  # a docstring's line breaks
        cleaned["description"] = " ".join(cleaned["description"].split())
    return _nullable(cleaned)


def components() -> dict:
    """The component schemas of every response body, keyed by model name, refs to
    ``#/components/schemas/…``."""
    _, top = models_json_schema([(model, "validation") for model in RESPONSES],
                                ref_template=REF_TEMPLATE)
    return {name: _openapi(schema) for name, schema in top["$defs"].items()}
