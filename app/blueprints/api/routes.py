"""/api/v1 endpoints. Each: authenticate, parse (against openapi.py), call one service, serialise.

The rules live in app/services; these views translate HTTP to service calls and domain
exceptions to JSON errors (see errors.py): NotFound → 404, a refused transition → 409 (or 403
when the role may never take the action), a DomainError naming a field → 422 with ``fields``.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date

from flask import current_app, jsonify, request, url_for
from flask_limiter.util import get_remote_address

from ...caching import public_page, shared_page
from ... import unit_of_work
from ...extensions import limiter
from ...ratelimits import limits_off
from ...models import Agency, Report
from ... import clock
from ...services import agencies as agencies_service
from ...services import (access, attachments, board, casework, idempotency, inbox, intake,
                         regional,
                         reporter, service_status, snapshots, statistics, workflow)
from ...services.errors import DomainError, NotFound, TransitionRefused, field_errors
from . import bp, serialize, validation
from .auth import token_user, tracked_report
from .errors import ApiError, text
from .openapi import MAX_STATISTICS_MONTHS, PREFIX, TEXT_ACTIONS, document

# --- rate limits (config: RATELIMIT_INTAKE / _TRACKING / _TOKEN; RATELIMIT_ENABLED=false: off) --


def _token_key() -> str:
    """Token endpoints are limited per token (a hash of it: the secret is not a storage key)."""
    header = request.headers.get("Authorization", "")
    return "token:" + hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()[:32]


def _intake_limit(view):
    return limiter.limit(lambda: current_app.config["RATELIMIT_INTAKE"], key_func=get_remote_address,
                         exempt_when=limits_off)(view)


def _tracking_limit(view):
    return limiter.shared_limit(lambda: current_app.config["RATELIMIT_TRACKING"], scope="api-tracking",
                                key_func=get_remote_address, exempt_when=limits_off)(view)


def _token_limit(view):
    return limiter.shared_limit(lambda: current_app.config["RATELIMIT_TOKEN"], scope="api-token",
                                key_func=_token_key, exempt_when=limits_off)(view)


def _message(exc: DomainError) -> str:
    return str(exc.message)


@bp.before_request
def _refuse_unknown_open_data_params():
    """An open-data GET with a query parameter it does not document is a 400 naming it."""
    validation.refuse_unknown_query_params()


# --- the document -------------------------------------------------------------------------------

@bp.get("/openapi.json")
@public_page
def openapi_document():
    return jsonify(document())


# --- public: reports ----------------------------------------------------------------------------

@bp.get("/complaints")
@shared_page
def complaints():
    """Public reports, filtered and ordered as on the board, one page by cursor (or, for the
    first board.NUMBERED_PAGES pages, by number); the next and previous pages' URLs in the
    body and in ``Link``."""
    args = validation.query_params(f"{PREFIX}/complaints")
    if args["cursor"] is not None and "page" in request.args:
        raise ApiError(400, text("Parameter tidak valid."),
                       {"page": text("Tidak dapat digabung dengan cursor.")})
    flt = board.ReportFilter(
        agency=args["agency"], region=args["region"], category=args["category"],
        report_type=args["type"], status=args["status"], date_from=args["from"],
        date_to=args["to"], q=(args["q"] or "").strip() or None)
    try:
        found = board.public_report_list(flt, args["cursor"], page=args["page"], strict=True)
    except board.CursorRefused as exc:
        raise ApiError(400, _message(exc), {"cursor": _message(exc)}) from exc
    filters = {name: value for name, value in request.args.items()
               if name not in ("cursor", "page")}

    def url_of(cursor: str) -> str:
        return url_for("api.complaints", **filters, cursor=cursor, _external=True)

    response = jsonify(serialize.complaint_list(found, url_of))
    links = [f'<{url_of(cursor)}>; rel="{rel}"'
             for rel, cursor in (("next", found.next_cursor), ("prev", found.prev_cursor)) if cursor]
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


@bp.get("/complaints/<reference>")
@shared_page
def complaint(reference):
    """One public report: exactly what board.public_report gives."""
    validation.path_value(f"{PREFIX}/complaints/{{reference}}", "reference", reference)
    found = board.public_report(reference)
    if found is None:
        raise ApiError(404, text("Laporan publik tidak ditemukan."))
    return jsonify(serialize.public_complaint(found))


# --- public: agencies and figures ---------------------------------------------------------------

@bp.get("/agencies")
@shared_page
def agencies():
    """Every active agency, paginated; ``level`` and ``q`` filter."""
    args = validation.query_params(f"{PREFIX}/agencies")
    found = agencies_service.active_page(args["level"], args["q"], args["page"], args["per_page"])
    return jsonify(serialize.agency_list(found))


def _agency_or_404(slug: str) -> Agency:
    found = agencies_service.get_by_slug(slug, active_only=False)
    if found is None:
        raise ApiError(404, text("Instansi tidak ditemukan."))
    return found


@bp.get("/agencies/<slug>")
@shared_page
def agency(slug):
    """One agency with its figures of the last 12 months (and with its units, when it has any)."""
    validation.path_value(f"{PREFIX}/agencies/{{slug}}", "slug", slug)
    found = _agency_or_404(slug)
    months = statistics.windows.window(clock.now())  # the board's months
    family = sorted(access.descendants_and_self(found.id))
    return jsonify(serialize.agency_detail(
        found, months, statistics.METHODOLOGY_VERSION, statistics.figures([found.id], months),
        statistics.figures(family, months) if len(family) > 1 else None))


def _month_index(month: str) -> int:
    year, number = (int(part) for part in month.split("-"))
    return year * 12 + number - 1


@bp.get("/statistics")
@shared_page
def statistics_():
    """Figures of one agency (or national) over months of submission; default the last 12."""
    args = validation.query_params(f"{PREFIX}/statistics")
    last = args["to"] or clock.today().strftime("%Y-%m")
    count = (_month_index(last) - _month_index(args["from"]) + 1 if args["from"]
             else statistics.windows.WINDOW_MONTHS)
    if count < 1:
        raise ApiError(400, text("Parameter tidak valid."),
                       {"from": text("Bulan awal harus sebelum atau sama dengan bulan akhir.")})
    if count > MAX_STATISTICS_MONTHS:
        raise ApiError(400, text("Parameter tidak valid."),
                       {"to": text("Paling banyak %(n)s bulan.", n=MAX_STATISTICS_MONTHS)})
    year, month = (int(part) for part in last.split("-"))
    months = statistics.months_back(date(year, month, 1), count)
    scope = region = None
    if args["agency"] and args["region"]:
        raise ApiError(400, text("Parameter tidak valid."),
                       {"region": text("Tidak dapat digabung dengan agency.")})
    if args["agency"]:
        scope = agencies_service.get_by_slug(args["agency"], active_only=False)
        if scope is None:
            raise ApiError(400, text("Parameter tidak valid."), {"agency": text("Instansi tidak dikenal.")})
    if args["region"]:
        region = regional.get_region(args["region"])
        if region is None:
            raise ApiError(400, text("Parameter tidak valid."), {"region": text("Wilayah tidak dikenal.")})
    if region is not None:
        figures = regional.region_figures(region, args["geography"], months)
    else:
        figures = statistics.figures([scope.id] if scope else None, months)
    return jsonify(serialize.statistics(
        scope, months, statistics.METHODOLOGY_VERSION,
        url_for("board.methodology", _external=True), statistics.DEFINITIONS.values(), figures,
        region=region, geography=args["geography"], data_as_of=service_status.stats_as_of()))


# --- public: snapshots --------------------------------------------------------------------------

def _permanent_url(found) -> str:
    return url_for("board.snapshot", public_id=found.public_id, _external=True)


@bp.get("/snapshots")
@shared_page
def snapshot_list():
    return jsonify(serialize.snapshot_list(snapshots.listing(), _permanent_url))


@bp.get("/snapshots/<snapshot_id>")
@shared_page
def snapshot(snapshot_id):
    """The frozen payload, its SHA-256 and the permanent URL to cite."""
    validation.path_value(f"{PREFIX}/snapshots/{{snapshot_id}}", "snapshot_id", snapshot_id)
    found = snapshots.get(snapshot_id)
    if found is None:
        raise ApiError(404, text("Snapshot tidak ditemukan."))
    return jsonify(serialize.snapshot(
        found, _permanent_url(found),
        url_for("board.snapshot_export", public_id=found.public_id, fmt="json", _external=True),
        json.loads(found.canonical_json)))


# --- intake -------------------------------------------------------------------------------------

# DomainError.field of the intake service → the JSON field that carries it.
INTAKE_FIELDS = {"reporter_name": "reporter.name", "reporter_email": "reporter.email",
                 "reporter_phone": "reporter.phone"}
IDEMPOTENCY_SCOPE = "api.v1.complaints"


def _submission(data: dict) -> intake.Submission:
    contact = data.get("reporter") or {}
    return intake.Submission(
        report_type=data["report_type"], title=data["title"], body=data["body"],
        incident_date=date.fromisoformat(data["incident_date"]), region_code=data["region"],
        agency_slug=data.get("agency") or None, category_slug=data.get("category") or None,
        is_anonymous=data.get("is_anonymous", False),
        is_confidential=data.get("is_confidential", False),
        reporter_name=contact.get("name"), reporter_email=contact.get("email"),
        reporter_phone=contact.get("phone"), language=data.get("language", "id"),
        district_code=data.get("district") or None, village_code=data.get("village") or None,
        incident_address=data.get("incident_address"), latitude=data.get("latitude"),
        longitude=data.get("longitude"))


def _receipt_response(answer: dict, replayed: bool = False):
    response = jsonify(answer)
    response.status_code = 201
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.post("/complaints")
@_intake_limit
def submit_complaint():
    """File a report; with an Idempotency-Key, a retry returns the first answer."""
    data = validation.json_body("ComplaintSubmission")
    key = validation.header_value(f"{PREFIX}/complaints", "Idempotency-Key", "post")
    secret = current_app.config["SECRET_KEY"]
    now = clock.now()
    claimed = None
    try:
        if key is not None:
            claimed = idempotency.claim(IDEMPOTENCY_SCOPE, key, idempotency.request_hash(data),
                                        secret, now)
            if claimed.replay is not None:
                return _receipt_response(claimed.replay, replayed=True)
        submission = _submission(data)
        submission.staged_tokens = _staged_tokens(data.get("attachments") or [])
        receipt = intake.submit_report(
            submission, now=now, secret_key=secret,
            reference_prefix=current_app.config["REFERENCE_PREFIX"],
            max_attachments=current_app.config["MAX_ATTACHMENTS"])
    except idempotency.IdempotencyConflict as exc:
        raise ApiError(422, _message(exc), {"Idempotency-Key": _message(exc)},
                       code="idempotency_conflict") from exc
    except DomainError as exc:
        fields = {INTAKE_FIELDS.get(name, name): str(message)
                  for name, message in field_errors(exc).items()}
        raise ApiError(422, _message(exc), fields or {"body": _message(exc)}) from exc
    answer = serialize.receipt(receipt)
    if claimed is not None:
        idempotency.remember(claimed, receipt.report_id, answer, secret)
    return _receipt_response(answer)


def _staged_tokens(tokens: list[str]) -> list[str]:
    """The upload tokens, every one known and unexpired; 422 on ``attachments`` otherwise."""
    limit = current_app.config["MAX_ATTACHMENTS"]
    if len(tokens) > limit:
        message = text("Paling banyak %(n)s lampiran.", n=limit)
        raise ApiError(422, message, {"attachments": message})
    found = attachments.find_staged(tokens)
    if len(found) != len(set(tokens)):
        message = text("Token lampiran tidak dikenal atau kedaluwarsa. Kirim berkasnya lagi ke "
                       "/uploads.")
        raise ApiError(422, message, {"attachments": message})
    return [staged.token for staged in found]


@bp.post("/uploads")
@_intake_limit
def upload_file():
    """One file for a report: cleaned and kept (24 hours) until a report names its token."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, text("Kirim berkas sebagai multipart/form-data, bagian \"file\"."))
    config = current_app.config
    request.max_content_length = (max(config["MAX_VIDEO_BYTES"], config["MAX_ATTACHMENT_BYTES"])
                                  + validation.MAX_JSON_BYTES)  # 413 past this
    unknown = sorted((set(request.form) | set(request.files)) - {"file"})
    if unknown:  # as in the JSON bodies: a part the document does not name is refused
        message = text("Bagian yang tidak dikenal.")
        raise ApiError(422, message, {name: message for name in unknown})
    files = request.files.getlist("file")
    if len(files) != 1:
        message = text("Kirim tepat satu berkas di bagian \"file\".")
        raise ApiError(422, message, {"file": message})
    upload = files[0]
    try:
        clean = attachments.inspect_upload(upload.stream, upload.filename,
                                           attachments.Limits.from_config(config))
    except DomainError as exc:
        raise ApiError(422, _message(exc), {"file": _message(exc)}) from exc
    staged = attachments.stage(config["UPLOAD_FOLDER"], clean)
    return jsonify(serialize.staged_file(staged)), 201


# --- the reporter (X-Tracking-Code) -------------------------------------------------------------

def _tracking_view(report: Report) -> dict:
    return serialize.tracking(report, reporter.public_timeline(report),
                              reporter.current_deadline(report, clock.now()),
                              reporter.can_add_information(report))


@bp.get("/tracking")
@_tracking_limit
def tracking():
    return jsonify(_tracking_view(tracked_report()))


@bp.post("/tracking/messages")
@_tracking_limit
def tracking_message():
    """The reporter adds information; a report on hold goes back where it was."""
    found = tracked_report()
    data = validation.json_body("TrackingMessage")
    try:
        event = reporter.add_information(found, data["text"], [], clock.now(),
                                         current_app.config["MAX_ATTACHMENTS"])
    except DomainError as exc:
        if exc.field:
            raise ApiError(422, _message(exc), {"text": _message(exc)}) from exc
        raise ApiError(409, _message(exc)) from exc
    return jsonify(_tracking_view(event.report)), 201


# --- agency systems (Authorization: Bearer) -----------------------------------------------------

def _log_oversight(user, what: str, report=None) -> None:
    """Oversight reads are logged, as on the officer screens: the view is a writer
    (``view_writes``) and the row is committed with the request, before the answer is sent,
    so no read leaves without its log row."""
    query = request.query_string.decode("utf-8", "replace")
    access.log_read(user, what, report, detail=f"api?{query}" if query else "api")


@bp.get("/inbox")
@unit_of_work.view_writes
@_token_limit
def inbox_list():
    """The routed reports in the token's scope, or the verification queue (national admin;
    oversight reads it, logged)."""
    user = token_user()
    args = validation.query_params(f"{PREFIX}/inbox")
    flt = inbox.InboxFilter(status=args["status"], category=args["category"],
                            overdue=args["overdue"], date_from=args["from"], date_to=args["to"],
                            q=(args["q"] or "").strip() or None, sort=args["sort"],
                            page=args["page"])
    if args["queue"] == "verification":
        if not access.can_read_verification_queue(user):
            raise ApiError(403, text("Antrean verifikasi hanya untuk admin nasional dan pengawas."))
        _log_oversight(user, "view_queue")
        page = inbox.verification_queue(flt, clock.today())
    else:
        _log_oversight(user, "view_inbox")
        page = inbox.agency_inbox(user, flt, clock.today())
    return jsonify(serialize.inbox_page(args["queue"], page,
                                        lambda report: casework.case_view(user, report)))


def _scoped_report(user, reference: str) -> Report:
    try:
        return access.report_for(user, reference)
    except NotFound as exc:
        raise ApiError(404, _message(exc)) from exc


@bp.get("/inbox/<reference>")
@unit_of_work.view_writes
@_token_limit
def inbox_report(reference):
    """The officer view; the reporter's contact only where access.can_see_contact allows."""
    user = token_user()
    validation.path_value(f"{PREFIX}/inbox/{{reference}}", "reference", reference)
    report = _scoped_report(user, reference)
    _log_oversight(user, "view_report", report)
    return jsonify(serialize.officer_report(
        report, show_contact=access.can_see_contact(user, report),
        current_deadline=reporter.current_deadline(report, clock.now()),
        actions=casework.available_actions(user, report), view=casework.case_view(user, report)))


ACTION_SCHEMAS = {"route": "RouteAction", "transfer": "TransferAction", "archive": "ArchiveAction",
                  **{name: "TextAction" for name in TEXT_ACTIONS}}


def _action_request(data: dict) -> casework.ActionRequest:
    action = data["action"]
    return casework.ActionRequest(
        action=action, text=data.get("text"), reason=data.get("reason"),
        agency_slug=data.get("agency"), resolution_class=data.get("resolution_class"),
        # Absent or null: leave the category as it is.
        category_slug=data.get("category"),
        public_title=data.get("public_title"), public_body=data.get("public_body"),
        add_anonymous=data.get("add_anonymous", False),
        add_confidential=data.get("add_confidential", False),
        duplicate_of=data.get("duplicate_of"),
        confirm_public_text=data.get("confirm_public_text", False))


@bp.post("/inbox/<reference>/actions")
@_token_limit
def inbox_action(reference):
    """One officer action through casework.take_action: the same rules as the screens."""
    user = token_user()
    validation.path_value(f"{PREFIX}/inbox/{{reference}}/actions", "reference", reference, "post")
    data = validation.json_object()
    action = data.get("action")
    schema = ACTION_SCHEMAS.get(action) if isinstance(action, str) else None
    if schema is None:
        raise ApiError(422, text("Ada isian yang tidak valid."), {"action": text(
            "Harus salah satu dari: %(values)s.", values=", ".join(ACTION_SCHEMAS))})
    validation.check_body(data, schema)
    if not access.can_act(user):
        raise ApiError(403, text("Token ini hanya dapat membaca laporan."))
    try:
        event = casework.take_action(user, reference, _action_request(data), clock.now())
    except NotFound as exc:
        raise ApiError(404, _message(exc)) from exc
    except DomainError as exc:
        if exc.field:
            raise ApiError(422, _message(exc), {exc.field: _message(exc)}) from exc
        if isinstance(exc, TransitionRefused) and user.role not in workflow.TRANSITIONS[action].roles:
            raise ApiError(403, _message(exc)) from exc
        raise ApiError(409, _message(exc)) from exc
    report = event.report
    return jsonify(serialize.action_result(report, event, casework.case_view(user, report))), 201
