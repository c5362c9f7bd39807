"""Filing a report: the reporter's side of ``submit``.

The whole submission is one write transaction: reference number, report, contact,
attachments and the first event are written together or not at all.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert

from ..unit_of_work import writes
from ..extensions import db
from ..models import Category, Report, ReporterContact, ReportEvent
from ..models.report import REPORT_TYPES
from . import (agencies, attachments, categories, location, references, regions, tracking_codes,
               workflow)
from .contact import normalise_email, normalise_phone
from .errors import DomainError, FieldErrors
from .sla import local_date
from .texts import check_storable

MIN_TITLE = 10
MAX_TITLE = 200
MIN_BODY = 30
MAX_BODY = 20_000
MAX_CONTACT = {"reporter_name": 120, "reporter_email": 254, "reporter_phone": 25}
_INSERT_CONTACT = insert(ReporterContact.__table__)  # built once: a filing's contact row


@dataclass
class Submission:
    """What the reporter sent, as plain values (from the form or the API)."""

    report_type: str
    title: str
    body: str
    incident_date: date
    region_code: str
    agency_slug: str | None = None
    category_slug: str | None = None
    is_anonymous: bool = False
    is_confidential: bool = False
    reporter_name: str | None = None
    reporter_email: str | None = None
    reporter_phone: str | None = None
    language: str = "id"
    # Where exactly (all optional, app/services/location.py): Kemendagri codes of the kecamatan
    # and kelurahan/desa, a free-text address, a pin as typed or sent (text or numbers).
    district_code: str | None = None
    village_code: str | None = None
    incident_address: str | None = None
    latitude: str | float | None = None
    longitude: str | float | None = None
    staged_tokens: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Receipt:
    """What the reporter is shown once: the public reference and the secret code."""

    reference: str
    tracking_code: str
    report_id: int
    status: str


def resolve_category(slug: str | None) -> Category | None:
    """The category with ``slug``, None when no slug; DomainError(field="category") when unknown."""
    return _known_category(slug, categories.get_by_slug)


def resolve_category_id(slug: str | None) -> int | None:
    """:func:`resolve_category`'s id, without loading the row (filing, under the write lock)."""
    return _known_category(slug, categories.id_by_slug)


def _known_category(slug: str | None, find):
    if not slug:
        return None
    check_storable("category", slug)
    found = find(slug)
    if found is None:
        raise DomainError(_l("Kategori tidak dikenal."), field="category")
    return found


def problems(sub: Submission, today: date, max_attachments: int,
             looked_up: dict | None = None) -> dict[str, object]:
    """Every domain check a form cannot express, all at once: field → message (empty if fine).

    The same rules for every channel (form, JSON API, Open311). A value the caller could not
    read (``incident_date`` None after a malformed date) is skipped: the caller reports that.
    Lookups (region, agency, category) only read; ``looked_up`` (if given) receives what they
    found, under those names (the kab/kota's code, the agency's and the category's ids), so
    that filing does not read them again.
    """
    found: dict[str, object] = {}
    looked_up = {} if looked_up is None else looked_up

    def refuse(name: str, message) -> None:
        found.setdefault(name, message)

    # PostgreSQL refuses NUL characters, and the columns have lengths.
    for name in ("title", "body", "reporter_name", "reporter_email", "reporter_phone"):
        try:
            check_storable(name, getattr(sub, name), MAX_CONTACT.get(name))
        except DomainError as exc:
            refuse(name, exc.message)
    if sub.report_type not in REPORT_TYPES:
        refuse("report_type", _l("Pilih jenis laporan."))
    if not MIN_TITLE <= len((sub.title or "").strip()) <= MAX_TITLE:
        refuse("title", _l("Judul antara %(min)s dan %(max)s karakter.", min=MIN_TITLE, max=MAX_TITLE))
    if not MIN_BODY <= len((sub.body or "").strip()) <= MAX_BODY:
        refuse("body", _l("Ceritakan minimal %(min)s karakter (paling banyak %(max)s).",
                          min=MIN_BODY, max=MAX_BODY))
    if sub.incident_date is not None and sub.incident_date > today:
        refuse("incident_date", _l("Tanggal kejadian tidak boleh di masa depan."))
    looked_up["region"] = sub.region_code if regions.is_regency(sub.region_code) else None
    if looked_up["region"] is None:
        refuse("region", _l("Pilih kabupaten/kota dari daftar."))
    if "region" not in found:
        for name, message in location.problems(
                sub.region_code, sub.district_code, sub.village_code, sub.incident_address,
                sub.latitude, sub.longitude).items():
            refuse(name, message)
    looked_up["agency"] = agencies.active_id(sub.agency_slug)
    if sub.agency_slug and looked_up["agency"] is None:
        refuse("agency", _l("Instansi tidak dikenal."))

    def category():
        looked_up["category"] = resolve_category_id(sub.category_slug)

    for name, check in (("category", category),
                        ("reporter_email", lambda: normalise_email(sub.reporter_email)),
                        ("reporter_phone", lambda: normalise_phone(sub.reporter_phone))):
        if name in found:
            continue
        try:
            check()
        except DomainError as exc:
            refuse(exc.field or name, exc.message)
    if len(sub.staged_tokens) > max_attachments:
        refuse("attachments", _l("Paling banyak %(n)s lampiran.", n=max_attachments))
    return found


def validate(sub: Submission, today: date, max_attachments: int,
             looked_up: dict | None = None) -> None:
    """Raise :class:`FieldErrors` naming every refused field, or return when all is well
    (``looked_up``: see :func:`problems`)."""
    found = problems(sub, today, max_attachments, looked_up)
    if found:
        raise FieldErrors(found)


def filed_report(receipt: Receipt) -> Report:
    """The report a receipt of this unit of work names."""
    return db.session.get(Report, receipt.report_id)


@writes
def submit_report(sub: Submission, *, now: datetime, secret_key: str, reference_prefix: str,
                  max_attachments: int = 5) -> Receipt:
    """File a report and return its receipt. The unit of work commits (app/unit_of_work.py).

    Raises :class:`DomainError` with the offending field when something is not acceptable.
    """
    looked_up: dict = {}
    validate(sub, local_date(now), max_attachments, looked_up)
    # What the checks found (each read once); they refused a missing one.
    region_code, agency_id, category_id = (looked_up["region"], looked_up["agency"],
                                           looked_up["category"])
    place = location.check(region_code, sub.district_code, sub.village_code, sub.incident_address,
                           sub.latitude, sub.longitude)
    email = normalise_email(sub.reporter_email)
    phone = normalise_phone(sub.reporter_phone)
    staged = attachments.find_staged(sub.staged_tokens)

    year = local_date(now).year
    sequence = references.next_sequence(year)
    code = tracking_codes.generate_code()
    # Plain fields and Core inserts, no ORM object and flush (workflow.file_new): a filing
    # holds SQLite's one write lock meanwhile, and the flush cost two thirds of it (issue 12).
    report = workflow.NewReport(
        reference=references.format_reference(reference_prefix, year, sequence),
        year=year,
        sequence=sequence,
        tracking_hash=tracking_codes.hash_code(tracking_codes.normalise_code(code), secret_key),
        report_type=sub.report_type,
        title=sub.title.strip(),
        body=sub.body.strip(),
        incident_date=sub.incident_date,
        region_code=region_code,
        incident_district_code=place.district_code,
        incident_village_code=place.village_code,
        incident_address=place.address,
        incident_lat=place.latitude,
        incident_lng=place.longitude,
        requested_agency_id=agency_id,
        category_id=category_id,
        is_anonymous=sub.is_anonymous,
        is_confidential=sub.is_confidential,
        language=sub.language,
    )
    event = workflow.file_new(report, "submit", workflow.Actor.reporter(), now)
    name = (sub.reporter_name or "").strip() or None
    if name or email or phone:
        db.session.execute(_INSERT_CONTACT, {"report_id": report.id, "name": name,
                                             "email": email, "phone": phone})
    if staged:
        attachments.attach(db.session.get(Report, report.id), staged,
                           db.session.get(ReportEvent, event.id))
        db.session.flush()
    return Receipt(report.reference, code, report.id, report.status)


# --- the /lapor form, filed once per form ----------------------------------------------------------

FORM_SCOPE = "form"
_SUBMISSION_ID = re.compile(r"[A-Za-z0-9_\-]{16,64}")


def new_submission_id() -> str:
    """A random id for one filling of the /lapor form (a hidden field)."""
    return secrets.token_urlsafe(16)


def _fingerprint(sub: Submission) -> str:
    """What makes two sendings of one form the same report: everything typed and chosen, not
    the files (a browser sending the form again uploads them again, under new names)."""
    from dataclasses import asdict

    from . import idempotency

    typed = {k: v for k, v in asdict(sub).items() if k not in ("staged_tokens", "language")}
    return idempotency.request_hash(typed)


@writes
def submit_form_once(sub: Submission, submission_id: str | None, *, now: datetime, secret_key: str,
                     reference_prefix: str, max_attachments: int = 5) -> tuple[str, str]:
    """File the /lapor form's report once per form; return (reference, tracking code).

    The same form sent again (its answer lost when a connection dropped, a double click, a
    reload that resends it) returns the first receipt instead of filing a second report:
    the form carries a random ``submission_id``, claimed like the API's Idempotency-Key
    (:mod:`idempotency`, kept 24 hours). A form whose contents changed since (Back, edit, send)
    is a new report. A refusal leaves no claim behind (the whole call is one SAVEPOINT).
    """
    from . import idempotency

    claimed = None
    if submission_id and _SUBMISSION_ID.fullmatch(submission_id):
        try:
            claimed = idempotency.claim(FORM_SCOPE, submission_id, _fingerprint(sub), secret_key, now)
        except idempotency.IdempotencyConflict:
            claimed = None
        else:
            if claimed.replay is not None:
                return claimed.replay["reference"], claimed.replay["tracking_code"]
    receipt = submit_report(sub, now=now, secret_key=secret_key, reference_prefix=reference_prefix,
                            max_attachments=max_attachments)
    if claimed is not None:
        idempotency.remember(claimed, receipt.report_id,
                             {"reference": receipt.reference, "tracking_code": receipt.tracking_code},
                             secret_key)
    return receipt.reference, receipt.tracking_code
