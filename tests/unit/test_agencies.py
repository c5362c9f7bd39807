"""agencies.py: the API's list of active agencies (one query, one place for LIKE escaping)."""
from __future__ import annotations

from app.extensions import db
from app.models import Agency
from app.models.agency import UNIT
from app.services import agencies
from tests import factories


def _slugs(page) -> list[str]:
    return [a.slug for a in page.items]


def test_the_name_part_is_matched_literally(db_session):
    db.session.add(Agency(slug="uji-persen", name="Balai Uji 100% Kota_Padang", level=UNIT,
                          region_code=factories.PADANG))
    db.session.add(Agency(slug="uji-biasa", name="Balai Uji 1000 KotaXPadang", level=UNIT,
                          region_code=factories.PADANG))
    db.session.flush()
    assert _slugs(agencies.active_page(None, "100%", 1, 50)) == ["uji-persen"]
    assert _slugs(agencies.active_page(None, "kota_padang", 1, 50)) == ["uji-persen"]
    assert _slugs(agencies.active_page(None, "balai uji", 1, 50)) == ["uji-biasa", "uji-persen"]
    assert agencies.active_page(None, "%", 1, 50).items == [factories.agency("uji-persen")]


def test_level_inactive_agencies_and_pages(db_session):
    every = agencies.active_page(None, None, 1, 500)
    assert every.total == len(every.items) and _slugs(every) == sorted(_slugs(every))
    factories.agency("pemkab-lebak").is_active = False
    db.session.flush()
    assert "pemkab-lebak" not in _slugs(agencies.active_page(None, None, 1, 500))
    units = agencies.active_page(UNIT, None, 1, 500)
    assert units.items and {a.level for a in units.items} == {UNIT}
    second = agencies.active_page(None, None, 2, 1)
    assert second.total == every.total - 1 and len(second.items) == 1 and second.page == 2
