"""A one-time password on its way from the POST that made it to the page that shows it.

The password must survive the redirect after the POST but must not sit in the signed-only
session cookie in clear, nor in a URL or a log. It is encrypted with a key derived from the
app secret, bound to the account it belongs to, and dropped when it is shown (or after ten
minutes): a reload of the page does not show it again.
"""
from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, session

SESSION_KEY = "one_time_password"
LIFETIME_SECONDS = 10 * 60


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"terang/one-time-password/v1"
                            + current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def keep(user_id: int, password: str) -> None:
    """Hold ``password`` of account ``user_id`` for the next page (and that page only)."""
    payload = json.dumps({"user": user_id, "password": password}).encode()
    session[SESSION_KEY] = _fernet().encrypt(payload).decode()


def take(user_id: int) -> str | None:
    """The password held for account ``user_id``, forgotten as it is read; None if none."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    try:
        held = json.loads(_fernet().decrypt(token.encode(), ttl=LIFETIME_SECONDS))
    except InvalidToken:
        session.pop(SESSION_KEY, None)
        return None
    if held.get("user") != user_id:
        return None
    session.pop(SESSION_KEY, None)
    return held.get("password")
