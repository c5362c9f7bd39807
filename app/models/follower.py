"""Someone who follows a public report by e-mail (``services/following.py``).

A follower is personal data of someone other than the reporter: the address is kept only so
that the report's public steps can be mailed to it, is never shown to anyone (not the public,
not the agency, not the reporter), and the row is deleted on unsubscribing, 48 hours after an
unconfirmed request, and some days after the report is closed (``following.purge``).

Lookups go through a keyed hash of the address (``email_hash``); both links (confirmation and
unsubscribe) are stored as SHA-256 hashes only.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .. import clock
from .types import UTCDateTime


class ReportFollower(db.Model):
    __tablename__ = "report_followers"
    __table_args__ = (
        UniqueConstraint("report_id", "email_hash", name="uq_report_followers_report_email"),
        # Requests per address within the rate-limit window.
        Index("ix_report_followers_email_requested", "email_hash", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    email_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(5), default="id")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    # The last confirmation link sent (its time, hash and end); cleared once confirmed.
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    confirm_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    unsubscribe_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True,
                                                                default=None)
