"""Agencies as a tree: national K/L, pemprov and pemkab/pemkot, and their OPD."""
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

NATIONAL = "national"  # kementerian / lembaga
PROVINCIAL = "provincial"  # pemerintah provinsi
REGENCY = "regency"  # pemerintah kabupaten / kota
UNIT = "unit"  # OPD (dinas, badan, RSUD …) under one of the above
LEVELS = (NATIONAL, PROVINCIAL, REGENCY, UNIT)


class Agency(db.Model):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    short_name: Mapped[str | None] = mapped_column(String(60), default=None)
    level: Mapped[str] = mapped_column(String(12), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True, default=None)
    region_code: Mapped[str | None] = mapped_column(
        ForeignKey("regions.code"), index=True, default=None
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped["Agency | None"] = relationship(remote_side=[id], back_populates="children")
    # Units in a stable order on every database (the order they were loaded in: name order
    # differs between SQLite and PostgreSQL collations), so answers and their golden copies agree.
    children: Mapped[list["Agency"]] = relationship(back_populates="parent", order_by="Agency.id")
    region = relationship("Region")

    @property
    def display_name(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<Agency {self.slug}>"
