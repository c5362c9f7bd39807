"""The report lifecycle: THE transition table, and the only code that assigns a status.

Each cell says, for an action, from which states it may happen, the state it leads to, who may
take it and what it requires. :func:`apply` checks the cell, changes the report and writes
exactly one immutable :class:`~app.models.ReportEvent` (actor, time, from, to, reason, public
text). Nothing else in the code base sets ``Report.status``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert
from sqlalchemy.orm.attributes import flag_modified

from ..database import write_connection
from ..extensions import db
from ..models import Report, ReportEvent, Status
from ..models.event import OFFICER, REPORTER, SYSTEM
from ..models.user import AGENCY_ADMIN, NATIONAL_ADMIN
from ..models.user import OFFICER as OFFICER_ROLE
from . import data_version, following, notifications, redaction, sla, statistics, texts
from .errors import TransitionRefused

# Who may act. Reporter and system are not officer roles but act through the same table.
R_REPORTER = "reporter"
R_SYSTEM = "system"
AGENCY_ROLES = frozenset({AGENCY_ADMIN, OFFICER_ROLE})

# Pseudo-state: "back where it was before the hold".
PREVIOUS = "<previous>"
# Pseudo-state: the action records an event but leaves the status alone.
UNCHANGED = "<unchanged>"

OPEN_STATES = (Status.SUBMITTED, Status.ROUTED, Status.IN_PROGRESS, Status.ON_HOLD, Status.RESOLVED)
WORKED_STATES = (Status.ROUTED, Status.IN_PROGRESS)

ARCHIVE_REASONS = (
    "too_general",
    "not_government_service",
    "duplicate",
    "spam",
    "incomplete",
    "outside_remit",
)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    requires: tuple[str, ...] = ()
    public: bool = True  # does the event show on the reporter's and public timeline?


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    Transition("submit", (), Status.SUBMITTED, frozenset({R_REPORTER})),
    Transition("route", (Status.SUBMITTED,), Status.ROUTED, frozenset({NATIONAL_ADMIN}),
               requires=("agency", "resolution_class")),
    Transition("archive", (Status.SUBMITTED, Status.ON_HOLD), Status.ARCHIVED,
               frozenset({NATIONAL_ADMIN}), requires=("reason",)),
    Transition("request_info", (Status.SUBMITTED,) + WORKED_STATES, Status.ON_HOLD,
               frozenset({NATIONAL_ADMIN}) | AGENCY_ROLES, requires=("text",)),
    Transition("reporter_reply", (Status.ON_HOLD,), PREVIOUS, frozenset({R_REPORTER}),
               requires=("text",)),
    Transition("reporter_message", (Status.SUBMITTED,) + WORKED_STATES, UNCHANGED,
               frozenset({R_REPORTER}), requires=("text",)),
    Transition("respond", WORKED_STATES, Status.IN_PROGRESS, AGENCY_ROLES, requires=("text",)),
    Transition("note", OPEN_STATES, UNCHANGED, frozenset({NATIONAL_ADMIN}) | AGENCY_ROLES,
               requires=("text",), public=False),
    Transition("transfer", WORKED_STATES, Status.ROUTED, AGENCY_ROLES,
               requires=("agency", "reason")),
    Transition("resolve", WORKED_STATES, Status.RESOLVED, AGENCY_ROLES, requires=("text",)),
    Transition("confirm", (Status.RESOLVED,), Status.CLOSED, frozenset({R_REPORTER})),
    Transition("dispute", (Status.RESOLVED,), Status.IN_PROGRESS, frozenset({R_REPORTER}),
               requires=("reason",)),
    Transition("auto_close", (Status.RESOLVED,), Status.CLOSED, frozenset({R_SYSTEM})),
    # Recorded once per missed deadline by the lifecycle tick; the status stays.
    Transition("deadline_missed", (Status.SUBMITTED,) + WORKED_STATES, UNCHANGED,
               frozenset({R_SYSTEM}), requires=("reason",)),
)}


@dataclass(frozen=True)
class Actor:
    """Who takes an action: the reporter (by tracking code), an officer, or the system."""

    kind: str
    user: object | None = None
    role: str | None = None
    agency_id: int | None = None

    @classmethod
    def reporter(cls) -> "Actor":
        return cls(kind=REPORTER, role=R_REPORTER)

    @classmethod
    def system(cls) -> "Actor":
        return cls(kind=SYSTEM, role=R_SYSTEM)

    @classmethod
    def officer(cls, user) -> "Actor":
        return cls(kind=OFFICER, user=user, role=user.role, agency_id=user.agency_id)


@dataclass
class ActionInput:
    """What an action carries; which parts are needed is in the transition's ``requires``."""

    text: str | None = None
    reason: str | None = None
    agency: object | None = None
    resolution_class: str | None = None
    # Archive as a duplicate: the original report, which the event links.
    related_report: Report | None = None
    extra: dict = field(default_factory=dict)


def allowed_actions(report: Report | None, actor: Actor) -> list[str]:
    """The actions ``actor`` may take on ``report`` in its current state (for showing buttons)."""
    state = report.status if report is not None else None
    return [t.action for t in TRANSITIONS.values()
            if actor.role in t.roles and (state in t.sources or (state is None and not t.sources))]


def _check(transition: Transition, report: Report, actor: Actor, data: ActionInput) -> None:
    if actor.role not in transition.roles:
        raise TransitionRefused(_l("Anda tidak berwenang melakukan tindakan ini."))
    current = report.status if report.status is not None else None
    if transition.sources and current not in transition.sources:
        raise TransitionRefused(_l("Tindakan ini tidak dapat dilakukan pada status laporan saat ini."))
    if not transition.sources and current is not None:
        raise TransitionRefused(_l("Laporan ini sudah dikirim."))
    for name in transition.requires:
        if name == "text" and not (data.text or "").strip():
            raise TransitionRefused(_l("Teks wajib diisi."), field="text")
        if name == "reason" and not (data.reason or "").strip():
            raise TransitionRefused(_l("Alasan wajib diisi."), field="reason")
        if name == "agency" and data.agency is None:
            raise TransitionRefused(_l("Instansi tujuan wajib dipilih."), field="agency")
        if name == "resolution_class" and data.resolution_class not in sla.RESOLUTION_CLASSES:
            raise TransitionRefused(_l("Klasifikasi penyelesaian wajib dipilih."), field="resolution_class")
    if transition.action == "archive" and data.reason not in ARCHIVE_REASONS:
        raise TransitionRefused(_l("Alasan pengarsipan tidak dikenal."), field="reason")
    if transition.action == "archive" and data.reason == "duplicate":
        if data.related_report is None:
            raise TransitionRefused(_l("Sebutkan nomor laporan aslinya."), field="duplicate_of")
        if data.related_report is report:
            raise TransitionRefused(_l("Laporan tidak dapat menjadi duplikat dirinya sendiri."),
                                    field="duplicate_of")
    if transition.action == "transfer" and data.agency is not None and data.agency.id == report.agency_id:
        raise TransitionRefused(_l("Pilih instansi lain untuk pengalihan."), field="agency")
    if transition.action == "route":
        # The column's length, also for a proposed title that redaction masks made longer.
        texts.check_storable("public_title", data.extra.get("public_title"),
                       Report.__table__.c.public_title.type.length)


def _target_state(transition: Transition, report: Report) -> str:
    if transition.target == PREVIOUS:
        return report.status_before_hold or Status.SUBMITTED
    if transition.target == UNCHANGED:
        return report.status
    return transition.target


def _apply_side_effects(action: str, report: Report, actor: Actor, data: ActionInput,
                        now: datetime) -> None:
    """Timestamps and fields that go with a transition (what the SLA clocks read)."""
    # The first follow-up: the agency's first public step of any kind (sla.FIRST_RESPONSE_ACTIONS).
    if (report.first_response_at is None
            and sla.counts_as_first_response(action, actor.kind, actor.agency_id)):
        report.first_response_at = now
    if action == "submit":
        report.submitted_at = now
    elif action == "route":
        report.agency_id = data.agency.id
        report.resolution_class = data.resolution_class
        report.routed_at = now
        _apply_verification(report, data)
    elif action == "transfer":
        report.agency_id = data.agency.id
        report.routed_at = now  # the receiving agency's clocks start afresh
        report.first_response_at = None
        report.reopened_at = None
        report.overdue_clock = None  # its misses are its own, recorded anew
    elif action == "resolve":
        report.resolved_at = now
    elif action in ("confirm", "auto_close"):
        report.closed_at = now
    elif action == "dispute":
        report.resolved_at = None
        # The reopened work gets a fresh resolution clock of the report's class from now on;
        # a miss of that clock is a miss of its own, recorded anew.
        report.reopened_at = now
        report.overdue_clock = None
    elif action == "archive":
        report.closed_at = now
    elif action == "deadline_missed":
        report.overdue_clock = data.reason


def _apply_verification(report: Report, data: ActionInput) -> None:
    """What the verifier sets when routing: category, public text, and flags (only ever added).

    The public title and text are stored redacted, the reporter's own name included, whatever
    the verifier typed: an edit may bring back what the automatic proposal had masked.
    Redaction is idempotent, so a reviewed proposal is stored as it was shown.
    """
    extra = data.extra
    if "category" in extra:
        report.category = extra["category"]
    if (extra.get("public_title") or "").strip():
        report.public_title = redaction.public_version(
            report, extra["public_title"], Report.__table__.c.public_title.type.length)
    if (extra.get("public_body") or "").strip():
        report.public_body = redaction.public_version(report, extra["public_body"])
    # A verifier may add a privacy flag; nobody may remove one (docs/domain.md, "Privacy flags").
    report.is_anonymous = report.is_anonymous or bool(extra.get("add_anonymous"))
    report.is_confidential = report.is_confidential or bool(extra.get("add_confidential"))


def refresh_deadline(report: Report, now: datetime) -> None:
    """Store the deadline that applies now, so lists can sort and filter on it in SQL."""
    store_deadline(report, sla.holds_from_events(report.events), now)


def store_deadline(report, holds: list[sla.Hold], now: datetime) -> None:
    """Set ``due_on`` and ``due_clock`` of ``report`` (any object with a report's fields) to the
    deadline that applies at ``now`` given its ``holds``: what :func:`refresh_deadline` stores."""
    current = sla.current_due(report, holds, now)
    if current is None:
        report.due_on = report.due_clock = None
    else:
        clock, due_on, paused = current
        report.due_on, report.due_clock = (None if paused else due_on), clock


def check(report: Report, action: str, actor: Actor, data: ActionInput | None = None) -> None:
    """Raise :class:`TransitionRefused` when :func:`apply` would refuse ``action`` now; change
    nothing (a screen that asks "are you sure?" first checks what the answer would meet)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionRefused(_l("Tindakan tidak dikenal."))
    _check(transition, report, actor, data or ActionInput())


def advance(report, action: str, actor: Actor, now: datetime,
            data: ActionInput | None = None) -> dict:
    """The rules of :func:`apply` without the database: check the cell, change the status and
    the fields the clocks read on ``report`` (a :class:`Report` or any object with its fields),
    and return the values of the event to record (``related_report`` as the object given).

    :func:`apply` and the bulk demo (``app/demo/bulk.py``, which replays a million reports'
    histories) both move a report by this function, so they cannot disagree.
    """
    data = data or ActionInput()
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionRefused(_l("Tindakan tidak dikenal."))
    _check(transition, report, actor, data)

    from_status = report.status
    to_status = _target_state(transition, report)
    if to_status == Status.ON_HOLD:
        report.status_before_hold = from_status
        report.on_hold_since = now
    elif from_status == Status.ON_HOLD:
        report.status_before_hold = None
        report.on_hold_since = None
    _apply_side_effects(action, report, actor, data, now)
    report.status = to_status
    report.updated_at = now
    return dict(
        created_at=now,
        action=action,
        actor_kind=actor.kind,
        actor_user_id=getattr(actor.user, "id", None),
        actor_agency_id=actor.agency_id,
        target_agency_id=(data.agency.id if action in ("route", "transfer") and data.agency else None),
        related_report=(data.related_report
                        if action == "archive" and data.reason == "duplicate" else None),
        from_status=from_status,
        to_status=to_status,
        reason=data.reason,
        public_text=data.text,
        is_internal=not transition.public,
    )


def apply(report: Report, action: str, actor: Actor, now: datetime,
          data: ActionInput | None = None) -> ReportEvent:
    """Take ``action`` on ``report`` as ``actor`` at ``now``; return the event it wrote.

    Raises :class:`TransitionRefused` (with a user-facing message) when the table says no.
    """
    previous_agency_id = report.agency_id
    event = ReportEvent(report=report, **advance(report, action, actor, now, data))
    db.session.add(event)  # event.report=report also puts it in report.events
    refresh_deadline(report, now)
    # refresh_deadline may flush; keep updated_at in the next UPDATE too, or the column's
    # onupdate would stamp the wall clock instead of ``now``.
    flag_modified(report, "updated_at")

    statistics.mark_dirty(report, previous_agency_id, actor.agency_id)

    notifications.queue_for_event(report, event)
    following.queue_for_event(report, event)
    return event


# --- a new report without the ORM (the filing's hot path) ------------------------------------------

_REPORTS = Report.__table__
_EVENTS = ReportEvent.__table__
# Every column of a report row but its id, and what a new one holds until set: each column's
# own default when it is a constant (the flags, the language), else None (the times a
# transition sets: ``submitted_at`` and ``updated_at`` come from :func:`advance`).
NEW_REPORT_DEFAULTS = {
    column.name: (column.default.arg if column.default is not None and column.default.is_scalar
                  else None)
    for column in _REPORTS.columns if column.name != "id"}
# Built once, executed with a row as parameters: compiled once per process, never keyed again.
_INSERT_REPORT = insert(_REPORTS).returning(_REPORTS.c.id)
_INSERT_EVENT = insert(_EVENTS).returning(_EVENTS.c.id)


class NewReport:
    """A report not written yet, as plain fields: every column of ``reports`` (the id once
    :func:`file_new` wrote it), what :func:`advance` and :func:`store_deadline` read and set."""

    __slots__ = ("id", *NEW_REPORT_DEFAULTS)

    def __init__(self, **values):
        self.id = None
        for name, default in NEW_REPORT_DEFAULTS.items():
            setattr(self, name, values.pop(name, default))
        if values:
            raise TypeError(f"not columns of reports: {', '.join(values)}")

    @property
    def contact(self):
        return None  # written after the first step, as :func:`apply`'s caller did

    def row(self) -> dict:
        return {name: getattr(self, name) for name in NEW_REPORT_DEFAULTS}


def file_new(report: NewReport, action: str, actor: Actor, now: datetime) -> SimpleNamespace:
    """:func:`apply` for a report that is not in the database yet, without the ORM: the same
    rules (:func:`advance`, the deadline :func:`refresh_deadline` would store, the statistics'
    dirty marks, the notifications' and followers' rules), the report and its event each
    written by one cached ``INSERT … RETURNING id`` instead of an ORM object and a flush (a
    filing holds SQLite's one write lock meanwhile: issue 12). Sets ``report.id``; returns the
    event's values with its ``id``.

    The statements go to the transaction's connection, past the session's execute events, so
    the data version is judged here by its own rule (a report just filed is never public).
    """
    previous_agency_id = report.agency_id
    values = advance(report, action, actor, now)
    event = SimpleNamespace(id=None, report_id=None, **values)
    store_deadline(report, sla.holds_from_events([event]), now)
    connection = write_connection()
    report.id = event.report_id = connection.execute(_INSERT_REPORT, report.row()).scalar_one()
    row = dict(values, report_id=report.id)
    related = row.pop("related_report")
    row["related_report_id"] = related.id if related is not None else None
    event.related_report_id = row["related_report_id"]
    event.id = connection.execute(_INSERT_EVENT, row).scalar_one()
    data_version.note_new_report(report)

    statistics.mark_dirty(report, previous_agency_id, actor.agency_id)

    notifications.queue_for_event(report, event)
    following.queue_for_event(report, event)
    return event
