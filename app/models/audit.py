"""Access log: every view an oversight user makes (and other sensitive reads) is recorded, and so
is every change an admin makes to an officer account (``account_…``, see services/accounts.py)
and every security event of an account: sign-ins, failed and throttled sign-ins, session ends,
API tokens made and revoked (``sessions.SECURITY_EVENTS``; docs/security.md)."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .. import clock
from .types import UTCDateTime


class AccessLog(db.Model):
    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True, default=None)
    what: Mapped[str] = mapped_column(String(40))  # e.g. view_report, download, account_deactivate
    detail: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)

    user = relationship("User")
    report = relationship("Report")
