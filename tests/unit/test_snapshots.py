"""Snapshots: canonical JSON, its hash, immutability, and the publication rules."""
import hashlib
import json
from datetime import date, datetime, timezone

import pytest

from app.extensions import db
from app.models import Report
from app.models.statistics import ImmutableSnapshotError
from app.services import snapshots, statistics, workflow
from app.services.errors import DomainError
from tests import factories

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)
NOVEMBER_ID = "2026-11-m" + statistics.METHODOLOGY_VERSION.replace(".", "-")


@pytest.fixture
def november(db_session):
    for _ in range(3):
        receipt = factories.file_report(now=datetime(2026, 11, 2, 2, tzinfo=timezone.utc),
                                        incident_date=date(2026, 10, 30))
        report = db.session.get(Report, receipt.report_id)
        workflow.apply(report, "route", workflow.Actor(kind="officer", role="national_admin"),
                       datetime(2026, 11, 3, 2, tzinfo=timezone.utc),
                       workflow.ActionInput(agency=factories.agency("kemenkes"), resolution_class="sedang"))
    db.session.commit()


def test_publish_freezes_figures_with_a_verifiable_hash(november):
    snapshot = snapshots.publish("2026-11", NOW)
    assert snapshot.public_id == NOVEMBER_ID
    assert hashlib.sha256(snapshot.canonical_json.encode()).hexdigest() == snapshot.sha256
    payload = json.loads(snapshot.canonical_json)
    assert payload["national"]["received"]["value"] == 3
    assert payload["national"]["follow_up_rate"]["too_small"] is True
    assert payload["national"]["follow_up_rate"]["value"] is None
    assert [a["slug"] for a in payload["agencies"]] == ["kemenkes"]
    assert snapshots.canonical_json(payload) == snapshot.canonical_json


def test_a_published_snapshot_never_changes(november):
    snapshot = snapshots.publish("2026-11", NOW)
    db.session.commit()
    snapshot.sha256 = "0" * 64
    with pytest.raises(ImmutableSnapshotError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(ImmutableSnapshotError):
        db.session.delete(snapshots.get(NOVEMBER_ID))
        db.session.flush()


@pytest.mark.parametrize("statement", [
    "UPDATE snapshots SET sha256 = '{zeros}' WHERE public_id = :id",
    "UPDATE snapshots SET canonical_json = '{{}}' WHERE public_id = :id",
    "DELETE FROM snapshots WHERE public_id = :id",
])
def test_the_database_itself_refuses_to_change_a_snapshot(november, statement):
    """Not only the application: plain SQL (a script, a console) is refused by a trigger, on
    SQLite and on PostgreSQL."""
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    snapshots.publish("2026-11", NOW)
    db.session.commit()
    with pytest.raises(DatabaseError, match="immutable"):
        with db.session.begin_nested():
            db.session.execute(text(statement.format(zeros="0" * 64)), {"id": NOVEMBER_ID})
    assert snapshots.get(NOVEMBER_ID) is not None


def test_each_snapshot_names_the_one_before_it(november):
    first = snapshots.publish("2026-10", NOW)
    second = snapshots.publish("2026-11", NOW)
    db.session.commit()
    assert first.previous_sha256 is None and second.previous_sha256 == first.sha256
    assert snapshots.chain_problems() == []


def test_a_broken_chain_is_reported():
    from types import SimpleNamespace

    def row(public_id, text, previous):
        return SimpleNamespace(public_id=public_id, canonical_json=text, previous_sha256=previous,
                               sha256=hashlib.sha256(text.encode()).hexdigest())

    a, b, c = row("2026-09", "{}", None), row("2026-10", "[]", None), row("2026-11", "1", None)
    b.previous_sha256, c.previous_sha256 = a.sha256, b.sha256
    assert snapshots.chain_problems([a, b, c]) == []
    assert snapshots.chain_problems([a, c]) == [
        f"2026-11: the snapshot before it ({b.sha256[:12]}…) is missing from the record"]
    c.canonical_json = "2"
    assert "2026-11: its text does not hash to its sha256" in snapshots.chain_problems([a, b, c])


@pytest.mark.parametrize("period, message", [
    ("2026-12", "sudah berakhir"), ("2026-13", "YYYY-MM"), ("nonsense", "YYYY-MM")])
def test_refused_periods(db_session, period, message):
    with pytest.raises(DomainError, match=message):
        snapshots.publish(period, NOW)


def test_publishing_twice_is_refused_and_publish_due_is_idempotent(november):
    assert snapshots.publish_due(NOW).period == "2026-11"
    assert snapshots.publish_due(NOW) is None
    with pytest.raises(DomainError, match="sudah dipublikasikan"):
        snapshots.publish("2026-11", NOW)


def test_previous_period():
    assert snapshots.previous_period(date(2027, 1, 1)) == "2026-12"
    assert snapshots.previous_period(date(2026, 11, 23)) == "2026-10"


def test_the_lifecycle_tick_publishes_last_month_once_on_the_first(november):
    from app.services import lifecycle

    first = lifecycle.tick(NOW)
    assert first.snapshot == NOVEMBER_ID
    assert snapshots.get(NOVEMBER_ID) is not None
    assert lifecycle.tick(NOW).snapshot is None  # idempotent


def test_a_snapshot_keeps_its_own_methodology_version(november, monkeypatch):
    """Published under 2026.1, a snapshot stays 2026.1 (id, version, definition ids) after the
    methodology moves on, and the tick does not publish the same month again."""
    from app.services import lifecycle

    with monkeypatch.context() as patched:
        patched.setattr(statistics, "METHODOLOGY_VERSION", "2026.1")
        old = snapshots.publish("2026-11", NOW)
        db.session.commit()
    assert old.public_id == "2026-11-m2026-1" and old.methodology_version == "2026.1"
    assert statistics.METHODOLOGY_VERSION != "2026.1"
    assert snapshots.publish_due(NOW) is None
    assert lifecycle.tick(NOW).snapshot is None
    kept = snapshots.get("2026-11-m2026-1")
    assert kept.methodology_version == "2026.1"
    assert json.loads(kept.canonical_json)["methodology_version"] == "2026.1"
    assert [s.public_id for s in snapshots.listing()] == ["2026-11-m2026-1"]


def test_snapshot_figures_name_the_current_definitions(november):
    payload = json.loads(snapshots.publish("2026-11", NOW).canonical_json)
    named = {item["definition"] for item in payload["national"].values() if isinstance(item, dict)}
    assert named <= set(statistics.DEFINITIONS)
    assert payload["national"]["dispute_rate"]["definition"] == "dispute_rate.v3"
    assert payload["national"]["disputed"]["definition"] == "dispute_rate.v3"


# --- the corrections log ----------------------------------------------------------------------------

_JUDGE = statistics.sla.judge


def _old_rule_judge(*args, **kwargs):
    """sla.judge as methodology 2026.2 read it: a stop after the due date was the step."""
    import dataclasses

    run = _JUDGE(*args, **kwargs)
    if run.outcome == statistics.sla.MISSED and run.stopped_at is not None:
        return dataclasses.replace(run, step_at=run.stopped_at, stopped_at=None)
    return run


@pytest.fixture
def archived_overdue(db_session):
    """Kemenkes: two reports answered on time, one the national admin asked about after its
    deadline and archived (never touched by the agency)."""
    admin = workflow.Actor(kind="officer", role="national_admin")
    officer = workflow.Actor(kind="officer", role="officer", agency_id=factories.agency("kemenkes").id)
    at = lambda d: datetime(2026, 11, d, 2, tzinfo=timezone.utc)  # noqa: E731
    reports = []
    for _ in range(3):
        receipt = factories.file_report(now=at(2), incident_date=date(2026, 10, 30))
        report = db.session.get(Report, receipt.report_id)
        workflow.apply(report, "route", admin, at(2), workflow.ActionInput(
            agency=factories.agency("kemenkes"), resolution_class="ringan"))
        reports.append(report)
    for report in reports[:2]:
        workflow.apply(report, "respond", officer, at(3), workflow.ActionInput(text="Kami periksa."))
    workflow.apply(reports[2], "request_info", admin, at(11), workflow.ActionInput(text="Lokasi?"))
    workflow.apply(reports[2], "archive", admin, at(12), workflow.ActionInput(reason="incomplete"))
    db.session.commit()


def test_a_snapshot_published_under_the_old_rule_is_annotated_not_rewritten(archived_overdue,
                                                                             monkeypatch, client):
    with monkeypatch.context() as patched:
        patched.setattr(statistics, "METHODOLOGY_VERSION", "2026.2")
        patched.setattr(statistics.sla, "judge", _old_rule_judge)
        old = snapshots.publish("2026-11", NOW)
        db.session.commit()
    frozen, sha = old.canonical_json, old.sha256
    assert json.loads(frozen)["national"]["followed_up"]["value"] == 3  # the old rule's figure

    changes = {(c.scope, c.figure): (c.published, c.recomputed)
               for c in statistics.snapshot_changes(old)}
    assert changes[("national", "followed_up")] == ({"value": 3}, {"value": 2})
    assert changes[("kemenkes", "follow_up_rate")][1]["numerator"] == 2
    published, recomputed = changes[("national", "time_to_first_response")]
    assert (published["observed"], recomputed["observed"]) == (3, 2)
    assert (published["n"], recomputed["n"]) == (3, 3)
    # Resolution: the archive was an "observed resolution" under the old rule.
    published, recomputed = changes[("national", "time_to_resolution")]
    assert (published["observed"], recomputed["observed"]) == (1, 0)
    assert ("national", "on_time_rate") not in changes  # lateness is unchanged
    # A snapshot of the current methodology has nothing to correct.
    assert statistics.corrections_after(statistics.METHODOLOGY_VERSION) == []

    page = client.get("/transparansi/metodologi").get_data(as_text=True)
    assert 'id="koreksi-2026.3"' in page and old.public_id in page and "followed_up" in page
    page = client.get(f"/transparansi/snapshot/{old.public_id}").get_data(as_text=True)
    assert 'id="koreksi"' in page
    # The corrected figure by its name, its id behind the "definisi" link.
    corrections = page.split('id="koreksi"')[1].split("</section>")[0]
    assert "<td>Ditindaklanjuti " in corrections and 'metodologi#followed_up.v3">definisi' in corrections
    body = client.get(f"/transparansi/snapshot/{old.public_id}/koreksi.json").get_json()
    assert body["sha256"] == sha and body["current_methodology_version"] == "2026.3"
    [correction] = body["corrections"]
    assert {"scope": "national", "figure": "followed_up", "published": {"value": 3},
            "recomputed": {"value": 2}} in correction["changes"]
    # The snapshot itself is byte-identical.
    assert client.get(f"/transparansi/snapshot/{old.public_id}.json").get_data(as_text=True) == frozen
    assert snapshots.get(old.public_id).canonical_json == frozen


def test_publish_if_due_freezes_last_month_once(app, db_session):
    """`make run` runs `stats publish --if-due`: a fresh demo shows a monthly snapshot at once
    (not only after the first tick), and a second start publishes nothing more."""
    from app.models import Snapshot

    runner = app.test_cli_runner()
    first = runner.invoke(args=["stats", "publish", "--if-due"])
    assert first.exit_code == 0, first.output
    assert "Published snapshot" in first.output
    count = db.session.query(Snapshot).count()
    again = runner.invoke(args=["stats", "publish", "--if-due"])
    assert again.exit_code == 0 and "already published" in again.output
    assert db.session.query(Snapshot).count() == count


def test_a_snapshot_says_whether_its_month_was_still_provisional(november, client=None):
    snapshot = snapshots.publish("2026-11", NOW)  # 1 December: November's deadlines still run
    payload = json.loads(snapshot.canonical_json)
    assert payload["provisional"] is True
    assert payload["provisional_through"] > "2026-12-01"
    assert payload["fixed_window_figures"] == ["on_time_rate", "resolved_within_window_rate"]
    assert all(key in payload["national"] for key in payload["fixed_window_figures"])
    later = snapshots.publish("2026-08", NOW)  # long complete by then
    assert json.loads(later.canonical_json)["provisional"] is False
