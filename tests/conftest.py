"""Test fixtures: one migrated database per run, every test in a rolled-back transaction.

The database is SQLite in a temporary file by default; set ``TEST_DATABASE_URL`` (or
``DATABASE_URL``) to a PostgreSQL database to run the same suite there (``.ci/run`` does).
The schema comes from the migrations (``flask db upgrade``), not from ``create_all``, so every
run also proves the migrations build what the models say.

Every test runs at a frozen instant, never at the day it happens to run: the suite's default,
``SUITE_NOW`` (``TERANG_TEST_NOW`` moves it; CI runs the suite a second time years ahead), or
the test's own, given with ``@pytest.mark.frozen_at("2026-11-24T10:00:00+07:00")`` (or a
module's ``pytestmark``). The application reads time only through ``app.clock``; time-machine
freezes the process clock as well, so what the seam does not reach (cookie expiry, the rate
limiter's windows, Fernet, WeasyPrint) sees the same instant. A test moves time with the
``frozen_clock`` fixture (``frozen_clock.shift(timedelta(minutes=31))``).
"""
from __future__ import annotations

import os
import re
from datetime import datetime

import pytest
import time_machine
from hypothesis import settings as hypothesis_settings
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.extensions import db
from tests import factories


# CI runs property tests on a fixed set of examples so that a landing never depends on luck;
# developers' runs keep exploring new examples (and hypothesis remembers failures locally).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


# The suite's instant: a Tuesday, a working day, mid-morning in Jakarta (far from midnight in both
# UTC and WIB). Tests must pass at any instant the ``holidays`` package covers; .ci/run proves it
# with TERANG_TEST_NOW set years ahead, inside a Lebaran season.
DEFAULT_NOW = "2026-11-24T10:00:00+07:00"


def instant(text: str) -> datetime:
    """An ISO 8601 instant with its offset (a naive one would mean the machine's zone)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r}: give the UTC offset, e.g. 2026-11-24T10:00:00+07:00")
    return moment


SUITE_NOW = instant(os.environ.get("TERANG_TEST_NOW") or DEFAULT_NOW)
_suite_clock = time_machine.travel(SUITE_NOW, tick=False)


def pytest_configure(config):
    # Frozen before the test modules are imported, so module-level dates derive from SUITE_NOW.
    _suite_clock.start()


def pytest_unconfigure(config):
    _suite_clock.stop()


def pytest_report_header(config):
    return f"frozen clock: {SUITE_NOW.isoformat()} (TERANG_TEST_NOW moves it)"


@pytest.fixture(autouse=True)
def frozen_clock(request):
    """The test's frozen instant (its ``frozen_at`` marker, else SUITE_NOW); ``.shift()`` and
    ``.move_to()`` move it within the test."""
    marker = request.node.get_closest_marker("frozen_at")
    moment = instant(marker.args[0]) if marker else SUITE_NOW
    with time_machine.travel(moment, tick=False) as traveller:
        yield traveller


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "terang-test.db")


def _reset_database(app) -> None:
    """Start from an empty schema (a reused PostgreSQL database may hold an old run)."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    upload_dir = tmp_path_factory.mktemp("uploads")
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": __import__("config").normalise_database_url(
            _database_url(tmp_path_factory)),
        "UPLOAD_FOLDER": str(upload_dir),
    })
    with app.app_context():
        _reset_database(app)
        upgrade()
        factories.reference_data()  # regions, and a few agencies and categories
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # close pooled connections before the interpreter does


@pytest.fixture
def db_session(app):
    """A session whose work is rolled back after the test, commits included (savepoints)."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(sessionmaker(bind=connection,
                                                 join_transaction_mode="create_savepoint"))
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


@pytest.fixture
def csrf(client):
    """A valid CSRF token for this client's session."""
    def _token(path: str = "/lapor") -> str:
        return csrf_token_from(client.get(path).get_data(as_text=True))
    return _token


@pytest.fixture
def fresh_g(app):
    """Give every request of the test its own ``flask.g``, as in production.

    ``db_session`` keeps an app context pushed for the whole test, and the test client reuses it,
    so without this a flag one request sets on ``g`` (``varies_on_htmx`` …)
    would still be set for the next request and make header checks pass for the wrong reason.
    """
    from flask import g, request_started

    def _clear(_sender, **_extra):
        g.__dict__.clear()

    request_started.connect(_clear, app)
    yield
    request_started.disconnect(_clear, app)


@pytest.fixture
def rate_limited_client(app):
    """``make(**limits)``: a client of a second app on the same database with rate limits on
    (the suite's app runs with RATELIMIT_ENABLED=false), e.g. ``make(RATELIMIT_LOGIN="2 per
    minute")``. The limiter is one object for the process: its counters are cleared before and
    after, and its switch is left as the suite's app expects it."""
    from app.extensions import limiter

    was_enabled, made = limiter.enabled, []

    def make(**limits):
        limited = create_app("testing", {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "RATELIMIT_ENABLED": True, **limits})
        made.append(limited)
        limiter.reset()
        return limited.test_client()

    yield make
    limiter.reset()
    limiter.enabled = was_enabled
    for limited in made:
        with limited.app_context():
            db.engine.dispose()
