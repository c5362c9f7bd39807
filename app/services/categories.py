"""The report categories (bidang): the one place that reads them for lists and lookups."""
from __future__ import annotations

from sqlalchemy import bindparam, select

from ..extensions import db
from ..models import Category


def by_name() -> list[Category]:
    """Every category, ordered by its Indonesian name (the order of every list and select)."""
    return list(db.session.scalars(select(Category).order_by(Category.name_id)))


_CATEGORIES = Category.__table__
_ID = select(_CATEGORIES.c.id).where(_CATEGORIES.c.slug == bindparam("category_slug"))


def id_by_slug(slug: str | None) -> int | None:
    """The id of :func:`get_by_slug`, without loading the row as an object (a filing asks it
    under the write lock; one statement built once)."""
    if not slug or "\x00" in slug:
        return None
    return db.session.execute(_ID, {"category_slug": slug}).scalar()


def get_by_slug(slug: str | None) -> Category | None:
    """The category with ``slug``; None when there is none (or no slug, or one with NUL)."""
    if not slug or "\x00" in slug:  # names no category (and PostgreSQL refuses NUL in a query)
        return None
    return db.session.scalar(select(Category).where(Category.slug == slug))
