"""Rate limits of the HTML forms: failed sign-ins, codes not found and filed reports are limited
per client address; the refused form comes back as typed, with how long to wait and Retry-After.

The suite's app runs with RATELIMIT_ENABLED=false; these tests build a second app with limits
on (as tests/api/test_limits.py does). ``db.session`` is the test's rolled-back session for both.
"""
from __future__ import annotations

import pytest

from app.extensions import db
from app import clock
from tests import factories
from tests.factories import HTMLPage, csrf_from

pytestmark = pytest.mark.usefixtures("fresh_g")


@pytest.fixture
def limited(rate_limited_client, db_session):
    return rate_limited_client(RATELIMIT_LOGIN="2 per minute", RATELIMIT_TRACKING="2 per minute",
                               RATELIMIT_INTAKE="2 per minute")


def _post(client, path, data, address="203.0.113.7"):
    token = csrf_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def _summary(response) -> str:
    return " ".join(HTMLPage(response.get_data(as_text=True)).by_id("error-summary").text.split())


def test_failed_sign_ins_are_limited_and_the_email_is_kept(limited, db_session):
    factories.make_user("officer", "dinkes-kota-padang", email="rina@dinkes.test", password="benar-sekali-123")
    db.session.commit()
    wrong = {"email": "rina@dinkes.test", "password": "salah"}
    for _ in range(2):
        assert _post(limited, "/petugas/masuk", wrong).status_code == 422
    refused = _post(limited, "/petugas/masuk", {"email": "rina@dinkes.test", "password": "benar-sekali-123"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Terlalu banyak percobaan masuk" in _summary(refused)
    page = HTMLPage(refused.get_data(as_text=True))
    assert page.by_id("email").get("value") == "rina@dinkes.test"
    assert not page.by_id("password").get("value")
    # Another address is not affected.
    assert _post(limited, "/petugas/masuk", {"email": "rina@dinkes.test", "password": "benar-sekali-123"},
                 address="198.51.100.9").status_code == 303


def test_a_successful_sign_in_does_not_count(limited, db_session):
    factories.make_user("officer", "dinkes-kota-padang", email="budi@dinkes.test", password="benar-sekali-123")
    db.session.commit()
    for _ in range(3):
        assert _post(limited, "/petugas/masuk",
                     {"email": "budi@dinkes.test", "password": "benar-sekali-123"}).status_code == 303
        dashboard = limited.get("/petugas/masuk", follow_redirects=True).get_data(as_text=True)
        assert limited.post("/petugas/keluar", data={"csrf_token": csrf_from(dashboard)},
                            environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code in (302, 303)


def test_codes_not_found_are_limited(limited, db_session):
    for _ in range(2):
        assert _post(limited, "/lacak", {"tracking_code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 422
    refused = _post(limited, "/lacak", {"tracking_code": "AAAA-BBBB-CCCC-DDDD"})
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]
    assert "Terlalu banyak kode yang tidak ditemukan" in _summary(refused)
    # The guessed code is not echoed back.
    assert "AAAA-BBBB-CCCC-DDDD" not in refused.get_data(as_text=True)


def test_filed_reports_are_limited_but_refining_and_errors_are_not(limited, db_session):
    today = clock.today().isoformat()
    for _ in range(3):  # the no-JavaScript refine buttons post the form too: never limited
        assert _post(limited, "/lapor", {"action": "refine", "province": "13"}).status_code == 200
    assert _post(limited, "/lapor", factories.form_data(title="")).status_code == 422
    for _ in range(2):
        assert _post(limited, "/lapor", factories.form_data(incident_date=today)).status_code == 303
    refused = _post(limited, "/lapor", factories.form_data(title="Lampu jalan padam sepekan",
                                                           incident_date=today))
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Terlalu banyak laporan terkirim" in _summary(refused)
    page = HTMLPage(refused.get_data(as_text=True))
    assert page.by_id("title").get("value") == "Lampu jalan padam sepekan"
    assert "lubang besar" in page.by_id("body").text


def test_the_receipt_pdf_counts_guessed_codes_with_the_tracking_form(limited, db_session):
    """POST /lapor/tanda-terima.pdf checks a tracking code: a guess there counts like one at
    /lacak, in the same bucket, so the PDF route is no way round the limit."""
    assert _post(limited, "/lacak", {"tracking_code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 422
    token = csrf_from(limited.get("/lacak").get_data(as_text=True))
    guess = {"tracking_code": "EEEE-FFFF-GGGG-HHHH", "reference": "LPR-2026-0000001",
             "csrf_token": token}

    def pdf():
        return limited.post("/lapor/tanda-terima.pdf", data=guess,
                            environ_base={"REMOTE_ADDR": "203.0.113.7"})

    assert pdf().status_code == 404
    refused = pdf()
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Terlalu banyak kode yang tidak ditemukan" in refused.get_data(as_text=True)
    assert "EEEE-FFFF-GGGG-HHHH" not in refused.get_data(as_text=True)
    # /lacak is refused too: one bucket
    assert _post(limited, "/lacak", {"tracking_code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 429


def test_with_redis_down_limits_count_in_memory_and_pages_stay_fast(app, db_session):
    """REDIS_URL set but nothing answers there: no 500, no hanging request; the limiter counts
    in the worker's memory (looser with several workers, never off) until Redis is back."""
    import socket
    import time

    from app import create_app
    from app.extensions import limiter

    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    was_enabled = limiter.enabled
    limited = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "RATELIMIT_ENABLED": True,
        "RATELIMIT_TRACKING": "2 per minute",
        "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{port}/0"})
    try:
        client = limited.test_client()
        started = time.monotonic()
        answers = [_post(client, "/lacak", {"tracking_code": "AAAA-BBBB-CCCC-DDDD"}).status_code
                   for _ in range(3)]
        assert answers == [422, 422, 429]
        assert time.monotonic() - started < 10  # a refused connection never waits long
    finally:
        # The limiter is one object for the process: back on memory storage, and no longer
        # "dead" (under the frozen clock it would never look at its storage again).
        memory = create_app("testing", {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "RATELIMIT_ENABLED": True})
        limiter._storage_dead = False
        limiter.reset()
        limiter.enabled = was_enabled
        with memory.app_context():
            db.engine.dispose()
        with limited.app_context():
            db.engine.dispose()
