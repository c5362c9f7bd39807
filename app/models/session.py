"""Server-side sessions of staff accounts, and the per-account sign-in throttle.

The browser's cookie carries only a random session id; this table keeps its SHA-256, so a
copy of the table opens nothing. A row is deleted when its session ends (sign-out, the owner
ending it on /petugas/sesi, a password change or reset, deactivation) and expired rows are
purged by ``flask lifecycle tick`` (services/sessions.py). Reporters never get a row: they
have no account (docs/domain.md, "Personal data").
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .. import clock
from .types import UTCDateTime


class UserSession(db.Model):
    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    # The absolute end (created_at + SESSION_ABSOLUTE_HOURS), whatever the activity.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # The device in plain words, read from the User-Agent at sign-in (the header itself is
    # not kept): e.g. browser "Firefox", system "Android".
    browser: Mapped[str] = mapped_column(String(40), default="")
    system: Mapped[str] = mapped_column(String(40), default="")
    # A sign-in half done: the password was right, the second factor is still to be given
    # ("code") or enrolled ("enrol"). Such a session opens no staff page (services/sessions.py
    # ``resume`` refuses it); None once the sign-in is complete.
    pending: Mapped[str | None] = mapped_column(String(10), default=None)

    user = relationship("User")


class SignInThrottle(db.Model):
    """Failed sign-ins per account name (an HMAC of the typed e-mail, known account or not, so
    that the answer never tells whether an account exists), with the growing delay."""

    __tablename__ = "sign_in_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)
