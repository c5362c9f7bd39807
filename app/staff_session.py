"""Flask-Login wired to the server-side staff sessions (the rules are services/sessions.py).

* The cookie remembers only the session's random id (Flask-Login's user id, ``User.get_id``);
  the user loader finds the session by its hash and returns None (signed out) when it was
  ended, is idle or past its absolute lifetime, or the account was deactivated.
* A request whose session's last visit is more than ``sessions.TOUCH_PRECISION`` old is begun
  as a writer (``unit_of_work.writer_when``), so the loader may note the visit; the cookie
  keeps the time of that note (``_seen``, signed) so that other requests stay readers.
* An account whose password was set by an admin goes to the change-password page first.
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
from .services import sessions, throttle

SEEN_KEY = "_seen"
DEVICE_COOKIE = "terang_perangkat"
DEVICE_DAYS = 180
# Pages an account that must change its password may still open.
OPEN_WHILE_CHANGING = frozenset({"auth.change_password", "auth.logout", "auth.login", "static"})


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
    logout_user()
    session.pop(SEEN_KEY, None)


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
    app.before_request(_require_password_change)
