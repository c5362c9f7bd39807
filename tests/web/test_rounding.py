"""One rounding rule (methodology page): a percentage is shown with one decimal, rounded half-up
from the exact fraction; downloads carry the numerator, the denominator and the rate to 4
decimals, rounded half-up from the exact fraction. Checked on every surface with half-way cases
(32/39 was 82,0% on an agency's page and 82,1% in the agency table: rounded twice)."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.extensions import db
from app.services import snapshots, statistics
from app.services.statistics import percent_value, rate_value
from tests.web.test_board_exports import (EARLIER, NOW, figure_rows, pdf_text, put, read_csv,
                                          tables_of)


@pytest.mark.parametrize("numerator, denominator, download, percent", [
    (32, 39, "0.8205", "0.821"),   # 82.0513…%: 0.8205 rounded again would say 82.0%
    (1, 8, "0.125", "0.125"),      # 12.5% exactly
    (1, 16, "0.0625", "0.063"),    # 6.25% → 6.3% (Babel's half-even would say 6.2%)
    (5, 8, "0.625", "0.625"),
    (1, 32, "0.0313", "0.031"),    # 0.03125 → 0.0313 (Python's round says 0.0312)
    (5, 16, "0.3125", "0.313"),    # 31.25% → 31.3%
    (2, 3, "0.6667", "0.667"),
    (0, 7, "0", "0"), (7, 7, "1", "1"),
])
def test_the_rule_rounds_half_up_once_from_the_exact_fraction(numerator, denominator, download,
                                                              percent):
    assert rate_value(numerator, denominator) == float(download)
    assert percent_value(numerator, denominator) == Decimal(percent)  # exact: nothing left to round


# Kemenkes: follow-up 32/39, on time 1/16; Dinkes Kota Padang: follow-up 5/16, completion 10/16,
# on time 1/32. Every page and download must say the same, rounded once.
EXPECTED = {
    "kemenkes": {"follow_up_rate": ("82,1%", "0.8205"), "on_time_rate": ("6,3%", "0.0625")},
    "dinkes-kota-padang": {"follow_up_rate": ("31,3%", "0.3125"),
                           "completion_rate": ("62,5%", "0.6250"),
                           "on_time_rate": ("3,1%", "0.0313")},
}
LABELS = {"follow_up_rate": "Persentase tindak lanjut", "completion_rate": "Tingkat penyelesaian",
          "on_time_rate": "Tepat waktu"}


@pytest.fixture
def halves(db_session, frozen_clock):
    frozen_clock.move_to(NOW)
    put("kemenkes", EARLIER, received=39, followed_up=32, resolved=13, on_time_answered=1,
        on_time_eligible=16, first={1: (32, 7)}, resolution={3: (13, 26)})
    put("dinkes-kota-padang", EARLIER, received=16, followed_up=5, resolved=10, on_time_answered=1,
        on_time_eligible=32, first={1: (5, 11)}, resolution={3: (10, 6)})
    statistics.refresh_national(EARLIER, NOW)
    db.session.commit()


def test_every_agency_surface_says_the_same_percentage(client, halves):
    for slug, figures in EXPECTED.items():
        tables, _ = tables_of(client.get(f"/transparansi/instansi/{slug}").get_data(as_text=True))
        shown = figure_rows(tables["fig-own"])
        row = next(r for r in read_csv(client.get(f"/transparansi/instansi/{slug}.csv"))
                   if r["table"] == "last_12_months")
        data = json.loads(client.get(f"/transparansi/instansi/{slug}.json").get_data(as_text=True))
        text = pdf_text(client.get(f"/transparansi/instansi/{slug}.pdf").data)
        for key, (percent, fraction) in figures.items():
            assert shown[LABELS[key]].startswith(percent), (slug, key, shown[LABELS[key]])
            assert row[key] == fraction, (slug, key)
            assert data["last_12_months"][key]["value"] == float(fraction)
            assert percent in text, (slug, key)

    # The agency table (and its downloads) say what the agency's page says.
    for slug, level in (("kemenkes", "national"), ("dinkes-kota-padang", "unit")):
        page = client.get(f"/transparansi/instansi?level={level}").get_data(as_text=True)
        for key, (percent, _fraction) in EXPECTED[slug].items():
            assert percent in page, (slug, key)
        assert "82,0%" not in page and "6,2%" not in page and "31,2%" not in page
    rows = {r["slug"]: r for r in read_csv(client.get("/transparansi/instansi.csv"))
            if r.get("slug")}
    assert rows["kemenkes"]["follow_up_rate"] == "0.8205"
    assert rows["dinkes-kota-padang"]["on_time_rate"] == "0.0313"


def test_the_ranking_and_the_snapshot_round_the_same_way(client, halves):
    # Best agencies by completion rate: Dinkes 10/16 = 62,5%, Kemenkes 13/39 = 33,3%.
    page = client.get("/transparansi/").get_data(as_text=True)
    assert "62,5%" in page and "33,3%" in page
    data = json.loads(client.get("/transparansi/ringkasan.json").get_data(as_text=True))
    best = {a["slug"]: a["completion_rate"] for a in data["best"]}
    assert best == {"dinkes-kota-padang": 0.625, "kemenkes": 0.3333}

    published = snapshots.publish(EARLIER, NOW)
    db.session.commit()
    payload = json.loads(published.canonical_json)
    kemenkes = next(a for a in payload["agencies"] if a["slug"] == "kemenkes")["figures"]
    assert kemenkes["follow_up_rate"]["value"] == 0.8205
    # National: follow-up 37/55 = 67.2727…%, on time 2/48 = 4.1666…%.
    assert payload["national"]["on_time_rate"]["value"] == 0.0417
    tables, _ = tables_of(client.get(f"/transparansi/snapshot/{published.public_id}")
                          .get_data(as_text=True))
    shown = figure_rows(tables["fig-snapshot"])
    assert shown["Persentase tindak lanjut"].startswith("67,3%")
    assert shown["Tepat waktu"].startswith("4,2%")
    csv_rows = read_csv(client.get(f"/transparansi/snapshot/{published.public_id}.csv"))
    assert csv_rows[0]["follow_up_rate"] == "0.6727"
    assert "67,3%" in pdf_text(client.get(f"/transparansi/snapshot/{published.public_id}.pdf").data)


def test_the_methodology_page_states_the_rule(client, db_session):
    page = client.get("/transparansi/metodologi").get_data(as_text=True)
    assert 'id="pembulatan"' in page and "82,1%" in page and "0.8205" in page


def test_intervals_are_rounded_by_the_same_rule_on_every_surface(client, halves):
    # Kemenkes follow-up 32/39: Wilson 95% interval 0.67326…–0.91018…, shown 67,3–91,0 on the
    # page (to the eye and to a screen reader), in the PDF, and 0.6733/0.9102 in the downloads.
    page = client.get("/transparansi/instansi/kemenkes").get_data(as_text=True)
    tables, _ = tables_of(page)
    shown = figure_rows(tables["fig-own"])["Persentase tindak lanjut"]
    assert "IK 95%: 67,3–91,0" in shown
    assert "interval 95%: 67,3 sampai 91,0 persen" in page
    row = next(r for r in read_csv(client.get("/transparansi/instansi/kemenkes.csv"))
               if r["table"] == "last_12_months")
    assert (row["follow_up_rate_ci_low"], row["follow_up_rate_ci_high"]) == ("0.6733", "0.9102")
    data = json.loads(client.get("/transparansi/instansi/kemenkes.json").get_data(as_text=True))
    assert data["last_12_months"]["follow_up_rate"]["ci_low"] == 0.6733
    assert "67,3–91,0" in pdf_text(client.get("/transparansi/instansi/kemenkes.pdf").data)
    # The ranking shows the completion rate's interval too: Kemenkes 13/39 → 20,6–49,0.
    national = client.get("/transparansi/").get_data(as_text=True)
    assert "IK 95%: 20,6–49,0" in national
