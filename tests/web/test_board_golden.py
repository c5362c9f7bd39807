"""The board's downloads, byte for byte, on a small deterministic demo (a golden copy).

The demo is seeded once for the module (``demo.seed(complaints=COMPLAINTS, seed=SEED)``) with
every clock at ``NOW`` (time-machine: the views, the services and the demo read the same
instant), the rollups are rebuilt and last month's snapshot is published; then every download
of the board and the API's figures are fetched and compared with ``tests/golden/board/``.
The golden copy was written by the code *before* the figures were declared once
(``app/services/statistics/``), so this test proves that refactor changed no download. It was
rewritten when the demo became a bulk replay (issue 12), after the old demo had reproduced the
old copy byte for byte on the new services: only the demo's random draws changed.

When a download changes on purpose, rewrite the copy and review the diff like code::

    TERANG_WRITE_GOLDEN=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/web/test_board_golden.py

Deterministic on SQLite and PostgreSQL: the reference counter is a row (rolled back with the
rest), ids never reach a download, and every order ends on a unique key (slugs, names, ids in
insertion order). PostgreSQL must compare text bytewise (a ``C`` collation, as in CI).
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
import time_machine
from sqlalchemy.orm import scoped_session, sessionmaker

from app.extensions import db
from app.demo import seeding as demo
from app.services import snapshots, statistics

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "board"
WRITE = os.environ.get("TERANG_WRITE_GOLDEN") == "1"
# A Friday at 12:00 WIB; the snapshot is of the month before.
NOW = datetime(2026, 11, 20, 5, 0, tzinfo=timezone.utc)
COMPLAINTS = 600
SEED = 11
AGENCY = "bpjs-kesehatan"  # the busiest agency of this demo (rates over 10 reports and more)
PARENT = "pemkot-padang"  # an agency with units (figures with units)
PROVINCE, REGENCY = "13", "13.71"  # Sumatera Barat, Kota Padang (the demo's own region)

# golden file name -> URL
DOWNLOADS = {
    "national.csv": "/transparansi/ringkasan.csv",
    "national.json": "/transparansi/ringkasan.json",
    "national-distribution.csv": "/transparansi/ringkasan/sebaran.csv",
    "national-distribution.json": "/transparansi/ringkasan/sebaran.json",
    "agency.csv": f"/transparansi/instansi/{AGENCY}.csv",
    "agency.json": f"/transparansi/instansi/{AGENCY}.json",
    "agency-distribution.csv": f"/transparansi/instansi/{AGENCY}/sebaran.csv",
    "agency-distribution.json": f"/transparansi/instansi/{AGENCY}/sebaran.json",
    "agency-with-units.csv": f"/transparansi/instansi/{PARENT}.csv",
    "agency-with-units.json": f"/transparansi/instansi/{PARENT}.json",
    # The agency table of one level (every level would be thousands of mostly empty rows).
    "agencies-national.csv": "/transparansi/instansi.csv?level=national",
    "agencies-national.json": "/transparansi/instansi.json?level=national",
    "reports.csv": "/transparansi/laporan.csv",
    "reports.json": "/transparansi/laporan.json",
    "snapshot.json": "/transparansi/snapshot/{snapshot}.json",
    "snapshot.csv": "/transparansi/snapshot/{snapshot}.csv",
    "api-statistics.json": "/api/v1/statistics",
    "api-statistics-agency.json": f"/api/v1/statistics?agency={AGENCY}",
    "api-agency.json": f"/api/v1/agencies/{AGENCY}",
    "api-agency-with-units.json": f"/api/v1/agencies/{PARENT}",
    # Regions: provinces by incident region, the kab/kota of one province by government.
    "regions.csv": "/transparansi/wilayah.csv",
    "regions.json": "/transparansi/wilayah.json",
    "regions-province-government.csv": f"/transparansi/wilayah/{PROVINCE}.csv?geography=government",
    "regions-province-government.json": f"/transparansi/wilayah/{PROVINCE}.json?geography=government",
    "api-statistics-region.json": f"/api/v1/statistics?region={PROVINCE}",
    "api-statistics-regency.json": f"/api/v1/statistics?region={REGENCY}&geography=government",
}


@pytest.fixture(scope="module")
def downloads(app):
    """Seed, refresh, publish and fetch every download in one rolled-back transaction."""
    with app.app_context(), time_machine.travel(NOW, tick=False):
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(sessionmaker(bind=connection,
                                                 join_transaction_mode="create_savepoint"))
        try:
            demo.seed(complaints=COMPLAINTS, seed=SEED, password="golden-password-1")
            statistics.mark_all_dirty()
            statistics.refresh_dirty(NOW)
            snapshot = snapshots.publish(snapshots.previous_period(NOW.date()), NOW)
            db.session.commit()
            client = app.test_client()
            fetched = {}
            for name, url in DOWNLOADS.items():
                response = client.get(url.format(snapshot=snapshot.public_id))
                assert response.status_code == 200, (url, response.status_code)
                fetched[name] = response.get_data()
            yield fetched
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_download_is_byte_identical_to_the_golden_copy(downloads, name):
    path = GOLDEN / name
    if WRITE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_bytes(downloads[name])
    assert path.exists(), f"no golden copy {path.name}: run with TERANG_WRITE_GOLDEN=1 and review it"
    assert downloads[name] == path.read_bytes(), f"{name} differs from tests/golden/board/{name}"


def test_the_golden_demo_has_figures_worth_comparing(downloads):
    """A golden copy of empty tables would prove nothing: the seed must fill the figures."""
    import json

    national = json.loads(downloads["national.json"])
    assert national["last_12_months"]["received"]["value"] >= 50
    assert national["last_12_months"]["follow_up_rate"]["too_small"] is False
    assert national["last_12_months"]["time_to_first_response"]["median_status"] == "reached"
    agency = json.loads(downloads["agency.json"])
    assert agency["last_12_months"]["follow_up_rate"]["too_small"] is False
    assert json.loads(downloads["agency-with-units.json"])["last_12_months_with_units"] is not None
    assert json.loads(downloads["api-agency-with-units.json"])["figures_with_units"] is not None
    assert json.loads(downloads["snapshot.json"])["national"]["follow_up_rate"]["too_small"] is False
    assert json.loads(downloads["snapshot.json"])["agencies"]
    assert json.loads(downloads["reports.json"])["rows"]
