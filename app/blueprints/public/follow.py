"""Following a public report by e-mail: the form, the confirmation link, the unsubscribe link.

None of these pages is shared (app/page_cache.py): the form holds a CSRF token, the links a
token. The board's report page, which is shared, only links here with a plain GET.
"""
from __future__ import annotations

import math

from flask import abort, current_app, make_response, render_template, request
from flask_babel import get_locale, ngettext

from ... import clock
from ...extensions import csrf
from ...ratelimits import form_limit, retry_after_seconds
from ...services import following
from . import bp
from .forms import FollowForm, TokenForm


def _lifetime_hours() -> int:
    return int(following.CONFIRM_LIFETIME.total_seconds() // 3600)


def _public_reference(reference: str) -> str:
    report = following.public_report_for(reference)
    if report is None:
        abort(404)
    return report.reference


def _form_page(reference: str, form: FollowForm, status: int = 200, notice=None):
    return make_response(render_template(
        "public/follow.html", reference=reference, form=form, limit_notice=notice,
        hours=_lifetime_hours(), keep_days=following.KEEP_AFTER_CLOSE.days), status)


def _too_many_follows(request_limit):
    """Over the limit of requests from one network: the form again, with how long to wait."""
    wait = retry_after_seconds(request_limit)
    minutes = math.ceil(wait / 60)
    notice = ngettext("Terlalu banyak permintaan dari jaringan Anda. Coba lagi dalam %(num)s "
                      "menit.", "Terlalu banyak permintaan dari jaringan Anda. Coba lagi dalam "
                      "%(num)s menit.", minutes)
    reference = (request.view_args or {}).get("reference", "")
    response = _form_page(reference, FollowForm(), 429, notice)
    response.headers["Retry-After"] = str(wait)
    return response


@bp.get("/transparansi/laporan/<reference>/ikuti")
def follow_form(reference):
    return _form_page(_public_reference(reference), FollowForm(formdata=None))


@bp.post("/transparansi/laporan/<reference>/ikuti")
@form_limit("RATELIMIT_FOLLOW", "html-follow", counts=lambda response: True,
            on_breach=_too_many_follows)
def follow_request(reference):
    """Queue a confirmation link; the answer is the same whoever already follows (no
    enumeration of followers), and whether or not the address is over its limit."""
    reference = _public_reference(reference)
    form = FollowForm()
    if not form.validate():
        return _form_page(reference, form, 422)
    following.subscribe(reference, form.email.data, str(get_locale()), clock.now(),
                        secret_key=current_app.config["SECRET_KEY"])
    return render_template("public/follow_sent.html", reference=reference,
                           hours=_lifetime_hours())


def _link_gone():
    return render_template("public/follow_gone.html", hours=_lifetime_hours()), 410


@bp.get(following.CONFIRM_PATH)
def follow_confirm():
    """The page the confirmation link opens: it asks before it confirms (a mail scanner that
    follows links must not subscribe anyone)."""
    token = request.args.get("token", "")
    reference = following.confirmation_is_usable(token, clock.now())
    if reference is None:
        return _link_gone()
    return render_template("public/follow_confirm.html", reference=reference,
                           form=TokenForm(token=token))


@bp.post(following.CONFIRM_PATH)
def follow_confirm_post():
    form = TokenForm()
    if not form.validate():
        return _link_gone()
    reference = following.confirm(form.token.data, clock.now(),
                                  secret_key=current_app.config["SECRET_KEY"])
    if reference is None:
        return _link_gone()
    return render_template("public/follow_confirmed.html", reference=reference,
                           keep_days=following.KEEP_AFTER_CLOSE.days)


@bp.get(following.UNSUBSCRIBE_PATH)
def unfollow():
    """The unsubscribe link opened in a browser: one button (a GET never unsubscribes)."""
    token = request.args.get("token", "")
    reference = following.unsubscribe_reference(token)
    return render_template("public/unfollow.html", reference=reference, token=token,
                           form=TokenForm(token=token))


@bp.post(following.UNSUBSCRIBE_PATH)
@csrf.exempt
def unfollow_post():
    """Unsubscribe: the button of :func:`unfollow`, or the mail program's one-click POST
    (RFC 8058: ``List-Unsubscribe=One-Click`` to the link's address, with no CSRF token, the
    link's token being the proof). The same answer whether or not there was anything to do."""
    token = request.args.get("token") or request.form.get("token") or ""
    following.unsubscribe(token, clock.now())
    return render_template("public/unfollowed.html")
