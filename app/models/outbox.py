"""Outgoing e-mail, written in the same transaction as the event that causes it.

``flask outbox deliver`` sends what is due, with retries and exponential backoff; a message is
never lost when the mail server is down, and never sent for an event that was rolled back.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .. import clock
from .types import UTCDateTime


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Makes queueing idempotent (e.g. one reminder per report and clock).
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True, default=None)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True, default=None)
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5), default="id")
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None, index=True)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    # A follower's message (services/following.py): the one-click unsubscribe address, sent as
    # List-Unsubscribe with List-Unsubscribe-Post (RFC 8058). Scrubbed with the text.
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500), default=None)
