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


@pytest.fixture
def limited_client(app, seeded):
    was_enabled = limiter.enabled
    limited = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_INTAKE": "2 per minute",
        "RATELIMIT_TRACKING": "2 per minute",
        "RATELIMIT_TOKEN": "2 per minute",
    })
    yield limited.test_client()
    # The limiter is one object for the process; leave it as the suite's app expects it.
    limiter.enabled = was_enabled
    with limited.app_context():
        db.engine.dispose()


def _post(client, body, address="203.0.113.7"):
    return client.post("/api/v1/complaints", data=json.dumps(body), content_type="application/json",
                       environ_base={"REMOTE_ADDR": address})


def test_intake_is_limited_per_address_with_retry_after(limited_client):
    assert _post(limited_client, valid()).status_code == 201
    assert _post(limited_client, valid(region="99.99")).status_code == 422  # refused ones count too
    limited = _post(limited_client, valid())
    error = error_of(limited, 429)
    assert error["code"] == "rate_limited"
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
