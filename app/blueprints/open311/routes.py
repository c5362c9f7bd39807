"""Open311 GeoReport v2 views. Each: check the parameters, call the services, render.

Paths (``<fmt>`` is ``json`` or ``xml``)::

    GET  /open311/v2/discovery.<fmt>
    GET  /open311/v2/services.<fmt>
    GET  /open311/v2/services/<service_code>.<fmt>
    GET  /open311/v2/requests.<fmt>
    POST /open311/v2/requests.<fmt>                 (api_key)
    GET  /open311/v2/requests/<service_request_id>.<fmt>
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from flask import current_app, request
from flask_babel import force_locale
from flask_limiter.util import get_remote_address

from ...caching import shared_page
from ...extensions import limiter
from ...ratelimits import limits_off
from ...models import Report
from ... import clock
from ...services import board, credentials, intake, sla
from ...services.errors import DomainError
from . import bp, mapping
from .errors import Open311Error
from .render import FORMATS, JSON_MIMETYPE, XML_MIMETYPE, render

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this server's Open311 interface last changed (discovery's ``changeset``).
CHANGESET = "2026-11-23T00:00:00Z"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Numbered pages skip the rows before them (OFFSET): the first board.NUMBERED_PAGES only, at
# most (50 - 1) × 200 rows. Deeper pages follow the Link header's cursor (keyset).
MAX_PAGE = board.NUMBERED_PAGES
MAX_WINDOW_DAYS = 90  # the spec's suggested limit on start_date..end_date
MIN_YEAR, MAX_YEAR = 1970, 9000  # filter dates outside are refused (far from any overflow)


# --- checks shared by every endpoint -----------------------------------------------------------

@bp.url_value_preprocessor
def _check_path(_endpoint, values):
    if values is None:
        return
    if values.get("fmt") not in FORMATS:
        raise Open311Error(404, "Format tidak didukung: gunakan .json atau .xml.")
    if any("\x00" in str(value) for value in values.values()):
        raise Open311Error(404, "Tidak ditemukan.")  # a NUL can name nothing (PostgreSQL refuses it)


@bp.before_request
def _check_parameters():
    """No NUL characters anywhere (PostgreSQL refuses them), and our jurisdiction only."""
    sources = [request.args] + ([request.form] if request.method == "POST" else [])
    for source in sources:
        for name, value in source.items(multi=True):
            if "\x00" in name or "\x00" in value:
                raise Open311Error(400, "Parameter tidak boleh berisi karakter NUL.")
    jurisdiction = (request.values.get("jurisdiction_id") or "").strip()
    ours = current_app.config["OPEN311_JURISDICTION"]
    if jurisdiction and jurisdiction.lower() != ours.lower():
        # The spec's answer to an unknown jurisdiction is 404.
        raise Open311Error(404, f"jurisdiction_id '{jurisdiction[:80]}' tidak dikenal; "
                                f"server ini melayani '{ours}'.")


def _locale() -> str:
    """``locale=en`` (or ``en-US``…) for English names and labels; Indonesian otherwise."""
    wanted = (request.values.get("locale") or "").strip().lower().replace("_", "-").split("-")[0]
    return wanted if wanted in current_app.config["LANGUAGES"] else "id"


# --- discovery and services --------------------------------------------------------------------

@bp.get("/discovery.<fmt>")
@shared_page
def discovery(fmt):
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + bp.url_prefix
    contact = current_app.config["OPEN311_CONTACT"]
    return render(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": ("api_key untuk mengirim laporan (POST requests) diberikan oleh pengelola "
                        f"Terang kepada mitra. Hubungi: {contact}. Membaca tidak memerlukan kunci."),
        "endpoints": [{"specification": SPECIFICATION, "url": base, "changeset": CHANGESET,
                       "type": "production", "formats": [JSON_MIMETYPE, XML_MIMETYPE]}],
    })


@bp.get("/services.<fmt>")
@shared_page
def services(fmt):
    return render(fmt, "services", mapping.services(_locale()), item="service")


@bp.get("/services/<service_code>.<fmt>")
@shared_page
def service_definition(service_code, fmt):
    if mapping.find_service(service_code) is None:
        raise Open311Error(404, f"service_code '{service_code[:80]}' tidak dikenal.")
    return render(fmt, "service_definition", mapping.service_definition(service_code))


# --- reading requests --------------------------------------------------------------------------

def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise Open311Error(400, f"{name} harus bilangan bulat {low}–{high}.")
    return value


def _window(today: date) -> tuple[datetime, datetime]:
    """start_date..end_date as Jakarta days (both included), at most 90 days apart.

    Returns the half-open span of submission times [start 00:00, day after end 00:00).

    Public times have day precision, so the filter does too: the time of day of a given
    date-time is ignored (a filter by the minute would reveal submission times). Missing
    bounds: the last 90 days, or 90 days from/to the one given.
    """
    start = mapping.parse_day(request.args.get("start_date"), "start_date")
    end = mapping.parse_day(request.args.get("end_date"), "end_date")
    window = timedelta(days=MAX_WINDOW_DAYS)
    try:
        if start is None and end is None:
            start, end = today - window, today
        elif start is None:
            start = end - window
        elif end is None:
            end = start + window
        end_exclusive = end + timedelta(days=1)
    except OverflowError as exc:
        raise Open311Error(400, "start_date/end_date di luar jangkauan.") from exc
    if not (MIN_YEAR <= start.year and end.year <= MAX_YEAR):
        raise Open311Error(400, f"start_date/end_date harus antara tahun {MIN_YEAR} dan {MAX_YEAR}.")
    if end < start:
        raise Open311Error(400, "end_date tidak boleh sebelum start_date.")
    if end - start > window:
        raise Open311Error(400, f"Rentang start_date..end_date paling lama {MAX_WINDOW_DAYS} hari.")
    return mapping.day_start(start), mapping.day_start(end_exclusive)


def _statuses() -> tuple[str, ...] | None:
    raw = (request.args.get("status") or "").strip()
    if not raw:
        return None
    wanted = {part.strip().lower() for part in raw.split(",") if part.strip()}
    if not wanted or not wanted <= {"open", "closed"}:
        raise Open311Error(400, "status harus open, closed, atau open,closed.")
    return tuple(s for w in sorted(wanted) for s in mapping.statuses_for(w))


def _references() -> list[str] | None:
    raw = request.args.get("service_request_id")
    if raw is None or not raw.strip():
        return None
    references = list(dict.fromkeys(r.strip() for r in raw.split(",") if r.strip()))
    if not references or len(references) > MAX_PAGE_SIZE:
        raise Open311Error(400, f"service_request_id: 1–{MAX_PAGE_SIZE} nomor, dipisah koma.")
    return references


def _as_requests(fmt: str, reports: list[Report], headers: dict | None = None):
    now, locale = clock.now(), _locale()
    with force_locale(locale):
        items = [mapping.service_request(r, now, locale) for r in reports]
    return render(fmt, "service_requests", items, item="request", headers=headers)


@bp.get("/requests.<fmt>")
@shared_page
def requests_list(fmt):
    """Public requests, newest first; the board's visibility, filters and day precision.

    ``service_request_id`` (comma list) overrides every other filter, as the spec says.
    ``page_size``, ``page`` and ``cursor`` go beyond the spec: a ``Link: <…>; rel="next"``
    header says when there is more, its URL the same filters with a ``cursor`` (keyset: where
    this page ended, so that a deep page skips no row); ``page`` numbers the first
    :data:`MAX_PAGE` pages only (they skip the rows before them), and not with ``cursor``.
    """
    references = _references()
    if references is not None:
        return _as_requests(fmt, board.public_reports_by_reference(references))
    cursor = request.args.get("cursor")
    if cursor is not None and "page" in request.args:
        raise Open311Error(400, "page tidak dapat digabung dengan cursor.")
    page = _int_arg("page", 1, 1, MAX_PAGE)
    size = _int_arg("page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    code = (request.args.get("service_code") or "").strip()
    category_id, uncategorised = mapping.service_filter(code) if code else (None, False)
    statuses = _statuses()
    since, until = _window(clock.today())
    try:
        reports = board.public_reports_where(
            category_id=category_id, uncategorised=uncategorised, statuses=statuses,
            submitted_from=since, submitted_before=until, after=cursor, limit=size + 1,
            offset=(page - 1) * size)
    except board.CursorRefused:
        raise Open311Error(400, 'cursor tidak valid: ikuti URL Link rel="next" apa adanya.') from None
    headers = {}
    if len(reports) > size:
        reports = reports[:size]
        args = {name: value for name, value in request.args.items() if name != "page"}
        args["cursor"] = board.position_after(reports[-1])
        headers["Link"] = f'<{request.base_url}?{urlencode(args)}>; rel="next"'
    return _as_requests(fmt, reports, headers)


@bp.get("/requests/<service_request_id>.<fmt>")
@shared_page
def request_detail(service_request_id, fmt):
    """One public request, as a list of one (the spec's shape); 404 when not public."""
    found = board.public_reports_by_reference([service_request_id])
    if not found:
        raise Open311Error(404, f"service_request_id '{service_request_id[:40]}' tidak ditemukan.")
    return _as_requests(fmt, found)


# --- filing a request --------------------------------------------------------------------------

def _intake_limit() -> str:
    return current_app.config["RATELIMIT_INTAKE"]


def _rate_key() -> str:
    """Per partner key (a digest: the key itself never reaches the limiter's storage), else per address."""
    secret = (request.form.get("api_key") or "").strip()
    if secret:
        return "open311-key:" + hashlib.sha256(secret.encode()).hexdigest()[:32]
    return "open311-ip:" + (get_remote_address() or "")


@bp.post("/requests.<fmt>")
@limiter.limit(_intake_limit, key_func=_rate_key,
               # the limiter is shared by every app in the process; each app's switch counts
               exempt_when=limits_off)
def create_request(fmt):
    """File a report for a partner's user: the request's one write transaction.

    The answer carries the reporter's secret ``tracking_code`` (a Terang extension): the
    partner hands it to the reporter and must not keep it. It is never sent again.
    """
    if "api_key" in request.args:
        raise Open311Error(403, "Kirim api_key di badan permintaan (form), bukan di URL.")
    secret = (request.form.get("api_key") or "").strip()
    if not secret:
        raise Open311Error(403, "api_key wajib diisi.")
    now = clock.now()
    if credentials.verify_api_key(secret, now) is None:
        raise Open311Error(403, "api_key tidak valid atau sudah dicabut.")
    language = _locale()
    submission = mapping.submission_from(request.form, sla.local_date(now), language)
    try:
        receipt = intake.submit_report(
            submission, now=now, secret_key=current_app.config["SECRET_KEY"],
            reference_prefix=current_app.config["REFERENCE_PREFIX"],
            max_attachments=current_app.config["MAX_ATTACHMENTS"])
    except DomainError as exc:
        with force_locale(language):
            description = mapping.describe_domain_error(exc.field, str(exc.message))
        raise Open311Error(400, description) from exc
    with force_locale(language):
        notice = mapping.receipt_notice(intake.filed_report(receipt), now)
    return render(fmt, "service_requests", [{
        "service_request_id": receipt.reference, "service_notice": notice,
        "account_id": None, "token": None, "tracking_code": receipt.tracking_code,
    }], item="request", status=201)
