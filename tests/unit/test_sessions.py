"""services/sessions.py, services/throttle.py and services/passwords.py: the rules alone."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import SignInThrottle, UserSession
from app.services import passwords, sessions, throttle
from tests import factories


@pytest.mark.parametrize("agent, device", [
    ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", ("Samsung Internet", "Android")),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/17.5 Mobile/15E148 Safari/604.1", ("Safari", "iPhone")),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", ("Edge", "Windows")),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0",
     ("Firefox", "macOS")),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36 OPR/115.0.0.0", ("Opera", "Linux")),
    ("", ("", "")), (None, ("", "")), ("sesuatu yang aneh", ("", "")),
])
def test_the_device_is_named_in_plain_words(agent, device):
    assert sessions.describe_device(agent) == device


def test_a_long_header_is_read_in_linear_time():
    assert sessions.describe_device("Chrome/" * 100_000) == ("Chrome", "")


@pytest.fixture
def officer(db_session):
    return factories.make_user("officer", "dinkes-kota-padang")


def test_a_session_is_stored_as_a_hash_and_found_by_its_id(officer):
    now = clock.now()
    token = sessions.open_session(officer, now, "Mozilla/5.0 (Android 14) Firefox/128.0")
    row = db.session.scalar(select(UserSession))
    assert row.token_hash != token and token not in row.token_hash
    assert (row.browser, row.system) == ("Firefox", "Android")
    assert row.expires_at == now + timedelta(hours=12)
    assert sessions.resume(token, now, touch=False) == row
    assert sessions.resume(token + "x", now, touch=False) is None


def test_a_visit_is_noted_at_most_once_a_minute_and_only_in_a_writer(officer):
    now = clock.now()
    token = sessions.open_session(officer, now)
    later = now + timedelta(seconds=59)
    assert sessions.resume(token, later, touch=True).last_seen_at == now
    later = now + timedelta(minutes=5)
    assert sessions.resume(token, later, touch=False).last_seen_at == now
    assert sessions.resume(token, later, touch=True).last_seen_at == later
    assert sessions.touch_due(None, now)
    assert not sessions.touch_due(now.timestamp() - 59, now)
    assert sessions.touch_due(now.timestamp() - 60, now)


def test_expired_sessions_are_purged_and_live_ones_kept(officer):
    now = clock.now()
    idle = sessions.open_session(officer, now - timedelta(minutes=31))
    live = sessions.open_session(officer, now - timedelta(minutes=5))
    assert sessions.purge_expired(now) == 1
    assert sessions.resume(idle, now, touch=False) is None
    assert sessions.resume(live, now, touch=False) is not None
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1


def test_the_delay_grows_from_the_sixth_failure_and_is_capped(app, db_session):
    with app.test_request_context():
        assert [throttle.delay_after(n) for n in range(1, 11)] == [
            0, 0, 0, 0, 30, 60, 120, 240, 300, 300]


def test_throttle_keys_hide_the_email_and_separate_known_devices(app):
    key = throttle.key_for("Rina@Dinkes.test ", "s3cret")
    assert key == throttle.key_for("rina@dinkes.test", "s3cret")
    assert "rina" not in key and key != throttle.key_for("rina@dinkes.test", "other")
    assert key != throttle.key_for("rina@dinkes.test", "s3cret", device="abc")


def test_old_failure_counts_are_forgotten(app, db_session):
    now = clock.now()
    key = throttle.key_for("x@y.test", "s")
    throttle.record_failure(key, now - timedelta(hours=25))
    assert throttle.purge(now) == 1
    assert db.session.scalar(select(func.count()).select_from(SignInThrottle)) == 0


@pytest.mark.parametrize("password, ok", [
    ("kopi tubruk di teras pagi", True),      # spaces are allowed
    ("ꦱꦼꦩꦁꦒꦶ ꦲꦺꦴꦫ ꦏꦼꦤ꧀ꦢꦠ꧀", True),            # any script
    ("Qwerty123456", False), ("qwerty 123456", False),
    ("1234567890", False), ("x" * 201, False),
])
def test_the_password_rule(app, password, ok):
    with app.test_request_context():
        assert (passwords.problem(password) is None) == ok


def test_short_personal_parts_are_not_refused(app):
    assert passwords.personal_parts("Sri Ali Wulandari", "sri.ali@x.test") == [
        "srialiwulandari", "wulandari", "sri.ali"]
