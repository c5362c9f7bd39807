"""Regions: provinces and kab/kota with their Kemendagri codes (``13`` and ``13.71``)."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

PROVINCE = "province"
REGENCY = "regency"  # kabupaten or kota


class Region(db.Model):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(12), index=True)
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("regions.code"), index=True, default=None
    )

    parent: Mapped["Region | None"] = relationship(remote_side=[code])

    @property
    def is_city(self) -> bool:
        return self.level == REGENCY and self.name.startswith("Kota ")

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
