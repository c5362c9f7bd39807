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
