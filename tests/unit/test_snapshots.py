"""Snapshots: canonical JSON, its hash, immutability, and the publication rules."""
import hashlib
import json
from datetime import date, datetime, timezone

import pytest

from app.extensions import db
from app.models import Report
from app.models.statistics import ImmutableSnapshotError
from app.services import snapshots, workflow
from app.services.errors import DomainError
from tests import factories

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)


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
    assert snapshot.public_id == "2026-11-m2026-1"
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
        db.session.delete(snapshots.get("2026-11-m2026-1"))
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
    assert first.snapshot == "2026-11-m2026-1"
    assert snapshots.get("2026-11-m2026-1") is not None
    assert lifecycle.tick(NOW).snapshot is None  # idempotent
