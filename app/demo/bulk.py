"""The demo's writer: report histories replayed by the workflow's own rules, written in bulk.

:func:`app.demo.seeding.seed` plans each report (:meth:`_Demo.plan`) and hands the plan to
:class:`Writer`, which moves a plain :class:`Story` (a report's fields, no ORM object) through
its steps with :func:`workflow.advance` — the function :func:`workflow.apply` itself moves a
report with — stores the deadline after each step with :func:`workflow.store_deadline`, and
records a missed deadline by the lifecycle tick's rule (:func:`lifecycle.may_have_missed`, then
:func:`sla.current_deadline` overdue and not paused) at the minute the tick would have run. So
every status, time, event and stored deadline is what ``workflow.apply`` would have written;
``tests/unit/test_demo.py`` replays seeded reports through ``workflow.apply`` and compares.

What ``apply`` does besides, the writer does once per batch instead of once per event: the
rows go out with ``executemany`` (no ORM object per row), the (agency, month) and (kab/kota,
month) pairs to refresh are marked at the end, and no e-mail is queued (the demo history is
history). A large load on SQLite (``bulk=True``) commits per batch with ``synchronous=OFF``,
a rollback journal in memory and no foreign-key checks, drops the secondary indexes of
``reports`` (but those whose keys grow, overall or within their first column,
:data:`KEPT_DURING_LOAD`: all but the deadline's) and its triggers (the search index's, migration
0010; the public count's, 0024) while it writes, and builds them again, the search index and
the count of public reports at the end (with forked workers, the search rows of each chunk as
it is written; the count as the count before plus the search rows written). The indexes of
``report_events`` are kept: their keys grow within each report or agency, and keeping them
costs the writer a fraction of what building them after the load costs the serial tail
(docs/performance.md, "The seed on a slower machine").

The public title and text are redacted once per distinct text with the incident dates replaced
by fixed ones (dates are not personal data; the test checks the result against
:func:`redaction.public_version` of each report's own text).
"""
from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import random
import sqlite3
from collections import deque
from datetime import date, datetime, timedelta, timezone
from operator import attrgetter
from types import SimpleNamespace

from sqlalchemy import Date, func, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import (Escalation, Rating, ReferenceCounter, Report, ReporterContact, ReportEvent,
                      StatsDirty, StatsDirtyRegion, Status)
from ..models.types import UTCDateTime
from ..services import lifecycle, redaction, references, search, sla, tracking_codes, workflow
from . import catalogue as cat

# Stand-ins for the dates of a text while its redaction is looked up (see the module docstring).
FIXED_TANGGAL = "28 Februari 1998"
FIXED_BULAN = "November 1997"
_NOBODY = SimpleNamespace(contact=None)  # the demo adds the contact after the history
# The reporter and the system as actors (an Actor is immutable: one of each serves every step).
REPORTER = workflow.Actor.reporter()
SYSTEM = workflow.Actor.system()

REPORT_COLUMNS = (
    "id", "reference", "year", "sequence", "tracking_hash", "report_type", "title", "body",
    "incident_date", "region_code", "requested_agency_id", "agency_id", "category_id",
    "is_anonymous", "is_confidential", "language", "status", "resolution_class", "public_title",
    "public_body", "submitted_at", "routed_at", "first_response_at", "resolved_at",
    "reopened_at", "closed_at", "on_hold_since", "status_before_hold", "updated_at", "due_on",
    "due_clock", "overdue_clock")
EVENT_COLUMNS = (
    "report_id", "created_at", "action", "actor_kind", "actor_user_id", "actor_agency_id",
    "target_agency_id", "related_report_id", "from_status", "to_status", "reason", "public_text",
    "is_internal")
CONTACT_COLUMNS = ("report_id", "name", "email", "phone")
RATING_COLUMNS = ("report_id", "score", "comment", "created_at")
ESCALATION_COLUMNS = ("report_id", "grounds", "text", "created_at")


# Ten bits of a tracking code as its two symbols, the lower five bits' first (Writer._new_code).
_CODE_PAIRS = tuple(tracking_codes.ALPHABET[v & 31] + tracking_codes.ALPHABET[v >> 5]
                    for v in range(1024))
_report_row = attrgetter(*REPORT_COLUMNS)  # a story's row: the tuple of its REPORT_COLUMNS
# The indexes of ``reports`` a bulk load keeps: the rows come in id order, so their keys (the
# report time; a public report's time; an agency's, category's… reports by time) only ever grow,
# overall or within their first column, and each entry is appended to one of a few thousand last
# pages, all in the cache, which costs less while writing (beside the workers: about 10 s of CPU
# at a million) than a table scan and sort after it (8.5 s of the serial tail; see
# docs/performance.md, "The seed's serial tail, session 9"). The other (the deadline's) is built
# again at the end (Writer.restore); those of report_events are all kept (the module docstring).
KEPT_DURING_LOAD = frozenset({"ix_reports_submitted_at", "ix_reports_public_submitted",
                              "ix_reports_agency_submitted", "ix_reports_category_submitted",
                              "ix_reports_region_submitted", "ix_reports_status_submitted",
                              "ix_reports_report_type_submitted"})


class Story:
    """A report's fields while its history is replayed (what ``workflow.advance`` reads and
    sets, and what is written): those given, and None for the others (class attributes, so
    a new story is one dict update, not a ``setattr`` per field)."""

    FIELDS = REPORT_COLUMNS + ("category", "contact", "period")

    def __init__(self, **values):
        self.__dict__.update(values)


for _field in Story.FIELDS:
    setattr(Story, _field, None)


def _utc_text(process, memo: dict | None = None):
    """A UTC datetime as the ORM stores it on SQLite: ``process`` is the column's own bind
    processor for the dialect (:class:`UTCDateTime`'s, which refuses a naive one, then
    SQLAlchemy's SQLite ``DATETIME`` text, ``YYYY-MM-DD HH:MM:SS.ffffff``), with a short cut for
    a time that is UTC already that writes the same text (tests/unit/test_demo_bulk.py).

    The same text matters: SQLite compares these columns as text, so a seeded
    ``…03:31:00+00:00`` sorted before the ORM's ``…03:31:00.000000`` of the same second, and the
    list's keyset (``submitted_at <= ?``) served a page's last report again on the next page.

    ``memo`` keeps the texts of one batch: a report's times are its events' times (submitted,
    routed, closed, updated…), about eleven times written for six distinct ones, and a look-up
    costs a thirtieth of ``isoformat``. The writer empties it after each batch."""
    utc = timezone.utc
    memo = {} if memo is None else memo
    remembered = memo.get

    def to_text(value):
        written = remembered(value)
        if written is None:
            if type(value) is datetime and value.tzinfo is utc:
                written = value.isoformat(" ", "microseconds")[:26]
            else:
                written = process(value)
            memo[value] = written
        return written

    return to_text


def _date_text(value):
    """A date as the SQLite driver stores it (``sqlite3``'s adapter: ``isoformat()``)."""
    return value.isoformat() if type(value) is date else value


class _Table:
    """Rows of one table, written with one ``executemany`` per batch."""

    def __init__(self, model, columns: tuple[str, ...], dialect, memo: dict | None = None):
        self.table = model.__table__
        self.columns = columns
        self.rows: list[tuple] = []
        self.sqlite = dialect.name == "sqlite"
        # What each column's value becomes on its way to the driver: the column's own bind
        # processor (UTC datetimes, booleans), and on SQLite the driver's own adaptation of
        # dates and datetimes to text done here already (in the worker that prepares the
        # rows, not in the process that writes them). Stored exactly as the ORM stores them.
        self.processors = []
        for i, name in enumerate(columns):
            column_type = self.table.c[name].type
            # The dialect's own type (SQLite's DATETIME writes its text), as the ORM uses it.
            process = column_type.dialect_impl(dialect).bind_processor(dialect)
            if self.sqlite and isinstance(column_type, UTCDateTime):
                process = _utc_text(process, memo)
            elif self.sqlite and isinstance(column_type, Date):
                process = _date_text
            if process is not None:
                self.processors.append((i, process))
        self.sql = (f"INSERT INTO {self.table.name} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})")

    def prepare(self) -> list:
        """The pending rows as the driver takes them (SQLite: processed values), and forget them."""
        rows, self.rows = self.rows, []
        if not self.sqlite:
            return [dict(zip(self.columns, r)) for r in rows]
        processors = self.processors
        prepared = []
        append = prepared.append
        for row in rows:
            row = list(row)
            for i, process in processors:
                value = row[i]
                if value is not None:
                    row[i] = process(value)
            append(row)
        return prepared

    def insert(self, rows: list) -> None:
        """Insert prepared rows in the session's transaction."""
        if not rows:
            return
        if self.sqlite:
            cursor = db.session.connection().connection.driver_connection.cursor()
            cursor.executemany(self.sql, rows)
            cursor.close()
        else:
            db.session.execute(self.table.insert(), rows)

    def write(self) -> None:
        """Insert the pending rows in the session's transaction."""
        self.insert(self.prepare())


class Writer:
    """Replays planned reports through the workflow's rules and writes them in batches."""

    def __init__(self, demo, secret: str, prefix: str, *, bulk: bool = False,
                 batch_size: int = 5000, progress=None):
        self.demo = demo
        self.rng: random.Random = demo.rng
        self.now = demo.now
        self.prefix = prefix
        self.bulk = bulk
        self.batch_size = batch_size
        self.progress = progress or (lambda _n: None)
        self.hash = tracking_codes.hasher(secret)
        dialect = db.session.get_bind().dialect
        self.dialect = dialect.name
        self._times: dict = {}  # the time texts of the batch being prepared (_utc_text)
        self.reports = _Table(Report, REPORT_COLUMNS, dialect, self._times)
        self.events = _Table(ReportEvent, EVENT_COLUMNS, dialect, self._times)
        self.contacts = _Table(ReporterContact, CONTACT_COLUMNS, dialect, self._times)
        self.ratings = _Table(Rating, RATING_COLUMNS, dialect, self._times)
        self.escalations = _Table(Escalation, ESCALATION_COLUMNS, dialect, self._times)
        self.next_id = (db.session.scalar(select(func.max(Report.id))) or 0) + 1
        self.counters = dict(db.session.execute(
            select(ReferenceCounter.year, ReferenceCounter.last_value)).all())
        self.dirty_agencies: set[tuple[int, str]] = set()
        self.dirty_regions: set[tuple[str, str]] = set()
        self.recent: deque = deque(maxlen=200)  # (reference, story) of the latest reports
        self.public_texts: dict[str, str] = {}
        self.pending = 0
        self.written = 0
        self.collected: list[list] | None = None  # a worker process keeps its rows here
        from .seeding import _at, _tanggal  # (seeding imports this module)
        self._at, self._tanggal = _at, _tanggal
        self._restore: list[str] = []
        self.searchable = 0  # search rows a bulk load wrote and committed (_search_rows)
        self._periods: dict = {}

    # ------------------------------------------------------------------ codes
    def new_code(self, existing: set[str]) -> tuple[str, str]:
        """A fresh tracking code from the seeded generator, and its keyed hash."""
        raw, hashed = self._new_code(existing)
        return tracking_codes.format_code(raw), hashed

    def new_hash(self, existing: set[str]) -> str:
        """The keyed hash of :meth:`new_code`'s code (what is stored; the code is not)."""
        return self._new_code(existing)[1]

    def _new_code(self, existing: set[str]) -> tuple[str, str]:
        code_rng = self.demo.code_rng
        bits = 5 * tracking_codes.CODE_LENGTH
        pairs = _CODE_PAIRS
        while True:
            # The symbols of the 80 random bits, the lowest five bits first (what base32 of the
            # bits read backwards gives, in the code's own alphabet), two symbols a look-up.
            x = code_rng.getrandbits(bits)
            raw = (pairs[x & 1023] + pairs[x >> 10 & 1023] + pairs[x >> 20 & 1023]
                   + pairs[x >> 30 & 1023] + pairs[x >> 40 & 1023] + pairs[x >> 50 & 1023]
                   + pairs[x >> 60 & 1023] + pairs[x >> 70 & 1023])
            if raw.isdigit():
                continue
            hashed = self.hash(raw)
            if hashed not in existing:
                return raw, hashed

    # ------------------------------------------------------------------ one report
    def _period(self, moment: datetime) -> str:
        day = sla.local_date(moment)
        key = (day.year, day.month)
        period = self._periods.get(key)
        if period is None:
            period = self._periods[key] = f"{day.year:04d}-{day.month:02d}"
        return period

    def _act(self, story: Story, action: str, actor: workflow.Actor, moment: datetime,
             data: workflow.ActionInput | None, events: list, holds: list) -> None:
        # (story.period: the report's month, set by write())
        """One step, as ``workflow.apply`` takes it: the rules, the event, the stored deadline,
        the rollup pairs to refresh."""
        previous_agency_id = story.agency_id
        values = workflow.advance(story, action, actor, moment, data)
        related = values["related_report"]
        events.append((story.id, moment, action, values["actor_kind"], values["actor_user_id"],
                       values["actor_agency_id"], values["target_agency_id"],
                       related.id if related is not None else None, values["from_status"],
                       values["to_status"], values["reason"], values["public_text"],
                       values["is_internal"]))
        # The holds as sla.holds_from_events reads them from the timeline.
        from_status, to_status = values["from_status"], values["to_status"]
        if to_status == Status.ON_HOLD and from_status != Status.ON_HOLD:
            holds.append(sla.Hold(started=moment))
        elif from_status == Status.ON_HOLD and to_status != Status.ON_HOLD and holds:
            holds[-1] = sla.Hold(started=holds[-1].started, ended=moment)
        workflow.store_deadline(story, holds, moment)
        period = story.period
        for agency_id in (story.agency_id, previous_agency_id, actor.agency_id):
            if agency_id is not None:
                self.dirty_agencies.add((agency_id, period))
        self.dirty_regions.add((story.region_code, period))

    def _missed(self, story: Story, last: datetime, until: datetime, events: list,
                holds: list) -> None:
        """What the lifecycle tick would have done between ``last`` and ``until``: its rule for
        a missed deadline, a few minutes after midnight of the day after the stored one (or
        the minute after ``last`` when that is already past)."""
        if not lifecycle.may_have_missed(story):
            return
        moment = self._at(story.due_on + timedelta(days=1), 0, 5 + self.rng.randint(0, 20))
        if moment <= last:
            # Already past when the last step made it the deadline (a late first response
            # starts a resolution clock that is overdue too): the tick's next minute sees it.
            moment = last + timedelta(minutes=self.rng.randint(1, 5))
        if moment >= until:
            return
        # The tick's rule (lifecycle.record_missed_deadline): the current deadline overdue,
        # not paused, and not recorded yet.
        current = sla.current_due(story, holds, moment)
        if current is None:
            return
        clock, due_on, paused = current
        if paused or sla.local_date(moment) <= due_on or story.overdue_clock == clock:
            return
        self._act(story, "deadline_missed", SYSTEM, moment,
                  workflow.ActionInput(reason=clock), events, holds)
        if clock == sla.RESOLUTION and self.rng.random() < 0.25:
            escalated = moment + timedelta(days=self.rng.randint(1, 6))
            if escalated <= self.now:
                self.escalations.rows.append((
                    story.id, "deadline_missed",
                    "Sudah lewat tenggat dan belum ada penyelesaian dari instansi.", escalated))

    def _public(self, plan) -> tuple[str, str]:
        """The redacted public title and text of ``plan``, as ``_apply_verification`` stores
        them, looked up once per text with its dates replaced by fixed ones."""
        if plan.texts is None:
            return (redaction.public_version(_NOBODY, plan.title, 200),
                    redaction.public_version(_NOBODY, plan.body))
        values = plan.values
        keyed = dict(values, tanggal=FIXED_TANGGAL, bulan=FIXED_BULAN)
        title_text, body_text = plan.texts
        tanggal, bulan = values["tanggal"], values["bulan"]
        return (self._redacted(title_text.format_map(keyed), 200, tanggal, bulan),
                self._redacted(body_text.format_map(keyed), None, tanggal, bulan))

    def _redacted(self, keyed: str, limit: int | None, tanggal: str, bulan: str) -> str:
        """``redaction.public_version`` of a text with fixed dates, once; the dates put back."""
        public = self.public_texts.get(keyed)
        if public is None:
            public = self.public_texts[keyed] = redaction.public_version(_NOBODY, keyed, limit)
        return public.replace(FIXED_TANGGAL, tanggal).replace(FIXED_BULAN, bulan)

    def _input(self, step, story: Story, moment: datetime, plan) -> workflow.ActionInput:
        """What ``step`` carries, its texts filled in for this report, agency and day."""
        # One draw per step whether its text needs it or not: the demo's random sequence, and so
        # every seeded figure (tests/golden/board), stays what it was.
        drawn = self.rng.choice(self.recent)[0] if self.recent else "lain"
        template = step.text
        reason = step.reason
        original = reference = None
        if step.action == "archive" and reason == "duplicate":
            if self.recent:
                # A duplicate links its original (docs/domain.md, "Lifecycle"): a recent report.
                reference, original = self.rng.choice(self.recent)
            else:  # the very first reports have nothing to duplicate
                reason, template = "too_general", cat.ARCHIVE_TEXTS["too_general"][0]
        text_ = template or None
        # The values are only worked out for a text that has placeholders (most have none).
        if step.action == "transfer" or (template and "{" in template):
            values = self._values(step, story, moment, plan, reference or drawn)
            if template:
                text_ = template.format_map(values)
            if step.action == "transfer":
                reason = step.reason.format_map(values)
                text_ = f"Laporan dialihkan kepada {step.agency.name}."
        # The public texts are set after the step (self._public), not redacted again here.
        extra = {k: v for k, v in step.extra.items() if k != "publish"} if step.extra else {}
        return workflow.ActionInput(text=text_, reason=reason, agency=step.agency,
                                    resolution_class=step.resolution_class, extra=extra,
                                    related_report=original)

    def _values(self, step, story: Story, moment: datetime, plan, reference: str) -> dict:
        """The placeholder values of a step's texts: the report's own, the agency acting or
        receiving, the day of the action, and the original of a duplicate."""
        current = self.demo.agencies_by_id.get(story.agency_id) if story.agency_id else None
        values = dict(plan.values)
        values.update(
            agency=(step.agency.name if step.action == "route" and step.agency else
                    current.name if current else "instansi terkait"),
            tujuan=step.agency.name if step.agency else "",
            tanggal_aksi=self._tanggal(sla.local_date(moment)),
            original=reference,
        )
        return values

    def write(self, plan, tracking_hash: str) -> Story:
        """Replay ``plan`` through the workflow's rules and queue its rows."""
        demo = self.demo
        year = sla.local_date(plan.submitted_at).year
        sequence = self.counters.get(year, 0) + 1
        self.counters[year] = sequence
        reference = references.format_reference(self.prefix, year, sequence)
        story = Story(
            id=self.next_id, reference=reference, year=year, sequence=sequence,
            tracking_hash=tracking_hash, report_type=plan.report_type, title=plan.title[:200],
            body=plan.body, incident_date=plan.incident_date, region_code=plan.region.code,
            requested_agency_id=plan.requested.id if plan.requested else None,
            category=plan.category, is_anonymous=plan.anonymous,
            is_confidential=plan.confidential, language="id")
        story.period = self._period(plan.submitted_at)
        self.next_id += 1
        events: list = []
        holds: list = []
        moment = plan.submitted_at
        self._act(story, "submit", REPORTER, moment, None, events, holds)
        now = self.now
        for step in plan.steps:
            when = demo.next_time(moment, step)
            self._missed(story, moment, min(when, now), events, holds)
            if when > now:
                break
            moment = when
            self._act(story, step.action, demo.actor_for(step, story), moment,
                      self._input(step, story, moment, plan), events, holds)
            if step.action == "route" and step.extra.get("publish"):
                story.public_title, story.public_body = self._public(plan)
            if step.action == "dispute" and plan.escalate:
                escalated = moment + timedelta(hours=self.rng.randint(2, 30))
                if escalated <= now:
                    self.escalations.rows.append((story.id, "disputed", step.reason, escalated))
            if story.status == plan.until:
                break  # a report forced into a status stays there
        self._missed(story, moment, now, events, holds)
        if plan.rating and story.status == Status.CLOSED:
            rated = story.closed_at + timedelta(minutes=self.rng.randint(1, 600))
            if rated <= now:
                score, comment = plan.rating
                self.ratings.rows.append((story.id, score, comment, rated))
        if plan.contact:
            contact = plan.contact
            self.contacts.rows.append((story.id, contact["name"], contact["email"], contact["phone"]))
        story.category_id = story.category.id if story.category is not None else None
        self.reports.rows.append(_report_row(story))
        self.events.rows.extend(events)
        self.recent.append((reference, story))
        self.pending += 1
        if self.pending >= self.batch_size:
            self.flush()
        return story

    # ------------------------------------------------------------------ writing
    def tables(self) -> tuple[_Table, ...]:
        return (self.reports, self.events, self.contacts, self.ratings, self.escalations)

    def flush(self) -> None:
        """Write the queued rows; in bulk, commit them (in a worker process: keep them)."""
        if self.collected is not None:
            for table, rows in zip(self.tables(), self.collected):
                rows.extend(table.prepare())
        else:
            for table in self.tables():
                table.write()
        self._times.clear()
        if self.collected is None:
            if self.bulk:
                db.session.commit()
            self.progress(self.pending)
        self.written += self.pending
        self.pending = 0

    def redact_ahead(self, scenes, processes: int) -> None:
        """Redact, in ``processes`` forked workers, every public title and text the ``scenes``
        can give (each title and the body, with the fixed dates and each weekday), so that the
        workers that replay the reports all find them done instead of each doing them all
        again (``redaction.public_version`` costs about a millisecond a text)."""
        texts: dict[str, int | None] = {}
        for scene in scenes:
            template = scene.template
            for day in cat.WEEKDAYS_ID:  # the same text for every day when it names none
                keyed = dict(scene.values, tanggal=FIXED_TANGGAL, bulan=FIXED_BULAN, hari=day)
                for title in template["titles"]:
                    texts.setdefault(title.format_map(keyed), 200)
                texts.setdefault(template["body"].format_map(keyed), None)
        todo = [(text_, limit) for text_, limit in texts.items() if text_ not in self.public_texts]
        parts = [todo[i::processes] for i in range(processes)]
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for part, public in zip(parts, pool.map(_redact, parts)):
                self.public_texts.update(zip((text_ for text_, _limit in part), public))

    def write_in_processes(self, items: list, write_item, year_of, processes: int,
                           chunk: int | None = None) -> None:
        """Replay ``items`` (in time order) in ``processes`` forked workers, ``chunk`` at a time,
        and write each chunk here as it comes back (SQLite, bulk load).

        Each chunk knows beforehand the report ids and the year's reference numbers it starts
        from (``year_of(item)``: the year of its reference), so the rows are the same as one
        process would write, but for the random draws: each chunk has its own random source
        (derived from the seed and the chunk's number), and its first duplicates look for
        their original only within the chunk.
        """
        global _JOB
        chunk = chunk or CHUNK
        starts = []
        next_id, counters = self.next_id, dict(self.counters)
        for lo in range(0, len(items), chunk):
            starts.append((lo, min(lo + chunk, len(items)), next_id, dict(counters)))
            for item in items[lo:lo + chunk]:
                year = year_of(item)
                counters[year] = counters.get(year, 0) + 1
                next_id += 1
        _JOB = (self, items, write_item, starts)
        # The workers must not read through the connection they inherit (SQLite's connections do
        # not survive fork()): the ORM objects they read (categories, demo officers), expired
        # by the commits of begin(), are loaded again here.
        for obj in list(db.session.identity_map.values()):
            if inspect(obj).expired_attributes:
                db.session.refresh(obj)
        # What the workers inherit is left out of the cyclic garbage collector (which would
        # otherwise walk, and so copy, those pages in every worker); the workers run without it
        # (a replayed report makes no reference cycles: its objects go when their last use does).
        gc.collect()
        gc.freeze()
        try:
            context = multiprocessing.get_context("fork")
            with context.Pool(processes, initializer=gc.disable) as pool:
                results = pool.imap(_replay_chunk, range(len(starts)))
                for (lo, hi, start_id, _c), (packed, dirty_agencies, dirty_regions, written) in zip(
                        starts, results):
                    for table, prepared in zip(self.tables(), _unpack_rows(packed)):
                        table.insert(prepared)
                    # The chunk's search rows now, while the workers replay the next chunks
                    # (after them, nothing else would run beside it).
                    added = self._search_rows(start_id + (hi - lo))
                    db.session.commit()
                    # Counted once committed: a commit that fails takes the chunk's reports
                    # and search rows back with it (then abandon()).
                    self.searchable += added
                    self.dirty_agencies |= dirty_agencies
                    self.dirty_regions |= dirty_regions
                    self.written += written
                    self.progress(written)
        finally:
            _JOB = None
            gc.unfreeze()
        self.next_id = next_id
        self.counters = counters

    def begin(self) -> None:
        """Before a bulk load on SQLite: no fsync, a rollback journal in memory (no write-ahead
        log to write every page to, then copy), no foreign-key checks, a large cache, NULLs bound
        without an exception each (:func:`_bind_none_quickly`), and the secondary indexes and
        triggers of ``reports`` set aside, but those the load appends to in order (built again by
        :meth:`finish`). All of it is undone by :meth:`restore`, after a failure too."""
        if not (self.bulk and self.dialect == "sqlite"):
            return
        db.session.commit()
        self._settings = {name: db.session.execute(text(f"PRAGMA {name}")).scalar()
                          for name in ("synchronous", "threads", "foreign_keys", "journal_mode")}
        # threads: a sort larger than the cache may use helper threads (at a million reports
        # each index's sort fits in the cache: no gain measured, none lost).
        # foreign_keys: every event looked its report up, every report its agency, category
        # and region (the rows are consistent by construction; tests/unit/test_demo_bulk.py runs
        # the foreign-key check after a bulk load).
        _pragmas("PRAGMA synchronous=OFF", "PRAGMA cache_size=-262144", "PRAGMA temp_store=MEMORY",
                 f"PRAGMA threads={min(8, os.cpu_count() or 1)}", "PRAGMA foreign_keys=OFF",
                 "PRAGMA journal_mode=MEMORY")
        _bind_none_quickly(True)
        rows = db.session.execute(text(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
            "type IN ('index', 'trigger') AND tbl_name = 'reports'")).all()
        for kind, name, sql in rows:
            if name in KEPT_DURING_LOAD:
                continue
            db.session.execute(text(f'DROP {kind.upper()} "{name}"'))
            self._restore.append(sql)
        db.session.commit()
        self.search_from = self.next_id  # the first report without its search row

    def finish(self) -> None:
        """Write what is left, the reference counters and the rollup pairs to refresh; after a
        bulk load, build the indexes, triggers and search rows again."""
        self.flush()
        for year, last in self.counters.items():
            db.session.execute(references._insert_ignore(year))
            db.session.execute(update(ReferenceCounter).where(ReferenceCounter.year == year)
                               .where(ReferenceCounter.last_value < last)
                               .values(last_value=last).execution_options(synchronize_session=False))
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        if self.dirty_agencies:
            db.session.execute(insert(StatsDirty).on_conflict_do_nothing(),
                               [{"agency_id": a, "period": p} for a, p in sorted(self.dirty_agencies)])
        if self.dirty_regions:
            db.session.execute(insert(StatsDirtyRegion).on_conflict_do_nothing(),
                               [{"region_code": r, "period": p} for r, p in sorted(self.dirty_regions)])
        if self.dialect == "postgresql" and self.written:
            db.session.execute(text(
                "SELECT setval(pg_get_serial_sequence('reports', 'id'), "
                "(SELECT max(id) FROM reports))"))
        self.restore()

    def abandon(self) -> None:
        """After a failure: drop the batch in progress, keep what was committed, and build the
        indexes, triggers and search rows again (a bulk load never leaves them missing)."""
        db.session.rollback()
        self.restore()

    def _search_rows(self, before: int | None) -> int:
        """Insert the search rows (Report.is_public; migrations 0010 and 0028) of the new public reports
        that have none yet, up to the id ``before`` (None: all), while the triggers are off;
        how many it inserted (the public reports among them)."""
        if not self._restore:
            return 0
        added = db.session.execute(text(
            "INSERT INTO report_search (rowid, title, body, facets) "
            "SELECT id, coalesce(public_title, ''), public_body, "
            f"{search.facets_sql('reports.')} FROM reports "
            f"WHERE id >= :first AND id < :before AND {_PUBLIC}"),
            {"first": self.search_from, "before": before if before is not None else 1 << 62}
        ).rowcount
        if before is not None:
            self.search_from = before
        return added

    def restore(self) -> None:
        """Build again what :meth:`begin` set aside, and the search rows of the new reports."""
        if self._restore:
            db.session.commit()
            for sql in self._restore:
                if sql.lstrip().upper().startswith("CREATE INDEX") or \
                        sql.lstrip().upper().startswith("CREATE UNIQUE INDEX"):
                    db.session.execute(text(sql))
            added = self._search_rows(None)
            # The count of public reports (migration 0024) its triggers did not keep meanwhile:
            # the load only added reports, and a search row for each public one (counting them
            # again read every report: 1.3 s at a million).
            db.session.execute(text("UPDATE public_report_count SET reports = reports + :added"),
                               {"added": self.searchable + added})
            for sql in self._restore:
                if sql.lstrip().upper().startswith("CREATE TRIGGER"):
                    db.session.execute(text(sql))
            db.session.commit()
            settings = self._settings
            _bind_none_quickly(False)
            _pragmas(f"PRAGMA journal_mode={settings['journal_mode']}",
                     f"PRAGMA synchronous={int(settings['synchronous'])}",
                     "PRAGMA cache_size=-2000", f"PRAGMA threads={int(settings['threads'] or 0)}",
                     f"PRAGMA foreign_keys={int(settings['foreign_keys'])}")
            self._restore = []


# A public report (Report.is_public) in SQLite's SQL, for what the triggers set aside would write.
_PUBLIC = str(Report.is_public.expression.compile(dialect=sqlite.dialect(),
                                                   compile_kwargs={"literal_binds": True}))


# The sqlite3 driver binds a None by looking for an adapter, then for ``__conform__`` on None:
# an AttributeError raised and cleared for every NULL (a report row has a dozen), which made
# binding a row of NULLs 2.6 times slower than binding a row of numbers. During a bulk load an
# adapter for None that is a C function returning None (``{}.get``) binds the same NULL.
_NULL_ADAPTER = (type(None), sqlite3.PrepareProtocol)


def _bind_none_quickly(active: bool) -> None:
    if active:
        sqlite3.adapters[_NULL_ADAPTER] = {}.get
    else:
        sqlite3.adapters.pop(_NULL_ADAPTER, None)


def _pragmas(*pragmas: str) -> None:
    """Run SQLite pragmas that may not change inside a transaction on the session's connection:
    end the (empty) transaction the session began, run them, begin it again."""
    raw = db.session.connection().connection.driver_connection
    raw.execute("COMMIT")
    for pragma in pragmas:
        raw.execute(pragma)
    raw.execute("BEGIN IMMEDIATE")


_JOB = None  # what the forked workers of Writer.write_in_processes inherit
CHUNK = 10_000  # reports a worker replays at a time (Writer.write_in_processes)


def _redact(texts: list[tuple[str, int | None]]) -> list[str]:
    """In a forked worker: the public versions of texts (see :meth:`Writer.redact_ahead`)."""
    return [redaction.public_version(_NOBODY, text_, limit) for text_, limit in texts]


def _replay_chunk(index: int):
    """In a forked worker: replay one chunk of items; return its prepared rows and marks."""
    writer, items, write_item, starts = _JOB
    lo, hi, start_id, counters = starts[index]
    demo = writer.demo
    demo.rng.seed(f"{demo.seed}/{index}")
    demo.code_rng.seed(f"{demo.seed}/codes/{index}")
    writer.next_id, writer.counters = start_id, counters
    writer.collected = [[] for _ in writer.tables()]
    writer.recent.clear()
    writer.dirty_agencies, writer.dirty_regions = set(), set()
    writer.written = writer.pending = 0
    for item in items[lo:hi]:
        write_item(item)
    writer.flush()
    return _pack_rows(writer.collected), writer.dirty_agencies, writer.dirty_regions, writer.written


def _pack_rows(tables: list[list]) -> bytes | list[list]:
    """A chunk's prepared rows on their way from a worker to the process that writes them.

    On SQLite the rows hold only texts, numbers and NULLs: ``marshal`` writes and reads them
    3–5 and 1.5 times faster than the pickle the pool would otherwise use (together about a
    tenth of the parent's and a twentieth of the workers' time at a million reports). Anything
    marshal does not take travels as it is (the pool pickles it)."""
    try:
        return marshal.dumps(tables)
    except ValueError:
        return tables


def _unpack_rows(packed: bytes | list[list]) -> list[list]:
    """What :func:`_pack_rows` made, as rows again."""
    return marshal.loads(packed) if isinstance(packed, bytes) else packed
