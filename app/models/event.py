"""The immutable event timeline of a report.

Every transition and every message is one row here; rows are never updated or deleted
(enforced below at the ORM level).
"""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .. import clock
from .types import UTCDateTime

REPORTER = "reporter"
OFFICER = "officer"
SYSTEM = "system"


class ImmutableEventError(RuntimeError):
    """Raised when code tries to change or delete a recorded event."""


class ReportEvent(db.Model):
    __tablename__ = "report_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    action: Mapped[str] = mapped_column(String(32))
    actor_kind: Mapped[str] = mapped_column(String(12))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # Indexed: the rollups also ask for every report an agency transferred away (migration 0021).
    actor_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True,
                                                        default=None)
    # For route and transfer: the agency the report was sent to. Indexed: the rollups ask for
    # every report an agency ever received (one agency-month at a time).
    target_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True,
                                                         default=None)
    # For an archive as a duplicate: the original report (docs/domain.md, "Lifecycle").
    related_report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), default=None)
    from_status: Mapped[str | None] = mapped_column(String(12), default=None)
    to_status: Mapped[str | None] = mapped_column(String(12), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    public_text: Mapped[str | None] = mapped_column(Text, default=None)
    # Internal notes are never shown outside the agency and oversight.
    is_internal: Mapped[bool] = mapped_column(Boolean, default=False)

    report = relationship("Report", back_populates="events", foreign_keys=[report_id])
    related_report = relationship("Report", foreign_keys=[related_report_id])
    actor = relationship("User")
    actor_agency = relationship("Agency", foreign_keys=[actor_agency_id])
    target_agency = relationship("Agency", foreign_keys=[target_agency_id])
    attachments = relationship("Attachment", primaryjoin="ReportEvent.id == Attachment.event_id",
                               viewonly=True)


@event.listens_for(ReportEvent, "before_update")
def _refuse_update(_mapper, _connection, target):
    raise ImmutableEventError(f"report event {target.id} is immutable")


@event.listens_for(ReportEvent, "before_delete")
def _refuse_delete(_mapper, _connection, target):
    raise ImmutableEventError(f"report event {target.id} is immutable")
