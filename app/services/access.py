"""Who may see and do what, checked on the server for every object.

* national admin: every report (verification, routing, archive); never an anonymous reporter's contact;
* agency admin: reports of the agency and its sub-units;
* officer: reports of the agency;
* oversight: every report, read-only, internal notes and audit trail included; each view logged;
* every read of an anonymous report's original (national admin, oversight) is logged.

The verification queue (new reports, not yet routed) is the national admin's work; oversight
reads it too, read-only and logged (:func:`can_read_verification_queue`). The HTML screens and
the API ask these functions; neither keeps a copy of a rule.

An officer who asks for a report outside their scope gets the same answer as for a report that
does not exist (404), so references cannot be probed.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..unit_of_work import writes
from ..extensions import db
from ..models import AccessLog, Agency, Report, User
from ..models.user import AGENCY_ADMIN, NATIONAL_ADMIN, OFFICER, OVERSIGHT
from . import redaction
from .errors import NotFound


def agency_scope(user: User) -> set[int] | None:
    """Agency ids whose reports ``user`` may see; None means every agency."""
    if user.role in (NATIONAL_ADMIN, OVERSIGHT):
        return None
    if user.agency_id is None:
        return set()
    if user.role == OFFICER:
        return {user.agency_id}
    if user.role == AGENCY_ADMIN:
        return descendants_and_self(user.agency_id)
    return set()


def descendants_and_self(agency_id: int) -> set[int]:
    """The agency and every unit below it (the tree is shallow: a few levels at most)."""
    found = {agency_id}
    frontier = {agency_id}
    while frontier:
        children = set(db.session.scalars(select(Agency.id).where(Agency.parent_id.in_(frontier))))
        frontier = children - found
        found |= frontier
    return found


def can_view(user: User, report: Report) -> bool:
    scope = agency_scope(user)
    return scope is None or (report.agency_id is not None and report.agency_id in scope)


def can_read_verification_queue(user: User) -> bool:
    """The national admin works the queue; oversight reads it (read-only, each view logged)."""
    return user.role in (NATIONAL_ADMIN, OVERSIGHT)


def reads_are_logged(user: User) -> bool:
    """Every view by an oversight user is recorded (docs/domain.md, "Roles": oversight is audited)."""
    return user.role == OVERSIGHT


def can_act(user: User) -> bool:
    """Oversight reads only."""
    return user.role in (NATIONAL_ADMIN, AGENCY_ADMIN, OFFICER)


def can_see_contact(user: User, report: Report) -> bool:
    """The reporter's contact: never for an anonymous report, for nobody."""
    return not report.is_anonymous and can_view(user, report)


def hides_reporter_identity(user: User, report: Report) -> bool:
    """An anonymous report hides who filed it from every agency role (agency admins, officers
    and their API tokens): they read its agency text (the reviewed full redaction). The
    national admin (who verifies) and oversight read the original. The rule is
    :func:`redaction.hides_identity` (its tables say who reads what)."""
    return redaction.hides_identity(report, user)


def may_route_within(user: User, target: Agency) -> bool:
    """Transfers: an agency role may send a report to any agency ("no wrong door")."""
    return user.role in (AGENCY_ADMIN, OFFICER, NATIONAL_ADMIN) and target.is_active


def report_for(user: User, reference: str, for_update: bool = False) -> Report:
    """The report with ``reference`` if ``user`` may see it; NotFound otherwise.

    ``for_update`` locks the row (PostgreSQL) so that two officers acting at once cannot both
    win; on SQLite the write transaction is already exclusive.
    """
    query = select(Report).where(Report.reference == reference)
    if for_update:
        query = query.with_for_update()
    report = db.session.scalar(query)
    if report is None or not can_view(user, report):
        raise NotFound(_l("Laporan tidak ditemukan."))
    return report


def scoped_reports_query(user: User):
    """A SELECT of the reports ``user`` may see (to filter further)."""
    query = select(Report)
    scope = agency_scope(user)
    if scope is not None:
        query = query.where(Report.agency_id.in_(scope or {-1}))
    return query


@writes
def log_access(user: User, what: str, report: Report | None = None, detail: str | None = None) -> None:
    """Record a read by an oversight user (and other audited reads); the unit of work commits.

    A view that logs is a writer from its start (``unit_of_work.view_writes``): under parallel
    requests the insert then waits for the write lock instead of failing, and so is never lost.
    The row is committed with the request, before anything read is sent.
    """
    report_id = report.id if report else None
    user_id = user.id
    detail = (detail or "").replace("\x00", "")[:200] or None
    db.session.add(AccessLog(user_id=user_id, report_id=report_id, what=what, detail=detail))


def access_log(report: Report, limit: int = 50) -> list[AccessLog]:
    """The newest ``limit`` audit rows of ``report`` (who read or downloaded it), newest first."""
    return list(db.session.scalars(select(AccessLog).where(AccessLog.report_id == report.id)
                                   .order_by(AccessLog.id.desc()).limit(limit)))


def read_is_logged(user: User, report: Report | None = None) -> bool:
    """Whether this read is recorded: every read by oversight, and every read of an anonymous
    report's original (the national admin's case page, API detail, original attachment): the
    only staff who read what an anonymous reporter wrote leave a trace each time they do."""
    return reads_are_logged(user) or (
        report is not None and redaction.reads_original_of(report, user))


def log_read(user: User, what: str, report: Report | None = None, detail: str | None = None) -> bool:
    """Log the read when it is audited (:func:`read_is_logged`); True when a row was added."""
    if not read_is_logged(user, report):
        return False
    log_access(user, what, report, detail)
    return True
