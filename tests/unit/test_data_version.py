"""The data version goes up in the same transaction as every change of public content, and only
then (services/data_version.py)."""
from datetime import timedelta

from app.extensions import db
from app.models import Report
from app.services import data_version, snapshots, statistics, workflow
from tests import factories
from tests.web.test_board import SUBMITTED, make_report


def _counter() -> int:
    return data_version.current().counter


def test_filing_a_report_changes_nothing_public(db_session):
    before = _counter()
    make_report(route=False)
    assert _counter() == before


def test_a_publication_bumps_once_per_transaction(db_session):
    before = _counter()
    make_report()  # filed (not public) and routed with a public text, in one commit
    assert _counter() == before + 1


def test_a_rollup_refresh_bumps(db_session):
    make_report(route=False)
    before = _counter()
    statistics.mark_all_dirty()
    statistics.refresh_dirty(SUBMITTED + timedelta(days=1))
    db.session.commit()
    # At least once: the refresh commits after each agency-month it rebuilds, and what else
    # the suite left dirty is rebuilt too.
    assert _counter() > before


def test_a_public_step_bumps(db_session):
    report = make_report()
    before = _counter()
    officer = factories.actor("officer")
    workflow.apply(report, "respond", officer, SUBMITTED + timedelta(hours=5),
                   workflow.ActionInput(text="Kami periksa besok."))
    db.session.commit()
    assert _counter() == before + 1


def test_a_change_of_the_public_text_or_a_privacy_flag_bumps(db_session):
    report_id = make_report().id
    before = _counter()
    db.session.get(Report, report_id).public_body = "Lampu jalan mati."
    db.session.commit()
    assert _counter() == before + 1
    db.session.get(Report, report_id).is_confidential = True  # leaves the board: it was public
    db.session.commit()
    assert _counter() == before + 2


def test_a_report_that_is_not_public_changes_nothing(db_session):
    report = make_report(is_confidential=True)
    before = _counter()
    workflow.apply(report, "respond", factories.actor("officer"), SUBMITTED + timedelta(hours=5),
                   workflow.ActionInput(text="Kami periksa."))
    db.session.commit()
    assert _counter() == before


def test_a_rolled_back_change_bumps_nothing(db_session):
    report_id = make_report().id
    before = _counter()
    db.session.get(Report, report_id).public_body = "Sesuatu yang lain."
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert _counter() == before


def test_a_snapshot_bumps(db_session):
    make_report()
    before = _counter()
    snapshots.publish("2026-10", SUBMITTED + timedelta(days=20))
    db.session.commit()
    assert _counter() > before


def test_the_epoch_stays(db_session):
    epoch = data_version.current().epoch
    make_report()
    assert data_version.current().epoch == epoch and epoch



def test_a_new_epoch_after_a_restore(app, db_session):
    before = data_version.current()
    result = app.test_cli_runner().invoke(args=["stats", "new-epoch"])
    assert result.exit_code == 0, result.output
    after = data_version.current()
    assert after.epoch != before.epoch and str(after) in result.output


def test_a_recent_version_is_reused_for_max_age_seconds_only(db_session, monkeypatch):
    """PAGE_CACHE_VERSION_TTL: a cache hit reuses the version read less than max_age ago."""
    from app.services import data_version as module

    now = [1000.0]
    monkeypatch.setattr(module.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(module, "_RECENT", {})
    seen = data_version.recent(1.0)
    make_report()  # a publication: the counter goes up
    assert data_version.recent(1.0) == seen  # within the second: the version read before
    assert data_version.recent(0) == data_version.current() != seen  # 0: always read
    now[0] += 1.5
    assert data_version.recent(1.0) == data_version.current()
