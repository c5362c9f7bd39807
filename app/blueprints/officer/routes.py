"""Officer views: load, check permission, call one service, render or redirect."""
from __future__ import annotations

from functools import wraps

from flask import (abort, current_app, flash, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ... import unit_of_work
from ...htmx import is_partial_request, mark_varies
from ...models import Status
from ... import clock
from ...models.user import AGENCY_ADMIN, NATIONAL_ADMIN, OFFICER, OVERSIGHT, ROLES
from ...labels import ROLE_LABELS
from ...services import (access, accounts, agencies, attachments, audit_trail, casework,
                         categories, escalations, inbox, reporter, second_factor, workflow)
from ...services.errors import DomainError, NotFound, TransitionRefused, field_errors
from ..public.forms import EmptyForm
from .. import downloads
from ..args import date_arg, page_arg, text_arg
from . import bp
from . import one_time as one_time_password
from .forms import NewAccountForm

ALL_ROLES = ROLES  # pages every signed-in role may read


def roles_required(*roles):
    """Signed in, with one of ``roles``; anyone else gets 403 (the route, not an object)."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


ALL_STATUSES = "semua"  # ?status=semua: every status; no status: the work to do


def _filter_from_args() -> inbox.InboxFilter:
    args = request.args
    sort = args.get("sort", "deadline")
    status = args.get("status") or inbox.NEEDS_ACTION
    due = args.get("due")
    return inbox.InboxFilter(
        status=None if status == ALL_STATUSES else status, category=args.get("category") or None,
        overdue=args.get("overdue") == "y", date_from=date_arg("from"), date_to=date_arg("to"),
        q=text_arg("q"), sort=sort if sort in inbox.SORTS else "deadline", page=page_arg(),
        due_by=inbox.counter_filter(due, clock.today()).get("due_by") if due else None)


def _list_context(page, flt, title, endpoint, counts=None):
    return dict(page=page, flt=flt, title=title, endpoint=endpoint, today=clock.today(),
                categories=categories.by_name(), statuses=Status.ALL, counts=counts,
                due=request.args.get("due") if flt.due_by else None,
                filtered=any(request.args.get(name) for name in (
                    "q", "status", "category", "from", "to", "overdue", "due", "sort")),
                view_of=lambda report: casework.case_view(current_user, report))


def _render_list(template_context):
    mark_varies()
    if is_partial_request():
        return render_template("officer/_rows.html", **template_context)
    return render_template("officer/list.html", **template_context)


def _log_read(what: str, report=None, detail: str | None = None) -> None:
    """Log an oversight read (an audit record). The view is a writer (``view_writes``) and
    the row is committed with the request, before anything read is sent."""
    access.log_read(current_user, what, report, detail)


def _query_detail() -> str:
    return request.query_string.decode("utf-8", "replace")


@bp.get("/")
@roles_required(*ALL_ROLES)
def dashboard():
    if current_user.role == NATIONAL_ADMIN:
        return redirect(url_for("officer.verification_queue"))
    return redirect(url_for("officer.agency_inbox"))


@bp.get("/verifikasi")
@unit_of_work.view_writes
@roles_required(*ALL_ROLES)
def verification_queue():
    """New reports; oversight reads it too (read-only, logged), reports not yet routed included."""
    if not access.can_read_verification_queue(current_user):
        abort(403)
    flt = _filter_from_args()
    _log_read("view_queue", detail=_query_detail())
    page = inbox.verification_queue(flt, clock.today())
    return _render_list(_list_context(page, flt, _("Antrean verifikasi"), "officer.verification_queue"))


@bp.get("/kotak-masuk")
@unit_of_work.view_writes
@roles_required(*ALL_ROLES)
def agency_inbox():
    flt = _filter_from_args()
    _log_read("view_inbox", detail=_query_detail())
    page = inbox.agency_inbox(current_user, flt, clock.today())
    counts = inbox.agency_counts(current_user, clock.today())
    return _render_list(_list_context(page, flt, _("Kotak masuk"), "officer.agency_inbox", counts))


def _load_report(reference: str):
    try:
        return access.report_for(current_user, reference)
    except NotFound:
        abort(404)


def _agency_choices(report, query, chosen_slug):
    from ...services import agencies

    found = agencies.search(query, report.region_code)
    for slug in (chosen_slug, report.requested_agency.slug if report.requested_agency else None):
        chosen = agencies.get_by_slug(slug, active_only=True)
        if chosen is not None and chosen not in found:
            found.insert(0, chosen)
    return found


def _case_context(report, errors=None, typed=None, open_action=None):
    now = clock.now()
    typed = typed or {}
    open_action = open_action or request.args.get("open")
    agency_q = (request.args.get("agency_q") or "").strip()[:100] or None
    proposal = casework.propose_public_text(report) if "route" in casework.available_actions(
        current_user, report) else None
    return dict(
        proposal=proposal,
        agency_q=agency_q,
        agency_choices=_agency_choices(report, agency_q, typed.get("agency")),
        report=report,
        case=casework.case_view(current_user, report),
        events=report.events,
        deadline=reporter.current_deadline(report, now),
        show_contact=access.can_see_contact(current_user, report),
        actions=casework.available_actions(current_user, report),
        errors=errors or {}, typed=typed, open_action=open_action,
        categories=categories.by_name(),
        archive_reasons=workflow.ARCHIVE_REASONS,
        form=EmptyForm(),
        access_log=(access.access_log(report) if current_user.role == OVERSIGHT else None),
        escalations=escalations.for_report(report),
        can_open_report=lambda other: access.can_view(current_user, other),
    )


def _render_case(context, status=200):
    mark_varies()
    template = "officer/_case.html" if is_partial_request() else "officer/case.html"
    return render_template(template, **context), status


@bp.get("/laporan/<reference>")
@unit_of_work.view_writes
@roles_required(*ALL_ROLES)
def case(reference):
    report = _load_report(reference)
    _log_read("view_report", report)
    return _render_case(_case_context(report))


def _action_request() -> casework.ActionRequest:
    form = request.form
    return casework.ActionRequest(
        action=form.get("action", ""), text=form.get("text"), reason=form.get("reason"),
        agency_slug=form.get("agency") or None, resolution_class=form.get("resolution_class") or None,
        category_slug=form.get("category") if "category" in form else None,
        public_title=form.get("public_title"), public_body=form.get("public_body"),
        add_anonymous=form.get("add_anonymous") == "y",
        add_confidential=form.get("add_confidential") == "y",
        duplicate_of=form.get("duplicate_of") or None,
        confirm_public_text=form.get("confirm_public_text") == "y")


@bp.post("/laporan/<reference>/tindakan")
@roles_required(NATIONAL_ADMIN, AGENCY_ADMIN, OFFICER)
def act(reference):
    if not EmptyForm().validate_on_submit():
        abort(400)
    action_request = _action_request()
    if action_request.action == "resolve" and request.form.get("confirm_resolution") != "y":
        return _resolution_check(reference, action_request)
    try:
        event = casework.take_action(current_user, reference, action_request, clock.now())
    except NotFound:
        abort(404)
    except DomainError as exc:
        return _refused(reference, exc, action_request.action)
    flash(_("Tindakan tersimpan."), "success")
    if not access.can_view(current_user, event.report):
        # A transfer took the report out of the user's scope: its page would now answer 404.
        target = url_for("officer.agency_inbox")
        if is_partial_request():
            response = make_response("", 204)
            response.headers["HX-Redirect"] = target
            return response
        return redirect(target, code=303)
    target = url_for("officer.case", reference=reference)
    if is_partial_request():
        response = make_response("", 204)
        response.headers["HX-Location"] = (
            '{"path": "%s", "target": "#case", "swap": "outerHTML"}' % target)
        return response
    return redirect(target, code=303)


def _refused(reference: str, exc: DomainError, action: str):
    """The case page again (422) with the refusal beside its field and everything typed kept."""
    report = _load_report(reference)
    errors = {exc.field or "general": str(exc.message)}
    return _render_case(_case_context(report, errors, request.form.to_dict(), action), 422)


def _resolution_check(reference: str, action_request: casework.ActionRequest):
    """Resolving starts the reporter's answer clock: first show the summary as the reporter
    (and the public) will read it and ask to confirm. "Ubah" goes back to the form, typed
    text kept; a refusal shows the form with its error, as any other action's."""
    if request.form.get("edit") == "y":
        report = _load_report(reference)
        return _render_case(_case_context(report, None, request.form.to_dict(), "resolve"))
    try:
        preview = casework.preview_resolution(current_user, reference, action_request, clock.now())
    except NotFound:
        abort(404)
    except DomainError as exc:
        return _refused(reference, exc, "resolve")
    mark_varies()
    template = ("officer/_resolve_confirm.html" if is_partial_request()
                else "officer/resolve_confirm.html")
    return render_template(template, preview=preview, report=preview.report, form=EmptyForm())


@bp.get("/lampiran/<int:attachment_id>")
@unit_of_work.view_writes
@roles_required(*ALL_ROLES)
def attachment(attachment_id):
    """An attachment, to officers who may see its report; always as a download."""
    found = attachments.get(attachment_id)
    if found is None:
        abort(404)
    report = _load_report(found.report.reference)
    _log_read("download", report, detail=found.original_name)
    data = attachments.read_file(current_app.config["UPLOAD_FOLDER"], found.storage_name)
    view = casework.case_view(current_user, report)
    filename = (view.attachment_name(found) if view.hides_identity
                else f"lampiran-{found.id}{attachments.ALLOWED_TYPES[found.content_type]}")
    response = make_response(data)
    response.headers["Content-Type"] = found.content_type
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/instansi")
@roles_required(NATIONAL_ADMIN, AGENCY_ADMIN, OFFICER)
def agency_options():
    """htmx: agencies for the route/transfer selects."""
    from ...services import agencies

    mark_varies()
    found = agencies.search(request.args.get("agency_q"), None)
    return render_template("officer/_agency_options.html", agencies=found,
                           selected=request.args.get("agency"))


# --- oversight: escalations ---------------------------------------------------------------------

@bp.get("/eskalasi")
@unit_of_work.view_writes
@roles_required(OVERSIGHT, NATIONAL_ADMIN)
def escalation_list():
    """Every reporter's escalation, newest first; each view by oversight is logged."""
    page_number = page_arg()
    _log_read("view_escalations", detail=f"page={page_number}")
    page = escalations.list_page(page_number)
    return render_template("officer/escalations.html", page=page,
                           endpoint="officer.escalation_list")


@bp.get("/eskalasi/<int:escalation_id>.pdf")
@unit_of_work.view_writes
@roles_required(OVERSIGHT, NATIONAL_ADMIN)
def escalation_dossier(escalation_id):
    """An escalation's dossier (PDF); each download by oversight is logged."""
    found = escalations.get(escalation_id)
    if found is None:
        abort(404)
    _log_read("download_dossier", found.report, detail=f"eskalasi {found.id}")
    document = escalations.render_dossier(found, str(get_locale()), clock.now())
    return downloads.pdf_response(document, escalations.dossier_filename(found))


# --- the audit trail (oversight, national admin; an agency admin for its own accounts) ----------

def _trail_filter() -> audit_trail.TrailFilter:
    before = request.args.get("before", "")
    return audit_trail.TrailFilter(
        what=audit_trail.known_event(request.args.get("what")), who=text_arg("who"),
        reference=text_arg("reference", 40), date_from=date_arg("from"), date_to=date_arg("to"),
        before=int(before) if before.isdigit() else None)


@bp.get("/jejak-audit")
@unit_of_work.view_writes
@roles_required(*audit_trail.READERS)
def audit_trail_page():
    """Who signed in, read, changed or used what, newest first, with filters; each view by
    oversight is itself logged."""
    flt = _trail_filter()
    if current_user.role == OVERSIGHT:
        access.log_access(current_user, "view_audit", detail=_query_detail()[:200])
    page = audit_trail.trail_page(current_user, flt)
    return render_template("officer/audit_trail.html", page=page, flt=flt,
                           events=audit_trail.event_choices(), groups=audit_trail.GROUPS)


@bp.get("/jejak-audit.csv")
@unit_of_work.view_writes
@roles_required(*audit_trail.READERS)
def audit_trail_export():
    """The filtered trail as CSV (the newest EXPORT_LIMIT rows); logged like the page."""
    flt = _trail_filter()
    if current_user.role == OVERSIGHT:
        access.log_access(current_user, "view_audit", detail=("csv " + _query_detail())[:200])
    rows = audit_trail.export_rows(current_user, flt)
    return downloads.csv_response(rows, f"jejak-audit-{clock.today().isoformat()}.csv",
                                  audit_trail.EXPORT_COLUMNS)


# --- officer accounts (national and agency admins; oversight reads) -----------------------------

ACCOUNT_READERS = (NATIONAL_ADMIN, AGENCY_ADMIN, OVERSIGHT)
ACCOUNT_MANAGERS = (NATIONAL_ADMIN, AGENCY_ADMIN)


@bp.get("/pengguna")
@unit_of_work.view_writes
@roles_required(*ACCOUNT_READERS)
def account_list():
    """The accounts of the admin's agency and its units (every account for national and
    oversight), searched by name or e-mail; each view by oversight is logged."""
    q = text_arg("q")
    page = accounts.list_accounts(current_user, q, page_arg())
    if current_user.role == OVERSIGHT:
        access.log_access(current_user, "view_accounts", detail=request.query_string.decode()[:200])
    mark_varies()
    context = dict(page=page, q=q, endpoint="officer.account_list",
                   can_create=accounts.can_manage_accounts(current_user))
    if is_partial_request():
        return render_template("officer/_account_rows.html", **context)
    return render_template("officer/accounts.html", **context)


def _load_account(user_id: int):
    try:
        return accounts.account_for(current_user, user_id)
    except NotFound:
        abort(404)


def _prepare_account_form(form: NewAccountForm) -> dict:
    """Fill the role and agency choices this admin may give; the page's extra context."""
    roles = accounts.assignable_roles(current_user)
    form.role.choices = [("", _("— Pilih peran —"))] + [(r, str(ROLE_LABELS[r])) for r in roles]
    if request.method == "GET" and current_user.role == AGENCY_ADMIN:
        form.role.data = form.role.data or OFFICER
    agency_q = (form.agency_q.data or "").strip() or None
    found, total = accounts.assignable_agencies(current_user, agency_q)
    chosen = agencies.get_by_slug(form.agency.data, active_only=True)
    if chosen is not None and chosen not in found:
        found.insert(0, chosen)
    if request.method == "GET" and current_user.role == AGENCY_ADMIN and current_user.agency:
        form.agency.data = form.agency.data or current_user.agency.slug
    form.agency.choices = [("", _("— Tanpa instansi (admin nasional, pengawas) —")
                            if current_user.role == NATIONAL_ADMIN else _("— Pilih instansi —"))]
    form.agency.choices += [(a.slug, a.name) for a in found]
    return dict(agency_total=total, agency_shown=len(found), password_min=accounts.PASSWORD_MIN_LENGTH,
                agency_search=total > accounts.AGENCY_CHOICE_LIMIT or agency_q is not None)


def _new_account_from(form: NewAccountForm) -> accounts.NewAccount:
    return accounts.NewAccount(name=form.name.data, email=form.email.data, role=form.role.data,
                               agency_slug=form.agency.data or None,
                               password=form.password.data or None)


@bp.route("/pengguna/baru", methods=["GET", "POST"])
@roles_required(*ACCOUNT_MANAGERS)
def account_new():
    """Create an account: an officer or agency admin of the admin's scope (any role for the
    national admin); with a one-time password, shown once on the next page, or a chosen one."""
    form = NewAccountForm()
    if request.method == "POST":
        form_ok = form.validate()
        if request.form.get("action") == "refine":
            # The no-JavaScript "search agencies" button: the form again, as typed.
            for field in form:
                field.errors = []
            return render_template("officer/account_new.html", form=form,
                                   **_prepare_account_form(form))
        found = accounts.new_account_problems(current_user, _new_account_from(form))
        for name, message in found.items():
            if not form[name].errors:
                form[name].errors = [str(message)]
        if form_ok and not found:
            try:
                account, one_time = accounts.create_account(current_user, _new_account_from(form),
                                                            clock.now())
            except TransitionRefused:
                abort(403)
            except DomainError as exc:
                for name, message in field_errors(exc).items():
                    form[name].errors = [str(message)]
            else:
                if one_time:
                    one_time_password.keep(account.id, one_time)
                flash(_("Akun %(email)s dibuat.", email=account.email), "success")
                return redirect(url_for("officer.account_detail", user_id=account.id), code=303)
    context = _prepare_account_form(form)
    status = 422 if request.method == "POST" else 200
    return render_template("officer/account_new.html", form=form, **context), status


def _render_account(account, error=None, status=200):
    return render_template("officer/account.html", account=account, form=EmptyForm(),
                           one_time=one_time_password.take(account.id), error=error,
                           can_manage=accounts.can_manage(current_user, account),
                           can_reset=accounts.can_reset_password(current_user, account),
                           factor=second_factor.factor_of(account),
                           factor_required=second_factor.is_required(account),
                           can_reset_factor=second_factor.can_reset(current_user, account),
                           history=accounts.history(account)), status


@bp.get("/pengguna/<int:user_id>")
@unit_of_work.view_writes
@roles_required(*ACCOUNT_READERS)
def account_detail(user_id):
    account = _load_account(user_id)
    if current_user.role == OVERSIGHT:
        access.log_access(current_user, "view_account", detail=f"user={account.id};")
    return _render_account(account)


def _account_change(user_id: int, change, done_message: str):
    """POST: deactivate, reactivate or reset; back to the account's page (303), or that page
    again with the reason (422) when the change is refused (e.g. one's own account)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        result = change(current_user, user_id)
    except NotFound:
        abort(404)
    except DomainError as exc:
        return _render_account(_load_account(user_id), str(exc.message), 422)
    if isinstance(result, tuple):  # a new one-time password, for the next page only
        one_time_password.keep(user_id, result[1])
    flash(done_message, "success")
    return redirect(url_for("officer.account_detail", user_id=user_id), code=303)


@bp.post("/pengguna/<int:user_id>/nonaktifkan")
@roles_required(*ACCOUNT_MANAGERS)
def account_deactivate(user_id):
    return _account_change(user_id, lambda actor, uid: accounts.set_active(actor, uid, False,
                                                                           clock.now()),
                           _("Akun dinonaktifkan. Pemiliknya tidak dapat masuk lagi."))


@bp.post("/pengguna/<int:user_id>/aktifkan")
@roles_required(*ACCOUNT_MANAGERS)
def account_reactivate(user_id):
    return _account_change(user_id, lambda actor, uid: accounts.set_active(actor, uid, True),
                           _("Akun diaktifkan kembali."))


@bp.post("/pengguna/<int:user_id>/atur-ulang-sandi")
@roles_required(*ACCOUNT_MANAGERS)
def account_reset_password(user_id):
    return _account_change(user_id, lambda actor, uid: accounts.reset_password(actor, uid,
                                                                               clock.now()),
                           _("Kata sandi diatur ulang. Sesi yang masih terbuka sudah berakhir dan "
                             "token API akun ini dicabut. Kata sandi baru berlaku 24 jam dan "
                             "harus diganti saat masuk."))


@bp.post("/pengguna/<int:user_id>/atur-ulang-verifikasi")
@roles_required(*ACCOUNT_MANAGERS)
def account_reset_second_factor(user_id):
    """Remove the account's authenticator (a lost phone): its sessions end; the owner enrols
    again at the next sign-in when the role requires it. Scoped as a password reset."""
    return _account_change(user_id, lambda actor, uid: second_factor.reset(actor, uid, clock.now()),
                           _("Verifikasi dua langkah akun ini diatur ulang. Sesi yang masih "
                             "terbuka sudah berakhir; pemiliknya memasang autentikator lagi "
                             "saat masuk berikutnya."))
