"""Server-side sessions of staff accounts (officers, admins, oversight).

A sign-in opens a session: 32 random bytes from the CSPRNG, given to the browser (inside the
signed session cookie, as Flask-Login's user id) and kept here only as a SHA-256
(``UserSession.token_hash``). Each request finds its session by that hash
(:func:`resume`); a session ends for real when its row is deleted, so a copy of the cookie
taken before is worth nothing afterwards. A session ends

* when its owner signs out, or ends it on ``/petugas/sesi`` (:func:`end_own`);
* after ``SESSION_IDLE_MINUTES`` without a request (30 by default) and in any case
  ``SESSION_ABSOLUTE_HOURS`` after the sign-in (12 by default);
* with every other session and API token of the account, when its password is changed or
  reset, or the account is deactivated (:func:`end_all`, called by services/accounts.py).

``last_seen_at`` is written at most once per ``TOUCH_PRECISION`` per session: a touch is a
write, and most officer pages are read-only transactions (app/staff_session.py asks for a
writer only when a touch is due). The idle timeout is therefore exact to that precision.
Expired rows are purged by ``flask lifecycle tick`` (:func:`purge_expired`).

The User-Agent header is read once at sign-in and reduced to a browser and a system in plain
words (:func:`describe_device`); the header and the client address are not stored.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AccessLog, ApiToken, User, UserSession
from ..unit_of_work import writes
from .errors import NotFound

TOUCH_PRECISION = timedelta(minutes=1)
# A sign-in whose password was right but whose second factor is still to come (given or
# enrolled) lasts this long at most; it opens no staff page meanwhile.
PENDING_LIFETIME = timedelta(minutes=15)
PENDING_CODE = "code"
PENDING_ENROL = "enrol"
DEFAULT_IDLE_MINUTES = 30
DEFAULT_ABSOLUTE_HOURS = 12

# What the audit trail records (AccessLog.what); the detail never holds a secret.
SIGNED_IN = "sign_in"
SESSION_ENDED = "session_end"
TOKEN_CREATED = "token_create"
TOKEN_REVOKED = "token_revoke"
TOKEN_USED = "token_use"          # once per token per credentials.LAST_USED_PRECISION
TOKEN_REFUSED = "token_refused"   # a revoked or expired token, or one of an inactive account
# Every security event of an account (sign-ins, throttling, session ends, tokens), as against
# the reads of reports and the changes admins make to accounts.
SECURITY_EVENTS = (SIGNED_IN, "sign_in_failed", "sign_in_throttled", SESSION_ENDED,
                   TOKEN_CREATED, TOKEN_REVOKED, TOKEN_USED, TOKEN_REFUSED,
                   "second_factor_enrol", "second_factor_failed", "second_factor_throttled",
                   "recovery_code_used", "second_factor_remove")
# Why a session ended (AccessLog.detail).
LOGOUT = "logout"
ENDED_BY_OWNER = "ended_by_owner"
PASSWORD_CHANGED = "password_changed"
PASSWORD_RESET = "password_reset"
DEACTIVATED = "deactivated"
SECOND_FACTOR_RESET = "second_factor_reset"


@dataclass(frozen=True)
class Policy:
    idle: timedelta
    absolute: timedelta

    @classmethod
    def from_config(cls) -> "Policy":
        config = current_app.config
        return cls(idle=timedelta(minutes=int(config.get("SESSION_IDLE_MINUTES",
                                                         DEFAULT_IDLE_MINUTES))),
                   absolute=timedelta(hours=float(config.get("SESSION_ABSOLUTE_HOURS",
                                                             DEFAULT_ABSOLUTE_HOURS))))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- the device, in plain words ------------------------------------------------------------------

# Order matters: the first name found in the header wins (Edge and Opera say "Chrome" too,
# Chrome says "Safari"). Substring tests only: no regular expression sees the header.
_BROWSERS = (("Edg/", "Edge"), ("EdgA/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
             ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"),
             ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"),
             ("curl/", "curl"), ("python-requests/", "Python"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("CrOS", "ChromeOS"),
            ("Windows", "Windows"), ("Macintosh", "macOS"), ("Mac OS X", "macOS"),
            ("Linux", "Linux"))


def describe_device(user_agent: str | None) -> tuple[str, str]:
    """(browser, system) named from a User-Agent header, "" for what is not recognised."""
    header = (user_agent or "")[:512]
    browser = next((name for needle, name in _BROWSERS if needle in header), "")
    system = next((name for needle, name in _SYSTEMS if needle in header), "")
    return browser, system


# --- opening, finding and ending sessions ---------------------------------------------------------

def audit(user_id: int, what: str, detail: str | None = None) -> None:
    """One line of the account's audit trail (sign-ins, session ends, tokens, throttling)."""
    db.session.add(AccessLog(user_id=user_id, what=what, detail=(detail or None) and detail[:200]))


@writes
def open_session(user: User, now: datetime, user_agent: str | None = None,
                 pending: str | None = None) -> str:
    """Open a session for ``user`` (who has just proved who they are); return its id, which
    is given to the browser and never stored here.

    With ``pending`` (PENDING_CODE or PENDING_ENROL) the password was right but the second
    factor is still to come: the session opens no page (:func:`resume` refuses it) until
    :func:`complete` is called, and it ends after PENDING_LIFETIME.
    """
    token = secrets.token_urlsafe(32)
    browser, system = describe_device(user_agent)
    policy = Policy.from_config()
    end = now + (PENDING_LIFETIME if pending else policy.absolute)
    db.session.add(UserSession(user_id=user.id, token_hash=_digest(token), created_at=now,
                               last_seen_at=now, expires_at=end, browser=browser, system=system,
                               pending=pending))
    if not pending:
        audit(user.id, SIGNED_IN, f"{browser or '-'}; {system or '-'}")
    db.session.flush()
    return token


def resume_pending(token: str | None, now: datetime) -> UserSession | None:
    """The live half-done sign-in with id ``token`` of an active account, or None."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(UserSession).options(selectinload(UserSession.user))
                            .where(UserSession.token_hash == _digest(token)))
    if (row is None or row.pending is None or not row.user.is_active
            or not is_live(row, now)):
        return None
    return row


@writes
def complete(row: UserSession, now: datetime) -> str:
    """Finish a half-done sign-in (the second factor was given): the session gets a new id
    (returned; the old one opens nothing) and the full lifetime from now."""
    token = secrets.token_urlsafe(32)
    row.token_hash = _digest(token)
    row.pending = None
    row.created_at = row.last_seen_at = now
    row.expires_at = now + Policy.from_config().absolute
    audit(row.user_id, SIGNED_IN, f"{row.browser or '-'}; {row.system or '-'}; second factor")
    db.session.flush()
    return token


def is_live(row: UserSession, now: datetime, policy: Policy | None = None) -> bool:
    """Neither past its absolute end nor idle too long."""
    policy = policy or Policy.from_config()
    return now < row.expires_at and now - row.last_seen_at < policy.idle


def resume(token: str | None, now: datetime, *, touch: bool) -> UserSession | None:
    """The live session with id ``token`` of an active account, or None (the request is then
    signed out). With ``touch`` (the transaction is a writer), note the visit when the last
    one is older than TOUCH_PRECISION."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(UserSession).options(selectinload(UserSession.user))
                            .where(UserSession.token_hash == _digest(token)))
    if row is None or row.pending is not None or not row.user.is_active or not is_live(row, now):
        return None
    if touch and now - row.last_seen_at >= TOUCH_PRECISION:
        row.last_seen_at = now
    return row


def touch_due(last_touch: float | None, now: datetime) -> bool:
    """Whether a request whose session was last touched at the POSIX time ``last_touch`` (the
    cookie's note, see app/staff_session.py) should note its visit."""
    return last_touch is None or now.timestamp() - last_touch >= TOUCH_PRECISION.total_seconds()


@writes
def end_by_token(token: str | None, reason: str = LOGOUT) -> bool:
    """End the session with id ``token`` (sign-out); whether there was one."""
    if not token:
        return False
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    if row is None:
        return False
    _end(row, reason)
    return True


def active_sessions(user: User, now: datetime) -> list[UserSession]:
    """``user``'s live sessions, the most recently seen first."""
    policy = Policy.from_config()
    rows = db.session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.expires_at > now,
        UserSession.last_seen_at > now - policy.idle, UserSession.pending.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()))
    return list(rows)


def is_current(row: UserSession, token: str | None) -> bool:
    return bool(token) and row.token_hash == _digest(token)


@writes
def end_own(user: User, session_id: int) -> UserSession:
    """End one of ``user``'s own sessions; NotFound for anybody else's (as if missing)."""
    row = db.session.scalar(select(UserSession).where(UserSession.id == session_id,
                                                      UserSession.user_id == user.id))
    if row is None:
        raise NotFound(_l("Sesi tidak ditemukan atau sudah berakhir."))
    _end(row, ENDED_BY_OWNER)
    return row


@writes
def end_all(user: User, now: datetime, reason: str, keep_token: str | None = None) -> int:
    """End every session of ``user`` (but the one with id ``keep_token``) and revoke every
    API token of the account; return how many sessions ended."""
    ended = _delete_sessions(user, keep_token)
    revoked = 0
    for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                            ApiToken.revoked_at.is_(None))):
        token.revoked_at = now
        revoked += 1
    if ended:
        audit(user.id, SESSION_ENDED, f"{reason}; sessions={ended}")
    if revoked:
        audit(user.id, TOKEN_REVOKED, f"{reason}; tokens={revoked}")
    return ended


@writes
def end_others(user: User, keep_token: str | None) -> int:
    """End every session of ``user`` but the one with id ``keep_token`` (API tokens stay)."""
    ended = _delete_sessions(user, keep_token)
    if ended:
        audit(user.id, SESSION_ENDED, f"{ENDED_BY_OWNER}; sessions={ended}")
    return ended


@writes
def end_sessions(user: User, reason: str) -> int:
    """End every session of ``user`` (API tokens stay); return how many."""
    ended = _delete_sessions(user, None)
    if ended:
        audit(user.id, SESSION_ENDED, f"{reason}; sessions={ended}")
    return ended


def _delete_sessions(user: User, keep_token: str | None) -> int:
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        query = query.where(UserSession.token_hash != _digest(keep_token))
    return db.session.execute(query).rowcount or 0


def _end(row: UserSession, reason: str) -> None:
    audit(row.user_id, SESSION_ENDED, f"{reason}; session={row.id}")
    db.session.delete(row)
    db.session.flush()


def purge_expired(now: datetime) -> int:
    """Delete sessions past their absolute end or idle too long (the lifecycle tick); return
    how many."""
    policy = Policy.from_config()
    result = db.session.execute(delete(UserSession).where(or_(
        UserSession.expires_at <= now, UserSession.last_seen_at <= now - policy.idle)))
    return result.rowcount or 0
