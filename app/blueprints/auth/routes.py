"""Sign-in for officers, their sessions and API tokens. Passwords are argon2 hashes; a failed
sign-in never says which part was wrong, nor whether the e-mail has an account."""
import math
import posixpath
from urllib.parse import unquote, urlsplit

from flask import (abort, current_app, flash, g, make_response, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ... import clock, staff_session, unit_of_work
from ...ratelimits import form_limit, retry_after_seconds
from ...services import accounts, credentials, second_factor, sessions
from ...services.errors import FieldErrors, NotFound, TransitionRefused
from ..public.forms import EmptyForm
from . import bp
from .forms import ChangePasswordForm, CodeForm, EnrolForm, LoginForm, RemoveFactorForm


def _safe_next(target: str | None) -> str:
    """``target`` if it is a path of the officer screens on this site; the dashboard otherwise.

    No scheme or host, no backslash, no control character (a CR/LF would make the Location
    header fail), and no ``..`` that a browser would resolve to a path outside ``/petugas``.
    """
    if target and target.isprintable() and "\\" not in target:
        parts = urlsplit(target)
        path = posixpath.normpath(unquote(parts.path)) if parts.path else ""
        if (not parts.scheme and not parts.netloc
                and (path == "/petugas" or path.startswith("/petugas/"))):
            return target
    return url_for("officer.dashboard")


def _too_many_sign_ins(request_limit):
    """A client over the limit of failed sign-ins gets the form back, the e-mail kept."""
    wait = retry_after_seconds(request_limit)
    notice = ngettext("Terlalu banyak percobaan masuk yang gagal dari jaringan Anda. Coba lagi "
                      "dalam %(num)s menit.", "Terlalu banyak percobaan masuk yang gagal dari "
                      "jaringan Anda. Coba lagi dalam %(num)s menit.", math.ceil(wait / 60))
    form = LoginForm()
    form.password.data = None
    return make_response(render_template("auth/login.html", form=form, limit_notice=notice),
                         429, {"Retry-After": str(wait)})


def _account_throttled(form: LoginForm, wait: int):
    """The form again (e-mail kept) when sign-in under this e-mail is throttled; the count
    that started it is kept (the unit of work commits despite the 429)."""
    unit_of_work.keep_on_error()
    notice = ngettext("Terlalu banyak percobaan masuk yang gagal dengan e-mail ini. Coba lagi "
                      "dalam %(num)s menit.", "Terlalu banyak percobaan masuk yang gagal dengan "
                      "e-mail ini. Coba lagi dalam %(num)s menit.", math.ceil(wait / 60))
    form.password.data = None
    return make_response(render_template("auth/login.html", form=form, limit_notice=notice),
                         429, {"Retry-After": str(wait)})


@bp.route("/masuk", methods=["GET", "POST"])
@form_limit("RATELIMIT_LOGIN", "html-login", counts=lambda response: response.status_code == 422,
            on_breach=_too_many_sign_ins)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("officer.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        now, email = clock.now(), form.email.data
        outcome = accounts.sign_in(email, form.password.data, now,
                                   secret=current_app.config["SECRET_KEY"],
                                   device=staff_session.known_device(email))
        if outcome.user is not None:
            pending = second_factor.step_after_password(outcome.user)
            if pending is None:
                staff_session.sign_in(outcome.user, now)
                target = _after_sign_in(outcome.user, request.args.get("next"))
            else:
                # The password was right; the session opens after the code (or enrolment).
                staff_session.begin_second_step(outcome.user, now, pending,
                                                request.args.get("next"))
                target = url_for("auth.second_factor_code" if pending == sessions.PENDING_CODE
                                 else "auth.second_factor_enrol")
            response = redirect(target, code=303)
            staff_session.remember_device(response, email)
            return response
        if outcome.refused == accounts.THROTTLED:
            return _account_throttled(form, outcome.wait_seconds)
        unit_of_work.keep_on_error()  # the failure counts (services/throttle.py)
        if outcome.refused == accounts.EXPIRED:
            form.password.errors = [_("Kata sandi sementara dari admin hanya berlaku 24 jam dan "
                                      "sudah kedaluwarsa. Minta admin Anda mengatur ulang kata "
                                      "sandi.")]
        else:
            form.password.errors = [_("E-mail atau kata sandi salah.")]
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


def _after_sign_in(user, next_target: str | None) -> str:
    """Where a complete sign-in goes: a password an admin set is changed first (the page says
    why), else the page asked for, else the dashboard."""
    if user.must_change_password:
        return url_for("auth.change_password")
    return _safe_next(next_target)


# --- the second factor: the code step of a sign-in, enrolment, one's own factor -----------------

def _too_many_codes(request_limit):
    wait = retry_after_seconds(request_limit)
    notice = ngettext("Terlalu banyak percobaan kode dari jaringan Anda. Coba lagi dalam "
                      "%(num)s menit.", "Terlalu banyak percobaan kode dari jaringan Anda. Coba "
                      "lagi dalam %(num)s menit.", math.ceil(wait / 60))
    return make_response(render_template("auth/second_factor_code.html", form=CodeForm(),
                                         limit_notice=notice), 429, {"Retry-After": str(wait)})


@bp.route("/masuk/kode", methods=["GET", "POST"])
@form_limit("RATELIMIT_LOGIN", "html-login-code",
            counts=lambda response: response.status_code == 422, on_breach=_too_many_codes)
def second_factor_code():
    """The second step of a sign-in: a code of the authenticator app (not used before) or a
    recovery code. Until it is right the session opens no staff page."""
    now = clock.now()
    row = staff_session.pending_sign_in(now)
    if row is None:
        if current_user.is_authenticated:
            return redirect(url_for("officer.dashboard"))
        flash(_("Masuk dulu dengan e-mail dan kata sandi Anda."), "warning")
        return redirect(url_for("auth.login"), code=303)
    if row.pending == sessions.PENDING_ENROL:
        return redirect(url_for("auth.second_factor_enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        outcome = second_factor.check_code(row.user, form.code.data, now)
        if outcome.ok:
            user = row.user
            target = staff_session.finish_second_step(row, now)
            if outcome.recovery:
                flash(ngettext("Kode pemulihan sudah dipakai dan tidak berlaku lagi. Sisa %(num)s "
                               "kode pemulihan.", "Kode pemulihan sudah dipakai dan tidak berlaku "
                               "lagi. Sisa %(num)s kode pemulihan.", outcome.recovery_left),
                      "success")
            return redirect(_after_sign_in(user, target), code=303)
        unit_of_work.keep_on_error()  # the failure counts and is in the audit trail
        form.code.data = None
        if outcome.refused == second_factor.THROTTLED:
            notice = ngettext("Terlalu banyak kode yang salah untuk akun ini. Coba lagi dalam "
                              "%(num)s menit.", "Terlalu banyak kode yang salah untuk akun ini. "
                              "Coba lagi dalam %(num)s menit.",
                              math.ceil(outcome.wait_seconds / 60))
            return make_response(render_template("auth/second_factor_code.html", form=form,
                                                 limit_notice=notice),
                                 429, {"Retry-After": str(outcome.wait_seconds)})
        if outcome.refused == second_factor.REPLAYED:
            form.code.errors = [_("Kode ini sudah dipakai. Tunggu sampai aplikasi menampilkan "
                                  "kode berikutnya, lalu masukkan kode itu.")]
        else:
            form.code.errors = [_("Kode salah. Masukkan 6 angka yang sedang tampil di aplikasi "
                                  "autentikator, atau salah satu kode pemulihan Anda.")]
    status = 422 if request.method == "POST" else 200
    return render_template("auth/second_factor_code.html", form=form), status


def _enrolling():
    """(user, pending sign-in row or None) of whoever may enrol here; (None, None) if nobody."""
    if current_user.is_authenticated:
        return current_user._get_current_object(), None
    row = staff_session.pending_sign_in(clock.now())
    if row is not None and row.pending == sessions.PENDING_ENROL:
        return row.user, row
    return None, None


@bp.route("/faktor-kedua/daftar", methods=["GET", "POST"])
@unit_of_work.view_writes
def second_factor_enrol():
    """Add an authenticator: a QR code (SVG drawn on the server) and the secret to type, then
    a first code to confirm it; the ten recovery codes are shown once on the answer. Required
    roles come here right after the password, before any other page."""
    user, row = _enrolling()
    if user is None:
        if staff_session.pending_sign_in(clock.now()) is not None:
            return redirect(url_for("auth.second_factor_code"))
        return redirect(url_for("auth.login"))
    if second_factor.has_factor(user):
        return redirect(url_for("auth.second_factor_page"))
    now = clock.now()
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_enrolment(user, form.code.data, now)
        except FieldErrors as exc:
            form.code.errors = [str(message) for message in exc.errors.values()]
        else:
            if row is not None:
                target = _after_sign_in(user, staff_session.finish_second_step(row, now))
            else:
                target = url_for("auth.second_factor_page")
            return render_template("auth/second_factor_recovery_codes.html", codes=codes,
                                   continue_url=target)
    enrolment = second_factor.begin_enrolment(user, now)
    unit_of_work.keep_on_error()  # the secret shown on a refused form must stay the same
    form.code.data = None
    status = 422 if request.method == "POST" else 200
    return render_template("auth/second_factor_enrol.html", form=form, enrolment=enrolment,
                           required=second_factor.is_required(user), account_email=user.email,
                           signing_in=row is not None), status


def _render_factor_page(form=None, status=200):
    user = current_user._get_current_object()
    return render_template("auth/second_factor.html", factor=second_factor.factor_of(user),
                           required=second_factor.is_required(user),
                           can_remove=second_factor.can_remove_own(user),
                           recovery_left=second_factor.recovery_codes_left(user),
                           form=form or RemoveFactorForm()), status


@bp.get("/faktor-kedua")
@login_required
def second_factor_page():
    """One's own second factor: whether there is one, since when, recovery codes left; an
    officer may add or remove it."""
    return _render_factor_page()


@bp.post("/faktor-kedua/hapus")
@login_required
def second_factor_remove():
    """An officer removes their own authenticator (current password and a code asked)."""
    form = RemoveFactorForm()
    if form.validate_on_submit():
        try:
            problems = second_factor.remove_own(current_user._get_current_object(),
                                                form.current_password.data, form.code.data,
                                                clock.now())
        except TransitionRefused:
            abort(403)
        if not problems:
            flash(_("Verifikasi dua langkah dihapus dari akun Anda. Anda dapat menambahkannya "
                    "lagi kapan saja."), "success")
            return redirect(url_for("auth.second_factor_page"), code=303)
        unit_of_work.keep_on_error()  # a wrong code counts (throttle) and is audited
        for name, message in problems.items():
            getattr(form, name).errors = [str(message)]
    return _render_factor_page(form, 422)


@bp.post("/keluar")
def logout():
    if EmptyForm().validate_on_submit():
        staff_session.sign_out()
        flash(_("Anda sudah keluar."), "success")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    """An officer changes their own password; this session stays signed in, the others end
    and the account's API tokens are revoked."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        problems = accounts.change_own_password(current_user._get_current_object(),
                                                form.current_password.data,
                                                form.new_password.data, form.repeat_password.data,
                                                clock.now(), staff_session.current_token())
        if not problems:
            flash(_("Kata sandi Anda sudah diganti. Sesi lain akun ini berakhir dan token API "
                    "akun ini dicabut."), "success")
            return redirect(url_for("officer.dashboard"), code=303)
        for name, message in problems.items():
            getattr(form, name).errors = [str(message)]
    status = 422 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form,
                           password_min=accounts.PASSWORD_MIN_LENGTH,
                           must_change=current_user.must_change_password), status


# --- one's own sessions -------------------------------------------------------------------------

@bp.get("/sesi")
@login_required
def session_list():
    """The account's live sessions (device, last seen, since), this one marked."""
    token = staff_session.current_token()
    rows = sessions.active_sessions(current_user, clock.now())
    return render_template("auth/sessions.html", rows=rows, form=EmptyForm(),
                           is_current=lambda row: sessions.is_current(row, token),
                           policy=sessions.Policy.from_config())


@bp.post("/sesi/<int:session_id>/akhiri")
@login_required
def session_end(session_id):
    """End one of one's own sessions (this one means signing out); 404 for anybody else's."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    current = g.get("staff_session")
    if current is not None and current.id == session_id:
        staff_session.sign_out()
        flash(_("Sesi ini sudah diakhiri. Anda sudah keluar."), "success")
        return redirect(url_for("auth.login"), code=303)
    try:
        sessions.end_own(current_user, session_id)
    except NotFound:
        abort(404)
    flash(_("Sesi itu sudah diakhiri: perangkat tersebut harus masuk lagi."), "success")
    return redirect(url_for("auth.session_list"), code=303)


@bp.post("/sesi/akhiri-lainnya")
@login_required
def session_end_others():
    """End every session of the account but this one (API tokens stay)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    ended = sessions.end_others(current_user, staff_session.current_token())
    flash(ngettext("%(num)s sesi lain sudah diakhiri.", "%(num)s sesi lain sudah diakhiri.", ended),
          "success")
    return redirect(url_for("auth.session_list"), code=303)


# --- API tokens ---------------------------------------------------------------------------------

@bp.get("/token")
@login_required
def token_list():
    """One's own API tokens, and for an admin those of the accounts they manage."""
    return render_template("auth/tokens.html", tokens=credentials.tokens_for(current_user),
                           form=EmptyForm(), now=clock.now())


@bp.post("/token/<int:token_id>/cabut")
@login_required
def token_revoke(token_id):
    """Revoke a token the user may revoke (checked per token); 404 otherwise."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        token = credentials.revoke_for(current_user, token_id, clock.now())
    except NotFound:
        abort(404)
    flash(_("Token %(prefix)s sudah dicabut: sistem yang memakainya tidak dapat masuk lagi.",
            prefix=token.prefix), "success")
    return redirect(url_for("auth.token_list"), code=303)
