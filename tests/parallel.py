"""Parallel requests with real commits, as under a multi-worker server.

The rolled-back ``db_session`` cannot show what happens when two requests write at once: here
every request runs in its own thread with its own app context, session and connection against
the suite's real database (a file SQLite database in WAL mode, or PostgreSQL). ``accounts``
makes officers (with bearer tokens) whose e-mails share one domain and removes them, their
tokens, sessions and access-log rows afterwards.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.models import AccessLog, ApiToken, RecoveryCode, SecondFactor, User, UserSession
from app.services import credentials
from tests import factories

EMAIL_DOMAIN = "paralel.terang.test"
THREAD_TIMEOUT = 120


def _cleanup(app) -> None:
    with app.app_context():
        user_ids = select(User.id).where(User.email.like(f"%@{EMAIL_DOMAIN}")).scalar_subquery()
        db.session.execute(delete(AccessLog).where(AccessLog.user_id.in_(user_ids)))
        db.session.execute(delete(ApiToken).where(ApiToken.user_id.in_(user_ids)))
        db.session.execute(delete(UserSession).where(UserSession.user_id.in_(user_ids)))
        for model in (SecondFactor, RecoveryCode):  # the admins' authenticators (factories)
            db.session.execute(delete(model).where(model.user_id.in_(user_ids)))
        db.session.execute(delete(User).where(User.email.like(f"%@{EMAIL_DOMAIN}")))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def accounts(app):
    """``make(role, agency_slug)`` commits an officer and a token: (user id, email, token)."""
    numbers = iter(range(1, 1000))

    def make(role: str, agency_slug: str | None = None) -> SimpleNamespace:
        with app.app_context():
            user = factories.make_user(role, agency_slug,
                                       email=f"{role}-{next(numbers)}@{EMAIL_DOMAIN}")
            _token, secret = credentials.create_token(user.email, "uji paralel")
            db.session.commit()
            made = SimpleNamespace(id=user.id, email=user.email, token=secret,
                                   bearer={"Authorization": f"Bearer {secret}"})
            db.session.remove()
            return made

    _cleanup(app)  # a crashed earlier run must not leave rows behind
    yield make
    _cleanup(app)


def run_parallel(calls: list[Callable[[], object]], threads: int = 8) -> list:
    """Run ``calls`` on ``threads`` worker threads that start together; their results in order.

    An exception in a call is returned in its place (a thread's exception would be lost).
    """
    results: list = [None] * len(calls)
    start = threading.Barrier(threads)
    lock = threading.Lock()
    pending = iter(range(len(calls)))

    def worker():
        start.wait(timeout=THREAD_TIMEOUT)
        while True:
            with lock:
                index = next(pending, None)
            if index is None:
                return
            try:
                results[index] = calls[index]()
            except Exception as exc:  # noqa: BLE001 - handed back to the test
                results[index] = exc

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=THREAD_TIMEOUT)
    assert not any(t.is_alive() for t in workers), "a request hung"
    return results


def access_log_count(app, user_id: int, what: str | None = None) -> int:
    with app.app_context():
        query = select(db.func.count()).select_from(AccessLog).where(AccessLog.user_id == user_id)
        if what:
            query = query.where(AccessLog.what == what)
        count = db.session.scalar(query)
        db.session.remove()
        return count
