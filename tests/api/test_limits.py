"""Rate limits: intake and tracking per client address, agency systems per token; 429 with Retry-After.

The suite's app runs with RATELIMIT_ENABLED=false (TestingConfig); these tests build a second
app with limits on. ``db.session`` is the test's rolled-back session for both apps.
"""
from __future__ import annotations

import json

import pytest

from app import create_app
from app.extensions import db, limiter
from tests.api.conftest import conforms, error_of
from tests.api.test_intake import valid
from tests.factories import REDIS_TEST_URL, redis_test_client


@pytest.fixture
def limited_client(rate_limited_client, seeded):
    return rate_limited_client(RATELIMIT_INTAKE="2 per minute", RATELIMIT_TRACKING="2 per minute",
                               RATELIMIT_TOKEN="2 per minute")


def _post(client, body, address="203.0.113.7"):
    return client.post("/api/v1/complaints", data=json.dumps(body), content_type="application/json",
                       environ_base={"REMOTE_ADDR": address})


def test_intake_is_limited_per_address_with_retry_after(limited_client):
    assert _post(limited_client, valid()).status_code == 201
    assert _post(limited_client, valid(region="99.99")).status_code == 422  # refused ones count too
    limited = _post(limited_client, valid())
    error = error_of(limited, 429)
    assert error["code"] == "rate_limited"
    assert error["message"] == ("Anda mengirim terlalu banyak permintaan. Tunggu sebentar lalu "
                                "coba lagi.")
    assert int(limited.headers["Retry-After"]) > 0
    conforms(limited, "/api/v1/complaints", "post")
    assert _post(limited_client, valid(), address="198.51.100.9").status_code == 201


def test_tracking_is_limited_per_address(limited_client, seeded):
    headers = seeded.tracking("public")
    for _ in range(2):
        assert limited_client.get("/api/v1/tracking", headers=headers).status_code == 200
    response = limited_client.get("/api/v1/tracking", headers=headers)
    error_of(response, 429)
    assert response.headers["Retry-After"]


def test_agency_systems_are_limited_per_token(limited_client, seeded):
    for _ in range(2):
        assert limited_client.get("/api/v1/inbox", headers=seeded.bearer("officer")).status_code == 200
    error_of(limited_client.get("/api/v1/inbox/LPR-2026-0000001", headers=seeded.bearer("officer")),
             429)
    # Another token has its own budget.
    assert limited_client.get("/api/v1/inbox", headers=seeded.bearer("lebak")).status_code == 200


def test_the_suite_app_has_limits_off(client, seeded):
    for _ in range(12):
        assert _post(client, valid(region="99.99")).status_code == 422


# --- Redis: optional, never required ---------------------------------------------------------------

UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _limited_app(app, storage_uri, **extra):
    return create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": storage_uri,
        "RATELIMIT_TRACKING": "2 per minute",
        "RATELIMIT_TOKEN": "2 per minute",
        **extra,
    })


@pytest.fixture
def restore_limiter(app):
    """The limiter is one object for the process: give it back in-memory storage afterwards."""
    from flask import Flask

    was_enabled = limiter.enabled
    made = []
    yield made
    reset = Flask("limiter-reset")
    reset.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True)
    limiter.init_app(reset)
    limiter.enabled = was_enabled
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def redis_server():
    client = redis_test_client()
    yield client
    client.close()


def test_with_redis_the_limits_are_counted_in_redis(app, seeded, restore_limiter, redis_server):
    import uuid

    prefix = f"terang-test-{uuid.uuid4().hex[:12]}"
    limited = _limited_app(app, REDIS_TEST_URL, RATELIMIT_KEY_PREFIX=prefix)
    restore_limiter.append(limited)
    client = limited.test_client()
    try:
        headers = seeded.tracking("public")
        for _ in range(2):
            assert client.get("/api/v1/tracking", headers=headers).status_code == 200
        response = client.get("/api/v1/tracking", headers=headers)
        error_of(response, 429)
        assert int(response.headers["Retry-After"]) > 0
        assert list(redis_server.scan_iter(f"*{prefix}*")), "the counts are not in Redis"
    finally:
        for key in redis_server.scan_iter(f"*{prefix}*"):
            redis_server.delete(key)


def test_an_unreachable_redis_degrades_to_memory_with_a_warning(app, seeded, restore_limiter,
                                                                 caplog):
    pytest.importorskip("redis")
    limited = _limited_app(app, UNREACHABLE_REDIS_URL)
    restore_limiter.append(limited)
    client = limited.test_client()
    headers = seeded.tracking("public")
    with caplog.at_level("WARNING"):
        first = client.get("/api/v1/tracking", headers=headers)
    assert first.status_code == 200
    assert conforms(client.get("/api/v1/complaints"), "/api/v1/complaints")["total"] >= 1
    assert any("fall" in record.getMessage().lower() and record.levelname == "WARNING"
               for record in caplog.records), [r.getMessage() for r in caplog.records]
    # The limits still hold, counted in memory.
    statuses = [client.get("/api/v1/tracking", headers=headers).status_code for _ in range(3)]
    assert 429 in statuses and 500 not in statuses


def test_the_configured_redis_url_is_the_limit_storage(tmp_path):
    """REDIS_URL in the environment: the app starts and answers (no crash at start-up)."""
    import os
    import subprocess
    import sys

    pytest.importorskip("redis")
    script = ("from app import create_app\n"
              "app = create_app('development')\n"
              "print(app.config['RATELIMIT_STORAGE_URI'])\n"
              "print(app.test_client().get('/api/v1/tracking').status_code)\n")
    env = {**os.environ, "REDIS_URL": UNREACHABLE_REDIS_URL, "TERANG_INSTANCE_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'terang.db'}", "SECRET_KEY": "uji"}
    env.pop("TERANG_CONFIG", None)
    env.pop("FLASK_ENV", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=120, cwd=os.path.dirname(os.path.dirname(os.path.dirname(
                              os.path.abspath(__file__)))))
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == [UNREACHABLE_REDIS_URL, "401"]  # answered, not a 500
