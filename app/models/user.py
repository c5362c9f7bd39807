"""Officer accounts: national admins, agency admins, officers and oversight staff."""
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .. import clock
from .types import UTCDateTime

NATIONAL_ADMIN = "national_admin"
AGENCY_ADMIN = "agency_admin"
OFFICER = "officer"
OVERSIGHT = "oversight"
ROLES = (NATIONAL_ADMIN, AGENCY_ADMIN, OFFICER, OVERSIGHT)
ROLES_WITH_AGENCY = (AGENCY_ADMIN, OFFICER)

_hasher = PasswordHasher()


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True, default=None)
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    # A password set by an admin (one-time or chosen): it must be changed at the next sign-in,
    # and it stops opening the account at ``password_expires_at`` (24 hours after it was set).
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    agency = relationship("Agency")

    def set_password(self, password: str) -> None:
        self.password_hash = _hasher.hash(password)

    def check_password(self, password: str) -> bool:
        try:
            return _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.is_active_account

    # The random id of the server-side session this object was loaded or signed in with
    # (app/staff_session.py sets it); never stored in this table.
    session_token = None

    def __eq__(self, other):  # UserMixin compares get_id(), the session id: compare rows
        if not isinstance(other, User):
            return NotImplemented
        if self.id is None or other.id is None:
            return self is other
        return self.id == other.id

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = object.__hash__

    def get_id(self) -> str:
        """Flask-Login: what the cookie remembers, the random session id (services/sessions.py)."""
        if not self.session_token:
            raise RuntimeError("sign in through app.staff_session.sign_in (a server-side session)")
        return self.session_token
