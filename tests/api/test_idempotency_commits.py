"""Idempotent intake with real commits: parallel retries with one key file exactly one report.

These tests do not use the rolled-back ``db_session``: each request runs in its own thread and
transaction against the app's real database, as under a multi-worker server. The ``committed``
fixture removes what they wrote and restores the reference counter afterwards.
"""
from __future__ import annotations

import json
import threading
import uuid

import pytest
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import IdempotencyRecord, ReferenceCounter, Report, StatsDirty
from tests.api.test_intake import URL, valid

THREADS = 6


@pytest.fixture
def committed(app):
    """Let the test commit for real; delete every report it made (and their rows) afterwards."""
    with app.app_context():
        reports_before = set(db.session.scalars(select(Report.id)))
        counters = {c.year: c.last_value for c in db.session.scalars(select(ReferenceCounter))}
        dirty_before = set(db.session.execute(select(StatsDirty.agency_id, StatsDirty.period)))
        db.session.remove()
    yield
    with app.app_context():
        made = set(db.session.scalars(select(Report.id))) - reports_before
        if made:
            # Core deletes, dependants first: events are immutable to the ORM, on purpose.
            for table in reversed(db.metadata.sorted_tables):
                for column in table.columns:
                    if any(fk.column.table.name == "reports" for fk in column.foreign_keys):
                        db.session.execute(table.delete().where(column.in_(made)))
            db.session.execute(delete(Report).where(Report.id.in_(made)))
        for counter in db.session.scalars(select(ReferenceCounter)).all():
            if counter.year not in counters:
                db.session.delete(counter)
            else:
                counter.last_value = counters[counter.year]
        for agency_id, period in set(db.session.execute(
                select(StatsDirty.agency_id, StatsDirty.period))) - dirty_before:
            db.session.execute(delete(StatsDirty).where(StatsDirty.agency_id == agency_id,
                                                        StatsDirty.period == period))
        db.session.commit()
        assert set(db.session.scalars(select(Report.id))) == reports_before
        db.session.remove()


def _post(app, body, key):
    client = app.test_client()
    response = client.post(URL, data=json.dumps(body), content_type="application/json",
                           headers={"Idempotency-Key": key})
    return response.status_code, response.get_json(), response.headers.get("Idempotent-Replayed")


def _reports_titled(app, title) -> int:
    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).select_from(Report)
                                     .where(Report.title == title))
        finally:
            db.session.remove()


def test_parallel_retries_with_one_key_file_one_report(app, committed):
    key = str(uuid.uuid4())
    body = valid(title=f"Uji paralel {key[:8]}")
    start = threading.Barrier(THREADS)
    answers, failures = [], []

    def retry():
        try:
            start.wait(timeout=30)
            answers.append(_post(app, body, key))
        except Exception as exc:  # reported below; a thread's exception would be lost
            failures.append(exc)

    threads = [threading.Thread(target=retry) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(answers) == THREADS
    assert {status for status, _body, _replayed in answers} == {201}
    bodies = {json.dumps(answer, sort_keys=True) for _status, answer, _replayed in answers}
    assert len(bodies) == 1, bodies  # the same reference and the same tracking code, every time
    assert sum(1 for *_rest, replayed in answers if replayed == "true") == THREADS - 1
    assert _reports_titled(app, body["title"]) == 1
    with app.app_context():
        record = db.session.scalar(select(IdempotencyRecord)
                                   .where(IdempotencyRecord.key.endswith(key)))
        reference = db.session.scalar(select(Report.reference).where(Report.id == record.report_id))
        db.session.remove()
    assert reference == json.loads(bodies.pop())["reference"]


def test_a_later_retry_gets_the_first_answer(app, committed):
    key = str(uuid.uuid4())
    body = valid(title=f"Uji berurutan {key[:8]}")
    first = _post(app, body, key)
    second = _post(app, body, key)
    assert first[0] == second[0] == 201
    assert first[1] == second[1] and second[2] == "true" and first[2] is None
    assert _reports_titled(app, body["title"]) == 1
    conflict = _post(app, {**body, "title": body["title"] + " (diubah)"}, key)
    assert conflict[0] == 422 and conflict[1]["error"]["code"] == "idempotency_conflict"
