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
from ...services import accounts, credentials, sessions
from ...services.errors import NotFound
from ..public.forms import EmptyForm
from . import bp
from .forms import ChangePasswordForm, LoginForm


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
            staff_session.sign_in(outcome.user, now)
            # A password an admin set is changed first (the page says why).
            target = (url_for("auth.change_password") if outcome.user.must_change_password
                      else _safe_next(request.args.get("next")))
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
