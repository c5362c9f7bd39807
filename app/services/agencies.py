"""Finding agencies: the reporter's "target agency" field, and the open list of the API."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Agency
from ..models.agency import NATIONAL, PROVINCIAL, REGENCY
from . import querying

SEARCH_LIMIT = 30


_AGENCIES = Agency.__table__
_ACTIVE_ID = select(_AGENCIES.c.id).where(_AGENCIES.c.slug == bindparam("agency_slug"),
                                          _AGENCIES.c.is_active.is_(True))


def active_id(slug: str | None) -> int | None:
    """The id of :func:`get_by_slug` with ``active_only=True``, without loading the row as an
    object (a filing asks it under the write lock; one statement built once)."""
    if not slug or "\x00" in slug:
        return None
    return db.session.execute(_ACTIVE_ID, {"agency_slug": slug}).scalar()


def get_by_slug(slug: str | None, *, active_only: bool) -> Agency | None:
    """The agency with ``slug``, or None.

    ``active_only=True`` for the places that choose an agency to act on (routing, the report
    form, accounts): an agency that stopped taking reports is not offered. ``active_only=False``
    for the places that show what exists (the board's agency page and filter, the API), where
    an inactive agency's past figures stay readable.
    """
    if not slug or "\x00" in slug:  # names no agency (and PostgreSQL refuses NUL in a query)
        return None
    query = select(Agency).where(Agency.slug == slug)
    if active_only:
        query = query.where(Agency.is_active.is_(True))
    return db.session.scalar(query)


def by_ids(ids) -> dict[int, Agency]:
    """The agencies with these ids, by id."""
    ids = list(ids)
    if not ids:
        return {}
    return {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(ids)))}


def active_by_level(level: str | None) -> list[Agency]:
    """Every active agency (of ``level``, when given), by level then name: the board's download."""
    query = select(Agency).where(Agency.is_active.is_(True))
    if level:
        query = query.where(Agency.level == level)
    return list(db.session.scalars(query.order_by(Agency.level, Agency.name)))


def search(query: str | None, region_code: str | None = None, limit: int = SEARCH_LIMIT,
           *, local_only: bool = False) -> list[Agency]:
    """Agencies matching ``query`` (name, short name or slug, case-insensitive).

    With a region, the governments of that kab/kota and its province and their units come first;
    national agencies always qualify. Without a query, the region's agencies and the national ones.
    ``local_only`` (the reporter's form): with a region, nothing else qualifies, so that
    "dinas kesehatan" with Kota Padang chosen lists Padang's and West Sumatra's, not Aceh's.
    """
    term = (query or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL even in a search
    if region_code and "\x00" in region_code:
        region_code = None
    parent = aliased(Agency)
    stmt = select(Agency).outerjoin(parent, Agency.parent_id == parent.id).where(Agency.is_active.is_(True))
    if term:
        for word in term.split()[:5]:
            pattern = querying.like_pattern(word)
            stmt = stmt.where(or_(Agency.name.ilike(pattern, escape="\\"),
                                  Agency.short_name.ilike(pattern, escape="\\"),
                                  Agency.slug.ilike(pattern, escape="\\")))
    region_codes = []
    if region_code:
        region_codes = [region_code, region_code.split(".")[0]]
    if not term or (local_only and region_code):
        scope = [Agency.level == NATIONAL]
        if region_codes:
            scope.append(Agency.region_code == region_code)
            scope.append(parent.region_code == region_code)
            scope.append((Agency.region_code == region_codes[1]) & (Agency.parent_id.is_(None)))
            if term:  # the province's own units too (SMA, Samsat): a search, not the first list
                scope.append(parent.region_code == region_codes[1])
        stmt = stmt.where(or_(*scope))
    agencies = list(db.session.scalars(stmt.order_by(Agency.name).limit(500)))

    def rank(agency: Agency) -> tuple:
        own_region = agency.region_code or (agency.parent.region_code if agency.parent else None)
        local = 0 if region_codes and own_region == region_codes[0] else (
            1 if region_codes and own_region == region_codes[1] else 2)
        return (local, agency.level != NATIONAL, agency.name)

    return sorted(agencies, key=rank)[:limit]


@dataclass(frozen=True)
class AgencyPage:
    items: list
    total: int
    page: int
    per_page: int


def active_page(level: str | None, name_part: str | None, page: int, per_page: int) -> AgencyPage:
    """Active agencies by slug, one page; ``level`` filters, ``name_part`` is a literal part of
    the name (case-insensitive; ``%`` and ``_`` are matched as themselves)."""
    query = select(Agency).where(Agency.is_active.is_(True))
    if level:
        query = query.where(Agency.level == level)
    term = (name_part or "").replace("\x00", "").strip()
    if term:
        query = query.where(Agency.name.ilike(querying.like_pattern(term), escape="\\"))
    found = querying.paginate(query.order_by(Agency.slug), page, per_page, clamp=False)
    return AgencyPage(items=found.items, total=found.total, page=found.page, per_page=per_page)


# --- the front line: what citizens call the place they were served -----------------------------
#
# A reporter knows "puskesmas", "samsat" or "KTP", not "Dinas Kesehatan Kota Padang". The
# front-line file (app/reference_data/front_line.csv) names, for each such word, the unit that
# answers for it (an OPD kind, by the first part of its slug: dinkes, disdik, bapenda …, or
# ``government`` for the regency government itself) and at which level: the chosen kab/kota's
# (regency), its province's (provincial: SMA/SMK, Samsat, labour), or a national body.

FRONT_LINE_FILE = Path(__file__).resolve().parent.parent / "reference_data" / "front_line.csv"
GOVERNMENT = "government"
_WORD_SPLIT = re.compile(r"[^\w\-]+")


@dataclass(frozen=True)
class FrontLineRule:
    phrase: str   # lower case, words separated by one space
    unit: str     # slug prefix of the OPD, a national slug, or GOVERNMENT
    level: str    # "regency", "province" or "national"


@dataclass(frozen=True)
class FrontLineMatch:
    """A word the reporter typed, and the agency that answers for it (None when the agency
    depends on a kab/kota not chosen yet)."""
    phrase: str
    agency: Agency | None
    needs_region: bool


@lru_cache(maxsize=1)
def front_line_rules() -> tuple[FrontLineRule, ...]:
    """The rules of front_line.csv, longest phrase first (so "bpjs ketenagakerjaan" wins over
    "bpjs", "kis pbi" over "kis")."""
    rules = []
    with FRONT_LINE_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for phrase in row["phrases"].split("|"):
                words = " ".join(phrase.lower().split())
                if words:
                    rules.append(FrontLineRule(words, row["unit"].strip(), row["level"].strip()))
    return tuple(sorted(rules, key=lambda r: (-len(r.phrase), r.phrase)))


def _resolve(rule: FrontLineRule, region_code: str | None) -> Agency | None:
    if rule.level == "national":
        return get_by_slug(rule.unit, active_only=True)
    if not region_code:
        return None
    home = region_code if rule.level == "regency" else region_code.split(".")[0]
    level = REGENCY if rule.level == "regency" else PROVINCIAL
    government = db.session.scalar(select(Agency).where(
        Agency.level == level, Agency.region_code == home, Agency.parent_id.is_(None),
        Agency.is_active.is_(True)))
    if government is None or rule.unit == GOVERNMENT:
        return government
    return db.session.scalar(select(Agency).where(
        Agency.parent_id == government.id, Agency.slug.startswith(rule.unit + "-"),
        Agency.is_active.is_(True)).order_by(Agency.id).limit(1))


def front_line(query: str | None, region_code: str | None) -> list[FrontLineMatch]:
    """The agencies answering for the front-line words in ``query`` ("puskesmas andalas" →
    the Dinas Kesehatan of the chosen kab/kota), each word once, in the order typed."""
    text = " " + " ".join(_WORD_SPLIT.split((query or "").lower())) + " "
    if not text.strip():
        return []
    if region_code and len(region_code.split(".")) != 2:
        region_code = None  # a province alone names no kab/kota
    found: list[tuple[int, FrontLineMatch]] = []
    taken: list[tuple[int, int]] = []
    for rule in front_line_rules():
        at = text.find(" " + rule.phrase + " ")
        if at < 0:
            continue
        span = (at, at + len(rule.phrase) + 2)
        if any(start < span[1] and span[0] < end for start, end in taken):
            continue  # inside a longer phrase already matched
        taken.append(span)
        agency = _resolve(rule, region_code)
        found.append((at, FrontLineMatch(rule.phrase, agency,
                                         needs_region=agency is None and rule.level != "national")))
    return [match for _at, match in sorted(found, key=lambda pair: pair[0])]
