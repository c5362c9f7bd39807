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
    assert payload["national"]["dispute_rate"]["definition"] == "dispute_rate.v2"
    assert payload["national"]["disputed"]["definition"] == "dispute_rate.v2"
