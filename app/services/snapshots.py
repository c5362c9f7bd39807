"""Citable monthly snapshots: a month's figures frozen as canonical JSON with its SHA-256.

The canonical form is ``json.dumps(payload, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` encoded as UTF-8; anyone can re-hash the JSON download and compare.
A snapshot is written once and never changed (the model refuses updates and deletes).
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..models import Agency, AgencyMonthStats, Snapshot
from . import sla, statistics
from .errors import DomainError


# The figures' JSON shapes live with their declarations (``statistics.kinds``/``published``).
rate_dict = statistics.rate_dict
quantile_status = statistics.quantile_status
survival_dict = statistics.survival_dict
figures_dict = statistics.figures_dict


def canonical_json(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def public_id_for(period: str) -> str:
    """``2026-10-m2026-1``: period and methodology version, no dots (URLs end in .json/.csv/.pdf)."""
    return f"{period}-m{statistics.METHODOLOGY_VERSION.replace('.', '-')}"


# Figures that count each report within a window of fixed length from its arrival: once those
# windows have passed they never move again, provisional month or not.
FIXED_WINDOW_FIGURES = ("on_time_rate", "resolved_within_window_rate")


def build_payload(period: str, generated_at: datetime) -> dict:
    """The snapshot's content: national figures and every agency with reports that month."""
    agency_ids = db.session.scalars(select(AgencyMonthStats.agency_id)
                                    .where(AgencyMonthStats.period == period,
                                           AgencyMonthStats.agency_id.is_not(None))).all()
    agencies = db.session.scalars(select(Agency).where(Agency.id.in_(agency_ids or [-1]))
                                  .order_by(Agency.slug)).all()
    return {
        "snapshot": public_id_for(period),
        "period": period,
        "methodology_version": statistics.METHODOLOGY_VERSION,
        "generated_at": generated_at.replace(microsecond=0).isoformat(),
        "small_number_rule": statistics.MIN_N,
        # Frozen while the month's deadlines still run, its rates would still move: the
        # snapshot says so, and names the figures whose window is fixed (they do not move).
        "provisional": statistics.provisional.is_provisional(period, sla.local_date(generated_at)),
        "provisional_through": statistics.provisional.provisional_through(period).isoformat(),
        "fixed_window_figures": list(FIXED_WINDOW_FIGURES),
        "national": figures_dict(statistics.figures(None, [period])),
        "agencies": [{"slug": a.slug, "name": a.name, "level": a.level,
                      "figures": figures_dict(statistics.figures([a.id], [period]))}
                     for a in agencies],
    }


def previous_period(today: date) -> str:
    first = today.replace(day=1)
    year, month = (first.year, first.month - 1) if first.month > 1 else (first.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def get(public_id: str) -> Snapshot | None:
    return db.session.scalar(select(Snapshot).where(Snapshot.public_id == public_id))


def publish(period: str, now: datetime, progress=None) -> Snapshot:
    """Freeze ``period``'s figures. Refuses a period not yet over or already published."""
    try:
        year, month = (int(x) for x in period.split("-"))
        date(year, month, 1)
    except ValueError as exc:
        raise DomainError(_l("Periode harus berbentuk YYYY-MM."), field="period") from exc
    if period >= sla.local_date(now).strftime("%Y-%m"):
        raise DomainError(_l("Hanya bulan yang sudah berakhir yang dapat dipublikasikan."),
                          field="period")
    if get(public_id_for(period)) is not None:
        raise DomainError(_l("Snapshot %(id)s sudah dipublikasikan.", id=public_id_for(period)),
                          field="period")
    # Bring the month's rollups up to date first.
    statistics.mark_open_dirty()
    statistics.refresh_dirty(now, progress=progress, only_period=period)
    payload = build_payload(period, now)
    text = canonical_json(payload)
    before = db.session.scalar(select(Snapshot).order_by(Snapshot.id.desc()).limit(1))
    snapshot = Snapshot(public_id=payload["snapshot"], period=period,
                        methodology_version=statistics.METHODOLOGY_VERSION, published_at=now,
                        canonical_json=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                        previous_sha256=before.sha256 if before else None)
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def chain_problems(rows: list | None = None) -> list[str]:
    """What is wrong with the record of snapshots, in publication order; [] when it is whole.

    Each snapshot's text must hash to its ``sha256``, and its ``previous_sha256`` must be the
    ``sha256`` of the one published before it (the first names none; snapshots published
    before migration 0018 name none either, and are only checked against their own hash).
    A snapshot taken out of the record leaves the next one pointing at a hash nobody has.
    """
    rows = rows if rows is not None else list(db.session.scalars(select(Snapshot).order_by(Snapshot.id)))
    problems = []
    previous = None
    for row in rows:
        if hashlib.sha256(row.canonical_json.encode("utf-8")).hexdigest() != row.sha256:
            problems.append(f"{row.public_id}: its text does not hash to its sha256")
        if row.previous_sha256 is not None and (previous is None or row.previous_sha256 != previous.sha256):
            problems.append(f"{row.public_id}: the snapshot before it ({row.previous_sha256[:12]}…) "
                            "is missing from the record")
        previous = row
    return problems


def published_for(period: str) -> bool:
    """Whether ``period`` has a snapshot already (of any methodology version)."""
    return db.session.scalar(select(Snapshot.id).where(Snapshot.period == period).limit(1)) is not None


def publish_due(now: datetime) -> Snapshot | None:
    """On or after the first day of a month, publish the previous month once (for the tick).

    Once means once per month, whatever the methodology version: after a version change the
    tick does not publish last month again (``stats publish`` can, deliberately; the snapshot
    already published keeps its own version, id and figures).
    """
    period = previous_period(sla.local_date(now))
    if published_for(period):
        return None
    return publish(period, now)


def listing() -> list[Snapshot]:
    return list(db.session.scalars(select(Snapshot).order_by(Snapshot.period.desc())))
