"""Per-account throttling of sign-ins, in addition to the per-address limit (app/ratelimits.py).

Guesses spread over many addresses meet no per-address limit, so failures are also counted per
account name: an HMAC (keyed with the app secret) of the typed e-mail, whether an account has
it or not, so the answers never tell which e-mails exist. After ``LOGIN_THROTTLE_FREE_FAILURES``
failures in a row (5) every further failure blocks sign-in under that name for a growing delay:
``LOGIN_THROTTLE_BASE_SECONDS`` (30), doubled with each failure, never more than
``LOGIN_THROTTLE_MAX_SECONDS`` (300). While blocked, attempts are refused without checking the
password and without counting. A successful sign-in clears the count.

An attacker who keeps an officer's name blocked must not keep the officer out: a browser the
officer signed in with before carries a "known device" cookie (app/staff_session.py), and its
attempts are counted under a key of their own (the e-mail and the device's random nonce). So
the officer's own browser signs in while strangers' guesses are blocked; a stolen laptop gets
no more guesses than anyone else, since its key is throttled the same way.

When throttling starts on an existing account, its owner is told by e-mail
(``account_notices``) and the audit trail records it (services/accounts.py, ``sign_in``).
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, or_, select

from ..extensions import db
from ..models import SignInThrottle

DEFAULT_FREE_FAILURES = 5
DEFAULT_BASE_SECONDS = 30
DEFAULT_MAX_SECONDS = 300
# A count with no failure for this long is forgotten (the tick purges it).
FORGET_AFTER = timedelta(hours=24)


def key_for(email: str, secret: str, device: str | None = None) -> str:
    """The throttle key of a typed e-mail (and of a known device, when one is presented)."""
    name = (email or "").strip().lower()
    if device:
        name += "\x1fdevice:" + device
    return hmac.new(("terang/sign-in-throttle/" + secret).encode(), name.encode(),
                    hashlib.sha256).hexdigest()


def _settings() -> tuple[int, int, int]:
    config = current_app.config
    return (int(config.get("LOGIN_THROTTLE_FREE_FAILURES", DEFAULT_FREE_FAILURES)),
            int(config.get("LOGIN_THROTTLE_BASE_SECONDS", DEFAULT_BASE_SECONDS)),
            int(config.get("LOGIN_THROTTLE_MAX_SECONDS", DEFAULT_MAX_SECONDS)))


def delay_after(failures: int) -> int:
    """Seconds of block after ``failures`` failures in a row (0 while still free)."""
    free, base, cap = _settings()
    if failures < free:
        return 0
    return min(base * 2 ** min(failures - free, 20), cap)


def wait_seconds(key: str, now: datetime) -> int:
    """Whole seconds sign-in under ``key`` stays blocked (0 when it is not)."""
    row = db.session.scalar(select(SignInThrottle).where(SignInThrottle.key == key))
    if row is None or row.blocked_until is None or row.blocked_until <= now:
        return 0
    return max(1, int((row.blocked_until - now).total_seconds() + 0.999))


def record_failure(key: str, now: datetime) -> tuple[int, bool]:
    """Count a failure under ``key``; return (seconds now blocked, whether this failure
    started the throttling)."""
    row = db.session.scalar(select(SignInThrottle).where(SignInThrottle.key == key)
                            .with_for_update())
    if row is None:
        row = SignInThrottle(key=key, failures=0, last_failure_at=now)
        db.session.add(row)
    elif now - row.last_failure_at >= FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    delay = delay_after(row.failures)
    row.blocked_until = now + timedelta(seconds=delay) if delay else None
    db.session.flush()
    free, _base, _cap = _settings()
    return delay, row.failures == free


def clear(key: str) -> None:
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.key == key))


def purge(now: datetime) -> int:
    """Forget counts with no failure for FORGET_AFTER and no block running (the tick)."""
    result = db.session.execute(delete(SignInThrottle).where(and_(
        SignInThrottle.last_failure_at <= now - FORGET_AFTER,
        or_(SignInThrottle.blocked_until.is_(None), SignInThrottle.blocked_until <= now))))
    return result.rowcount or 0
