"""The officers' report lists: the verification queue and the agency inbox.

Filtering, full-text search, sorting and pagination happen in SQL on the stored deadline
(``reports.due_on``), so a list costs the same however many reports there are.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import and_, case, func, or_, select

from ..extensions import db
from ..models import Category, Report, Status, User
from . import access, querying, redaction, sla
from .querying import Page  # noqa: F401  (the lists' page, named here too)

PAGE_SIZE = 25
SORTS = ("deadline", "newest", "oldest")
# The officers' screen opens on the work to do: reports whose agency clock runs (routed, in
# progress). ``InboxFilter.status`` takes it like a status; the API's default stays "all".
NEEDS_ACTION = "needs_action"
NEEDS_ACTION_STATUSES = (Status.ROUTED, Status.IN_PROGRESS)


@dataclass
class InboxFilter:
    status: str | None = None
    category: str | None = None
    overdue: bool = False
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None
    sort: str = "deadline"
    page: int = 1
    due_by: date | None = None  # agency deadlines from today up to this day (not yet late)


@dataclass(frozen=True)
class InboxCounts:
    """What the officer's screen counts above the list, each a filter link: the agency's work
    that is late, due today, and due by the end of this week (Sunday, Jakarta)."""
    needs_action: int
    overdue: int
    due_today: int
    due_this_week: int
    week_ends_on: date


def end_of_week(today: date) -> date:
    """The Sunday ending ``today``'s week (``today`` itself on a Sunday)."""
    return today + timedelta(days=6 - today.weekday())


def _agency_clock():
    """The report's running deadline is the agency's (or the verifier's), not the reporter's
    answer window after a resolution."""
    return or_(Report.due_clock.is_(None), Report.due_clock != sla.REPORTER_ANSWER)


def _words_hiding_anonymous_reporters(query, text: str | None):
    """Every word of ``text`` in the reference or the text, where an anonymous report's text is
    its public (redacted) version: a search for a name must not single out who filed one."""
    for word in (text or "").split()[:querying.MAX_SEARCH_WORDS]:
        pattern = querying.like_pattern(word)

        def like(column):
            return column.ilike(pattern, escape="\\")

        query = query.where(or_(
            like(Report.reference),
            and_(Report.is_anonymous.is_(False), or_(like(Report.title), like(Report.body))),
            and_(Report.is_anonymous.is_(True),
                 or_(like(Report.public_title), like(Report.public_body)))))
    return query


def _apply_filters(query, flt: InboxFilter, today: date, hide_anonymous: bool = False):
    if flt.status in Status.ALL:
        query = query.where(Report.status == flt.status)
    elif flt.status == NEEDS_ACTION:
        query = query.where(Report.status.in_(NEEDS_ACTION_STATUSES))
    if flt.category:
        query = query.join(Category, Report.category_id == Category.id).where(Category.slug == flt.category)
    if flt.overdue:
        # Late is the agency's (or the verifier's) clock only: a resolved report waiting for the
        # reporter's answer is not overdue, whatever its answer window says.
        query = query.where(Report.due_on < today, _agency_clock())
    if flt.due_by is not None:
        query = query.where(Report.due_on >= today, Report.due_on <= flt.due_by, _agency_clock())
    query = querying.submitted_between(query, Report.submitted_at, flt.date_from, flt.date_to)
    if hide_anonymous:
        return _words_hiding_anonymous_reporters(query, flt.q)
    return querying.words_in(query, (Report.title, Report.body, Report.reference), flt.q)


def _order(query, sort: str):
    if sort == "newest":
        return query.order_by(Report.submitted_at.desc(), Report.id.desc())
    if sort == "oldest":
        return query.order_by(Report.submitted_at, Report.id)
    # The agency's running deadlines first, soonest first; then resolved reports by the end of the
    # reporter's answer window; reports with no running clock (paused, finished) last.
    waiting_for_reporter = case((Report.due_clock == sla.REPORTER_ANSWER, 1), else_=0)
    return query.order_by(Report.due_on.is_(None), waiting_for_reporter, Report.due_on,
                          Report.submitted_at, Report.id)


def _paginate(query, page: int) -> Page:
    return querying.paginate(query, page, PAGE_SIZE)


def agency_inbox(user: User, flt: InboxFilter, today: date) -> Page:
    """Reports routed to the user's agency (and sub-units for agency admins).

    Agency roles search an anonymous report's public text only (see
    :func:`access.hides_reporter_identity`)."""
    query = access.scoped_reports_query(user).where(Report.agency_id.is_not(None))
    hide = not redaction.reads_anonymous_originals(user)
    return _paginate(_order(_apply_filters(query, flt, today, hide), flt.sort), flt.page)


def agency_counts(user: User, today: date) -> InboxCounts:
    """The counters above the agency inbox, over every report ``user`` may see (one query);
    each equals the length of the list its link shows (:func:`counter_filter`)."""
    week_end = end_of_week(today)
    # The same reports the counters' links list: work to do, on the agency's clock.
    running = and_(Report.due_on.is_not(None), _agency_clock(),
                   Report.status.in_(NEEDS_ACTION_STATUSES))

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = access.scoped_reports_query(user).where(Report.agency_id.is_not(None))
    row = db.session.execute(query.with_only_columns(
        count(Report.status.in_(NEEDS_ACTION_STATUSES)),
        count(and_(running, Report.due_on < today)),
        count(and_(running, Report.due_on == today)),
        count(and_(running, Report.due_on >= today, Report.due_on <= week_end)),
    )).one()
    return InboxCounts(needs_action=row[0], overdue=row[1], due_today=row[2],
                       due_this_week=row[3], week_ends_on=week_end)


COUNTER_LINKS = ("overdue", "today", "week")


def counter_filter(which: str, today: date) -> dict:
    """The filter a counter's link applies: ``overdue``, due ``today``, due this ``week``."""
    if which == "overdue":
        return {"overdue": True}
    if which == "today":
        return {"due_by": today}
    if which == "week":
        return {"due_by": end_of_week(today)}
    return {}


def verification_queue(flt: InboxFilter, today: date) -> Page:
    """New reports waiting for the national admin (and those on hold before routing)."""
    query = select(Report).where(or_(
        Report.status == Status.SUBMITTED,
        (Report.status == Status.ON_HOLD) & (Report.agency_id.is_(None))))
    flt = replace(flt, status=None)  # the queue is by definition new reports; ignore a status filter
    return _paginate(_order(_apply_filters(query, flt, today), flt.sort), flt.page)
