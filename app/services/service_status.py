"""Is the service keeping up? The statistics refresh and the mail queue, in plain words.

The scheduled jobs (docs/deploy.md: ``stats refresh`` every five minutes, ``outbox deliver``
and ``lifecycle tick`` every minute) note when they last ran (:func:`record_run`, table
``job_runs``). From that and the outbox, :func:`current` says whether the board's figures are
older than ``STATS_STALE_MINUTES`` (60) and whether e-mail due more than
``MAIL_STALE_MINUTES`` (30) ago is still unsent. Every page shows a line when either is behind
(the site status line in ``base.html``), and ``/status`` says it in full.

The answer is kept for ``SERVICE_STATUS_CACHE_SECONDS`` (60) in each worker: a page view reads
two indexed rows at most once a minute, however busy the site is.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..models import JobRun, OutboxMessage
from ..unit_of_work import writes

STATS_REFRESH = "stats_refresh"
# The methodology: the board warns when its figures are older than an hour.
OUTBOX_DELIVER = "outbox_deliver"
LIFECYCLE_TICK = "lifecycle_tick"
JOBS = (STATS_REFRESH, OUTBOX_DELIVER, LIFECYCLE_TICK)


@dataclass(frozen=True)
class ServiceStatus:
    """What the status line and page say; ``None`` times mean "never"."""
    checked_at: datetime
    stats_refreshed_at: datetime | None
    stats_behind: bool
    mail_waiting: int          # messages due and unsent (not given up)
    mail_oldest_due_at: datetime | None
    mail_behind: bool
    last_runs: dict            # job name -> last finished time

    @property
    def behind(self) -> bool:
        return self.stats_behind or self.mail_behind


@writes
def record_run(name: str, started: datetime, finished: datetime | None = None) -> None:
    """Note that the job ``name`` ran from ``started`` to ``finished`` (now by default)."""
    finished = finished or clock.now()
    if name == STATS_REFRESH:
        # Every board page says when its figures were computed: a refresh is new public
        # content even when no figure moved (the page cache's data version).
        from . import data_version

        data_version.bump()
    row = db.session.get(JobRun, name)
    if row is None:
        db.session.add(JobRun(name=name, last_started_at=started, last_finished_at=finished, runs=1))
    else:
        row.last_started_at, row.last_finished_at = started, finished
        row.runs = (row.runs or 0) + 1
    _forget()


def stats_as_of() -> datetime | None:
    """When the board's figures were last computed: the last ``stats refresh`` that finished,
    or, before the first recorded run, the newest rollup row's time; None before any."""
    from ..models import AgencyMonthStats

    run = db.session.get(JobRun, STATS_REFRESH)
    if run is not None:
        return run.last_finished_at
    return db.session.scalar(select(func.max(AgencyMonthStats.refreshed_at)))


def stats_as_of_iso() -> str | None:
    """:func:`stats_as_of` as every figure download writes it (ISO 8601, UTC, seconds)."""
    moment = stats_as_of()
    return moment.isoformat(timespec="seconds") if moment else None


def _minutes(setting: str, default: int) -> timedelta:
    return timedelta(minutes=int(current_app.config.get(setting, default)))


def read(now: datetime) -> ServiceStatus:
    """The status now, read from the database (two small indexed reads and the job rows)."""
    runs = {row.name: row.last_finished_at for row in db.session.scalars(select(JobRun))}
    refreshed = runs.get(STATS_REFRESH)
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
            OutboxMessage.next_attempt_at <= now)).one()
    return ServiceStatus(
        checked_at=now,
        stats_refreshed_at=refreshed,
        # Never run: an install from before the record, or a first start; /status says
        # "never", the line stays quiet until a run has been recorded once.
        stats_behind=refreshed is not None and now - refreshed > _minutes("STATS_STALE_MINUTES", 60),
        mail_waiting=waiting or 0,
        mail_oldest_due_at=oldest,
        mail_behind=oldest is not None and now - oldest > _minutes("MAIL_STALE_MINUTES", 30),
        last_runs=runs,
    )


_lock = threading.Lock()
_MEMO = "terang_service_status"  # app.extensions: (monotonic time, ServiceStatus)


def _forget() -> None:
    if has_app_context():
        current_app.extensions.pop(_MEMO, None)


def kept(app) -> ServiceStatus | None:
    """What :func:`current` would answer in ``app`` without reading the database, or None if
    it would read (the page cache asks before it opens an application context)."""
    seconds = int(app.config.get("SERVICE_STATUS_CACHE_SECONDS", 60))
    with _lock:
        found = app.extensions.get(_MEMO)
    if found and time.monotonic() - found[0] < seconds:
        return found[1]
    return None


def current() -> ServiceStatus:
    """:func:`read`, kept for SERVICE_STATUS_CACHE_SECONDS in this worker (the line on every
    page)."""
    found = kept(current_app)
    if found is not None:
        return found
    status = read(clock.now())
    with _lock:
        current_app.extensions[_MEMO] = (time.monotonic(), status)
    return status
