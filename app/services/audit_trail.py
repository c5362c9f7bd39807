"""The audit trail as oversight reads it: every row of ``access_log``, filtered, newest first.

``access_log`` holds three kinds of rows (``app/models/audit.py``): audited reads of reports
(every read by oversight, every read of an anonymous report's original), the changes admins
make to accounts, and the security events of accounts (sign-ins and their failures,
throttling, second-factor events, session ends, API tokens made, used, refused and revoked).
This module lists them for the people who oversee the staff:

* oversight and the national admin read every row;
* an agency admin reads the rows of the accounts of its agency and its units (its own
  officers' sign-ins and reads), never another agency's.

The trail grows with every sign-in for as long as the portal runs, so a page is found by
keyset (rows older than the last one shown, ``before``), never by counting or by OFFSET, and
each filter is a column with its own index (user, report, time) or a short scan down the
primary key. A download gives the same rows as CSV, at most ``EXPORT_LIMIT`` of them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..labels import ACCESS_LABELS
from ..models import AccessLog, Report, User
from ..models.user import AGENCY_ADMIN, NATIONAL_ADMIN, OVERSIGHT
from . import access, querying
from .sessions import SECURITY_EVENTS

READERS = (OVERSIGHT, NATIONAL_ADMIN, AGENCY_ADMIN)
PAGE_SIZE = 50
EXPORT_LIMIT = 10_000

# Event groups offered next to single events: what an overseer usually asks for at once.
GROUPS = {
    "security": SECURITY_EVENTS,
    "reads": ("view_report", "view_inbox", "view_queue", "view_escalations", "download",
              "download_dossier", "unmask_public_text", "view_accounts", "view_account",
              "view_audit"),
    "accounts": ("account_create", "account_deactivate", "account_reactivate",
                 "account_reset_password", "account_change_own_password",
                 "account_reset_second_factor"),
}


@dataclass(frozen=True)
class TrailFilter:
    """What the reader asked for; every field is optional."""
    what: str | None = None        # an event code (ACCESS_LABELS) or a group (GROUPS)
    who: str | None = None         # words of the account's name or e-mail
    reference: str | None = None   # a report's reference
    date_from: date | None = None  # Jakarta days, inclusive
    date_to: date | None = None
    before: int | None = None      # keyset: rows older than this id

    def args(self) -> dict:
        """The filter as query arguments (for links), without the cursor."""
        found = {"what": self.what, "who": self.who, "reference": self.reference,
                 "from": self.date_from.isoformat() if self.date_from else None,
                 "to": self.date_to.isoformat() if self.date_to else None}
        return {key: value for key, value in found.items() if value}


@dataclass
class TrailPage:
    """Rows of the trail, newest first, and the cursor of the next (older) page, if any."""
    items: list = field(default_factory=list)
    older_than: int | None = None
    is_first: bool = True


def can_read(actor: User) -> bool:
    return actor.role in READERS


def event_choices() -> list[tuple[str, str]]:
    """(code, label) of every event the trail records, by label."""
    return sorted(((code, str(label)) for code, label in ACCESS_LABELS.items()),
                  key=lambda pair: pair[1].lower())


def known_event(code: str | None) -> str | None:
    """``code`` when it is an event or a group the trail knows, else None (ignored)."""
    return code if code in ACCESS_LABELS or code in GROUPS else None


def _query(actor: User, flt: TrailFilter):
    query = select(AccessLog)
    scope = access.agency_scope(actor) if actor.role == AGENCY_ADMIN else None
    if not can_read(actor):
        return query.where(AccessLog.id.is_(None))
    if scope is not None:
        query = query.where(AccessLog.user_id.in_(
            select(User.id).where(User.agency_id.in_(scope or {-1}))))
    if flt.what in GROUPS:
        query = query.where(AccessLog.what.in_(GROUPS[flt.what]))
    elif flt.what:
        query = query.where(AccessLog.what == flt.what)
    if flt.who:
        accounts = querying.words_in(select(User.id), (User.name, User.email), flt.who)
        query = query.where(AccessLog.user_id.in_(accounts))
    if flt.reference:
        query = query.where(AccessLog.report_id.in_(
            select(Report.id).where(Report.reference == flt.reference.strip().upper())))
    query = querying.submitted_between(query, AccessLog.created_at, flt.date_from, flt.date_to)
    return query


def trail_page(actor: User, flt: TrailFilter, size: int = PAGE_SIZE) -> TrailPage:
    """One page of the trail ``actor`` may read, newest first (see the module's docstring)."""
    query = _query(actor, flt)
    if flt.before:
        query = query.where(AccessLog.id < flt.before)
    rows = list(db.session.scalars(
        query.options(selectinload(AccessLog.user).selectinload(User.agency),
                      selectinload(AccessLog.report))
        .order_by(AccessLog.id.desc()).limit(size + 1)))
    older = rows[size - 1].id if len(rows) > size else None
    return TrailPage(items=rows[:size], older_than=older, is_first=not flt.before)


EXPORT_COLUMNS = ["id", "created_at_utc", "account_email", "account_role", "account_agency",
                  "event", "event_label", "report_reference", "detail"]


def export_rows(actor: User, flt: TrailFilter) -> list[dict]:
    """The newest EXPORT_LIMIT rows matching ``flt`` as CSV rows (the cursor is ignored)."""
    page = trail_page(actor, TrailFilter(**{**flt.__dict__, "before": None}), EXPORT_LIMIT)
    return [{
        "id": row.id,
        "created_at_utc": row.created_at.isoformat(timespec="seconds"),
        "account_email": row.user.email if row.user else "",
        "account_role": row.user.role if row.user else "",
        "account_agency": row.user.agency.name if row.user and row.user.agency else "",
        "event": row.what,
        "event_label": str(ACCESS_LABELS.get(row.what, row.what)),
        "report_reference": row.report.reference if row.report else "",
        "detail": row.detail or "",
    } for row in page.items]
