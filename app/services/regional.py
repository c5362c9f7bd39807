"""Figures by region for the board (/transparansi/wilayah) and the API's ``?region=``.

Two geographies, both read from the statistics package's rollups (no report is scanned here):

- ``incident`` (the default): the reports whose incident lies in the region (the kab/kota the
  reporter chose), whichever agency is responsible — ``statistics.region_figures`` and
  ``statistics.figures_by_region`` over ``region_month_stats``;
- ``government``: the reports the region's own government is responsible for, with its units —
  the provincial government (for a province) or the kabupaten/kota government (for a kab/kota)
  and every agency below it — the agency rollups summed (``statistics.combine``).

Rankings sort as the agency table does: a figure under the small-number rule has no value and
goes last in either direction.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Agency, Region
from ..models.agency import PROVINCIAL
from ..models.agency import REGENCY as REGENCY_GOVERNMENT
from ..models.region import PROVINCE, REGENCY
from . import statistics

INCIDENT, GOVERNMENT = "incident", "government"
GEOGRAPHIES = (INCIDENT, GOVERNMENT)
ASCENDING, DESCENDING = "asc", "desc"


def _median_days(fig) -> int | None:
    survival = fig.time_to_resolution
    return None if survival.too_small else survival.median


# Column → the figure it sorts by (None: the name). Names and medians read smallest first
# (a shorter time is better), the other figures largest first.
SORT_COLUMNS = {
    "name": None,
    "received": lambda fig: fig.received,
    "follow_up": lambda fig: fig.follow_up_rate.value,
    "completion": lambda fig: fig.completion_rate.value,
    "on_time": lambda fig: fig.on_time_rate.value,
    "median_days": _median_days,
}
DEFAULT_SORT = "follow_up"

# The provinces on a grid (column, row), west to east and north to south, for the tile map;
# each with a short label printed in its tile (Kemendagri codes).
TILES = {
    "11": (0, 0, "ACEH"), "12": (1, 1, "SUMUT"), "14": (2, 1, "RIAU"), "21": (3, 1, "KEPRI"),
    "13": (1, 2, "SUMBAR"), "15": (2, 2, "JAMBI"), "17": (1, 3, "BKL"), "16": (2, 3, "SUMSEL"),
    "19": (3, 3, "BABEL"), "18": (2, 4, "LPG"), "31": (4, 4, "DKI"), "36": (3, 5, "BANTEN"),
    "32": (4, 5, "JABAR"), "33": (5, 5, "JATENG"), "34": (5, 6, "DIY"), "35": (6, 5, "JATIM"),
    "51": (7, 5, "BALI"), "52": (8, 5, "NTB"), "53": (9, 5, "NTT"), "61": (5, 2, "KALBAR"),
    "65": (7, 1, "KALTARA"), "64": (7, 2, "KALTIM"), "62": (6, 3, "KALTENG"),
    "63": (7, 3, "KALSEL"), "75": (9, 1, "GTLO"), "71": (10, 1, "SULUT"), "76": (8, 2, "SULBAR"),
    "72": (9, 2, "SULTENG"), "73": (8, 3, "SULSEL"), "74": (9, 3, "SULTRA"),
    "82": (11, 1, "MALUT"), "81": (11, 3, "MALUKU"), "96": (12, 2, "PBD"), "92": (13, 2, "PABAR"),
    "91": (14, 2, "PAPUA"), "94": (13, 3, "PAPTENG"), "95": (14, 3, "PAPEG"),
    "93": (14, 4, "PAPSEL"),
}
TILE_SIZE = 60
MAP_COLUMNS, MAP_ROWS = 15, 7
# Five classes of the mapped rate (lower bound, in percent), lightest to darkest, fixed so that
# maps compare over time (follow-up rates mostly lie above half: the classes are finer there);
# a sixth look (hatched, no colour) for "n too small". Each tile also prints its value.
MAP_CLASSES = (0, 60, 70, 80, 90)
MAPPED_FIGURE = "follow_up_rate"


def default_order(sort: str) -> str:
    return ASCENDING if sort in ("name", "median_days") else DESCENDING


@dataclass(frozen=True)
class RegionFigures:
    code: str
    name: str
    figures: statistics.Figures


@dataclass(frozen=True)
class Place:
    """A region as plain values (for templates and PDFs)."""

    code: str
    name: str


@dataclass(frozen=True)
class Ranking:
    rows: list[RegionFigures]
    geography: str
    sort: str
    order: str
    province: Place | None  # the province whose kab/kota are ranked (None: the provinces)


def geography_or_default(value: str | None) -> str:
    return value if value in GEOGRAPHIES else INCIDENT


def sort_rows(rows: list[RegionFigures], sort: str, order: str) -> list[RegionFigures]:
    """Rows sorted by ``sort`` in ``order``; ties by name, then code. A figure under the
    small-number rule has no value and goes last in either direction."""
    by_name = sorted(rows, key=lambda row: (row.name.lower(), row.code))
    value_of = SORT_COLUMNS.get(sort)
    if value_of is None:
        return by_name if order == ASCENDING else list(reversed(by_name))
    known = [row for row in by_name if value_of(row.figures) is not None]
    unknown = [row for row in by_name if value_of(row.figures) is None]
    known.sort(key=lambda row: value_of(row.figures), reverse=order == DESCENDING)
    return known + unknown


def get_province(code: str | None) -> Region | None:
    if not code or "\x00" in code:
        return None
    region = db.session.get(Region, code)
    return region if region is not None and region.level == PROVINCE else None


def get_region(code: str | None) -> Region | None:
    """A province or a kab/kota by its code, or None."""
    if not code or "\x00" in code:
        return None
    return db.session.get(Region, code)


def _governments(level: str, region_codes: list[str]) -> dict[str, set[int]]:
    """{region code: the ids of its government agencies of ``level`` and every unit below them}."""
    roots = db.session.execute(select(Agency.id, Agency.region_code).where(
        Agency.level == level, Agency.region_code.in_(region_codes or ["-"]))).all()
    family = {agency_id: code for agency_id, code in roots}
    frontier = set(family)
    while frontier:
        children = db.session.execute(select(Agency.id, Agency.parent_id)
                                      .where(Agency.parent_id.in_(frontier))).all()
        frontier = {child for child, _parent in children if child not in family}
        for child, parent in children:
            family.setdefault(child, family[parent])
    grouped: dict[str, set[int]] = {}
    for agency_id, code in family.items():
        grouped.setdefault(code, set()).add(agency_id)
    return grouped


def _government_figures(level: str, codes: list[str], months: list[str]) -> dict[str, statistics.Figures]:
    governments = _governments(level, codes)
    ids = sorted({i for ids in governments.values() for i in ids})
    by_agency = statistics.figures_by_agency(months, ids) if ids else {}
    return {code: statistics.combine(by_agency[i] for i in sorted(ids) if i in by_agency)
            for code, ids in governments.items()}


def _figures(regions: list[Region], geography: str, months: list[str],
             province_code: str | None) -> dict[str, statistics.Figures]:
    if geography == GOVERNMENT:
        level = PROVINCIAL if province_code is None else REGENCY_GOVERNMENT
        return _government_figures(level, [r.code for r in regions], months)
    return statistics.figures_by_region(months, province_code)


def province_ranking(geography: str, sort: str, order: str, months: list[str]) -> Ranking:
    """Every province with its figures over ``months``, sorted."""
    return _ranking(list(db.session.scalars(select(Region).where(Region.level == PROVINCE))),
                    geography, sort, order, months, None)


def regency_ranking(province: Region, geography: str, sort: str, order: str,
                    months: list[str]) -> Ranking:
    """Every kab/kota of ``province`` with its figures over ``months``, sorted."""
    regencies = list(db.session.scalars(select(Region).where(
        Region.level == REGENCY, Region.parent_code == province.code)))
    return _ranking(regencies, geography, sort, order, months, province)


def _ranking(regions, geography, sort, order, months, province) -> Ranking:
    geography = geography_or_default(geography)
    sort = sort if sort in SORT_COLUMNS else DEFAULT_SORT
    order = order if order in (ASCENDING, DESCENDING) else default_order(sort)
    figs = _figures(regions, geography, months, province.code if province else None)
    empty = statistics.empty_figures()
    rows = [RegionFigures(r.code, r.name, figs.get(r.code, empty)) for r in regions]
    return Ranking(sort_rows(rows, sort, order), geography, sort, order,
                   Place(province.code, province.name) if province else None)


def region_figures(region: Region, geography: str, months: list[str]) -> statistics.Figures:
    """The figures of one province or kab/kota over ``months`` in ``geography``."""
    if geography_or_default(geography) == GOVERNMENT:
        level = PROVINCIAL if region.level == PROVINCE else REGENCY_GOVERNMENT
        return _government_figures(level, [region.code], months).get(
            region.code, statistics.empty_figures())
    return statistics.region_figures(region.code, months)


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    label: str
    x: int
    y: int
    rate: object  # the mapped statistics.Rate
    shade: int | None  # index into MAP_CLASSES; None: n too small


def tile_map(rows: list[RegionFigures]) -> list[Tile]:
    """The provinces' tiles for the map, coloured by the follow-up rate's class (the value is
    printed in each tile too). Provinces the grid does not know are left out of the map (they
    stay in the table)."""
    tiles = []
    for row in sorted(rows, key=lambda r: r.code):
        if row.code not in TILES:
            continue
        column, line, label = TILES[row.code]
        rate = getattr(row.figures, MAPPED_FIGURE)
        shade = None
        if rate.value is not None:
            percent = 100 * statistics.percent_value(rate.numerator, rate.denominator)
            shade = max(i for i, bound in enumerate(MAP_CLASSES) if percent >= bound)
        tiles.append(Tile(row.code, row.name, label, column * TILE_SIZE, line * TILE_SIZE, rate, shade))
    return tiles


# --- region columns of the CSV downloads -------------------------------------------------------

REGION_COLUMNS = ("province_code", "province_name", "regency_code", "regency_name")


class RegionNames:
    """Province and kab/kota columns for CSV rows, from one read of the regions table."""

    def __init__(self):
        self.names = dict(db.session.execute(select(Region.code, Region.name)).all())

    def columns(self, code: str | None) -> dict[str, str]:
        """The four region columns of a province or kab/kota code (empty cells for None)."""
        if not code:
            return dict.fromkeys(REGION_COLUMNS, "")
        province = statistics.province_of(code)
        regency = code if "." in code else ""
        return {"province_code": province, "province_name": self.names.get(province, ""),
                "regency_code": regency, "regency_name": self.names.get(regency, "") if regency else ""}

    def agency_columns(self, agency: Agency | None) -> dict[str, str]:
        """The agency's region columns: its own region, or the nearest one above it (a unit
        without a region of its own lies where its government lies); empty for a national body."""
        code = None
        seen = 0
        while agency is not None and seen < 10:  # the tree is shallow; never loop on bad data
            if agency.region_code:
                code = agency.region_code
                break
            agency, seen = agency.parent, seen + 1
        return self.columns(code)

    def agency_columns_by_slug(self, slugs) -> dict[str, dict[str, str]]:
        """{slug: its region columns} for the agencies of ``slugs`` that exist (one query)."""
        slugs = sorted(set(slugs))
        found = db.session.scalars(select(Agency).where(Agency.slug.in_(slugs or ["-"]))).all()
        return {a.slug: self.agency_columns(a) for a in found}
