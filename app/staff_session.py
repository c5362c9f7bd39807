"""Flask-Login wired to the server-side staff sessions (the rules are services/sessions.py).

* The cookie remembers only the session's random id (Flask-Login's user id, ``User.get_id``);
  the user loader finds the session by its hash and returns None (signed out) when it was
  ended, is idle or past its absolute lifetime, or the account was deactivated.
* A request whose session's last visit is more than ``sessions.TOUCH_PRECISION`` old is begun
  as a writer (``unit_of_work.writer_when``), so the loader may note the visit; the cookie
  keeps the time of that note (``_seen``, signed) so that other requests stay readers.
* An account whose password was set by an admin goes to the change-password page first.
* A right password of an account with a second factor (or whose role requires one) opens a
  *pending* session (services/second_factor.py): its id is kept under ``_pending``, never as
  Flask-Login's user id, and the loader refuses it anyway, so no staff page opens until the
  code is given (:func:`finish_second_step`, which gives the session a new id). A complete
  session of a role that requires a factor the account does not have (a session from before
  the factor was required) is led to enrolment before any other page.
* A browser the owner signed in with keeps a "known device" cookie, so that its sign-ins are
  throttled apart from strangers' guesses (services/throttle.py).
"""
from __future__ import annotations

import secrets
from datetime import datetime

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from . import clock, unit_of_work
from .database import is_writing
from .extensions import login_manager
from .models import User
from .services import second_factor, sessions, throttle

SEEN_KEY = "_seen"
PENDING_KEY = "_pending"
PENDING_NEXT_KEY = "_pending_next"
DEVICE_COOKIE = "terang_perangkat"
DEVICE_DAYS = 180
# Pages an account that must change its password may still open.
OPEN_WHILE_CHANGING = frozenset({"auth.change_password", "auth.logout", "auth.login", "static",
                                 "auth.second_factor_enrol"})
# Pages a signed-in account that must still enrol a second factor may open.
OPEN_WHILE_ENROLLING = frozenset({"auth.second_factor_enrol", "auth.logout", "auth.login",
                                  "auth.second_factor_code", "static"})


def current_token() -> str | None:
    """The session id this request was signed in with (from the cookie)."""
    token = session.get("_user_id")
    return token if isinstance(token, str) else None


def sign_in(user: User, now: datetime) -> None:
    """Open a server-side session for ``user`` and give its id to this browser."""
    token = sessions.open_session(user, now, request.user_agent.string)
    user.session_token = token
    session.pop("_user_id", None)
    login_user(user)
    session[SEEN_KEY] = now.timestamp()


def sign_out() -> None:
    """End this browser's session on the server, then forget it here."""
    sessions.end_by_token(current_token(), sessions.LOGOUT)
    abandon_second_step()
    logout_user()
    session.pop(SEEN_KEY, None)


# --- the second step of a sign-in -----------------------------------------------------------------

def begin_second_step(user: User, now: datetime, pending: str, next_target: str | None) -> None:
    """Open a pending session for ``user`` (right password, second factor to come)."""
    abandon_second_step()
    token = sessions.open_session(user, now, request.user_agent.string, pending=pending)
    session.pop("_user_id", None)
    session[PENDING_KEY] = token
    if next_target:
        session[PENDING_NEXT_KEY] = next_target
    else:
        session.pop(PENDING_NEXT_KEY, None)


def pending_sign_in(now: datetime):
    """This browser's half-done sign-in (a UserSession with ``pending``), or None."""
    token = session.get(PENDING_KEY)
    return sessions.resume_pending(token if isinstance(token, str) else None, now)


def finish_second_step(row, now: datetime) -> str | None:
    """The second factor was given: the session opens, with a new id. Returns the page the
    sign-in was headed for (None: the dashboard)."""
    token = sessions.complete(row, now)
    user = row.user
    user.session_token = token
    session.pop(PENDING_KEY, None)
    login_user(user)
    session[SEEN_KEY] = now.timestamp()
    target = session.pop(PENDING_NEXT_KEY, None)
    return target if isinstance(target, str) else None


def abandon_second_step() -> None:
    """Forget (and end on the server) a half-done sign-in of this browser."""
    token = session.pop(PENDING_KEY, None)
    session.pop(PENDING_NEXT_KEY, None)
    if isinstance(token, str):
        sessions.end_by_token(token, sessions.LOGOUT)


def _load_user(token: str) -> User | None:
    now = clock.now()
    row = sessions.resume(token, now, touch=is_writing())
    if row is None:
        return None
    if row.last_seen_at == now:
        session[SEEN_KEY] = now.timestamp()
    g.staff_session = row
    user = row.user
    user.session_token = token
    return user


def _touch_due() -> bool:
    if request.endpoint == "static" or not current_token():
        return False
    seen = session.get(SEEN_KEY)
    return sessions.touch_due(seen if isinstance(seen, (int, float)) else None, clock.now())


def _require_password_change():
    if request.endpoint in OPEN_WHILE_CHANGING or request.blueprint not in ("officer", "auth"):
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


def _require_second_factor():
    """A complete session of a role that must have a second factor, whose account has none
    (signed in before the rule, say), goes to enrolment before any other staff page."""
    if request.endpoint in OPEN_WHILE_ENROLLING or request.blueprint not in ("officer", "auth"):
        return None
    if (current_user.is_authenticated and second_factor.is_required(current_user)
            and not second_factor.has_factor(current_user)):
        return redirect(url_for("auth.second_factor_enrol"))
    return None


# --- the known-device cookie ----------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="terang/known-device")


def _account_tag(email: str) -> str:
    return throttle.key_for(email, current_app.config["SECRET_KEY"])[:16]


def known_device(email: str) -> str | None:
    """This browser's device nonce when it signed in as ``email`` before; None otherwise."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        held = _serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(held, dict) or held.get("a") != _account_tag(email):
        return None
    nonce = held.get("n")
    return nonce if isinstance(nonce, str) else None


def remember_device(response, email: str) -> None:
    """Mark this browser as one ``email``'s owner signs in with (no personal data inside)."""
    nonce = known_device(email) or secrets.token_urlsafe(16)
    value = _serializer().dumps({"a": _account_tag(email), "n": nonce})
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_DAYS * 86400, path="/petugas",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
                        httponly=True, samesite="Lax")


def init_app(app: Flask) -> None:
    login_manager.user_loader(_load_user)
    unit_of_work.writer_when(app, _touch_due)
    app.before_request(_require_second_factor)
    app.before_request(_require_password_change)
