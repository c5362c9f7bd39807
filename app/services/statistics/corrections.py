"""The corrections log: every change of a figure's rule after figures were published, as data.

A correction names the date, the methodology version that made it, the figures it changed and
what changed. Published snapshots are never rewritten: /transparansi/metodologi lists the
corrections and, for each snapshot published under an earlier version, by how much each
corrected figure moves (:func:`snapshot_changes`); the snapshot's page and its corrections
JSON carry the same annotation.

"By how much" isolates the rule: the snapshot's month is recomputed from the raw tables with
the timeline as it stood when the snapshot was published (events up to ``published_at``, the
clocks judged at that instant) under today's rules, and compared with the frozen payload.
Later events (a report answered after publication) do not enter the comparison.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Report, Snapshot
from .. import sla
from . import registry
from .definitions import MAX_TRACKED_DAYS
from .measures import FINISHED, ReportFacts, measure, transferred_from
from .published import figures_dict
from .read import figures_from_parts


@dataclass(frozen=True)
class Correction:
    """One entry of the corrections log."""

    date: date
    version: str  # the methodology version that made the correction
    figures: tuple[str, ...]  # the figure keys (``figures_dict``) whose values it can change
    description: object


CORRECTIONS = (
    Correction(date(2026, 12, 2), "2026.3", (
        "followed_up", "follow_up_rate", "time_to_first_response", "time_to_resolution",
        "disputed", "dispute_rate"), _l(
        "Laporan yang diarsipkan oleh admin nasional (atau dialihkan keluar) sesudah tenggatnya lewat "
        "tanpa langkah instansi dihitung sebagai ditindaklanjuti dan diselesaikan, dan teramati pada hari "
        "pengarsipan dalam waktu sampai tindak lanjut dan waktu sampai penyelesaian; laporan yang "
        "diarsipkan tanpa penyelesaian ikut dalam penyebut penyelesaian ditolak. Sejak metodologi 2026.3 "
        "penghentian oleh pihak lain bukan langkah instansi: laporan itu tidak ditindaklanjuti, tidak "
        "diselesaikan, dan tersensor pada hari penghentian; tetap terlambat bila tenggatnya sudah lewat. "
        "Angka tepat waktu tidak berubah.")),
)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def corrections_after(version: str) -> list[Correction]:
    """The corrections made after methodology ``version`` (those a snapshot of it predates)."""
    return [c for c in CORRECTIONS if _version_key(c.version) > _version_key(version)]


def _period_bounds(period: str) -> tuple[datetime, datetime]:
    year, month = (int(x) for x in period.split("-"))
    return (datetime(year, month, 1, tzinfo=sla.JAKARTA),
            datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=sla.JAKARTA))


def _as_of(report: Report, events: list) -> SimpleNamespace:
    """The fields of ``report`` the measures read, as they stood after ``events``."""
    status = next((e.to_status for e in reversed(events) if e.to_status), report.status)
    arrival = next((e for e in reversed(events) if e.action in sla.ARRIVAL_ACTIONS), None)
    finished = next((e.created_at for e in reversed(events) if e.to_status in FINISHED), None)
    return SimpleNamespace(id=report.id, status=status, closed_at=finished,
                           agency_id=arrival.target_agency_id if arrival else None,
                           resolution_class=report.resolution_class,
                           is_confidential=report.is_confidential)


def recompute(period: str, as_of: datetime, region: str | None = None) -> dict:
    """{agency id, or None for national: Figures} of ``period`` under today's rules, from the
    raw tables with each report's timeline up to ``as_of`` and its clocks judged then.

    The same sums as the rollups (``rollups.refresh_pair``), done in memory for one month.
    Ratings are left out: no correction touches them. ``region`` (a province ``13`` or a
    kab/kota ``13.71``) keeps only the reports whose incident lies there: the None entry is
    then that region's figures (what ``region_month_stats`` must hold).
    """
    start, end = _period_bounds(period)
    query = select(Report).where(
        Report.submitted_at >= start, Report.submitted_at < end, Report.submitted_at <= as_of)
    if region is not None:
        query = query.where(Report.region_code == region if "." in region
                            else Report.region_code.startswith(region + ".", autoescape=True))
    reports = db.session.scalars(query.options(selectinload(Report.events))).all()
    stored = registry.stored()
    durations = registry.survival_figures()
    counts: dict = {}
    buckets: dict = {}

    def add(agency_id, column, value):
        for scope in (agency_id, None):
            row = counts.setdefault(scope, {s.column: 0 for s in stored})
            row[column] += int(value)

    for report in reports:
        events = [e for e in report.events if e.created_at <= as_of]
        view = _as_of(report, events)
        touched = {e.target_agency_id for e in events if e.action in sla.ARRIVAL_ACTIONS}
        touched |= transferred_from(events)
        for agency_id in sorted(touched - {None}):
            facts = ReportFacts(view, events, agency_id)
            for count in (s for s in stored if s.every_related):
                add(agency_id, count.column, count.add(facts))
            if view.agency_id != agency_id:
                continue
            facts.measures = measure(view, events, as_of)
            if facts.measures is None:
                continue
            for count in (s for s in stored if not s.every_related):
                add(agency_id, count.column, count.add(facts))
            for figure in durations:
                days, observed = figure.observe(facts.measures)
                day = min(days, MAX_TRACKED_DAYS + 1)
                for scope in (agency_id, None):
                    histogram = buckets.setdefault(scope, {}).setdefault(figure.measure, {})
                    o, c = histogram.get(day, (0, 0))
                    histogram[day] = (o + observed, c + (not observed))
    return {scope: figures_from_parts(values, buckets.get(scope, {}))
            for scope, values in counts.items()}


# What is compared of each figure's dict: the published numbers, not the definition id.
_COMPARED = ("value", "numerator", "denominator", "median_working_days", "p90_working_days",
             "observed", "n", "mean")


def _shown(item: dict) -> dict:
    return {k: item[k] for k in _COMPARED if k in item}


@dataclass(frozen=True)
class FigureChange:
    """One corrected figure of one snapshot: as published, and as recomputed today."""

    scope: str  # "national" or an agency slug
    name: str | None  # the agency's name
    figure: str
    published: dict
    recomputed: dict


# Computed once per process and snapshot: the snapshot is frozen, the timeline up to its
# publication is append-only, and the rules only change with a deployment. Keeps the month's
# scan off every view of the methodology and snapshot pages.
_CHANGES: dict[tuple[str, str], list] = {}


def snapshot_changes(snapshot: Snapshot) -> list[FigureChange]:
    """By how much each figure a later correction changed differs in ``snapshot``: its month
    recomputed under today's rules as it stood at publication, against the frozen payload.
    Only the figures that differ; empty when no correction postdates the snapshot."""
    corrections = corrections_after(snapshot.methodology_version)
    keys = [k for k in dict.fromkeys(k for c in corrections for k in c.figures)]
    if not keys:
        return []
    key = (snapshot.public_id, snapshot.sha256)
    if key not in _CHANGES:
        _CHANGES[key] = _changes(snapshot, keys)
    return list(_CHANGES[key])


def _changes(snapshot: Snapshot, keys: list[str]) -> list[FigureChange]:
    from ...models import Agency  # the slugs of the payload

    payload = json.loads(snapshot.canonical_json)
    recomputed = recompute(snapshot.period, snapshot.published_at)
    ids = dict(db.session.execute(select(Agency.slug, Agency.id).where(
        Agency.slug.in_([a["slug"] for a in payload["agencies"]] or ["-"]))).all())
    scopes = [("national", None, payload["national"], recomputed.get(None))]
    scopes += [(a["slug"], a["name"], a["figures"], recomputed.get(ids.get(a["slug"])))
               for a in payload["agencies"]]
    changes = []
    for scope, name, frozen, fig in scopes:
        now = figures_dict(fig) if fig is not None else figures_dict(figures_from_parts({}, {}))
        for key in keys:
            if key in frozen and _shown(frozen[key]) != _shown(now[key]):
                changes.append(FigureChange(scope, name, key, _shown(frozen[key]), _shown(now[key])))
    return changes


def snapshot_corrections(snapshot: Snapshot) -> list[dict]:
    """The annotation of a published snapshot (its page and its corrections JSON): each later
    correction with the snapshot's figures it changed, published and recomputed."""
    changes = snapshot_changes(snapshot)
    return [{"date": c.date.isoformat(), "methodology_version": c.version,
             "figures": list(c.figures), "description": str(c.description),
             "changes": [{"scope": ch.scope, "figure": ch.figure, "published": ch.published,
                          "recomputed": ch.recomputed}
                         for ch in changes if ch.figure in c.figures]}
            for c in corrections_after(snapshot.methodology_version)]


def corrections_log(snapshots: list[Snapshot]) -> list[dict]:
    """The corrections log of /transparansi/metodologi, newest first: each correction with the
    published snapshots it postdates and their changed figures."""
    changes = {s.public_id: snapshot_changes(s) for s in snapshots}
    return [{"correction": c,
             "snapshots": [{"snapshot": s, "changes": [ch for ch in changes[s.public_id]
                                                       if ch.figure in c.figures]}
                           for s in snapshots
                           if _version_key(s.methodology_version) < _version_key(c.version)]}
            for c in sorted(CORRECTIONS, key=lambda c: c.date, reverse=True)]
