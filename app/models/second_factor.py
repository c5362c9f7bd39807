"""Second factors of staff accounts, and their one-time recovery codes.

A ``second_factors`` row is one authenticator of an account. Today the only ``kind`` is
``totp`` (an authenticator app, RFC 6238); the table is shaped so that a WebAuthn key can
follow (its credential id and public key would go in ``secret`` and a new ``kind``). The TOTP
secret is stored encrypted (Fernet, a key derived from the app secret: services/second_factor.py),
never in clear and never logged. ``confirmed_at`` is empty while the owner has not yet typed a
first code (an enrolment under way); only confirmed factors count. ``last_used_step`` is the
30-second step of the last accepted code: a code of that step or an older one is refused
(replay).

``recovery_codes`` keeps only an HMAC of each code (keyed with the app secret and the account);
a code works once (``used_at``).
"""
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .. import clock
from .types import UTCDateTime

TOTP = "totp"


class SecondFactor(db.Model):
    __tablename__ = "second_factors"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=TOTP)
    secret: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_used_step: Mapped[int | None] = mapped_column(BigInteger, default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    user = relationship("User")


class RecoveryCode(db.Model):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
