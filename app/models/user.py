"""Officer accounts: national admins, agency admins, officers and oversight staff."""
import hashlib
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

    @property
    def session_fingerprint(self) -> str:
        """A short digest of the password hash: a new password ends the sessions opened before it."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def get_id(self) -> str:  # Flask-Login: what the session remembers (see accounts.user_for_session)
        return f"{self.id}:{self.session_fingerprint}"
