"""Production refuses what only makes sense in development: demo data with a published password,
and pages without HSTS (issue "Accounts a government can trust")."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Report, User


@pytest.fixture
def production_app(app):
    """A production-configured app on the suite's database."""
    made = create_app("production", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "SECRET_KEY": "p" * 48,
        "RATELIMIT_ENABLED": False})
    yield made
    with made.app_context():
        db.engine.dispose()


def _counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Report)),
                db.session.scalar(select(func.count()).select_from(User)))


# The production app's CLI must run in the production app's context (the commands read
# current_app), not in the suite's: these tests take no db_session and push their own. The
# refusal writes nothing, and the seeding itself is replaced.


def test_demo_seed_is_refused_in_production_and_says_why(production_app):
    before = _counts(production_app)
    with production_app.app_context():
        result = production_app.test_cli_runner().invoke(args=["demo", "seed", "--complaints", "5"])
    assert result.exit_code == 1
    assert "refused in production" in result.output
    assert "--i-know-this-is-production" in result.output
    assert "flask reference load" in result.output
    assert _counts(production_app) == before


def test_with_the_flag_the_demo_accounts_get_a_random_password_shown_once(
        production_app, monkeypatch):
    from app.demo import seeding

    used = []
    monkeypatch.setattr(seeding, "has_reports", lambda: False)
    monkeypatch.setattr(seeding, "seed", lambda **kw: used.append(kw["password"]) or "seeded")
    runner = production_app.test_cli_runner()
    context = production_app.app_context()
    context.push()
    result = runner.invoke(args=["demo", "seed", "--i-know-this-is-production"])
    assert result.exit_code == 0, result.output
    password = used[0]
    assert password != production_app.config["DEMO_PASSWORD"] and len(password) >= 20
    assert result.output.count(password) == 1
    again = runner.invoke(args=["demo", "seed", "--i-know-this-is-production"])
    assert used[1] != password  # never the same twice
    monkeypatch.setattr(seeding, "describe_logins", lambda shown: f"password: {shown}")
    logins = runner.invoke(args=["demo", "logins"])
    assert production_app.config["DEMO_PASSWORD"] not in logins.output and password not in logins.output
    context.pop()
    assert again.exit_code == 0


def test_development_still_seeds_with_the_documented_password(app, db_session, monkeypatch):
    from app.demo import seeding

    used = []
    monkeypatch.setattr(seeding, "has_reports", lambda: False)
    monkeypatch.setattr(seeding, "seed", lambda **kw: used.append(kw["password"]) or "seeded")
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0 and used == [app.config["DEMO_PASSWORD"]]


def test_production_pages_carry_hsts(production_app):
    response = production_app.test_client().get("/", base_url="https://terang.test")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_development_and_tests_send_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


# Limits that hold (issue 13): several workers must share the rate limits' counts.

def _limits_config(**overrides):
    return {"ENVIRONMENT": "production", "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://", **overrides}


def test_production_refuses_several_workers_with_limits_in_memory_and_says_what_to_set():
    from app.ratelimits import UnsharedLimits, refuse_unshared_limits

    with pytest.raises(UnsharedLimits) as refused:
        refuse_unshared_limits(_limits_config(), workers=4)
    message = str(refused.value)
    assert "refusing to start 4 workers" in message
    assert "REDIS_URL" in message and "WEB_CONCURRENCY=1" in message


@pytest.mark.parametrize("config, workers", [
    (_limits_config(), 1),                                                   # one worker: one count
    (_limits_config(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0"), 8),   # shared
    (_limits_config(ENVIRONMENT="development"), 4),                          # not production
    (_limits_config(RATELIMIT_ENABLED=False), 4),                            # nothing is counted
])
def test_what_production_accepts(config, workers):
    from app.ratelimits import refuse_unshared_limits

    refuse_unshared_limits(config, workers=workers)


def test_outside_gunicorn_the_app_factory_has_no_workers_to_check(app):
    """CLI commands (flask db upgrade, backup …) build the production app without REDIS_URL."""
    made = create_app("production", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "SECRET_KEY": "p" * 48,
        "RATELIMIT_ENABLED": True})
    assert made.config["RATELIMIT_STORAGE_URI"] == "memory://"
    with made.app_context():
        db.engine.dispose()
