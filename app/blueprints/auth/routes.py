"""Sign-in for officers. Passwords are argon2 hashes; a failed sign-in never says which part was wrong."""
import math
import posixpath
from urllib.parse import unquote, urlsplit

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from ...ratelimits import form_limit, retry_after_seconds
from ...services import accounts
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


@bp.route("/masuk", methods=["GET", "POST"])
@form_limit("RATELIMIT_LOGIN", "html-login", counts=lambda response: response.status_code == 422,
            on_breach=_too_many_sign_ins)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("officer.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")), code=303)
        form.password.errors = [_("E-mail atau kata sandi salah.")]
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/keluar")
def logout():
    if EmptyForm().validate_on_submit():
        logout_user()
        flash(_("Anda sudah keluar."), "success")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/kata-sandi", methods=["GET", "POST"])
@login_required
def change_password():
    """An officer changes their own password; this session stays signed in, others end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        problems = accounts.change_own_password(current_user._get_current_object(),
                                                form.current_password.data,
                                                form.new_password.data, form.repeat_password.data)
        if not problems:
            login_user(current_user._get_current_object())  # the session id carries the new hash
            flash(_("Kata sandi Anda sudah diganti. Sesi lain akun ini berakhir."), "success")
            return redirect(url_for("officer.dashboard"), code=303)
        for name, message in problems.items():
            getattr(form, name).errors = [str(message)]
    status = 422 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status
