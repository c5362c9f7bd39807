"""The OpenAPI 3.1 document of /api/v1: the contract, and the validator of what clients send.

Request bodies and parameters are checked against the very schemas published here
(:mod:`.validation`), so the document cannot drift from what the API accepts. Response bodies
are published from the pydantic models that serialise them (:mod:`.schemas`), so it cannot
drift from what the API answers either; the test suite checks that every route is documented
and every response matches its schema. The figures' components are still written here (the
statistics code owns their shape). Enumerations come from the code that owns them (statuses,
report types, archive reasons …).
"""
from __future__ import annotations

from functools import lru_cache

from ...models import Status
from ...models.agency import LEVELS
from ...models.report import REPORT_TYPES, ReporterContact
from ...services import board, casework, inbox, intake, location, statistics, workflow
from . import schemas
from ...services.sla import RESOLUTION_CLASSES

VERSION = "1.0.0"
PREFIX = "/api/v1"
MAX_PAGE = 100_000
MAX_QUERY = 100
MAX_TEXT = casework.MAX_TEXT  # officers' and reporters' messages: as long as a report
MAX_REASON = casework.MAX_REASON
MAX_IDEMPOTENCY_KEY = 200
MAX_PHONE_AS_TYPED = 25
MAX_STATISTICS_MONTHS = 120
PUBLIC_STATUSES = list(schemas.PUBLIC_STATUSES)
TEXT_ACTIONS = ("respond", "note", "request_info", "resolve")

SLUG = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$"}
REFERENCE = {"type": "string", "pattern": r"^[A-Za-z0-9-]{1,24}$"}
SNAPSHOT_ID = {"type": "string", "pattern": r"^[A-Za-z0-9-]{1,40}$"}
REGION = {"type": "string", "pattern": r"^[0-9]{2}(\.[0-9]{2})?$"}
MONTH_IN = {"type": "string", "pattern": r"^20[0-9]{2}-(0[1-9]|1[0-2])$"}  # what clients send
MONTH = {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
PAGE = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}
# The public reports' numbered pages: the first board.NUMBERED_PAGES only (deeper: by cursor).
COMPLAINT_PAGE = {**PAGE, "maximum": board.NUMBERED_PAGES}
# board.Cursor.encode: URL-safe base64 without padding, at most 200 characters.
CURSOR = {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,200}$"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    """``schema`` or null. An ``enum`` (or ``const``) lists every allowed value, so null is added
    to it too: ``{"type": ["string", "null"], "enum": ["a"]}`` would still refuse null."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema["type"]
    result = {**schema, "type": [kind, "null"] if isinstance(kind, str) else [*kind, "null"]}
    if "const" in result:
        result["enum"] = [result.pop("const")]
    if "enum" in result and None not in result["enum"]:
        result["enum"] = [*result["enum"], None]
    return result


def obj(properties: dict, required: list | tuple | None = None, description: str | None = None) -> dict:
    """A closed object: every property listed, nothing else allowed."""
    schema = {"type": "object", "properties": properties,
              "required": list(properties if required is None else required),
              "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def string(max_length: int | None = None, min_length: int | None = None, **extra) -> dict:
    schema = {"type": "string", **extra}
    if max_length is not None:
        schema["maxLength"] = max_length
    if min_length is not None:
        schema["minLength"] = min_length
    return schema


def query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def path_param(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


ERROR_TEXT = {
    400: "Bad request: a query parameter or header is invalid or unknown (open-data operations "
         "name every parameter they do not document), or the body is not JSON.",
    401: "Missing or invalid credentials.",
    403: "The credentials are valid but the role may not do this.",
    404: "Not found (or outside the caller's scope: the answer is the same).",
    405: "The path exists but not with this method; `Allow` lists the methods it has.",
    409: "The report's current state does not allow this.",
    413: "The body is larger than 1 MiB (an upload: than the video limit and 1 MiB).",
    415: "The body must be application/json (an upload: multipart/form-data).",
    422: "The body is JSON but a field is invalid; `fields` names each one.",
    429: "Too many requests; wait for `Retry-After` seconds.",
    500: "Server error (never caused by what a client sends).",
}


# Answers any operation can give, whatever it is: another method on its path, a server error.
GENERIC_ERRORS = (405, 500)
# Operations with these tags are open data: a query parameter they do not document is refused
# (400, naming it; validation.refuse_unknown_query_params).
OPEN_DATA_TAGS = frozenset({"public", "meta"})
ERROR_HEADERS = {
    401: {"WWW-Authenticate": {
        "description": "The scheme to use: `Bearer realm=\"terang\"` for agency systems, "
                       "`TrackingCode realm=\"terang\", header=\"X-Tracking-Code\"` for reporters.",
        "required": True, "schema": {"type": "string"}}},
    405: {"Allow": {"description": "The methods the path has.", "required": True,
                    "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait before trying again.", "required": True,
                          "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
}


def errors(*statuses: int) -> dict:
    responses = {}
    for status in sorted({*statuses, *GENERIC_ERRORS}):
        response = {"description": ERROR_TEXT[status], "content": json_content(ref("Error"))}
        if status in ERROR_HEADERS:
            response["headers"] = ERROR_HEADERS[status]
        responses[str(status)] = response
    return responses


def ok(schema: dict, description: str, status: int = 200, headers: dict | None = None) -> dict:
    response = {"description": description, "content": json_content(schema)}
    if headers:
        response["headers"] = headers
    return {str(status): response}


def body(schema: dict, description: str) -> dict:
    return {"required": True, "description": description, "content": json_content(schema)}


# --- component schemas ------------------------------------------------------------------------

def _schemas() -> dict:
    contact_limits = {
        "name": ReporterContact.__table__.c.name.type.length,
        "email": ReporterContact.__table__.c.email.type.length,
    }
    submission = obj({
        "report_type": {"type": "string", "enum": list(REPORT_TYPES)},
        "title": string(intake.MAX_TITLE, 1),
        "body": string(intake.MAX_BODY, 1, description="What happened, in order."),
        "incident_date": {**DATE, "description": "YYYY-MM-DD, not in the future (Jakarta time)."},
        "region": {**REGION, "pattern": r"^[0-9]{2}\.[0-9]{2}$",
                   "description": "Kemendagri kab/kota code, e.g. 13.71."},
        "agency": nullable({**SLUG, "description": "Agency slug; null or absent: \"I don't know\" "
                                                   "(the national admin routes it)."}),
        "category": nullable({**SLUG, "description": "Category slug, optional."}),
        "is_anonymous": {"type": "boolean", "default": False},
        "is_confidential": {"type": "boolean", "default": False},
        "language": {"type": "string", "enum": ["id", "en"], "default": "id",
                     "description": "Language of the e-mails the reporter receives."},
        "district": nullable({"type": "string", "maxLength": 13, "description": (
            "Kecamatan code within `region`, e.g. 13.71.01; optional.")}),
        "village": nullable({"type": "string", "maxLength": 13, "description": (
            "Kelurahan/desa code within `district`, e.g. 13.71.01.1001; optional.")}),
        "incident_address": nullable(string(location.MAX_ADDRESS, description=(
            "Address or landmark; personal data: never published, redacted for agencies on an "
            "anonymous report."))),
        "latitude": nullable({"type": "number", "description": (
            "Decimal degrees inside Indonesia; with `longitude` or not at all. Stored rounded to "
            "5 decimals; published rounded to 3 and only for a report that is not anonymous.")}),
        "longitude": nullable({"type": "number", "description": "Decimal degrees; see latitude."}),
        "reporter": nullable(obj({
            "name": nullable(string(contact_limits["name"])),
            "email": nullable(string(contact_limits["email"])),
            "phone": nullable(string(MAX_PHONE_AS_TYPED)),
        }, required=[], description="Optional contact, used only for notifications; never shown "
                                    "to an agency when `is_anonymous` is true.")),
        "attachments": {"type": "array", "items": string(64, 1), "uniqueItems": True,
                        "description": "Tokens of files uploaded first with POST /uploads "
                                       "(photos, PDFs, videos; cleaned there), at most as many "
                                       "as the form takes. An unknown or expired token: 422."},
    }, required=["report_type", "title", "body", "incident_date", "region"],
        description="The same names as the /lapor form. Unknown fields are refused (a typo in "
                    "`is_anonymous` must not file a report that is not anonymous). Files are "
                    "sent first, one per request, to POST /uploads.")
    route = obj({"action": {"type": "string", "const": "route"},
                 "agency": SLUG,
                 "resolution_class": {"type": "string", "enum": list(RESOLUTION_CLASSES)},
                 "category": nullable(SLUG),
                 "public_title": string(casework.MAX_PUBLIC_TITLE),
                 "public_body": string(casework.MAX_PUBLIC_BODY),
                 "add_anonymous": {"type": "boolean", "default": False},
                 "add_confidential": {"type": "boolean", "default": False},
                 "confirm_public_text": {
                     "type": "boolean", "default": False,
                     "description": "The verifier has read the public title and text (given "
                                    "here, or the automatic proposal when absent). Required "
                                    "(`true`) unless the report is `rahasia` and not `anonim`: "
                                    "routing publishes the text, and agencies read an anonymous "
                                    "report only through it. Without it: 422 naming this field."}},
                required=["action", "agency", "resolution_class"],
                description="Verify and route (national admin). Without `public_title` and "
                            "`public_body` the automatically redacted text is published, and "
                            "only with `confirm_public_text`; the original is never published. "
                            "A privacy flag can be added, never removed.")
    text_action = obj({"action": {"type": "string", "enum": list(TEXT_ACTIONS)},
                       "text": string(MAX_TEXT, 1)},
                      description="`respond` (public), `note` (internal), `request_info` (pauses "
                                  "the clock), `resolve`.")
    transfer = obj({"action": {"type": "string", "const": "transfer"}, "agency": SLUG,
                    "reason": string(MAX_REASON, 1)},
                   description="\"Bukan wewenang\": send the report to another agency, with a reason.")
    archive = obj({"action": {"type": "string", "const": "archive"},
                   "reason": {"type": "string", "enum": list(workflow.ARCHIVE_REASONS)},
                   "duplicate_of": {**REFERENCE, "description":
                                    "With reason `duplicate` (required then): the reference of "
                                    "the original report, which the archive event links."}},
                  required=["action", "reason"],
                  description="Archive with a reason code (national admin).")
    return {
        # The response bodies: one pydantic model each, which also serialises them.
        **schemas.components(),
        # Count, Rate, Survival and Figures: from the figures' declarations.
        **statistics.openapi_components(),
        # What clients send: request validation reads these (validation.py).
        "ComplaintSubmission": submission,
        "TrackingMessage": obj({"text": string(MAX_TEXT, 1)}),
        "RouteAction": route, "TextAction": text_action, "TransferAction": transfer,
        "ArchiveAction": archive,
        "Action": {"oneOf": [ref("RouteAction"), ref("TextAction"), ref("TransferAction"),
                             ref("ArchiveAction")],
                   "description": "One officer action, chosen by `action`."},
    }


# --- operations -------------------------------------------------------------------------------

def _paths() -> dict:
    date_from = query("from", DATE, "Submitted on or after this day (YYYY-MM-DD, Jakarta time).")
    date_to = query("to", DATE, "Submitted on or before this day (YYYY-MM-DD, Jakarta time).")
    page = query("page", PAGE, "Page number, from 1 (a page past the last gives the last).")
    text_q = query("q", string(MAX_QUERY), "Words to find (all of them), at most 100 characters.")
    reference = path_param("reference", REFERENCE, "Public reference, e.g. LPR-2026-0000123.")
    token_security = [{"bearerToken": []}]
    tracking_security = [{"trackingCode": []}]
    idempotency = {"name": "Idempotency-Key", "in": "header", "required": False,
                   "schema": {"type": "string", "pattern": f"^[!-~]{{1,{MAX_IDEMPOTENCY_KEY}}}$"},
                   "description": "A random value (e.g. a UUID) chosen by the client for this "
                                  "report. A retry with the same key and body returns the same "
                                  "report (201, same reference and tracking code, header "
                                  "`Idempotent-Replayed: true`); the same key with another body "
                                  "is refused (422). Keys are kept for 24 hours."}
    return {
        f"{PREFIX}/openapi.json": {"get": {
            "operationId": "openapi", "tags": ["meta"], "summary": "This document",
            "responses": {**ok({"type": "object"}, "The OpenAPI 3.1 document."), **errors(400)}}},
        f"{PREFIX}/complaints": {
            "get": {
                "operationId": "listComplaints", "tags": ["public"],
                "summary": "Public reports (as on the board)",
                "description": (
                    "Verified reports that are not confidential, 20 per page; the same filters "
                    "and the same order as /transparansi/laporan. Only the redacted public "
                    "title is given.\n\n"
                    "**Order** (`order` in the answer): without `q` newest submitted first; "
                    "with `q` best match first, except that `q` alone with more than "
                    f"{board.RANK_AT_MOST:,} matches comes newest filed first, not ranked "
                    "(ranking needs every match scored before the first page).\n\n"
                    "**Pages**: follow `next` (or the `Link: <…>; rel=\"next\"` header) until "
                    "it is null; each page's `cursor` starts where the one before ended "
                    "(keyset), so every page costs what the first does and a report filed "
                    "meanwhile neither repeats nor skips a row. The first page counts the "
                    f"matches up to {board.COUNT_CAP:,} (`q` alone: up to "
                    f"{board.RANK_AT_MOST:,}; without filters or `q`: exactly, "
                    "from a count of public reports kept as they are published). `page=N` "
                    "(numbered pages) still "
                    f"works for the first {board.NUMBERED_PAGES} pages (the first "
                    f"{board.NUMBERED_PAGES * board.PAGE_SIZE:,} reports); its answer carries "
                    "`next` like any page. A cursor is only valid with the filters and `q` "
                    "of the page that gave it: anything else is 400 on `cursor`."),
                "parameters": [
                    query("agency", SLUG, "Agency slug (the agency responsible now)."),
                    query("region", REGION, "Kab/kota code (13.71) or province code (13)."),
                    query("category", SLUG, "Category slug."),
                    query("type", {"type": "string", "enum": list(REPORT_TYPES)}, "Report type."),
                    query("status", {"type": "string", "enum": PUBLIC_STATUSES}, "Status."),
                    date_from, date_to, text_q,
                    query("cursor", CURSOR, "Where the page starts: `next_cursor` (or "
                                            "`previous_cursor`) of the page before, with the "
                                            "same filters. Not with `page`."),
                    query("page", COMPLAINT_PAGE,
                          f"Numbered page, from 1 to {board.NUMBERED_PAGES} (past the last "
                          "page: the last); for older clients. Deeper pages: `cursor`.")],
                "responses": {**ok(ref("ComplaintList"), "A page of public reports.", headers={
                    "Link": {"description": "`<URL>; rel=\"next\"` and `<URL>; rel=\"prev\"` "
                                            "(RFC 8288), the URLs of `next` and `previous`; "
                                            "absent on a single page.",
                             "required": False, "schema": {"type": "string"}}}),
                              **errors(400)}},
            "post": {
                "operationId": "submitComplaint", "tags": ["intake"],
                "summary": "File a report (no account needed)",
                "description": "Returns the public reference and the secret tracking code, shown "
                               "once. Rate-limited per client address.",
                "parameters": [idempotency],
                "requestBody": body(ref("ComplaintSubmission"), "The report."),
                "responses": {**ok(ref("Receipt"), "Filed (or, with a known Idempotency-Key, "
                                                   "filed earlier).", 201, headers={
                    "Idempotent-Replayed": {"description": "`true` when this answers a retry.",
                                            "required": False,
                                            "schema": {"type": "string", "enum": ["true"]}}}),
                              **errors(400, 413, 415, 422, 429)}},
        },
        f"{PREFIX}/uploads": {"post": {
            "operationId": "uploadFile", "tags": ["intake"],
            "summary": "Send one file for a report (photo, PDF or video)",
            "description": "As on the /lapor form: the type is read from the bytes (JPEG, PNG, "
                           "PDF, MP4 or MOV, WebM), then the file is cleaned (photos re-encoded, "
                           "PDFs rebuilt, videos copied without their metadata: GPS, device, "
                           "time filmed) or refused with 422 saying why (`fields.file`). The "
                           "answer's token goes in `attachments` of POST /complaints within "
                           "24 hours. Rate-limited per client address.",
            "requestBody": {"required": True, "description": "One file, in the part `file`.",
                            "content": {"multipart/form-data": {"schema": obj(
                                {"file": {"type": "string", "format": "binary"}})}}},
            "responses": {**ok(ref("StagedFile"), "Accepted and cleaned.", 201),
                          **errors(400, 413, 415, 422, 429)}}},
        f"{PREFIX}/complaints/{{reference}}": {"get": {
            "operationId": "getComplaint", "tags": ["public"], "summary": "One public report",
            "description": "Exactly what the board's report page shows: redacted title and text, "
                           "the agency's public steps (redacted), days only, deadlines met or "
                           "missed. Confidential and unverified reports do not exist here (404).",
            "parameters": [reference],
            "responses": {**ok(ref("PublicComplaint"), "The public report."), **errors(400, 404)}}},
        f"{PREFIX}/agencies": {"get": {
            "operationId": "listAgencies", "tags": ["public"], "summary": "Active agencies",
            "parameters": [
                query("level", {"type": "string", "enum": list(LEVELS)}, "Agency level."),
                query("q", string(MAX_QUERY), "Part of the agency's name."),
                page,
                query("per_page", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                      "Agencies per page (1–200).")],
            "responses": {**ok(ref("AgencyList"), "A page of agencies."), **errors(400)}}},
        f"{PREFIX}/agencies/{{slug}}": {"get": {
            "operationId": "getAgency", "tags": ["public"],
            "summary": "One agency with its figures of the last 12 months",
            "parameters": [path_param("slug", SLUG, "Agency slug.")],
            "responses": {**ok(ref("AgencyDetail"), "The agency."), **errors(400, 404)}}},
        f"{PREFIX}/statistics": {"get": {
            "operationId": "getStatistics", "tags": ["public"],
            "summary": "Figures of an agency, a region or the whole country",
            "description": "Months are months of submission (Jakarta time). Without `from` and "
                           "`to`: the last 12 months. Every figure names its definition id; "
                           "the methodology version is given. `agency` and `region` cannot be "
                           "combined; with neither, national figures. An unknown query "
                           "parameter is refused (400, naming it).",
            "parameters": [
                query("agency", SLUG, "Agency slug; absent: national figures."),
                query("region", REGION, "Province code (13) or kab/kota code (13.71): that "
                                        "region's figures (see `geography`)."),
                query("geography", {"type": "string", "enum": ["incident", "government"],
                                    "default": "incident"},
                      "With `region`: `incident` (the reports whose incident lies in the region) "
                      "or `government` (the reports of the region's own government and its "
                      "units)."),
                query("from", MONTH_IN, "First month, YYYY-MM."),
                query("to", MONTH_IN, f"Last month, YYYY-MM (at most {MAX_STATISTICS_MONTHS} months "
                                   "after `from`).")],
            "responses": {**ok(ref("Statistics"), "The figures."), **errors(400)}}},
        f"{PREFIX}/snapshots": {"get": {
            "operationId": "listSnapshots", "tags": ["public"],
            "summary": "Published monthly snapshots, newest first",
            "responses": {**ok(ref("SnapshotList"), "Every snapshot."), **errors(400)}}},
        f"{PREFIX}/snapshots/{{snapshot_id}}": {"get": {
            "operationId": "getSnapshot", "tags": ["public"],
            "summary": "One frozen snapshot with its SHA-256 and permanent URL",
            "parameters": [path_param("snapshot_id", SNAPSHOT_ID, "Snapshot id, e.g. 2026-10-m2026-1.")],
            "responses": {**ok(ref("Snapshot"), "The snapshot."), **errors(400, 404)}}},
        f"{PREFIX}/tracking": {"get": {
            "operationId": "getTracking", "tags": ["reporter"],
            "summary": "The reporter's view of their report",
            "description": "The tracking code goes in the `X-Tracking-Code` header, never in "
                           "the URL. Rate-limited per client address.",
            "security": tracking_security,
            "responses": {**ok(ref("Tracking"), "The report as its reporter sees it."),
                          **errors(401, 429)}}},
        f"{PREFIX}/tracking/messages": {"post": {
            "operationId": "addTrackingMessage", "tags": ["reporter"],
            "summary": "Add information to the report (a reply when the agency asked)",
            "description": "A report on hold goes back where it was. Not possible once the "
                           "report is finished (409).",
            "security": tracking_security,
            "requestBody": body(ref("TrackingMessage"), "The reporter's text."),
            "responses": {**ok(ref("Tracking"), "Added; the updated view.", 201),
                          **errors(400, 401, 409, 413, 415, 422, 429)}}},
        f"{PREFIX}/inbox": {"get": {
            "operationId": "listInbox", "tags": ["agency"],
            "summary": "Reports in the token's scope",
            "description": "`queue=routed` (default): reports routed to the token's agency (agency "
                           "admins: and its units; national admin and oversight: every routed "
                           "report). `queue=verification`: new reports waiting for verification "
                           "(national admin; oversight reads it). Oversight reads are logged. "
                           "25 per page.",
            "security": token_security,
            "parameters": [
                query("queue", {"type": "string", "enum": ["routed", "verification"],
                                "default": "routed"}, "Which list."),
                query("status", {"type": "string", "enum": list(Status.ALL)}, "Status."),
                query("category", SLUG, "Category slug."),
                query("overdue", {"type": "boolean", "default": False},
                      "Only reports whose current deadline has passed."),
                date_from, date_to,
                query("q", string(MAX_QUERY), "Words in the title, text or reference."),
                query("sort", {"type": "string", "enum": list(inbox.SORTS), "default": "deadline"},
                      "`deadline` (soonest first), `newest`, `oldest`."),
                page],
            "responses": {**ok(ref("InboxPage"), "A page of reports."),
                          **errors(400, 401, 403, 429)}}},
        f"{PREFIX}/inbox/{{reference}}": {"get": {
            "operationId": "getInboxReport", "tags": ["agency"],
            "summary": "The full officer view of one report",
            "description": "Original text, internal notes and every event. The reporter's "
                           "contact only when the report is not anonymous (never for an "
                           "anonymous one, to nobody). 404 outside the token's scope.",
            "security": token_security, "parameters": [reference],
            "responses": {**ok(ref("OfficerReport"), "The report."), **errors(401, 404, 429)}}},
        f"{PREFIX}/inbox/{{reference}}/actions": {"post": {
            "operationId": "takeAction", "tags": ["agency"],
            "summary": "Act on a report (route, respond, note, request_info, resolve, transfer, "
                       "archive)",
            "description": "The same rules as the officer screens. Oversight tokens are "
                           "read-only (403); an action the report's state does not allow is 409.",
            "security": token_security, "parameters": [reference],
            "requestBody": body(ref("Action"), "The action."),
            "responses": {**ok(ref("ActionResult"), "Done; the event written.", 201),
                          **errors(400, 401, 403, 404, 409, 413, 415, 422, 429)}}},
    }


@lru_cache(maxsize=1)
def document() -> dict:
    """The OpenAPI document (built once; it depends only on the code)."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Terang API",
            "version": VERSION,
            "summary": "Open data, intake and agency systems of Terang, a public-service "
                       "complaint portal (SP4N-LAPOR! model).",
            "description": "Human documentation (Indonesian and English): /api. Errors are "
                           "`{\"error\": {\"code\", \"message\", \"fields\"}}`. Public endpoints "
                           "need no key and show only what the transparency board shows. "
                           "Attachments are not part of the JSON API: use the /lapor form.",
        },
        "tags": [
            {"name": "public", "description": "Open data, no key."},
            {"name": "intake", "description": "Filing a report."},
            {"name": "reporter", "description": "The reporter, with the tracking code."},
            {"name": "agency", "description": "Agency systems, with a bearer token."},
            {"name": "meta", "description": "This document."},
        ],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "bearerToken": {"type": "http", "scheme": "bearer",
                                "description": "A token made with `flask --app wsgi tokens create "
                                               "--email OFFICER_EMAIL`; it acts with that "
                                               "officer's role and agency."},
                "trackingCode": {"type": "apiKey", "in": "header", "name": "X-Tracking-Code",
                                 "description": "The reporter's tracking code (case and dashes "
                                                "do not matter)."},
            },
        },
    }


def operation(path: str, method: str) -> dict:
    return document()["paths"][path][method.lower()]
