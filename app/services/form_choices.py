"""The report form's agency and category lists as plain values.

Those every reporter's first page shows (the categories, the agencies of the empty form) are
kept per data version in this process (``data_version.kept``): agencies and categories change
only by writes that bump the version (``reference load`` among them). A module of its own:
``data_version`` reaches ``agencies`` through ``board``, so ``agencies`` cannot import it.
"""
from __future__ import annotations

from typing import NamedTuple

from ..models import Agency
from . import agencies as agency_directory
from . import categories as category_list
from . import data_version


class AgencyChoice(NamedTuple):
    """One agency of the report form's select: what the page needs of it."""
    id: int
    slug: str
    name: str

    @classmethod
    def of(cls, agency: Agency) -> "AgencyChoice":
        return cls(agency.id, agency.slug, agency.name)


def agencies(query: str | None, region_code: str | None, *,
             local_only: bool = True) -> tuple[AgencyChoice, ...]:
    """``agencies.search`` as plain values: with ``local_only`` for the report form, without it
    for the board's report filter. The list with no search and no kab/kota (every first visit
    of either page) is kept per data version; any other search is read."""
    def read():
        return tuple(AgencyChoice.of(a)
                     for a in agency_directory.search(query, region_code, local_only=local_only))

    if not (query or "").strip() and not region_code:
        return data_version.kept("form_choices.agencies" if local_only
                                 else "form_choices.board_agencies", read)
    return read()


def categories(locale: str) -> tuple[tuple[str, str], ...]:
    """``(slug, name in locale)`` of every category in ``categories.by_name`` order, kept per
    data version (one value per language)."""
    return data_version.kept(f"form_choices.categories.{locale}", lambda: tuple(
        (c.slug, c.name_for(locale)) for c in category_list.by_name()))
