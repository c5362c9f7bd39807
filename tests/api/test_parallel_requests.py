"""Agency systems send requests in parallel: none of them may fail because another one wrote.

A bearer request notes when the token was last used, and an oversight read writes an access-log
row: writes made by GET requests. They run in real threads against the suite's real database
(a file SQLite database in WAL mode, or PostgreSQL), so a write that is not started as a write
transaction shows up here as "database is locked" — a 500 to the client.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken
from app import clock
from app.services import credentials
from tests.parallel import access_log_count, accounts, run_parallel  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow

REQUESTS = 80


def _get(app, url, headers):
    def call():
        response = app.test_client().get(url, headers=headers)
        return response.status_code
    return call


def _last_used(app, user_id):
    with app.app_context():
        found = db.session.scalar(select(ApiToken.last_used_at).where(ApiToken.user_id == user_id))
        db.session.remove()
        return found


def test_parallel_bearer_requests_all_succeed(app, accounts):
    officer = accounts("officer", "dinkes-kota-padang")
    statuses = run_parallel([_get(app, f"/api/v1/inbox?page={n}", officer.bearer)
                             for n in range(1, REQUESTS + 1)])
    assert statuses == [200] * REQUESTS
    assert _last_used(app, officer.id) is not None


def test_parallel_oversight_reads_are_all_answered_and_all_logged(app, accounts):
    oversight = accounts("oversight")
    calls = [_get(app, f"/api/v1/inbox?page={n}", oversight.bearer) for n in range(1, 41)]
    calls += [_get(app, f"/api/v1/inbox?queue=verification&page={n}", oversight.bearer)
              for n in range(1, 41)]
    statuses = run_parallel(calls)
    assert statuses == [200] * REQUESTS
    # An audit requirement: not one read without its log row.
    assert access_log_count(app, oversight.id, "view_inbox") == 40
    assert access_log_count(app, oversight.id, "view_queue") == 40


def test_last_use_is_written_at_most_every_few_minutes(app, db_session):
    """A token used all the time does not turn every read into a write."""
    from tests import factories

    user = factories.make_user("officer", "dinkes-kota-padang")
    token, secret = credentials.create_token(user.email)
    db.session.commit()
    first = clock.now()
    assert credentials.verify_token(secret, first).id == user.id
    assert token.last_used_at == first
    assert credentials.verify_token(secret, first + timedelta(minutes=1)).id == user.id
    assert token.last_used_at == first  # unchanged: no write
    later = first + credentials.LAST_USED_PRECISION
    credentials.verify_token(secret, later)
    assert token.last_used_at == later
