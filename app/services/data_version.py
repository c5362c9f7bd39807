"""The data version: one counter that goes up whenever anything the public pages show changes.

The page cache (``app/page_cache.py``) keys every public page and open-data answer by it, so a
cached figure can never sit next to a newer one: the counter is bumped **in the same
transaction** as the change, so a reader that sees the new counter also sees the new data.

The one choke point is the ORM session, not each service:

* ``after_flush`` looks at what was written: a rollup row (``stats refresh``), a snapshot, an
  agency, region or category, and a report that is public or was public before the flush
  (published, public text or redaction changed, status changed, made confidential), or a step
  added to one (:func:`touches_public`);
* ``do_orm_execute`` catches bulk ``INSERT``/``UPDATE``/``DELETE`` statements on those tables
  (the rollups delete their old rows that way);
* ``before_commit`` of the outermost transaction then bumps the counter, once. Bumping at the
  very end keeps the row locked only while the transaction commits (PostgreSQL), so it never
  waits on a lock taken after it and cannot deadlock with row locks of reports.

A rollback forgets the mark, so a rolled-back action bumps nothing. A change that the rule
misses would only leave a page stale for the cache's timeout; when in doubt, bump.
"""
from __future__ import annotations

import time
from typing import Callable, NamedTuple, TypeVar

from flask import current_app

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..unit_of_work import writes
from ..models import (Agency, AgencyMonthHistogram, AgencyMonthStats, Category, DurationBucket,
                      FigureWindow, Region, RegionDurationBucket, RegionMonthStats, Report,
                      ReportEvent, Snapshot)
from ..models.data_version import ROW_ID, DataVersion, new_epoch
from ..models.report import PUBLIC_COLUMNS, is_public_report, is_public_values

MARK = "terang_public_changed"

# Rows whose every change is a change of public content.
ALWAYS_PUBLIC = (AgencyMonthStats, AgencyMonthHistogram, DurationBucket, FigureWindow, RegionMonthStats,
                 RegionDurationBucket, Snapshot, Agency, Region, Category)
# Tables whose bulk statements count (reports and events included: a bulk change cannot be
# judged row by row here).
PUBLIC_TABLES = frozenset(m.__tablename__ for m in (*ALWAYS_PUBLIC, Report, ReportEvent))
# What decides whether a report is on the board (Report.is_public).
VISIBILITY = PUBLIC_COLUMNS


class Version(NamedTuple):
    epoch: str
    counter: int

    def __str__(self) -> str:
        return f"{self.epoch}.{self.counter}"


# Built once: building the statement cost more than running it (every page cache lookup and
# every kept value reads the version).
_CURRENT = select(DataVersion.__table__.c.epoch, DataVersion.__table__.c.counter).where(
    DataVersion.__table__.c.id == ROW_ID)


def current() -> Version:
    """The data version this transaction sees (one primary-key read)."""
    row = db.session.execute(_CURRENT).first()
    return Version(row.epoch, row.counter) if row else Version("", 0)


_RECENT: dict[str, tuple[float, Version]] = {}


def recent(max_age: float) -> Version:
    """The data version as read at most ``max_age`` seconds ago in this process (0: read now).

    A page cache hit costs little but this read (a query, a connection from the pool, a commit
    at the end of the request: about 40% of a hit); readers of the board may see a change up to
    ``max_age`` later, as a browser may for ``Cache-Control: max-age``. A page rendered after a
    change under the previous version's key holds newer data, never older."""
    if max_age <= 0:
        return current()
    bind = str(db.engine.url)
    kept = read_recently(bind, max_age)
    if kept is not None:
        return kept
    version = current()
    _RECENT[bind] = (time.monotonic(), version)
    return version


def read_recently(bind: str, max_age: float) -> Version | None:
    """What :func:`recent` would answer without reading the database, or None if it would read
    (the page cache asks before it opens an application context: ``bind`` is
    ``str(db.engine.url)``)."""
    kept = _RECENT.get(bind)
    if kept is not None and max_age > 0 and time.monotonic() - kept[0] < max_age:
        return kept[1]
    return None


SEEN = "terang_data_version_seen"


def _version_of_transaction(session: Session) -> str:
    """:func:`current`, read once per transaction: the counter only moves when a transaction
    commits (``before_commit``), so a page that keeps several values reads it once."""
    seen = session.info.get(SEEN)
    transaction = session.get_transaction()
    if seen is not None and transaction is not None and seen[0] is transaction:
        return seen[1]
    version = str(current())
    session.info[SEEN] = (session.get_transaction(), version)
    return version


T = TypeVar("T")
_KEPT: dict[tuple[str, str], tuple[str, object]] = {}


def kept(name: str, compute: Callable[[], T]) -> T:
    """``compute()`` as this data version has it, computed once per version in this process.

    For what changes only by writes that count as a change of public content: the regions,
    agencies and categories (``reference load`` writes them through the ORM, so it bumps the
    version). The request after such a change reads the new version and computes again; the
    version itself is read each time (one primary-key read). ``name`` must be one of a few
    fixed names (one value is kept per name and database), never built from what a visitor typed.

    Tests roll their data back and with it the counter: another test's rows may come back under
    the same version, so under ``TESTING`` nothing is kept unless ``KEEP_PER_DATA_VERSION`` says
    so (the test of this cache)."""
    config = current_app.config
    session = db.session()
    if (not config.get("KEEP_PER_DATA_VERSION", not current_app.testing)
            or session.info.get(MARK)):  # this transaction changed public content: read it
        return compute()
    version = _version_of_transaction(session)
    key = (str(db.engine.url), name)
    found = _KEPT.get(key)
    if found is not None and found[0] == version:
        return found[1]  # type: ignore[return-value]
    value = compute()
    _KEPT[key] = (version, value)
    return value


def bump(session: Session | None = None) -> None:
    """Count one change of public content (normally done at commit: see the module's text)."""
    session = session or db.session()
    done = session.execute(update(DataVersion).where(DataVersion.id == ROW_ID)
                           .values(counter=DataVersion.counter + 1))
    if done.rowcount == 0:
        session.execute(insert(DataVersion).values(id=ROW_ID, epoch=new_epoch(), counter=1))


@writes
def renew_epoch() -> Version:
    """Start a new epoch: every page the cache holds and every ETag a browser or proxy holds
    is stale at once. For a database restored from a backup, whose counter went back."""
    session = db.session()
    done = session.execute(update(DataVersion).where(DataVersion.id == ROW_ID)
                           .values(epoch=new_epoch(), counter=DataVersion.counter + 1))
    if done.rowcount == 0:
        session.execute(insert(DataVersion).values(id=ROW_ID, epoch=new_epoch(), counter=1))
    return current()


def _is_public(report: Report) -> bool:
    return is_public_report(report)


def _was_public(report: Report) -> bool:
    """Whether ``report`` was on the board before this flush's changes."""
    state = inspect(report)
    before = {}
    for name in VISIBILITY:
        history = state.attrs[name].history
        if history.deleted:
            before[name] = history.deleted[0]
        elif history.added:  # changed from a value never loaded: assume it mattered
            return True
        else:
            before[name] = getattr(report, name)
    return is_public_values(before)


def _event_report(session: Session, step: ReportEvent) -> Report | None:
    loaded = inspect(step).attrs.report.loaded_value
    if isinstance(loaded, Report):
        return loaded
    return session.identity_map.get(session.identity_key(Report, step.report_id)) \
        if step.report_id is not None else None


def touches_public(session: Session) -> bool:
    """Whether what ``session`` is flushing changes anything the public pages show."""
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, ALWAYS_PUBLIC):
            return True
        if isinstance(obj, Report) and _is_public(obj):
            return True
        if isinstance(obj, ReportEvent):
            report = _event_report(session, obj)
            if report is None or _is_public(report):
                return True
    for obj in session.dirty:
        if not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, ALWAYS_PUBLIC):
            return True
        if isinstance(obj, Report) and (_is_public(obj) or _was_public(obj)):
            return True
    return False


def note_new_report(report) -> None:
    """A report written without the ORM (``workflow.file_new``, plain fields): counts as the
    flush of it would (:func:`touches_public`): a change of public content if it is public."""
    if _is_public(report):
        db.session().info[MARK] = True


def _after_flush(session: Session, _context) -> None:
    if not session.info.get(MARK) and touches_public(session):
        session.info[MARK] = True


def _on_execute(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is not None and getattr(table, "name", None) in PUBLIC_TABLES:
        state.session.info[MARK] = True


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a SAVEPOINT: the outermost commit bumps
    session.flush()  # commit flushes after this event; what it would flush counts too
    if session.info.pop(MARK, False):
        bump(session)


def _after_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(MARK, None)


def install() -> None:
    """Listen on every ORM session (once per process)."""
    for name, listener in (("after_flush", _after_flush), ("do_orm_execute", _on_execute),
                           ("before_commit", _before_commit),
                           ("after_transaction_end", _after_end)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
