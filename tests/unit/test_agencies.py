"""agencies.py: the API's list of active agencies (one query, one place for LIKE escaping)."""
from __future__ import annotations

import pytest

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


# --- the front line: "puskesmas", "samsat", "KTP" lead to the agency that answers for them -------

@pytest.fixture
def west_sumatra(db_session):
    """Padang's health office (tests/data) plus the province's government with its Bapenda and
    Disdik, BPJS Kesehatan, and Aceh Besar's health office (another province's)."""
    from app.models.agency import NATIONAL, PROVINCIAL, REGENCY

    province = Agency(slug="pemprov-sumatera-barat", name="Pemerintah Provinsi Sumatera Barat",
                      level=PROVINCIAL, region_code="13")
    aceh_besar = Agency(slug="pemkab-aceh-besar", name="Pemerintah Kabupaten Aceh Besar",
                        level=REGENCY, region_code="11.06")
    db.session.add_all([province, aceh_besar])
    db.session.flush()
    db.session.add_all([
        Agency(slug="bapenda-provinsi-sumatera-barat", name="Badan Pendapatan Daerah Provinsi Sumatera Barat",
               level=UNIT, parent_id=province.id, region_code="13"),
        Agency(slug="disdik-provinsi-sumatera-barat", name="Dinas Pendidikan Provinsi Sumatera Barat",
               level=UNIT, parent_id=province.id, region_code="13"),
        Agency(slug="dinkes-kabupaten-aceh-besar", name="Dinas Kesehatan Kabupaten Aceh Besar",
               level=UNIT, parent_id=aceh_besar.id, region_code="11.06"),
        Agency(slug="bpjs-kesehatan", name="BPJS Kesehatan", level=NATIONAL),
    ])
    db.session.flush()


def _answers(query, region=factories.PADANG):
    return [(m.phrase, m.agency.slug if m.agency else None) for m in agencies.front_line(query, region)]


@pytest.mark.parametrize("query, expected", [
    ("puskesmas andalas", [("puskesmas", "dinkes-kota-padang")]),
    ("PUSKESMAS", [("puskesmas", "dinkes-kota-padang")]),
    ("samsat", [("samsat", "bapenda-provinsi-sumatera-barat")]),         # the province's
    ("sma negeri 1 padang", [("sma negeri", "disdik-provinsi-sumatera-barat")]),
    ("urus ktp", [("ktp", None)]),                                       # no Disdukcapil in the data
    ("kelurahan jati", [("kelurahan", "pemkot-padang")]),                 # the government itself
    ("bpjs", [("bpjs", "bpjs-kesehatan")]),                              # national, any region
    ("puskesmas dan bpjs", [("puskesmas", "dinkes-kota-padang"), ("bpjs", "bpjs-kesehatan")]),
    ("dinas pertanian", []),
    ("", []),
])
def test_front_line_words_lead_to_the_answering_agency(west_sumatra, query, expected):
    assert _answers(query) == expected


def test_a_local_front_line_word_needs_a_kab_kota(west_sumatra):
    [match] = agencies.front_line("puskesmas", None)
    assert match.agency is None and match.needs_region
    [national] = agencies.front_line("bpjs", None)
    assert national.agency.slug == "bpjs-kesehatan" and not national.needs_region
    [province_only] = agencies.front_line("puskesmas", "13")  # a province names no kab/kota
    assert province_only.needs_region


def test_the_longer_phrase_wins(west_sumatra):
    assert [m.phrase for m in agencies.front_line("bpjs ketenagakerjaan saya", None)] == ["bpjs ketenagakerjaan"]


def test_the_reporters_search_stays_in_the_region(west_sumatra):
    everywhere = {a.slug for a in agencies.search("dinas kesehatan", factories.PADANG)}
    local = {a.slug for a in agencies.search("dinas kesehatan", factories.PADANG, local_only=True)}
    assert "dinkes-kabupaten-aceh-besar" in everywhere          # officers routing still see all
    assert "dinkes-kota-padang" in local and "dinkes-kabupaten-aceh-besar" not in local
    province_units = {a.slug for a in agencies.search("pendidikan", factories.PADANG, local_only=True)}
    assert "disdik-provinsi-sumatera-barat" in province_units
    assert "bpjs-kesehatan" in {a.slug for a in agencies.search("bpjs", factories.PADANG, local_only=True)}


def test_every_front_line_rule_is_well_formed():
    rules = agencies.front_line_rules()
    assert rules and all(r.level in ("regency", "province", "national") for r in rules)
    phrases = [r.phrase for r in rules]
    assert len(phrases) == len(set(phrases)), "a phrase may lead to one agency only"


def test_every_front_line_rule_names_an_agency_of_the_shipped_list():
    """Each national slug exists, and each OPD kind exists under some government, in
    app/reference_data/agencies.csv (a renamed slug would silently send reporters nowhere)."""
    import csv

    from app.services.reference import DEFAULT_AGENCIES

    with DEFAULT_AGENCIES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    slugs = {row["slug"] for row in rows}
    unit_kinds = {(row["slug"].split("-")[0], len(row["region_code"].split("."))) for row in rows
                  if row["level"] == "unit" and row["region_code"]}
    for rule in agencies.front_line_rules():
        if rule.level == "national":
            assert rule.unit in slugs, rule
        elif rule.unit != agencies.GOVERNMENT:
            depth = 2 if rule.level == "regency" else 1
            assert (rule.unit, depth) in unit_kinds, rule
