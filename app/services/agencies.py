"""Finding agencies: the reporter's "target agency" field, and the open list of the API."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Agency
from ..models.agency import NATIONAL
from . import querying

SEARCH_LIMIT = 30


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


def search(query: str | None, region_code: str | None = None, limit: int = SEARCH_LIMIT) -> list[Agency]:
    """Agencies matching ``query`` (name, short name or slug, case-insensitive).

    With a region, the governments of that kab/kota and its province and their units come first;
    national agencies always qualify. Without a query, the region's agencies and the national ones.
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
    if not term:
        scope = [Agency.level == NATIONAL]
        if region_codes:
            scope.append(Agency.region_code == region_code)
            scope.append(parent.region_code == region_code)
            scope.append((Agency.region_code == region_codes[1]) & (Agency.parent_id.is_(None)))
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
