"""What the public transparency board may show, and nothing more.

A report is public when it was verified (routed to an agency at least once), is not
``rahasia``, and has a public text. Only the public (redacted) title and text are ever read
here — never the original — and only the agency's own public steps are shown, their text
passed through the redactor with the reporter's name: all of it as
:func:`redaction.publishable` says. Times are dates (day precision). Anonymous or not, no reporter name or contact is ever part of what this
module returns.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from math import ceil

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from ..models import PublicReportCount, Region, Report, Status
from ..models.report import is_public_report
from . import agencies, categories, location, querying, redaction, search, sla, statistics
from .errors import DomainError

PAGE_SIZE = 20
# Counting every match costs time in proportion to the data; past this many we say "more than".
COUNT_CAP = 10_000
# A text search ranks its matches (BM25, ts_rank) only when they are at most this many: ranking
# needs every match scored before the first page. Past it (a common word, hundreds of thousands
# of matches at national scale) the matches come newest first, read from the index in id order,
# so that the page costs what a rare word's page costs. Such a search counts no further
# (public_report_list); at 2,000 its count covers every numbered page (NUMBERED_PAGES × PAGE_SIZE).
RANK_AT_MOST = 2_000
# Numbered pages (the JSON API's ``?page=N``, kept for clients written before cursors) skip
# the rows before them (OFFSET): at most this many pages, so that no page skips more than
# (NUMBERED_PAGES - 1) * PAGE_SIZE rows however many reports there are. Deeper pages go by
# cursor, which every page (numbered or not) hands on.
NUMBERED_PAGES = 50
PUBLIC_STEPS = ("route", "respond", "request_info", "transfer", "resolve", "confirm", "dispute",
                "auto_close", "deadline_missed")
# Steps whose text is the agency's and may be shown (after redaction).
AGENCY_TEXT_STEPS = ("respond", "request_info", "resolve")


@dataclass
class ReportFilter:
    agency: str | None = None
    region: str | None = None
    category: str | None = None
    report_type: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None


def public_reports_query():
    """The reports on the board (:attr:`Report.is_public`, the rule's one home)."""
    return select(Report).where(Report.is_public)


def load_public_reports(query, limit: int, offset: int = 0) -> list[Report]:
    """Run a query built on :func:`public_reports_query`, newest first, one slice of it.

    Everything a public answer shows is loaded with the reports (agency, category, region and
    its province, the events, and the contact: the reporter's name is masked in the agency's
    texts, :func:`redaction.publishable`).
    """
    query = query.order_by(Report.submitted_at.desc(), Report.id.desc()).limit(limit)
    return list(db.session.scalars(
        (query.offset(offset) if offset else query)
        .options(selectinload(Report.agency), selectinload(Report.category),
                 selectinload(Report.region).selectinload(Region.parent),
                 selectinload(Report.events), selectinload(Report.contact))))


def public_reports_by_reference(references: list[str]) -> list[Report]:
    """The public reports among ``references`` (any others are left out), newest first."""
    return load_public_reports(public_reports_query().where(Report.reference.in_(references)),
                               len(references))


def public_reports_where(*, category_id: int | None = None, uncategorised: bool = False,
                         statuses: tuple[str, ...] | None = None,
                         submitted_from: datetime | None = None,
                         submitted_before: datetime | None = None,
                         after: str | None = None,
                         limit: int, offset: int = 0) -> list[Report]:
    """Public reports, newest first, one slice (``limit`` from ``offset``; no count).

    ``category_id`` and ``uncategorised`` filter by category (both given: either one);
    ``statuses`` keeps those statuses; the submission time is in [``submitted_from``,
    ``submitted_before``); ``after`` (a token of :func:`position_after`) keeps the reports that
    come after that one, by keyset (submission time, id), so that a deep page skips no row.
    Open311's list reads this. Raises :class:`CursorRefused` for a token that is not one.
    """
    query = public_reports_query()
    if uncategorised and category_id is not None:
        query = query.where(or_(Report.category_id.is_(None), Report.category_id == category_id))
    elif uncategorised:
        query = query.where(Report.category_id.is_(None))
    elif category_id is not None:
        query = query.where(Report.category_id == category_id)
    if statuses:
        query = query.where(Report.status.in_(statuses))
    if submitted_from is not None:
        query = query.where(Report.submitted_at >= submitted_from)
    if submitted_before is not None:
        query = query.where(Report.submitted_at < submitted_before)
    if after is not None:
        at = Cursor.decode(after)
        if at is None or at.order != NEWEST or not at.after:
            raise CursorRefused.of_list()
        query = query.where(_beyond(NEWEST_KEYS, at.key, True))
    return load_public_reports(query, limit, offset)


def position_after(report: Report) -> str:
    """A token for :func:`public_reports_where`'s ``after``: the reports after ``report`` in
    the newest-first order (an opaque :class:`Cursor`; no count, no filters in it)."""
    return Cursor(NEWEST, True, (report.submitted_at, report.id), 1, 0, False).encode()


def is_public(report: Report) -> bool:
    """Whether ``report`` (a :class:`Report` or any object with its columns) is on the board:
    the same rule as :func:`public_reports_query` (:func:`app.models.report.is_public_report`)."""
    return is_public_report(report)


def _filtered(flt: ReportFilter, structured: bool = True):
    """The public reports that ``flt``'s filters keep (its text search apart); without
    ``structured``, its dates only (the other filters are then words of the index:
    :func:`_facet_words`)."""
    query = public_reports_query()
    if not structured:
        return querying.submitted_between(query, Report.submitted_at, flt.date_from, flt.date_to)
    if flt.agency:
        agency = agencies.get_by_slug(flt.agency, active_only=False)
        query = query.where(Report.agency_id == (agency.id if agency else -1))
    if flt.region:
        if "." in flt.region:
            query = query.where(Report.region_code == flt.region)
        else:
            query = query.where(Report.region_code.in_(
                select(Region.code).where(Region.parent_code == flt.region)))
    if flt.category:
        # By id, known before the query is planned: the index on (category, time) serves it.
        category = categories.get_by_slug(flt.category)
        query = query.where(Report.category_id == (category.id if category else -1))
    if flt.report_type:
        query = query.where(Report.report_type == flt.report_type)
    if flt.status in Status.ALL:
        query = query.where(Report.status == flt.status)
    return querying.submitted_between(query, Report.submitted_at, flt.date_from, flt.date_to)


def _structured_filters(flt: ReportFilter) -> int:
    """How many of agency, kab/kota or province, category, type and status ``flt`` sets (an
    unknown status is no filter)."""
    return (sum(bool(value) for value in (flt.agency, flt.region, flt.category, flt.report_type))
            + (flt.status in Status.ALL))


def _combined(flt: ReportFilter) -> bool:
    """Whether ``flt``'s filters are looked up as words of the search index (migration 0028):
    two structured filters or more, or one with words to search for. One filter alone reads its
    own index (``ix_reports_*_submitted``) in order, which stops at the page; two made SQLite
    walk one's index testing the other on each row, to the end for a rare combination."""
    given = _structured_filters(flt)
    return given >= 2 or (given >= 1 and bool(flt.q))


def _facet_words(flt: ReportFilter) -> list[str] | None:
    """``flt``'s structured filters as the index's facet words (:func:`search.facet_word`), the
    same reports as :func:`_filtered` keeps; None when one of them matches no report (an
    unknown agency or category, a value no report has)."""
    words = []
    if flt.agency:
        agency = agencies.get_by_slug(flt.agency, active_only=False)
        words.append(search.facet_word(search.AGENCY, agency.id) if agency else None)
    if flt.region:
        words.append(search.facet_word(search.REGION if "." in flt.region else search.PROVINCE,
                                       flt.region))
    if flt.category:
        category = categories.get_by_slug(flt.category)
        words.append(search.facet_word(search.CATEGORY, category.id) if category else None)
    if flt.report_type:
        words.append(search.facet_word(search.TYPE, flt.report_type))
    if flt.status in Status.ALL:
        words.append(search.facet_word(search.STATUS, flt.status))
    return None if None in words else words


def _matching(query, text: str | None, facets: list[str] | None = None):
    """``query`` narrowed to what ``text`` finds in the public text (:func:`search.public_matches`,
    with ``facets`` if given), with the match's score as a second column; ``(query, None)``
    when there is no text, and nothing at all when the text holds no word to search for."""
    if not text:
        return query, None
    matches = search.public_matches(text, facets)
    if matches is None:
        return query.where(false()), None
    return (query.join(matches, matches.c.report_id == Report.id).add_columns(matches.c.score),
            matches.c.score)


def _capped_count(query, as_is: bool = False, cap: int | None = None) -> tuple[int, bool]:
    """How many rows ``query`` has, counting no further than ``cap`` (:data:`COUNT_CAP` unless
    given: the list costs the same however many reports match), and whether it stopped there.
    The query's columns are replaced by the report's id, unless ``as_is``."""
    cap = COUNT_CAP if cap is None else cap
    counted = query if as_is else query.with_only_columns(Report.id)
    total = db.session.scalar(select(func.count()).select_from(
        counted.limit(cap + 1).subquery()))
    return min(total, cap), total > cap


def public_report_total() -> int:
    """How many reports are on the board, exactly, without counting them: the one row that
    triggers on ``reports`` keep in step with :func:`public_reports_query` (migration 0024)."""
    return db.session.scalar(select(PublicReportCount.reports).where(PublicReportCount.id == 1)) or 0


def _list_options():
    return (selectinload(Report.agency), selectinload(Report.region),
            selectinload(Report.category))


EXPORT_BATCH = 1000


def count_public_reports(flt: ReportFilter) -> int:
    """How many public reports ``flt`` matches, exactly (a download says how many rows it has;
    the list pages count up to COUNT_CAP only). Filters combined (:func:`_combined`) are
    counted through the search index's facet words, as the list reads them."""
    if _combined(flt) and not flt.q:
        words = _facet_words(flt)
        if words is None:
            return 0
        found = search.facet_matches(words)
        if flt.date_from is None and flt.date_to is None:  # the index holds the public reports
            return db.session.scalar(select(func.count()).select_from(found)) or 0
        query = _filtered(flt, structured=False).where(Report.id.in_(select(found.c.report_id)))
    else:
        query, _score = _matching(*_narrowed(flt))
    return db.session.scalar(select(func.count()).select_from(
        query.with_only_columns(Report.id).subquery())) or 0


def iter_public_reports(flt: ReportFilter, batch: int = EXPORT_BATCH):
    """Every public report ``flt`` matches, newest first, read EXPORT_BATCH at a time by keyset
    (submission time, id): the download of all of them costs memory for one batch, and each
    batch what the first costs."""
    query, _score = _matching(_filtered(flt), flt.q)
    keys = NEWEST_KEYS
    last = None
    while True:
        page = query.with_only_columns(Report)
        if last is not None:
            page = page.where(_beyond(keys, last, True))
        rows = db.session.scalars(page.order_by(*_ordering(keys, True)).limit(batch)
                                  .options(*_list_options())).all()
        yield from rows
        if len(rows) < batch:
            return
        last = (rows[-1].submitted_at, rows[-1].id)
        for report in rows:  # a batch read is a batch forgotten
            db.session.expunge(report)


# --- the board's list, page by page with a cursor ---------------------------------------------

NEWEST, RELEVANCE = "newest", "relevance"
# The newest-first order's keyset: submission time, then id (both descending).
NEWEST_KEYS = ((Report.submitted_at, True), (Report.id, True))
# A text search with more than RANK_AT_MOST matches: newest filed first (by report id).
LATEST_MATCHES = "latest"


@dataclass(frozen=True)
class Cursor:
    """Where a page of :func:`public_report_list` starts: just after (``after``) or just before
    the row whose sort key is ``key``, in the list sorted by ``order``. ``page`` (that page's
    number) and ``total``, ``capped`` (the count the first page made) are for display only:
    deeper pages do not count again. ``scope`` is a digest of the filters of the list the cursor
    belongs to (:func:`_scope`): with other filters it is not followed ("" in a token made before
    it existed: not checked)."""

    order: str
    after: bool
    key: tuple
    page: int
    total: int
    capped: bool
    scope: str = ""

    def encode(self) -> str:
        """The cursor as an opaque, URL-safe token."""
        first = self.key[0].isoformat() if isinstance(self.key[0], datetime) else self.key[0]
        raw = json.dumps([self.order, int(self.after), first, self.key[1], self.page, self.total,
                          int(self.capped), *([self.scope] if self.scope else [])],
                         separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str | None) -> "Cursor | None":
        """The cursor of ``token``, or None when it is not one (a first page, then)."""
        if not token or len(token) > 200:
            return None
        try:
            values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            if not isinstance(values, list) or len(values) not in (7, 8):
                return None
            order, after, first, last_id, page, total, capped, *rest = values
            scope = rest[0] if rest else ""
            if type(scope) is not str or len(scope) > 16:
                return None
            if order == NEWEST:
                first = datetime.fromisoformat(first)
                if first.tzinfo is None:
                    return None
            elif order == RELEVANCE and isinstance(first, (int, float)) and not isinstance(first, bool):
                first = float(first)
            elif order == LATEST_MATCHES and type(first) is int:
                pass
            else:
                return None
            if after not in (0, 1) or capped not in (0, 1) or not all(
                    type(n) is int for n in (last_id, page, total)):
                return None
            return cls(order, bool(after), (first, last_id), max(1, min(page, 10**6)),
                       max(0, min(total, COUNT_CAP)), bool(capped), scope)
        except (ValueError, TypeError, UnicodeDecodeError):
            return None


@dataclass(frozen=True)
class ReportList:
    """One page of the board's list: its reports, the (capped) count of all that match, the
    tokens of the next and previous pages (None at either end) and the page's number."""

    items: list
    total: int
    total_is_capped: bool
    next_cursor: str | None
    prev_cursor: str | None
    page: int
    per_page: int = PAGE_SIZE
    # The order the list is in: NEWEST (submission time, then id), RELEVANCE (best match, then
    # the newest id) or LATEST_MATCHES (a text search with more than RANK_AT_MOST matches: by
    # id, newest filed first, not ranked).
    order: str = NEWEST

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def newest_first(self) -> bool:
        """A text search with too many matches to rank: its matches come newest filed first."""
        return self.order == LATEST_MATCHES


def _beyond(keys, values, forward: bool):
    """Rows past ``values`` in the order of ``keys`` (``(expression, descending)`` pairs, the
    last one unique) going ``forward``, or before them: ``k1 ≤ v1 AND (k1 < v1 OR k2 < v2)``
    with the comparisons turned by each key's direction, so that an index on ``k1`` serves it."""
    def past(expression, descending, value, strict=True):
        if descending == forward:
            return expression < value if strict else expression <= value
        return expression > value if strict else expression >= value
    (k1, d1), (k2, d2) = keys
    v1, v2 = values
    return and_(past(k1, d1, v1, strict=False), or_(past(k1, d1, v1), past(k2, d2, v2)))


def _ordering(keys, forward: bool) -> list:
    """ORDER BY for ``keys`` read ``forward``, or backwards (towards the previous page)."""
    return [expression.desc() if descending == forward else expression.asc()
            for expression, descending in keys]


class CursorRefused(DomainError):
    """A cursor that is not one, or not one of this list (other filters, another order)."""

    @classmethod
    def of_list(cls) -> "CursorRefused":
        return cls(_l("Cursor tidak valid atau bukan milik daftar ini (filter dan q "
                      "harus sama dengan halaman yang memberikannya)."), field="cursor")


def _scope(flt: ReportFilter) -> str:
    """A short digest of ``flt`` (the same filters: the same digest, in any process)."""
    raw = json.dumps([None if value is None else str(value)
                      for value in dataclasses.astuple(flt)], separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:8]


def public_report_list(flt: ReportFilter, cursor: str | None = None, *, page: int = 1,
                       strict: bool = False) -> ReportList:
    """The board's list of public reports (and the JSON API's), filtered, one page from
    ``cursor`` (a token of :class:`Cursor`). None, or a token that is not a cursor of this list,
    gives the first page; with ``strict`` such a token raises :class:`CursorRefused` instead
    (an API client must learn that its cursor is wrong, not walk the first page again).

    Without a cursor, ``page`` (from 1, at most :data:`NUMBERED_PAGES`; past the last page: the
    last) is a numbered page of the same order: the rows before it are skipped (OFFSET, bounded
    by NUMBERED_PAGES), and its cursors lead on like any page's.

    Without a text search the newest come first (submission time, then id); with one, the best
    matches (:func:`search.public_matches`), then the newest id. Pages go by keyset (the sort key
    of the page's last or first row), never by OFFSET (a numbered page apart): page 500 reached by
    cursor costs what page 1 costs. The
    first page counts the matches (up to :data:`COUNT_CAP`); the cursor carries that count on.
    The unfiltered list counts nothing: its total is :func:`public_report_total`, exact.

    A text search, alone or with filters, counts its matches up to :data:`RANK_AT_MOST`; with
    more it is not ranked and says "more than RANK_AT_MOST": its matches come newest filed first
    (report id, the index's own order), which the index reads page by page like the plain list;
    ``newest_first`` says so. (Ranking every match costs what the matches number: ``jalan`` with
    one status, 20,000 of them at a million reports, took 120–185 ms.)

    Filters combined (:func:`_combined`: two of agency, kab/kota or province, category, type
    and status, or one with words) are words of the search index (migration 0028,
    :func:`search.facet_matches`): one intersection of the index's lists, counted inside it.
    Without words their page is read from the index newest first by id (the order of
    submission: the same list as the NEWEST order, its cursors alike); with words, the matches
    are ranked as before. Dates stay a condition on ``reports``: with dates the count and the
    page read every report the other filters keep (an id lookup each, where the index hands
    over only the page's 21 without dates).
    """
    # Words and filters combined (_combined): the filters are words of the text's match.
    facets = _facet_words(flt) if flt.q and _combined(flt) else None
    matches = search.public_matches(flt.q, facets) if flt.q else None
    only_text = matches is not None and dataclasses.replace(flt, q=None) == ReportFilter()
    # Everything the list asks is inside the index (no dates, which it does not hold): count
    # and rank there, and read from ``reports`` the page's rows only.
    in_index = only_text or (matches is not None and facets is not None
                             and flt.date_from is None and flt.date_to is None)
    at = Cursor.decode(cursor)
    orders = ((NEWEST,) if matches is None else
              (RELEVANCE, LATEST_MATCHES))
    scope = _scope(flt)
    if at is not None and (at.order not in orders or at.scope not in ("", scope)):
        at = None
    if at is None and cursor is not None and strict:
        raise CursorRefused.of_list()
    forward = at is None or at.after
    numbered = max(1, min(page, NUMBERED_PAGES)) if at is None else 1
    if in_index:
        # The index holds exactly the public reports: count and rank inside it, and read from
        # ``reports`` only the page's rows (the public rule applied once more on them).
        # Counted no further than RANK_AT_MOST, words alone or with filters: past it the
        # matches are not ranked, and the page says "more than RANK_AT_MOST" (counting on to
        # COUNT_CAP cost five times more at a million reports, for a number between the two).
        counted = select(matches.c.report_id)
        total, capped = (_capped_count(counted, True, RANK_AT_MOST)
                         if at is None else (at.total, at.capped))
        if (at.order if at is not None else (
                LATEST_MATCHES if total > RANK_AT_MOST or capped else RELEVANCE)) == LATEST_MATCHES:
            # Too many to rank: by id, newest first. No score is computed (the index hands its
            # matches in id order: ``rowid < ?`` / the primary key, then LIMIT). The id is the
            # one sort key (``keys[:1]`` below): FTS5 serves ``ORDER BY rowid DESC`` alone, and
            # the same term twice made SQLite sort every match (182,000 for ``jalan`` at a
            # million reports: 33 ms) before the LIMIT.
            order, keys = LATEST_MATCHES, ((matches.c.report_id, True), (matches.c.report_id, True))
            picked = select(matches.c.report_id, matches.c.report_id.label("score"))
        else:
            order, keys = RELEVANCE, ((matches.c.score, False), (matches.c.report_id, True))
            picked = select(matches.c.report_id, matches.c.score)
        if at is not None and order == LATEST_MATCHES:
            # One bound on the id alone, which FTS5 (``rowid < ?``) and the primary key serve.
            picked = picked.where(matches.c.report_id < at.key[1] if forward
                                  else matches.c.report_id > at.key[1])
        elif at is not None:
            picked = picked.where(_beyond(keys, at.key, forward))
        numbered = _last_page(numbered, total, capped)
        sort_keys = keys[:1] if order == LATEST_MATCHES else keys
        picked = _skip(picked.order_by(*_ordering(sort_keys, forward)).limit(PAGE_SIZE + 1),
                       numbered).subquery("page")
        keys = ((picked.c.report_id if order == LATEST_MATCHES else picked.c.score,
                 order == LATEST_MATCHES), (picked.c.report_id, True))
        sort_keys = keys[:1] if order == LATEST_MATCHES else keys
        page_query = (public_reports_query().join(picked, picked.c.report_id == Report.id)
                      .add_columns(picked.c.score))
    elif _combined(flt) and not flt.q:
        # Filters combined, no words typed: the index's intersection of the filters' words
        # (search.facet_matches), counted inside the index and read newest first by id, the
        # index's own order (the order of submission: a report's id and its submission time
        # grow together, so this is the NEWEST order and its cursors), from the last page's id
        # on. Dates, which the index does not hold, are a condition on the rows it hands over.
        order, sort_keys = NEWEST, None
        words = _facet_words(flt)
        found = (search.facet_matches(words) if words is not None else
                 select(Report.id.label("report_id")).where(false()).subquery("facets"))
        dated = flt.date_from is not None or flt.date_to is not None
        query = (_filtered(flt, structured=False)
                 .where(Report.id.in_(select(found.c.report_id))) if dated else None)
        if at is not None:
            total, capped = at.total, at.capped
        else:
            total, capped = (_capped_count(query) if dated
                             else _capped_count(select(found.c.report_id), True))
        numbered = _last_page(numbered, total, capped)
        if dated:
            page_query = query
            if at is not None:
                page_query = page_query.where(Report.id < at.key[1] if forward
                                              else Report.id > at.key[1])
            sort_keys = ((Report.id, True),)
            page_query = _skip(page_query, numbered)
        else:
            picked = select(found.c.report_id)
            if at is not None:
                picked = picked.where(found.c.report_id < at.key[1] if forward
                                      else found.c.report_id > at.key[1])
            picked = _skip(picked.order_by(*_ordering(((found.c.report_id, True),), forward))
                           .limit(PAGE_SIZE + 1), numbered).subquery("page")
            page_query = public_reports_query().join(picked, picked.c.report_id == Report.id)
            sort_keys = ((picked.c.report_id, True),)
    else:
        query, score = _matching(*_narrowed(flt))
        if flt == ReportFilter():
            # Every public report: the count kept at publication, not a count of rows (read on
            # every page: it costs one row, and a cursor carries no more than COUNT_CAP).
            total, capped = public_report_total(), False
        elif at is not None:
            total, capped = at.total, at.capped
        else:
            # Words are counted to RANK_AT_MOST, as inside the index (the docstring).
            total, capped = _capped_count(query, cap=RANK_AT_MOST if score is not None else None)
        if score is None:
            order, keys = NEWEST, NEWEST_KEYS
        elif (at.order if at is not None else (
                LATEST_MATCHES if total > RANK_AT_MOST or capped else RELEVANCE)) == LATEST_MATCHES:
            order, keys = LATEST_MATCHES, ((Report.id, True), (Report.id, True))
        else:
            order, keys = RELEVANCE, ((score, False), (Report.id, True))
        page_query = query if at is None else query.where(_beyond(keys, at.key, forward))
        numbered = _last_page(numbered, total, capped)
        page_query = _skip(page_query, numbered)
        sort_keys = keys[:1] if order == LATEST_MATCHES else keys  # the id once (see above)
    rows = db.session.execute(page_query.order_by(*_ordering(sort_keys, forward))
                              .limit(PAGE_SIZE + 1).options(*_list_options())).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if not forward:
        rows.reverse()
    page = numbered if at is None else (at.page if forward or more else 1)

    def key(row):
        report = row[0]
        return (report.submitted_at if order == NEWEST else
                report.id if order == LATEST_MATCHES else row[1], report.id)

    has_next = bool(rows) and (more if forward else True)
    has_prev = bool(rows) and ((at is not None or page > 1) if forward else more)
    return ReportList(
        items=[row[0] for row in rows], total=total, total_is_capped=capped,
        next_cursor=(Cursor(order, True, key(rows[-1]), page + 1, total, capped, scope).encode()
                     if has_next else None),
        prev_cursor=(Cursor(order, False, key(rows[0]), max(1, page - 1), total, capped,
                            scope).encode() if has_prev else None),
        page=page, order=order)


def _narrowed(flt: ReportFilter) -> tuple:
    """``(query, text, facets)`` for :func:`_matching`: ``flt``'s filters in SQL, or, with words
    typed and a structured filter (:func:`_combined`), as facet words of the text's match (one
    intersection inside the index, ranked as the words alone rank)."""
    if not (flt.q and _combined(flt)):
        return _filtered(flt), flt.q, None
    words = _facet_words(flt)
    if words is None:
        return public_reports_query().where(false()), flt.q, None
    return _filtered(flt, structured=False), flt.q, words


def _skip(query, page: int):
    """``query`` from numbered ``page`` on: OFFSET only past the first page (a page reached by
    cursor, however deep, has none)."""
    return query.offset((page - 1) * PAGE_SIZE) if page > 1 else query


def _last_page(page: int, total: int, capped: bool = False) -> int:
    """``page``, or the last page when it lies past the ``total`` rows (a capped count, "more
    than ``total``", has no known last page: ``page`` as it is)."""
    return page if capped else min(page, max(1, ceil(total / PAGE_SIZE)))


@dataclass(frozen=True)
class Latest:
    items: list
    has_more: bool


def latest_public_reports(agency_id: int, limit: int = PAGE_SIZE) -> Latest:
    """An agency's newest public reports, for its board page: ``limit`` of them and whether
    there are more. No count, so the page costs the same however many reports the agency has
    (the index on agency and submission time serves it). The page shows each report's own
    columns (reference, title, day, status), so nothing related is loaded with them."""
    rows = db.session.scalars(
        public_reports_query().where(Report.agency_id == agency_id)
        .order_by(Report.submitted_at.desc(), Report.id.desc()).limit(limit + 1)).all()
    return Latest(items=list(rows[:limit]), has_more=len(rows) > limit)


@dataclass(frozen=True)
class PublicStep:
    day: date
    action: str
    to_status: str | None
    agency_name: str | None  # who acted; for a routing or a transfer, the agency it went to
    text: str | None
    # A transfer: the agency that passed the report on (a routing is the national admin's).
    from_agency_name: str | None = None


@dataclass(frozen=True)
class PublicReport:
    reference: str
    title: str
    body: str
    report_type: str
    status: str
    submitted_on: date
    incident_date: date
    region_name: str
    agency_name: str
    agency_slug: str
    category_name_id: str | None
    category_name_en: str | None
    steps: tuple
    deadlines: tuple  # of PublicDeadline
    # The location at the public's level (location.view_for with no viewer): kab/kota and
    # kecamatan; the kelurahan/desa and a pin rounded to about 100 m only for a report that is
    # not anonymous; never the address.
    location: object = None


def public_steps(report: Report) -> list[PublicStep]:
    """The report's public steps, oldest first, each agency text through
    :func:`redaction.publishable`.

    The one list of steps the public sees: the board page, ``/api/v1/complaints/<ref>`` and
    Open311's ``status_notes`` all read it.
    """
    steps = []
    for event in report.events:
        if event.is_internal or event.action not in PUBLIC_STEPS:
            continue
        text = (redaction.publishable(report, event.public_text)
                if event.action in AGENCY_TEXT_STEPS else None)
        agency = event.target_agency if event.action in ("route", "transfer") else event.actor_agency
        passed_on_by = event.actor_agency if event.action == "transfer" else None
        steps.append(PublicStep(sla.local_date(event.created_at), event.action, event.to_status,
                                agency.name if agency else None, text,
                                passed_on_by.name if passed_on_by else None))
    return steps


def public_report(reference: str) -> PublicReport | None:
    """The public view of one report, or None when it is not public."""
    report = db.session.scalar(public_reports_query().where(Report.reference == reference))
    if report is None:
        return None
    steps = public_steps(report)
    return PublicReport(
        reference=report.reference, title=redaction.publishable(report, redaction.TITLE) or "",
        body=redaction.publishable(report, redaction.BODY) or "",
        report_type=report.report_type, status=report.status,
        submitted_on=sla.local_date(report.submitted_at), incident_date=report.incident_date,
        region_name=report.region.name, agency_name=report.agency.name, agency_slug=report.agency.slug,
        category_name_id=report.category.name_id if report.category else None,
        category_name_en=report.category.name_en if report.category else None,
        steps=tuple(steps), deadlines=tuple(deadlines_met(report)),
        location=location.view_for(report, None),
    )


@dataclass(frozen=True)
class PublicDeadline:
    clock: str
    due_on: date
    met: bool | None  # None: not decided yet (due date to come, paused, or stopped)
    reopened: bool = False  # a fresh resolution clock after the reporter disputed


def deadlines_met(report: Report, now: datetime | None = None) -> list[PublicDeadline]:
    """For the current agency: the first follow-up and resolution deadlines, met or missed.

    The very clocks the figures count (``statistics.current_stay``, judged by ``sla.judge``):
    time on hold before a due date extends it, the date of the step decides, and a disputed
    resolution adds the reopened work's own resolution deadline.
    """
    stay = statistics.current_stay(report, report.events, now or clock.now())
    if stay is None:
        return []
    return [PublicDeadline(run.clock, run.deadline.due_on, run.met, run.reopened)
            for run in (stay.first_response, *stay.resolutions)]
