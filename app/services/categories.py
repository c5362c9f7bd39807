"""The report categories (bidang): the one place that reads them for lists and lookups."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Category


def by_name() -> list[Category]:
    """Every category, ordered by its Indonesian name (the order of every list and select)."""
    return list(db.session.scalars(select(Category).order_by(Category.name_id)))


def get_by_slug(slug: str | None) -> Category | None:
    """The category with ``slug``; None when there is none (or no slug, or one with NUL)."""
    if not slug or "\x00" in slug:  # names no category (and PostgreSQL refuses NUL in a query)
        return None
    return db.session.scalar(select(Category).where(Category.slug == slug))
