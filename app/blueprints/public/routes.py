"""Views of the reporter's side. Each loads, validates, calls one service, renders or redirects."""
from __future__ import annotations

import math
import re

from flask import (abort, current_app, flash, make_response, redirect, render_template, request,
                   session, url_for)
from flask_babel import get_locale
from flask_babel import refresh as refresh_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from ... import unit_of_work
from ...caching import public_page
from ...ratelimits import form_limit, retry_after_seconds
from ...htmx import is_partial_request, mark_varies
from ... import clock
from ...services import (agencies, categories, code_recovery, escalations, form_choices, intake,
                         location, pdf,
                         regions,
                         service_status, trust,
                         reporter, tracking)
from ...services.errors import DomainError, field_errors
from . import bp
from .. import downloads
from .forms import (AddInformationForm, DecisionForm, DossierForm, EmptyForm, EraseContactForm,
                    EscalationForm,
                    RatingForm, RecoveryRequestForm, RedeemForm, ReportForm, TrackForm)
from .receipts import pop_receipt, read_receipt, store_receipt
from .uploads import collect_uploads, upload_limits

TRACKING_KEY = "tracked_report"
SAFE_NEXT = re.compile(r"/(?![/\\])[^\s\\]*")


# --- home and language -------------------------------------------------------------------------

@bp.get("/")
@public_page
def home():
    return render_template("public/home.html")


@bp.get("/privasi")
@public_page
def privacy_notice():
    """What Terang keeps, for how long, who reads it, and how to have it erased (UU PDP)."""
    return render_template("public/privacy.html", retention=trust.retention(),
                           contact=current_app.config.get("PRIVACY_CONTACT"))


@bp.get("/aksesibilitas")
@public_page
def accessibility_statement():
    """How Terang is built for screen readers, keyboards and small phones, and what is left."""
    return render_template("public/accessibility.html",
                           contact=current_app.config.get("PRIVACY_CONTACT"))


@bp.get("/status")
def service_status_page():
    """Whether the board's figures and the e-mail queue are keeping up (never cached)."""
    return render_template("public/status.html", status=service_status.read(clock.now()),
                           jobs=service_status.JOBS)


def _back_to(target: str):
    # Only a path of this site. Browsers read "/\host" as "//host", and URL parsing drops tabs and
    # newlines ("/\t/host" would become "//host"), so backslashes and whitespace are refused too.
    if not SAFE_NEXT.fullmatch(target):
        target = "/"
    return redirect(target, code=303)


@bp.post("/bahasa")
def set_language():
    """Switch the interface language (a POST with CSRF, so it works without JavaScript)."""
    form = EmptyForm()
    if form.validate_on_submit() and request.form.get("lang") in current_app.config["LANGUAGES"]:
        session["lang"] = request.form["lang"]
    return _back_to(request.form.get("next", "/"))


@bp.get("/bahasa")
def set_language_shared():
    """The language switch of a shared (cached) page: a GET form, since a page sent alike to
    every reader cannot carry anyone's CSRF token (app/page_cache.py). It changes nothing but
    the display language of this browser, which is all a forged link could do."""
    if request.args.get("lang") in current_app.config["LANGUAGES"]:
        session["lang"] = request.args["lang"]
    return _back_to(request.args.get("next", "/"))


# --- filing a report ---------------------------------------------------------------------------

def _category_choices():
    return [("", _("— Tidak tahu / lainnya —"))] + list(form_choices.categories(str(get_locale())))


def _prepare_report_form(form: ReportForm) -> dict:
    """Fill the choices that depend on the database and on what was already chosen."""
    province = form.province.data or (form.region.data or "").split(".")[0] or None
    province_choices, regency_groups = regions.grouped_choices()  # kept per data version
    form.province.choices = [("", _("— Semua provinsi —"))] + list(province_choices)
    if province:
        form.province.data = province
        form.region.choices = [("", _("— Pilih kabupaten/kota —"))] + [
            (r.code, r.name) for r in regions.regencies(province)]
    else:
        grouped = {name: list(rs) for name, rs in regency_groups}
        form.region.choices = {"": [("", _("— Pilih kabupaten/kota —"))], **grouped}
    region = form.region.data or None
    _prepare_place(form, region)
    # "puskesmas", "samsat", "KTP": the agency that answers for it in the chosen kab/kota first.
    front = agencies.front_line(form.agency_q.data, region)
    answering = {m.agency.id: m.phrase for m in front if m.agency is not None}
    found = [form_choices.AgencyChoice.of(m.agency) for m in front if m.agency is not None]
    found += [a for a in form_choices.agencies(form.agency_q.data, region)
              if a.id not in answering]
    chosen = agencies.get_by_slug(form.agency.data, active_only=True)
    if chosen is not None and chosen.id not in {a.id for a in found}:
        found.insert(0, form_choices.AgencyChoice.of(chosen))
    form.agency.choices = [("", _("Saya tidak tahu — admin nasional akan meneruskannya"))] + [
        (a.slug, _("%(agency)s (untuk %(what)s)", agency=a.name, what=answering[a.id])
         if a.id in answering else a.name) for a in found]
    form.category.choices = _category_choices()
    return {"agency_count": len(found), "front_line": front,
            "agency_searched": bool((form.agency_q.data or "").strip())}


def _prepare_place(form: ReportForm, region: str | None) -> None:
    """The kecamatan of the chosen kab/kota and the kelurahan/desa of the chosen kecamatan; a
    choice that no longer belongs (the kab/kota changed) is dropped."""
    district = form.district.data or ""
    if not region or not district.startswith(region + "."):
        district = ""
    village = form.village.data or ""
    if not district or not village.startswith(district + "."):
        village = ""
    form.district.data, form.village.data = district, village
    form.district.choices = [("", _("— Tidak dipilih —"))] + [
        (p.code, p.name) for p in location.districts(region)]
    form.village.choices = [("", _("— Tidak dipilih —"))] + [
        (p.code, p.name) for p in location.villages(district)]


def _map_settings() -> dict | None:
    """The map's tile server, or None: no tile URL configured, no map (the fields still work)."""
    from ... import tile_origin

    url = current_app.config.get("MAP_TILE_URL")
    if not url or tile_origin(url) is None:  # a URL the CSP could not allow shows no map
        return None
    return {"tile_url": url, "attribution": current_app.config.get("MAP_TILE_ATTRIBUTION") or ""}


def _submission_from(form: ReportForm, staged) -> intake.Submission:
    return intake.Submission(
        report_type=form.report_type.data,
        title=form.title.data or "",
        body=form.body.data or "",
        incident_date=form.incident_date.data,
        region_code=form.region.data,
        agency_slug=form.agency.data or None,
        category_slug=form.category.data or None,
        is_anonymous=form.is_anonymous.data,
        is_confidential=form.is_confidential.data,
        reporter_name=form.reporter_name.data,
        reporter_email=form.reporter_email.data,
        reporter_phone=form.reporter_phone.data,
        district_code=form.district.data or None,
        village_code=form.village.data or None,
        incident_address=form.incident_address.data,
        latitude=form.latitude.data,
        longitude=form.longitude.data,
        language=str(get_locale()),
        staged_tokens=[s.token for s in staged],
    )


def _render_report_form(form, staged, status=200, limit_notice=None):
    extra = _prepare_report_form(form)

    return render_template("public/report_form.html", form=form, staged=staged,
                           today_iso=clock.today().isoformat(),
                           lang_switch_form="report-form", lang_switch_default="refine",
                           lang_switch_action=url_for("public.submit_report"),
                           limit_notice=limit_notice, map=_map_settings(),
                           pin_metres=location.PUBLIC_PIN_METRES,
                           address_max=location.MAX_ADDRESS, uploads=upload_limits(), **extra), status


@bp.get("/lapor")
@public_page
def report_form():
    form = ReportForm(formdata=None)
    return _render_report_form(form, [])


def _wait(request_limit) -> tuple[int, int]:
    """(seconds, whole minutes) until the limit lets this client try again."""
    seconds = retry_after_seconds(request_limit)
    return seconds, math.ceil(seconds / 60)


def _too_many_reports(request_limit):
    """Over the filing limit: the form comes back as typed (files must be chosen again: a
    refused client gets nothing stored)."""
    wait, minutes = _wait(request_limit)
    notice = ngettext("Terlalu banyak laporan terkirim dari jaringan Anda. Isian Anda masih ada "
                      "di bawah; kirim lagi dalam %(num)s menit (lampiran perlu dipilih ulang).",
                      "Terlalu banyak laporan terkirim dari jaringan Anda. Isian Anda masih ada "
                      "di bawah; kirim lagi dalam %(num)s menit (lampiran perlu dipilih ulang).",
                      minutes)
    body, _status = _render_report_form(ReportForm(), [], 429, limit_notice=notice)
    return make_response(body, 429, {"Retry-After": str(wait)})


@bp.post("/lapor")
@unit_of_work.lock_at_first_statement  # a new report: the form is checked before the lock
@form_limit("RATELIMIT_INTAKE", "html-intake", counts=lambda response: response.status_code == 303,
            on_breach=_too_many_reports)
def submit_report():
    # Staging, reference and report share this request's one write transaction (a POST).
    form = ReportForm()
    form_ok = form.validate()
    staged, upload_errors = collect_uploads(form.attachments)
    switch_to = request.form.get("switch_lang")
    if switch_to in current_app.config["LANGUAGES"]:
        # The language switch of this page submits the form itself (CSRF already checked):
        # the same form comes back in the other language with everything typed and attached.
        session["lang"] = switch_to
        refresh_locale()
    if request.form.get("action") == "refine" or switch_to:
        # The no-JavaScript "narrow the list" buttons: show the form again, nothing lost.
        for field in form:
            field.errors = []
        return _render_report_form(form, staged)
    if upload_errors:
        form.attachments.errors = list(form.attachments.errors) + upload_errors
    if not form_ok or upload_errors:
        # The domain's own checks run even when the form found errors, so the reporter sees
        # every problem in one round; a field the form already refused keeps the form's message.
        # (A form that passes gets the same checks from submit_report, all at once.)
        found = intake.problems(_submission_from(form, staged), clock.today(),
                                current_app.config["MAX_ATTACHMENTS"])
        for name, message in found.items():
            target = getattr(form, name, None)
            if target is not None and not target.errors:
                target.errors = [str(message)]
    elif _flags_to_confirm(form) and not intake.problems(
            _submission_from(form, staged), clock.today(), current_app.config["MAX_ATTACHMENTS"]):
        # "Anonim" and "Rahasia" cannot be undone: check the answers once before sending.
        return _render_check(form, staged)
    else:
        try:
            reference, code = intake.submit_form_once(
                _submission_from(form, staged), form.submission_id.data, now=clock.now(),
                secret_key=current_app.config["SECRET_KEY"],
                reference_prefix=current_app.config["REFERENCE_PREFIX"],
                max_attachments=current_app.config["MAX_ATTACHMENTS"])
        except DomainError as exc:
            for name, message in field_errors(exc).items():
                getattr(form, name, form.body).errors = [str(message)]
        else:
            store_receipt(reference, code)
            return redirect(url_for("public.receipt"), code=303)
    unit_of_work.keep_on_error()  # keep the files already accepted
    return _render_report_form(form, staged, 422)


def _flags_to_confirm(form: ReportForm) -> bool:
    """A report with a flag that can never be removed, not confirmed on the check page yet."""
    return ((form.is_anonymous.data or form.is_confidential.data)
            and request.form.get("confirm_flags") != "y")


def _render_check(form: ReportForm, staged):
    """The "check your answers" page: everything the reporter is about to send, with the
    flags explained; it re-posts the same form (files already kept) to send or to change."""
    extra = _prepare_report_form(form)
    region = regions.get_regency(form.region.data)
    agency = agencies.get_by_slug(form.agency.data, active_only=True) if form.agency.data else None
    category = categories.get_by_slug(form.category.data) if form.category.data else None
    return render_template("public/report_check.html", form=form, staged=staged,
                           region=region, agency=agency, category=category,
                           district=location.place(form.district.data),
                           village=location.place(form.village.data),
                           carried=_carried_fields(form), **extra)


def _carried_fields(form: ReportForm) -> list[tuple[str, str]]:
    """The form's answers as (name, value) pairs for hidden fields (files go as staged tokens)."""
    carried = []
    for field in form:
        if field.type in ("CSRFTokenField", "MultipleFileField"):
            continue
        if field.type == "BooleanField":
            if field.data:
                carried.append((field.name, "y"))
        elif field.type == "DateField":
            carried.append((field.name, field._value()))
        else:
            carried.append((field.name, "" if field.data is None else str(field.data)))
    return carried


@bp.get("/lapor/wilayah")
@public_page
def region_options():
    """htmx: the kab/kota options of one province."""
    mark_varies()
    form = ReportForm(formdata=request.args, meta={"csrf": False})
    _prepare_report_form(form)
    if not is_partial_request():
        return redirect(url_for("public.report_form"))
    return render_template("public/_region_select.html", form=form)


@bp.get("/lapor/kecamatan")
@public_page
def place_options():
    """htmx: the kecamatan of the chosen kab/kota and the kelurahan/desa of the chosen kecamatan."""
    mark_varies()
    form = ReportForm(formdata=request.args, meta={"csrf": False})
    _prepare_report_form(form)
    if not is_partial_request():
        return redirect(url_for("public.report_form"))
    return render_template("public/_place_select.html", form=form)


@bp.get("/lapor/instansi")
@public_page
def agency_options():
    """htmx: agencies matching the search box and the chosen kab/kota."""
    mark_varies()
    form = ReportForm(formdata=request.args, meta={"csrf": False})
    extra = _prepare_report_form(form)
    if not is_partial_request():
        return redirect(url_for("public.report_form"))
    return render_template("public/_agency_select.html", form=form, **extra)


@bp.get("/lapor/terkirim")
def receipt():
    data = read_receipt()
    if data is None:
        return render_template("public/receipt_gone.html"), 410
    found = reporter.find_by_reference(data["reference"])
    steps = tracking.next_steps(found, clock.now()) if found is not None else None
    return render_template("public/receipt.html", reference=data["reference"],
                           tracking_code=data["code"], form=EmptyForm(), steps=steps,
                           filed=found)


@bp.post("/lapor/terkirim/selesai")
def receipt_done():
    """The reporter confirms the code is saved: forget it from the session."""
    if EmptyForm().validate_on_submit():
        pop_receipt()
    return redirect(url_for("public.home"), code=303)


def _too_many_receipt_codes(request_limit):
    """Over the limit of codes not found (the receipt PDF answers a guessed code as /lacak
    does, and counts in the same bucket): a plain 429 with how long to wait."""
    wait, minutes = _wait(request_limit)
    return make_response(ngettext(
        "Terlalu banyak kode yang tidak ditemukan dari jaringan Anda. Coba lagi dalam %(num)s "
        "menit.", "Terlalu banyak kode yang tidak ditemukan dari jaringan Anda. Coba lagi dalam "
        "%(num)s menit.", minutes), 429, {"Retry-After": str(wait),
                                          "Content-Type": "text/plain; charset=utf-8"})


@bp.post("/lapor/tanda-terima.pdf")
@form_limit("RATELIMIT_TRACKING", "html-tracking", counts=lambda response: response.status_code == 404,
            on_breach=_too_many_receipt_codes)
def receipt_pdf():
    """The one-page PDF receipt; reference and code come in the POST body, never the URL."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    found = reporter.find_by_code(request.form.get("tracking_code", ""),
                                  current_app.config["SECRET_KEY"])
    if found is None or found.reference != request.form.get("reference"):
        abort(404)
    document = pdf.render_receipt(
        found, request.form["tracking_code"], str(get_locale()),
        track_url=_absolute(url_for("public.track")),
        steps=tracking.next_steps(found, clock.now()))
    return current_app.response_class(
        document, mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="tanda-terima-{found.reference}.pdf"'})


def _absolute(path: str) -> str:
    """This site's public address (``PUBLIC_BASE_URL``, as in e-mails), never the request's Host."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


# --- following a report ------------------------------------------------------------------------

def _tracked_report():
    """The report this browser opened with its code, if the opening has not expired."""
    entry = session.get(TRACKING_KEY)
    if not entry:
        return None
    minutes = current_app.config["TRACKING_SESSION_MINUTES"]
    if clock.timestamp() - entry.get("at", 0) > minutes * 60:
        session.pop(TRACKING_KEY, None)
        return None
    entry["at"] = clock.timestamp()
    session[TRACKING_KEY] = entry
    return reporter.find_by_hash(entry.get("h"))


def _resolution_context(found, now, forms: dict, errors: dict) -> dict:
    """What public/_resolution.html needs: the reporter's options and their (unbound) forms."""
    return dict(
        actions=tracking.reporter_actions(found, now),
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None),
        rating_form=forms.get("rating_form") or RatingForm(formdata=None),
        escalation_form=forms.get("escalation_form") or EscalationForm(formdata=None),
        dossier_form=DossierForm(formdata=None),
        action_errors=errors)


def _render_tracking(found, info_form=None, status=200, staged=(), forms=None, errors=None):
    now = clock.now()
    return render_template(
        "public/track_report.html", report=found, timeline=reporter.public_timeline(found),
        deadline=reporter.current_deadline(found, now),
        can_add=reporter.can_add_information(found), info_form=info_form or AddInformationForm(),
        staged=list(staged), uploads=upload_limits(),
        close_form=EmptyForm(),
        erase_form=(forms or {}).get("erase_form") or EraseContactForm(formdata=None),
        **_resolution_context(found, now, forms or {}, errors or {})), status


@bp.get("/lacak")
def track():
    found = _tracked_report()
    if found is None:
        return render_template("public/track_form.html", form=TrackForm(formdata=None))
    return _render_tracking(found)


def _too_many_codes(request_limit):
    """Over the limit of codes not found (guessing): the form again, with how long to wait."""
    wait, minutes = _wait(request_limit)
    notice = ngettext("Terlalu banyak kode yang tidak ditemukan dari jaringan Anda. Coba lagi "
                      "dalam %(num)s menit.", "Terlalu banyak kode yang tidak ditemukan dari "
                      "jaringan Anda. Coba lagi dalam %(num)s menit.", minutes)
    return make_response(render_template("public/track_form.html", form=TrackForm(formdata=None),
                                         limit_notice=notice), 429, {"Retry-After": str(wait)})


@bp.post("/lacak")
@form_limit("RATELIMIT_TRACKING", "html-tracking", counts=lambda response: response.status_code == 422,
            on_breach=_too_many_codes)
def track_open():
    form = TrackForm()
    if form.validate():
        found = reporter.find_by_code(form.tracking_code.data, current_app.config["SECRET_KEY"])
        if found is not None:
            session[TRACKING_KEY] = {"h": found.tracking_hash, "at": clock.timestamp()}
            return redirect(url_for("public.track"), code=303)
        form.tracking_code.errors = [_("Kode tidak ditemukan. Periksa lagi kode pada tanda terima "
                                       "Anda (huruf besar/kecil dan tanda hubung tidak berpengaruh).")]
    return render_template("public/track_form.html", form=form), 422


@bp.post("/lacak/tambah")
def track_add_information():
    found = _tracked_report()
    if found is None:
        flash(_("Sesi pelacakan berakhir. Masukkan kode Anda lagi."), "warning")
        return redirect(url_for("public.track"), code=303)
    form = AddInformationForm()
    form_ok = form.validate()
    staged, upload_errors = collect_uploads(form.attachments)
    if upload_errors:
        form.attachments.errors = list(form.attachments.errors) + upload_errors
    if form_ok and not upload_errors:
        try:
            reporter.add_information(found, form.message.data, [s.token for s in staged], clock.now(),
                                     current_app.config["MAX_ATTACHMENTS"])
        except DomainError as exc:
            getattr(form, exc.field or "message").errors = [str(exc.message)]
        else:
            flash(_("Informasi tambahan Anda sudah kami terima."), "success")
            return redirect(url_for("public.track"), code=303)
    unit_of_work.keep_on_error()  # keep the files already accepted
    return _render_tracking(found, form, 422, staged)


@bp.post("/lacak/keluar")
def track_close():
    if EmptyForm().validate_on_submit():
        session.pop(TRACKING_KEY, None)
    return redirect(url_for("public.track"), code=303)


# --- answering a resolution, rating, escalating (the code stays in the session) -----------------

def _session_expired():
    flash(_("Sesi pelacakan berakhir. Masukkan kode Anda lagi."), "warning")
    return redirect(url_for("public.track"), code=303)


def _reporter_action(section: str, form_name: str, form, call, done_message: str):
    """Validate ``form``, run ``call(report)`` (a reporter service) and redirect (303).

    A form error or a refused action re-renders the tracking page with 422: field errors next
    to their fields, other refusals in the form's own section (``section``). A refused service
    has left nothing behind (``unit_of_work.writes``), and the error answer is rolled back.
    """
    found = _tracked_report()
    if found is None:
        return _session_expired()
    errors = {}
    if form.validate():
        try:
            call(found)
        except DomainError as exc:
            field = getattr(form, exc.field, None) if exc.field else None
            if field is not None:
                field.errors = [str(exc.message)]
            else:
                errors[section] = str(exc.message)
        else:
            flash(done_message, "success")
            return redirect(url_for("public.track"), code=303)
    return _render_tracking(found, status=422, forms={form_name: form}, errors=errors)


@bp.post("/lacak/hapus-kontak")
def track_erase_contact():
    """The reporter deletes their name, e-mail and phone from the report (UU PDP), for good."""
    form = EraseContactForm()
    return _reporter_action("contact", "erase_form", form,
                            lambda report: reporter.erase_contact(report, clock.now()),
                            _("Data kontak Anda sudah dihapus. Laporan tetap diproses; pantau "
                              "dengan kode pelacakan Anda."))


@bp.post("/lacak/jawab")
def track_answer():
    """The reporter's one answer to a resolution: "ya" closes the report, "belum" (with what is
    not solved yet) reopens it and returns it to the agency."""
    form = DecisionForm()
    if form.decision.data == "ya":
        return _reporter_action(
            "answer", "decision_form", form,
            lambda found: reporter.confirm_resolution(found, clock.now()),
            _("Terima kasih. Anda menyatakan masalah sudah selesai dan laporan ini ditutup."))
    return _reporter_action(
        "answer", "decision_form", form,
        lambda found: reporter.dispute_resolution(found, form.reason.data, clock.now()),
        _("Jawaban Anda tercatat. Laporan dibuka kembali dan dikembalikan ke instansi."))


@bp.post("/lacak/nilai")
def track_rate():
    """The reporter rates the handling of the report (1–5), once."""
    form = RatingForm()
    return _reporter_action(
        "rating", "rating_form", form,
        lambda found: reporter.rate(found, int(form.score.data), form.comment.data, clock.now()),
        _("Terima kasih atas penilaian Anda."))


@bp.post("/lacak/eskalasi")
def track_escalate():
    """The reporter escalates the report to oversight (Ombudsman / inspektorat)."""
    form = EscalationForm()
    return _reporter_action(
        "escalation", "escalation_form", form,
        lambda found: escalations.escalate(found, form.grounds.data, form.details.data, clock.now()),
        _("Laporan Anda sudah diteruskan ke pengawas. Unduh dosier eskalasi di bawah untuk "
          "arsip Anda."))


@bp.post("/lacak/eskalasi/dosier.pdf")
def track_dossier():
    """The dossier of one of the tracked report's escalations, as a PDF download."""
    found = _tracked_report()
    if found is None:
        return _session_expired()
    form = DossierForm()
    if not form.validate() or not form.escalation.data.isdigit():
        abort(400)
    escalation = escalations.get(int(form.escalation.data))
    if escalation is None or escalation.report_id != found.id:
        abort(404)
    document = escalations.render_dossier(escalation, str(get_locale()), clock.now())
    return downloads.pdf_response(document, escalations.dossier_filename(escalation))


# --- a lost tracking code ----------------------------------------------------------------------

def _too_many_recoveries(request_limit):
    """Over the limit of link requests from one network: the form again, with how long to wait."""
    wait, minutes = _wait(request_limit)
    notice = ngettext("Terlalu banyak permintaan dari jaringan Anda. Coba lagi dalam %(num)s "
                      "menit.", "Terlalu banyak permintaan dari jaringan Anda. Coba lagi dalam "
                      "%(num)s menit.", minutes)
    return make_response(render_template("public/lost_code.html", form=RecoveryRequestForm(),
                                         limit_notice=notice), 429, {"Retry-After": str(wait)})


@bp.get("/lacak/kode-hilang")
def lost_code():
    return render_template("public/lost_code.html", form=RecoveryRequestForm(formdata=None))


@bp.post("/lacak/kode-hilang")
@form_limit("RATELIMIT_RECOVERY", "html-recovery", counts=lambda response: True,
            on_breach=_too_many_recoveries)
def lost_code_request():
    """Queue a one-time link when reference and e-mail match; the answer is the same either way."""
    form = RecoveryRequestForm()
    if not form.validate():
        return render_template("public/lost_code.html", form=form), 422
    code_recovery.request_link(
        form.reference.data, form.email.data, clock.now(),
        secret_key=current_app.config["SECRET_KEY"],
        link_for=lambda token: _absolute(url_for("public.new_code", token=token)))
    return render_template("public/lost_code_sent.html",
                           minutes=int(code_recovery.LINK_LIFETIME.total_seconds() // 60))


def _link_gone():
    return render_template("public/new_code_gone.html"), 410


@bp.get("/lacak/kode-baru")
def new_code():
    """The page a one-time link opens: it asks before it changes anything (a mail scanner that
    follows links must not use the link up). The token is in the query string, which no log
    keeps, and travels on in the form's body."""
    token = request.args.get("token", "")
    if not code_recovery.link_is_usable(token, clock.now()):
        return _link_gone()
    return render_template("public/new_code_confirm.html", form=RedeemForm(token=token))


@bp.post("/lacak/kode-baru")
def new_code_issue():
    """Use the link: a new code, shown once on this answer; the old code stops working."""
    form = RedeemForm()
    if not form.validate():
        return _link_gone()
    try:
        issued = code_recovery.redeem(form.token.data, clock.now(),
                                      secret_key=current_app.config["SECRET_KEY"])
    except DomainError:
        return _link_gone()
    session[TRACKING_KEY] = {"h": issued.tracking_hash, "at": clock.timestamp()}
    return render_template("public/new_code.html", reference=issued.reference,
                           tracking_code=issued.tracking_code, form=EmptyForm())
