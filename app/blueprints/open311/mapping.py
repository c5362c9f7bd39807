"""Terang ⇄ Open311: categories as services, public reports as service requests, and a
partner's POST as an intake :class:`~app.services.intake.Submission`.

Nothing here decides what is public or what a valid report is: visibility is
``board.public_reports_where`` and ``board.public_steps`` (the board's own step list, its
texts redacted there); validity is
``intake.submit_report``. This module only renames and reformats.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ...labels import STATUS_LABELS
from ...models import Category, Report, ReporterContact
from ...services import board, categories, intake, location, redaction, reporter, sla, workflow
from .errors import Open311Error

# Reports without a category (the reporter did not know) are the service "lainnya".
OTHER_SERVICE = "lainnya"
OTHER_NAMES = ("Lainnya / tidak tahu", "Other / not sure")
SERVICE_TYPE = "realtime"  # the reference is returned at once
# Terang has one flat list of categories: every service is in the same group.
GROUP_NAMES = ("Pelayanan publik", "Public services")

# Steps that do not change what the agency last said: after them status_notes still shows it.
_QUIET_STEPS = ("confirm", "auto_close", "deadline_missed")

# Which Open311 parameter carries each Submission field (for error descriptions).
PARAMETER_OF_FIELD = {
    "report_type": "report_type", "title": "title", "body": "description",
    "incident_date": "incident_date", "region": "address_id", "agency": "agency",
    "category": "service_code", "reporter_email": "email", "reporter_phone": "phone",
    "attachments": "media_url", "latitude": "lat", "longitude": "long",
    "incident_address": "address_string", "district": "district_id", "village": "village_id",
}
_TRUE = frozenset({"true", "1", "yes", "y", "on"})
_FALSE = frozenset({"false", "0", "no", "n", "off", ""})
_SENTENCE_END = re.compile(r".{10,}?[.!?](?=\s|$)")


# --- times: day precision, Jakarta -------------------------------------------------------------

def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=sla.JAKARTA)


def start_of_day(day: date) -> str:
    """A public time: the date at 00:00 Jakarta time (``2026-11-23T00:00:00+07:00``)."""
    return day_start(day).isoformat()


def end_of_day(day: date) -> str:
    """A deadline: the close of that working day in Jakarta (``…T23:59:59+07:00``)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=sla.JAKARTA).isoformat()


# --- services ----------------------------------------------------------------------------------

def _service(code: str, name_id: str, name_en: str, locale: str) -> dict:
    english = locale == "en"
    name = name_en if english else name_id
    if code == OTHER_SERVICE:
        description = ("Reports whose field is not listed or not known; the national admin "
                       "assigns one at verification." if english else
                       "Laporan yang bidangnya tidak tercantum atau tidak diketahui; admin "
                       "nasional menentukannya saat verifikasi.")
    else:
        description = (f"Complaints, aspirations and information requests about {name_en}."
                       if english else
                       f"Pengaduan, aspirasi, dan permintaan informasi di bidang {name_id}.")
    keywords = ", ".join(dict.fromkeys([name_id, name_en, code]))
    return {"service_code": code, "service_name": name, "description": description,
            "metadata": False, "type": SERVICE_TYPE, "keywords": keywords,
            "group": GROUP_NAMES[1 if english else 0]}


def _categories() -> list[Category]:
    return categories.by_name()


def services(locale: str) -> list[dict]:
    """Every category as a service, then "lainnya" for reports without one."""
    categories = _categories()
    items = [_service(c.slug, c.name_id, c.name_en, locale) for c in categories]
    if not any(c.slug == OTHER_SERVICE for c in categories):
        items.append(_service(OTHER_SERVICE, *OTHER_NAMES, locale))
    return items


def find_service(code: str) -> dict | None:
    """The service with ``code`` (in Indonesian), or None."""
    return next((s for s in services("id") if s["service_code"] == code), None)


def category_for_service(code: str) -> tuple[bool, Category | None]:
    """(known, category): "lainnya" is known and has no category (unless one has that slug)."""
    category = categories.get_by_slug(code)
    if category is not None:
        return True, category
    return code == OTHER_SERVICE, None


def service_filter(code: str) -> tuple[int | None, bool]:
    """The reports of service ``code`` as (category id, uncategorised too) for
    ``board.public_reports_where``; raises Open311Error for an unknown code."""
    known, category = category_for_service(code)
    if not known:
        raise Open311Error(400, f"service_code '{code[:80]}' tidak dikenal; lihat services.json.")
    if code == OTHER_SERVICE:
        # Uncategorised reports, and those of a real "lainnya" category if one exists.
        return (category.id if category is not None else None), True
    return category.id, False


def service_definition(code: str) -> dict:
    """Terang asks nothing beyond the standard fields: no attributes."""
    return {"service_code": code, "attributes": []}


# --- service requests (GET) -------------------------------------------------------------------

def open311_status(status: str) -> str:
    """``open`` while the report can still move (resolved included: the reporter may dispute)."""
    return "open" if status in workflow.OPEN_STATES else "closed"


def statuses_for(open311: str) -> tuple[str, ...]:
    from ...models import Status

    return tuple(s for s in Status.ALL if open311_status(s) == open311)


def status_notes(report: Report, steps: list[board.PublicStep]) -> str:
    """What the agency last said (redacted, as on the board), or the status in words.

    The agency's text stays the note while only "quiet" steps followed it (the reporter
    accepting, the automatic close, a missed deadline); after a transfer or a dispute the
    old text no longer explains the status, so the status label is shown instead. So it is
    when the status moved by a step the board does not show (an archive, the reporter's
    answer to a request for information).
    """
    if steps and steps[-1].to_status != report.status:
        steps = []
    for step in reversed(steps):
        if step.action in _QUIET_STEPS:
            continue
        if step.text:  # the agency's words, already redacted by board.public_steps
            return step.text
        break
    return str(STATUS_LABELS.get(report.status, report.status))


def service_notice(deadline: sla.Deadline | None) -> str | None:
    """The deadline that applies now, in words (None once the report is finished)."""
    if deadline is None:
        return None
    values = {"due": deadline.due_on.isoformat(), "n": deadline.working_days}
    if deadline.paused:
        return _("Menunggu informasi dari pelapor; tenggat instansi berhenti sementara.")
    if deadline.clock == sla.VERIFICATION:
        return _("Menunggu verifikasi admin nasional paling lambat %(due)s (%(n)s hari kerja).",
                 **values)
    if deadline.clock == sla.FIRST_RESPONSE:
        return _("Instansi wajib memberi tindak lanjut pertama paling lambat %(due)s "
                 "(%(n)s hari kerja sejak diteruskan).", **values)
    if deadline.clock == sla.RESOLUTION:
        return _("Instansi wajib menyelesaikan laporan paling lambat %(due)s "
                 "(%(n)s hari kerja sejak diteruskan).", **values)
    return _("Instansi menyatakan laporan selesai; pelapor dapat menerima atau menolak "
             "penyelesaian hingga %(due)s, setelah itu laporan ditutup otomatis.", **values)


def service_request(report: Report, now: datetime, locale: str) -> dict:
    """One public report as an Open311 request: only what the board shows, at day precision.

    ``lat``/``long`` only as the board shows them (location.public_pin: rounded to about
    100 m, none for an anonymous report); no media (attachments are never public), nothing of
    the reporter, never the free-text address. ``title`` and ``report_type`` are Terang
    extensions (both on the board).
    """
    steps = board.public_steps(report)
    deadline = reporter.current_deadline(report, now)
    category = report.category
    region = report.region
    updated = steps[-1].day if steps else sla.local_date(report.submitted_at)
    pin = location.public_pin(report)
    place = location.view_for(report, None)
    named = [p.name for p in (place.village, place.district) if p is not None]
    request = {
        "service_request_id": report.reference,
        "status": open311_status(report.status),
        "status_notes": status_notes(report, steps),
        "service_name": (category.name_for(locale) if category
                         else OTHER_NAMES[1 if locale == "en" else 0]),
        "service_code": category.slug if category else OTHER_SERVICE,
        "description": redaction.publishable(report, redaction.BODY) or "",
        "agency_responsible": report.agency.name,
        "service_notice": service_notice(deadline),
        "requested_datetime": start_of_day(sla.local_date(report.submitted_at)),
        "updated_datetime": start_of_day(updated),
        "expected_datetime": end_of_day(deadline.due_on) if deadline else None,
        "address": ", ".join(n for n in (*named, region.name,
                                         region.parent.name if region.parent else None) if n),
        "address_id": region.code,
        "zipcode": None,
        "title": redaction.publishable(report, redaction.TITLE) or "",
        "report_type": report.report_type,
    }
    if pin is not None:
        request["lat"], request["long"] = pin
    return request


# --- a partner's POST --------------------------------------------------------------------------

def title_from(description: str) -> str:
    """A title for a report sent without one: the description's first sentence.

    Open311 has no title; Terang needs one (``intake.MAX_TITLE`` characters at most). The first
    line, cut at the first sentence end that leaves at least 10 characters (so that "Jl." or
    "Yth." does not become a title); longer than the limit, it is cut at a word and ends in "…".
    """
    lines = [line.strip() for line in description.strip().splitlines() if line.strip()]
    first = " ".join(lines[0].split()) if lines else ""
    match = _SENTENCE_END.match(first)
    sentence = match.group(0) if match else first
    if sentence.endswith("."):
        sentence = sentence[:-1].rstrip()
    if len(sentence) > intake.MAX_TITLE:
        cut = sentence[: intake.MAX_TITLE - 1]
        if " " in cut:
            cut = cut.rsplit(" ", 1)[0]
        sentence = cut.rstrip(" ,;:-") + "…"
    return sentence


def _flag(form: MultiDict, name: str) -> bool:
    value = (form.get(name) or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise Open311Error(400, f"{name} harus true atau false.")


def _day(value: str, name: str) -> date:
    """The Jakarta date of an ISO 8601 date or date-time (no zone: Jakarta time)."""
    try:
        moment = datetime.fromisoformat(value.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=sla.JAKARTA)
        return sla.local_date(moment)
    except (ValueError, OverflowError) as exc:
        raise Open311Error(400, f"{name} bukan tanggal ISO 8601 yang valid "
                                f"(mis. 2026-11-23 atau 2026-11-23T09:30:00+07:00).") from exc


def parse_day(value: str | None, name: str) -> date | None:
    return _day(value, name) if value and value.strip() else None


def submission_from(form: MultiDict, today: date, language: str) -> intake.Submission:
    """A partner's form as an intake Submission; Open311Error(400) for what intake cannot judge.

    Everything intake checks (type, title and text length, region, agency, e-mail, phone,
    incident date) is left to it; see :func:`describe_domain_error` for its messages.
    """
    code = (form.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, "service_code wajib diisi; lihat services.json.")
    known, category = category_for_service(code)
    if not known:
        raise Open311Error(400, f"service_code '{code[:80]}' tidak dikenal; lihat services.json.")
    description = (form.get("description") or "").strip()
    if not description:
        raise Open311Error(400, "description wajib diisi.")
    region_code = (form.get("address_id") or "").strip()
    if not region_code:
        raise Open311Error(400, "address_id wajib diisi: kode kabupaten/kota Kemendagri "
                                "(mis. 13.71 untuk Kota Padang); lat/long melengkapinya.")
    if (form.get("incident_date") or "").strip():
        incident = _day(form["incident_date"], "incident_date")
    else:
        incident = parse_day(form.get("requested_datetime"), "requested_datetime") or today
    name = " ".join(" ".join(part.split()) for part in (form.get("first_name"), form.get("last_name"))
                    if part and part.strip())
    if len(name) > ReporterContact.__table__.c.name.type.length:
        raise Open311Error(400, f"first_name dan last_name bersama paling banyak "
                                f"{ReporterContact.__table__.c.name.type.length} karakter.")
    return intake.Submission(
        report_type=(form.get("report_type") or "pengaduan").strip(),
        title=(form.get("title") or "").strip() or title_from(description),
        body=description,
        incident_date=incident,
        region_code=region_code,
        agency_slug=(form.get("agency") or "").strip() or None,
        category_slug=category.slug if category else None,
        is_anonymous=_flag(form, "is_anonymous"),
        is_confidential=_flag(form, "is_confidential"),
        reporter_name=name or None,
        reporter_email=(form.get("email") or "").strip() or None,
        reporter_phone=(form.get("phone") or "").strip() or None,
        # Where exactly: the address is private (never published); lat/long are checked and
        # rounded by intake (location.pin); the kecamatan/kelurahan codes are Terang extensions.
        incident_address=(form.get("address_string") or "").strip() or None,
        latitude=form.get("lat"),
        longitude=form.get("long"),
        district_code=(form.get("district_id") or "").strip() or None,
        village_code=(form.get("village_id") or "").strip() or None,
        language=language,
    )


def describe_domain_error(field: str | None, message: str) -> str:
    """Intake's message, naming the Open311 parameter it is about."""
    parameter = PARAMETER_OF_FIELD.get(field or "", field)
    if field == "region":
        return "address_id bukan kode kabupaten/kota Kemendagri yang dikenal (mis. 13.71)."
    if field == "agency":
        return "agency bukan slug instansi yang dikenal."
    return f"{parameter}: {message}" if parameter else message


def receipt_notice(report: Report, now: datetime) -> str:
    deadline = reporter.current_deadline(report, now)
    return " ".join(filter(None, [
        _("Laporan diterima."), service_notice(deadline),
        _("Berikan tracking_code kepada pelapor: hanya dengan kode itu pelapor dapat mengikuti "
          "laporannya di /lacak, dan kode itu tidak dapat dikirim ulang. Jangan menyimpannya.")]))
