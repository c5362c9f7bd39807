"""The demo seed's bulk load on SQLite (``bulk_load``, :mod:`app.demo.bulk`), on a database of
the test's own (``test_demo.py`` shares one seeded session across its module)."""
from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from app import create_app
from app.demo import seeding as demo
from app.extensions import db
from app.models import PublicReportCount, Report
from app.services import board, search


@pytest.mark.skipif((os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"),
                    reason="the bulk load's SQLite settings, on a database of this test's own")
def test_a_bulk_load_leaves_the_indexes_triggers_and_settings_as_they_were(tmp_path):
    """``bulk_load`` on SQLite sets the foreign-key checks, fsync and the triggers (search
    rows, count of public reports) aside while it writes: afterwards every index and trigger
    is as it was, the settings are restored, the rows pass the foreign-key check, the search
    rows and the count are those of the public reports, and a search finds them."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'bulk.db'}",
                                 "UPLOAD_FOLDER": str(tmp_path)})
    schema = ("SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('reports', "
              "'report_events') ORDER BY name")
    with app.app_context():
        try:
            upgrade()
            before = db.session.execute(text(schema)).all()
            demo.seed(complaints=150, seed=7, password="demo-password-123", bulk_load=True)
            db.session.commit()
            assert db.session.execute(text(schema)).all() == before
            settings = {name: db.session.execute(text(f"PRAGMA {name}")).scalar()
                        for name in ("journal_mode", "foreign_keys", "synchronous")}
            assert settings == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 1}
            assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
            public = db.session.scalar(select(func.count()).select_from(Report).where(
                Report.is_public))
            assert public
            assert db.session.scalar(text("SELECT count(*) FROM report_search")) == public
            assert db.session.scalar(select(PublicReportCount.reports)) == public
            # A second load on top adds its public reports to the count, not counts them again.
            demo.seed(complaints=60, seed=8, password="demo-password-123", bulk_load=True)
            db.session.commit()
            before, public = public, db.session.scalar(select(func.count()).select_from(
                Report).where(Report.is_public))
            assert db.session.scalar(select(func.count()).select_from(Report)) == 210
            assert public > before  # the second load added public reports to count
            assert db.session.scalar(text("SELECT count(*) FROM report_search")) == public
            assert db.session.scalar(select(PublicReportCount.reports)) == public
            assert board.public_report_list(board.ReportFilter(q="jalan")).items
            # Times as the ORM writes them (SQLite compares the text).
            for column in ("submitted_at", "routed_at", "updated_at"):
                written = db.session.scalar(text(
                    f"SELECT {column} FROM reports WHERE {column} IS NOT NULL LIMIT 1"))
                assert len(written) == 26 and written[19] == "." and "+" not in written
            # The filters' words it wrote (migration 0028) are those the triggers write.
            for column, kind in (("status", search.STATUS), ("report_type", search.TYPE),
                                 ("agency_id", search.AGENCY), ("category_id", search.CATEGORY)):
                for value, count in db.session.execute(text(
                        f"SELECT {column}, count(*) FROM reports WHERE is_confidential = 0 AND "
                        "agency_id IS NOT NULL AND routed_at IS NOT NULL AND public_body IS NOT "
                        f"NULL AND status <> 'submitted' AND {column} IS NOT NULL GROUP BY 1")):
                    found = search.facet_matches([search.facet_word(kind, value)])
                    assert db.session.scalar(select(func.count()).select_from(found)) == count
        finally:
            db.session.remove()
            db.engine.dispose()


def test_seeded_times_are_written_as_the_orm_writes_them():
    """SQLite compares times as text: the bulk writer's text for a UTC time is the ORM's own
    (SQLAlchemy's SQLite DATETIME), or a seeded report's time would sort before the same time
    filed through the app (``+00:00`` before ``.000000``) and the list's keyset would show a
    page's last report again on the next page."""
    import random
    from datetime import datetime, timedelta, timezone

    from sqlalchemy.dialects import sqlite

    from app.demo import bulk
    from app.models.types import UTCDateTime

    dialect = sqlite.dialect()
    orm = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    fast = bulk._utc_text(orm)
    rng = random.Random(12)
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    for _ in range(2000):
        moment = start + timedelta(seconds=rng.randrange(10**9),
                                   microseconds=rng.choice((0, rng.randrange(10**6))))
        assert fast(moment) == orm(moment)
        jakarta = moment.astimezone(timezone(timedelta(hours=7)))
        assert fast(jakarta) == orm(moment)
    assert fast(None) is None


@pytest.mark.skipif((os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"),
                    reason="the forked workers are the SQLite bulk load's")
def test_the_forked_workers_write_what_the_workflow_would_write(tmp_path, monkeypatch):
    """With ``processes=2`` (as ``flask demo seed`` runs a large demo) the chunks are replayed in
    forked workers and written here in order: ids and reference numbers without gaps or repeats,
    every history replays through ``workflow.apply`` to the stored report, the foreign keys and
    the search rows hold, and the load's settings (journal, the driver's NULL binding) are
    restored."""
    import sqlite3

    from app.demo import bulk
    from app.models import Report
    from tests.unit.test_demo import assert_replays_to_the_stored_report

    monkeypatch.setattr(demo, "PARALLEL_FROM", 0)
    monkeypatch.setattr(bulk, "CHUNK", 70)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'forked.db'}",
                                 "UPLOAD_FOLDER": str(tmp_path)})
    with app.app_context():
        try:
            upgrade()
            demo.seed(complaints=300, seed=11, password="demo-password-123", bulk_load=True,
                      processes=2)
            db.session.commit()
            assert (type(None), sqlite3.PrepareProtocol) not in sqlite3.adapters
            assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
            reports = db.session.scalars(select(Report).order_by(Report.id)).all()
            assert [r.id for r in reports] == list(range(1, 301))
            by_year: dict[int, list[int]] = {}
            for report in reports:
                by_year.setdefault(report.year, []).append(report.sequence)
            for sequences in by_year.values():
                assert sequences == list(range(1, len(sequences) + 1))
            assert len({r.tracking_hash for r in reports}) == 300
            for report in reports:
                assert report.events, report.reference
                assert_replays_to_the_stored_report(report)
            public = db.session.scalar(select(func.count()).select_from(Report).where(
                Report.is_public))
            assert db.session.scalar(text("SELECT count(*) FROM report_search")) == public
            assert db.session.scalar(select(PublicReportCount.reports)) == public
        finally:
            db.session.remove()
            db.engine.dispose()


def test_tracking_codes_are_base32_of_their_bits_read_backwards():
    """The bulk writer spells a code's 80 random bits two symbols at a time; it is the same
    code as base32 of the bits read backwards in the codes' alphabet (the seeded codes, and so
    every digest of the demo, stay what they were)."""
    import random
    from base64 import b32encode

    from app.demo import bulk
    from app.services import tracking_codes

    symbols = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", tracking_codes.ALPHABET.encode())
    rng = random.Random(3)
    for _ in range(5000):
        bits = rng.getrandbits(80)
        expected = b32encode(bits.to_bytes(10, "big")).translate(symbols)[::-1].decode()
        drawn = random.Random()
        drawn.getrandbits = lambda _n, bits=bits: bits
        writer = bulk.Writer.__new__(bulk.Writer)
        writer.demo = type("Demo", (), {"code_rng": drawn})()
        writer.hash = lambda raw: raw
        if expected.isdigit():
            continue
        assert writer._new_code(set()) == (expected, expected)


def test_a_chunks_rows_travel_from_a_worker_as_they_were_made():
    """The rows a worker prepared reach the writing process unchanged: marshalled when they
    hold only what SQLite is given (texts, numbers, NULLs), as they are otherwise."""
    from datetime import date

    from app.demo import bulk

    plain = [[[1, "LPR-2026-0000001", None, 2.5, True]], [[7, 1, "created", "2026-01-02 03:04:05.000006"]]]
    packed = bulk._pack_rows(plain)
    assert isinstance(packed, bytes) and bulk._unpack_rows(packed) == plain
    other = [[[1, date(2026, 1, 2)]]]  # PostgreSQL's rows keep their dates: pickled by the pool
    assert bulk._unpack_rows(bulk._pack_rows(other)) == other


@pytest.mark.skipif((os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"),
                    reason="the forked workers are the SQLite bulk load's")
def test_a_load_that_fails_leaves_the_count_of_the_reports_it_kept(tmp_path, monkeypatch):
    """A chunk that fails after its search rows were written, before its commit (a full disk,
    Ctrl-C), is rolled back: the load stops, and the count of public reports, the search rows
    and the public reports that stay agree (the count is added up from committed chunks)."""
    from app.demo import bulk

    monkeypatch.setattr(demo, "PARALLEL_FROM", 0)
    monkeypatch.setattr(bulk, "CHUNK", 40)
    written = bulk.Writer._search_rows
    calls = []

    def failing_second_chunk(writer, before):
        added = written(writer, before)
        calls.append(before)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return added

    monkeypatch.setattr(bulk.Writer, "_search_rows", failing_second_chunk)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'failed.db'}",
                                 "UPLOAD_FOLDER": str(tmp_path)})
    with app.app_context():
        try:
            upgrade()
            with pytest.raises(RuntimeError, match="disk full"):
                demo.seed(complaints=200, seed=5, password="demo-password-123", bulk_load=True,
                          processes=2)
            db.session.commit()
            kept = db.session.scalar(select(func.count()).select_from(Report))
            assert 0 < kept < 200  # the first chunk stayed, the failing one went
            public = db.session.scalar(select(func.count()).select_from(Report).where(
                Report.is_public))
            assert public > 0 and calls[:2] == [41, 81]  # the second chunk's rows were written
            assert db.session.scalar(text("SELECT count(*) FROM report_search")) == public
            assert db.session.scalar(select(PublicReportCount.reports)) == public
        finally:
            db.session.remove()
            db.engine.dispose()
