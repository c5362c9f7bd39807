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


def rate_dict(rate: statistics.Rate) -> dict:
    return {"definition": rate.definition, "numerator": rate.numerator,
            "denominator": rate.denominator, "too_small": rate.too_small,
            "value": None if rate.value is None else round(rate.value, 4)}


def quantile_status(value: int | None, too_small: bool) -> str:
    """What a median or 90th percentile is: ``reached`` (a number of working days),
    ``more_than_cap`` (above ``MAX_TRACKED_DAYS``), ``not_reached`` or ``n_too_small``."""
    if too_small:
        return "n_too_small"
    if value is None:
        return "not_reached"
    return "more_than_cap" if value > statistics.MAX_TRACKED_DAYS else "reached"


def survival_dict(survival: statistics.Survival) -> dict:
    return {"definition": survival.definition, "n": survival.n, "observed": survival.observed,
            "too_small": survival.too_small, "median_working_days": survival.median,
            "p90_working_days": survival.p90,
            "median_status": quantile_status(survival.median, survival.too_small),
            "p90_status": quantile_status(survival.p90, survival.too_small),
            # A value above the cap means "more than cap working days".
            "cap_working_days": statistics.MAX_TRACKED_DAYS}


def confidential_count(definition: str, n: int) -> dict:
    """How many ``rahasia`` reports, under the small-number rule: a count under ``MIN_N`` is
    not published (``value`` null, ``too_small``), since a count of 1 against a small unit
    already tells that unit someone complained about it in confidence."""
    too_small = n < statistics.MIN_N
    return {"definition": definition, "value": None if too_small else n, "too_small": too_small}


def figures_dict(fig: statistics.Figures) -> dict:
    """Plain values of every figure, each naming its definition (the export and API shape)."""
    satisfaction = fig.satisfaction
    ids = fig.definitions
    return {
        "methodology_version": fig.methodology_version,
        "received": {"definition": ids["received"], "value": fig.received},
        "confidential_received": confidential_count(ids["received"], fig.confidential),
        "followed_up": {"definition": ids["followed_up"], "value": fig.followed_up},
        "follow_up_rate": rate_dict(fig.follow_up_rate),
        "resolved": {"definition": ids["resolved"], "value": fig.resolved},
        "completion_rate": rate_dict(fig.completion_rate),
        "on_time_rate": rate_dict(fig.on_time),
        "time_to_first_response": survival_dict(fig.first_response),
        "time_to_resolution": survival_dict(fig.resolution),
        "transfers_out": {"definition": ids["transfers_out"], "value": fig.transfers_out},
        "transfer_rate": rate_dict(fig.transfer_rate),
        "disputed": {"definition": ids["disputed"], "value": fig.disputed},
        "dispute_rate": rate_dict(fig.dispute_rate),
        "satisfaction": {"definition": ids["satisfaction"], "n": fig.rating_count,
                         "too_small": fig.rating_count < statistics.MIN_N,
                         "mean": None if satisfaction is None else round(satisfaction, 2)},
    }


def canonical_json(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def public_id_for(period: str) -> str:
    """``2026-10-m2026-1``: period and methodology version, no dots (URLs end in .json/.csv/.pdf)."""
    return f"{period}-m{statistics.METHODOLOGY_VERSION.replace('.', '-')}"


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
    snapshot = Snapshot(public_id=payload["snapshot"], period=period,
                        methodology_version=statistics.METHODOLOGY_VERSION, published_at=now,
                        canonical_json=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def publish_due(now: datetime) -> Snapshot | None:
    """On or after the first day of a month, publish the previous month once (for the tick).

    Once means once per month, whatever the methodology version: after a version change the
    tick does not publish last month again (``stats publish`` can, deliberately; the snapshot
    already published keeps its own version, id and figures).
    """
    period = previous_period(sla.local_date(now))
    if db.session.scalar(select(Snapshot.id).where(Snapshot.period == period).limit(1)) is not None:
        return None
    return publish(period, now)


def listing() -> list[Snapshot]:
    return list(db.session.scalars(select(Snapshot).order_by(Snapshot.period.desc())))
