"""Scheduled work on reports: ``flask --app wsgi lifecycle tick`` (cron, every minute).

One tick, at ``now``:

1. closes resolved reports whose reporter stayed silent for ``sla.REPORTER_ANSWER_DAYS`` working
   days (``auto_close``, once the ``reporter_answer`` deadline has passed: the day after its last
   working day);
2. records every missed deadline once (``deadline_missed``, one public event per clock, which
   sets ``overdue_clock``) and sends the people responsible an "overdue" reminder;
3. reminds the people responsible of deadlines that end within one working day;
4. publishes the previous month's snapshot once a month, blanks e-mails delivered more than
   OUTBOX_RETENTION_DAYS ago (recipient and text), and deletes idempotency records of
   the intake API older than 24 hours (they keep an encrypted tracking code);
5. deletes staff sessions that are idle too long or past their absolute lifetime
   (``sessions.purge_expired``) and forgets sign-in failure counts a day old
   (``throttle.purge``);
6. deletes followers of public reports that are no longer needed: unconfirmed after their
   link expired, 30 days after the report closed, or once it is no longer public
   (``following.purge``).

Reports on hold are never recorded as overdue while on hold: their clock is paused and they
have no ``due_on`` (unless the clock had run out before the hold began: then it stays overdue,
and the miss is recorded once the reporter has answered).

Candidates are found in SQL on the indexed ``due_on`` and ``status`` columns, in keyset batches
of ids; each report is then handled in its own write transaction, with its row locked
(``FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite) and the condition checked again
against the working-day calendar. So a failure on one report does not lose the others, and
running the tick twice, or two ticks at once, changes nothing the second time.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, cast, exists, literal, or_, select

from ..database import begin_write
from ..extensions import db
from ..models import OutboxMessage, Report, Status
from . import following, notifications, sla, workflow

log = logging.getLogger(__name__)

# The states whose clock can be missed (the sources of ``deadline_missed``).
RUNNING_STATES = (Status.SUBMITTED, Status.ROUTED, Status.IN_PROGRESS)
DEFAULT_BATCH = 200


@dataclass
class TickSummary:
    """What one tick did."""

    closed: int = 0
    overdue: int = 0
    reminders: int = 0
    errors: int = 0
    snapshot: str | None = None  # the snapshot published by this tick, if any
    idempotency_purged: int = 0
    outbox_scrubbed: int = 0
    recoveries_purged: int = 0
    followers_purged: int = 0
    sessions_purged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.closed or self.overdue or self.reminders)

    def __str__(self) -> str:
        published = f" Snapshot {self.snapshot} published." if self.snapshot else ""
        return (f"{self.closed} closed, {self.overdue} missed deadlines recorded, "
                f"{self.reminders} reminders queued, {self.errors} errors.{published} "
                f"{self.idempotency_purged} expired idempotency keys deleted, "
                f"{self.outbox_scrubbed} old e-mails scrubbed, "
                f"{self.followers_purged} followers deleted, "
                f"{self.sessions_purged} expired sessions deleted.")


def tick(now: datetime, batch: int = DEFAULT_BATCH) -> TickSummary:
    """Do the scheduled work that is due at ``now`` (see the module docstring)."""
    summary = TickSummary()
    today = sla.local_date(now)

    closing = (Report.status == Status.RESOLVED, Report.due_on < today)
    for report_id in _candidate_ids(closing, batch):
        if _one_report(report_id, "auto_close", lambda r: _auto_close(r, now), summary):
            summary.closed += 1

    missed = (Report.status.in_(RUNNING_STATES), Report.due_on < today,
              Report.due_clock.is_not(None),
              or_(Report.overdue_clock.is_(None), Report.overdue_clock != Report.due_clock))
    for report_id in _candidate_ids(missed, batch):
        result = _one_report(report_id, "deadline_missed", lambda r: _mark_missed(r, now), summary)
        if result is not None:
            summary.overdue += 1
            summary.reminders += result

    # "Within one working day": due today, or on the next working day (and the weekend or
    # holidays in between). One query per date keeps the dedupe check in SQL.
    window_end = sla.add_working_days(today, 1)
    day = today
    while day <= window_end:
        due_soon = (Report.status.in_(RUNNING_STATES), Report.due_on == day,
                    Report.due_clock.is_not(None), ~_reminded(day, notifications.DUE_SOON))
        for report_id in _candidate_ids(due_soon, batch):
            queued = _one_report(report_id, "reminder",
                                 lambda r: _remind_due_soon(r, now, today, window_end), summary)
            summary.reminders += queued or 0
        day += timedelta(days=1)
    summary.snapshot = _publish_monthly_snapshot(now)
    summary.idempotency_purged = _purge_idempotency_keys(now, summary)
    summary.outbox_scrubbed = _scrub_old_mail(now, summary)
    summary.recoveries_purged = _purge_code_recoveries(now, summary)
    summary.followers_purged = _housekeeping("follower purge", lambda: following.purge(now),
                                             summary)
    summary.sessions_purged = _purge_sessions(now, summary)
    return summary


def _housekeeping(what: str, work, summary: TickSummary) -> int:
    """Run ``work()`` (returns a count) in its own write transaction; a failure is logged and
    counted, and the tick's other work stands (the next tick retries)."""
    try:
        begin_write()
        done = work()
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - the tick's other work is done; retried next tick
        db.session.rollback()
        summary.errors += 1
        log.error("lifecycle %s failed: %s", what, type(exc).__name__)
        return 0
    return done


def _scrub_old_mail(now: datetime, summary: TickSummary) -> int:
    """Blank delivered e-mail older than OUTBOX_RETENTION_DAYS (recipient and text)."""
    from flask import current_app

    keep = timedelta(days=current_app.config.get("OUTBOX_RETENTION_DAYS", 30))
    return _housekeeping("outbox scrub", lambda: notifications.scrub_delivered(now, keep), summary)


def _purge_sessions(now: datetime, summary: TickSummary) -> int:
    """Delete expired staff sessions and day-old sign-in failure counts; return the sessions."""
    from . import sessions, throttle

    def work() -> int:
        throttle.purge(now)
        return sessions.purge_expired(now)

    return _housekeeping("session purge", work, summary)


def _purge_idempotency_keys(now: datetime, summary: TickSummary) -> int:
    """Delete expired idempotency records (README and /api promise 24 hours)."""
    from . import idempotency

    return _housekeeping("idempotency purge", lambda: idempotency.purge(now), summary)


def _purge_code_recoveries(now: datetime, summary: TickSummary) -> int:
    """Forget lost-code links a day after they were asked for (their limits count one hour)."""
    from . import code_recovery

    return _housekeeping("code recovery purge", lambda: code_recovery.purge(now), summary)


def _publish_monthly_snapshot(now: datetime) -> str | None:
    """From the first day of a month on, freeze the previous month once (idempotent)."""
    from . import snapshots

    try:
        published = snapshots.publish_due(now)
        db.session.commit()
    except Exception:  # noqa: BLE001 - the tick's other work must not be lost; retried next tick
        db.session.rollback()
        log.exception("monthly snapshot could not be published")
        return None
    return published.public_id if published else None


def _reminded(day: date, kind: str):
    """SQL: a reminder of ``kind`` for the report's current clock due on ``day`` is queued."""
    prefix = (literal("remind:") + cast(Report.id, String) + literal(":") + Report.due_clock
              + literal(f":{day.isoformat()}:{kind}:%"))
    return exists().where(OutboxMessage.report_id == Report.id,
                          OutboxMessage.dedupe_key.like(prefix))


def _candidate_ids(conditions, batch: int) -> Iterator[int]:
    """Ids of the reports matching ``conditions``, in batches by id (keyset, so it always ends)."""
    last_id = 0
    while True:
        ids = list(db.session.scalars(
            select(Report.id).where(*conditions, Report.id > last_id)
            .order_by(Report.id).limit(batch)))
        if not ids:
            return
        yield from ids
        last_id = ids[-1]


def _one_report(report_id: int, step: str, work: Callable[[Report], object], summary: TickSummary):
    """Run ``work`` on the locked report in its own write transaction; None when it failed."""
    try:
        begin_write()
        report = db.session.scalar(
            select(Report).where(Report.id == report_id).with_for_update()
            .execution_options(populate_existing=True))
        result = work(report) if report is not None else None
        db.session.commit()
        return result
    except Exception as exc:  # one bad report must not stop the others
        db.session.rollback()
        summary.errors += 1
        # The class only: database errors carry parameter values, which may be personal data.
        log.error("lifecycle %s failed for report id %s: %s", step, report_id, type(exc).__name__)
        return None


def _deadline(report: Report, now: datetime) -> sla.Deadline | None:
    deadline = sla.current_deadline(report, sla.holds_from_events(report.events), now)
    # Keep the stored copy right, so that a stale row does not come back every minute.
    workflow.refresh_deadline(report, now)
    return deadline


def _auto_close(report: Report, now: datetime) -> bool | None:
    if report.status != Status.RESOLVED:
        return None
    deadline = _deadline(report, now)
    if deadline is None or deadline.clock != sla.REPORTER_ANSWER or not deadline.is_overdue:
        return None
    workflow.apply(report, "auto_close", workflow.Actor.system(), now)
    return True


def may_have_missed(report: Report) -> bool:
    """Whether the stored deadline could be a miss not yet recorded (the tick's candidate
    condition, as in its SQL query); :func:`record_missed_deadline` decides."""
    return (report.status in RUNNING_STATES and report.due_on is not None
            and report.due_clock is not None and report.overdue_clock != report.due_clock)


def record_missed_deadline(report: Report, now: datetime) -> sla.Deadline | None:
    """Record the deadline ``report`` has missed at ``now`` (once per clock: a public
    ``deadline_missed`` event that sets ``overdue_clock``); return it, or None when no deadline
    is missed or it was recorded already. Queues no reminder (the tick does, the demo does not).
    """
    if report.status not in RUNNING_STATES:
        return None
    deadline = _deadline(report, now)
    if deadline is None or deadline.paused or not deadline.is_overdue:
        return None
    if report.overdue_clock == deadline.clock:
        return None
    workflow.apply(report, "deadline_missed", workflow.Actor.system(), now,
                   workflow.ActionInput(reason=deadline.clock))
    return deadline


def _mark_missed(report: Report, now: datetime) -> int | None:
    """Record the missed deadline (once per clock); return how many reminders went out."""
    deadline = record_missed_deadline(report, now)
    if deadline is None:
        return None
    return notifications.queue_reminders(report, deadline, notifications.OVERDUE, now)


def _remind_due_soon(report: Report, now: datetime, today: date, window_end: date) -> int:
    if report.status not in RUNNING_STATES:
        return 0
    deadline = _deadline(report, now)
    if deadline is None or deadline.paused or not today <= deadline.due_on <= window_end:
        return 0
    return notifications.queue_reminders(report, deadline, notifications.DUE_SOON, now)
