"""The receipt shown after filing: kept encrypted in the session for a short while.

The tracking code must survive the redirect after the POST (and a reload of the receipt page),
but must not sit in the signed-only session cookie in clear, nor in a URL. It is encrypted with
a key derived from the app secret and dropped after 30 minutes or when the reporter is done.
"""
from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, session

from ... import clock

RECEIPT_KEY = "receipt"
LIFETIME_SECONDS = 30 * 60


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"terang/receipt/v1" + current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def store_receipt(reference: str, code: str) -> None:
    payload = json.dumps({"reference": reference, "code": code}).encode()
    session[RECEIPT_KEY] = _fernet().encrypt_at_time(payload, int(clock.timestamp())).decode()


def read_receipt() -> dict | None:
    token = session.get(RECEIPT_KEY)
    if not token:
        return None
    try:
        return json.loads(_fernet().decrypt_at_time(token.encode(), LIFETIME_SECONDS,
                                                  int(clock.timestamp())))
    except InvalidToken:
        session.pop(RECEIPT_KEY, None)
        return None


def pop_receipt() -> None:
    session.pop(RECEIPT_KEY, None)
