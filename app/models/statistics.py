"""Rollup tables behind the transparency figures, and frozen monthly snapshots.

Pages read only these tables, so a page costs the same at ten thousand and at a million
reports. ``statistics.refresh_dirty`` rebuilds the rows of the (agency, month) pairs that changed;
durations are kept as histograms of whole working days, which is all Kaplan–Meier needs.
The count columns of ``AgencyMonthStats`` are the stored counts the figures declare
(``app/services/statistics/declarations.py``); a test checks that the two lists agree.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .. import clock
from .types import UTCDateTime


class StoredCounts:
    """The stored counts the figures read, one column each (the same on every rollup table).

    ``statistics/declarations.py`` declares what one report adds to each; a test checks that the
    two lists agree, for the agency rollup and the regional one.
    """

    routed_in: Mapped[int] = mapped_column(Integer, default=0)
    received: Mapped[int] = mapped_column(Integer, default=0)
    confidential: Mapped[int] = mapped_column(Integer, default=0)
    followed_up: Mapped[int] = mapped_column(Integer, default=0)
    resolved: Mapped[int] = mapped_column(Integer, default=0)
    on_time_answered: Mapped[int] = mapped_column(Integer, default=0)
    on_time_eligible: Mapped[int] = mapped_column(Integer, default=0)
    transfers_out: Mapped[int] = mapped_column(Integer, default=0)
    disputed: Mapped[int] = mapped_column(Integer, default=0)
    # Received reports the agency resolved at least once since they arrived (dispute rate base).
    ever_resolved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # SP4N-LAPOR!'s "tindak lanjut" (selesai + proses), follow_up_rate_lapor.v1's numerator.
    lapor_followed_up: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # resolved_within_window.v1: eligible reports and those resolved within the fixed window.
    window_eligible: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    window_resolved: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)


class AgencyMonthStats(StoredCounts, db.Model):
    """Counts for one agency and one month of submission."""

    __tablename__ = "agency_month_stats"
    __table_args__ = (UniqueConstraint("agency_id", "period", name="uq_agency_month_stats_agency_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL: the national total of the month (kept so the national page reads a few rows).
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM, Jakarta time
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class RegionMonthStats(StoredCounts, db.Model):
    """Counts of the reports whose incident lies in one kab/kota, for one month of submission.

    The same stored counts as ``AgencyMonthStats``, summed over every agency the reports touched:
    each report adds to this row exactly what it adds to its agencies' rows, so the rows of all
    kab/kota of a month add up to the national row. ``province_code`` (the kab/kota's province)
    lets a province's figures be one grouped sum.
    """

    __tablename__ = "region_month_stats"
    __table_args__ = (UniqueConstraint("region_code", "period", name="uq_region_month_stats_region_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    province_code: Mapped[str] = mapped_column(String(13), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM, Jakarta time
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class RegionDurationBucket(db.Model):
    """``DurationBucket`` for the reports of one kab/kota (incident region) and month."""

    __tablename__ = "region_duration_buckets"
    __table_args__ = (UniqueConstraint("region_code", "period", "measure", "days",
                                       name="uq_region_duration_buckets_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    province_code: Mapped[str] = mapped_column(String(13), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    measure: Mapped[str] = mapped_column(String(20))
    days: Mapped[int] = mapped_column(Integer)
    observed: Mapped[int] = mapped_column(Integer, default=0)
    censored: Mapped[int] = mapped_column(Integer, default=0)


class DurationBucket(db.Model):
    """How many reports took ``days`` working days (observed) or were still open at ``days`` (censored)."""

    __tablename__ = "duration_buckets"
    __table_args__ = (UniqueConstraint("agency_id", "period", "measure", "days",
                                       name="uq_duration_buckets_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)  # NULL: national
    period: Mapped[str] = mapped_column(String(7), index=True)
    measure: Mapped[str] = mapped_column(String(20))  # first_response | resolution
    days: Mapped[int] = mapped_column(Integer)
    observed: Mapped[int] = mapped_column(Integer, default=0)
    censored: Mapped[int] = mapped_column(Integer, default=0)


class AgencyMonthHistogram(db.Model):
    """The duration histograms of one ``AgencyMonthStats`` row packed as JSON, {measure:
    [[days, observed, censored], ...]} by days: the same numbers as its ``DurationBucket`` rows,
    so that a page reads one row per agency-month whatever the number of distinct days
    (``statistics.read``). Written with the row by every refresh; a rollup row without one
    (written before migration 0025) makes the read fall back to the buckets."""
    __tablename__ = "agency_month_histograms"

    stats_id: Mapped[int] = mapped_column(ForeignKey("agency_month_stats.id"), primary_key=True,
                                          autoincrement=False)
    histograms: Mapped[str] = mapped_column(Text)


class FigureWindow(db.Model):
    """A figure of a window of months precomputed by ``stats refresh`` (``statistics.windows``):
    what a page would otherwise add up over every agency at read time, e.g. the best and worst
    agencies of the board's twelve months with their figures (``name`` "ranking").

    ``periods`` is the window (JSON list of months) the payload was computed for; a page asking
    for other months (a new month began since the last refresh) computes the figure itself.
    ``payload`` is JSON. Rebuilt in the transaction that writes the national rollup rows.
    """
    __tablename__ = "figure_windows"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    periods: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class StatsDirty(db.Model):
    """(agency, month) pairs whose rollups must be rebuilt; written as events happen."""

    __tablename__ = "stats_dirty"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True, autoincrement=False)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)


class StatsDirtyRegion(db.Model):
    """(kab/kota, month) pairs whose regional rollups must be rebuilt: the incident region of a
    report an event touched; written beside ``StatsDirty``."""

    __tablename__ = "stats_dirty_regions"

    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)


class Snapshot(db.Model):
    """A month's figures, frozen: never changed after publication (enforced below)."""

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)  # e.g. 2026-10-m2026.1
    period: Mapped[str] = mapped_column(String(7), index=True)
    methodology_version: Mapped[str] = mapped_column(String(20))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    canonical_json: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    # The sha256 of the snapshot published just before this one (None for the first): a chain,
    # so that a snapshot taken out of the record shows (snapshots.chain_problems). The database
    # itself refuses to change or delete a row (triggers of migration 0018).
    previous_sha256: Mapped[str | None] = mapped_column(String(64), default=None)


class ImmutableSnapshotError(RuntimeError):
    pass


@event.listens_for(Snapshot, "before_update")
def _refuse_update(_mapper, _connection, target):
    raise ImmutableSnapshotError(f"snapshot {target.public_id} is published and cannot change")


@event.listens_for(Snapshot, "before_delete")
def _refuse_delete(_mapper, _connection, target):
    raise ImmutableSnapshotError(f"snapshot {target.public_id} is published and cannot be deleted")
