"""API credentials: agency-system bearer tokens and Open311 partner keys.

A credential is 32 random bytes shown once; only its SHA-256 is stored (a fast hash is right
here: the secret has 256 bits of entropy, unlike a password). Revoked credentials stop working
at once.

``last_used_at`` is kept to the nearest few minutes (``LAST_USED_PRECISION``): writing it on
every request would turn every read of an agency system into a write, and on SQLite queue the
readers behind the one write lock.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..database import begin_write
from ..extensions import db
from ..models import ApiKey, ApiToken, User
from .errors import DomainError

TOKEN_PREFIX = "trg_"
KEY_PREFIX = "o311_"
LAST_USED_PRECISION = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(email: str, name: str | None = None) -> tuple[ApiToken, str]:
    """A token acting as the officer with ``email``; returns (row, secret shown once)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.is_active:
        raise DomainError(f"No active officer with e-mail {email}.", field="email")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, prefix=secret[:12], token_hash=_digest(secret), name=name)
    db.session.add(token)
    db.session.flush()
    return token, secret


def verify_token(secret: str | None, now: datetime) -> User | None:
    """The officer a presented token acts as, or None (unknown, revoked, or inactive user)."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    _note_use(token, now)
    return token.user


def create_api_key(name: str) -> tuple[ApiKey, str]:
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name.strip(), prefix=secret[:12], key_hash=_digest(secret))
    db.session.add(key)
    db.session.flush()
    return key, secret


def verify_api_key(secret: str | None, now: datetime) -> ApiKey | None:
    if not secret:
        return None
    key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == _digest(secret)))
    if key is None or key.revoked_at is not None:
        return None
    _note_use(key, now)
    return key


def _stale(credential, now: datetime) -> bool:
    last = credential.last_used_at
    return last is None or now - last >= LAST_USED_PRECISION


def _note_use(credential, now: datetime) -> None:
    """Set ``last_used_at`` when it is older than LAST_USED_PRECISION; the unit of work commits.

    Only then does the request write. A request that authenticates with a credential is a
    write transaction from its start (a POST, or a GET view marked ``view_writes``), so
    parallel requests wait for each other instead of failing; :func:`begin_write` here only
    matters for a call outside a request (it then reads the credential again as a writer).
    """
    if not _stale(credential, now):
        return
    begin_write()
    if _stale(credential, now):  # again: outside a request the credential was read again
        credential.last_used_at = now


PREFIX_LENGTH = 12  # the characters of a secret that are stored and shown (``tokens list``)


def listing(model) -> list:
    """Every credential of ``model`` (``ApiToken`` or ``ApiKey``), oldest first, revoked ones
    included (``flask tokens list``, ``flask apikeys list``)."""
    return list(db.session.scalars(select(model).order_by(model.id)))


def _kind(model) -> tuple[str, str]:
    """(name, type prefix) of a credential model, for messages."""
    return ("token", TOKEN_PREFIX) if model is ApiToken else ("key", KEY_PREFIX)


def revoke(model, prefix: str, now: datetime) -> int:
    """Revoke the one active credential whose shown prefix is exactly ``prefix``; returns 1.

    ``prefix`` is the whole prefix as listed (12 characters, e.g. ``trg_AbCd1234``) or the whole
    secret. Anything shorter is refused, never taken as the start of a prefix (``trg_`` would
    match every token, and ``_`` or ``%`` are ordinary characters here); so is a prefix that
    more than one active credential shares (give the whole secret then). DomainError otherwise,
    with a message that says what to do.
    """
    name, type_prefix = _kind(model)
    given = (prefix or "").strip()
    digest_column = model.token_hash if model is ApiToken else model.key_hash
    if len(given) > PREFIX_LENGTH and given.startswith(type_prefix):
        rows = db.session.scalars(select(model).where(digest_column == _digest(given))).all()
    elif len(given) == PREFIX_LENGTH and given.startswith(type_prefix):
        rows = db.session.scalars(select(model).where(model.prefix == given)).all()
    else:
        raise DomainError(f"Give the whole {name} prefix as listed ({PREFIX_LENGTH} characters, "
                          f"starting with {type_prefix}) or the whole secret; "
                          f"{given!r} is not one.", field="prefix")
    active = [row for row in rows if row.revoked_at is None]
    if not active:
        if rows:
            raise DomainError(f"The {name} {given[:PREFIX_LENGTH]} is already revoked.",
                              field="prefix")
        raise DomainError(f"No {name} has the prefix {given[:PREFIX_LENGTH]}.", field="prefix")
    if len(active) > 1:
        raise DomainError(f"{len(active)} active {name}s share the prefix {given}; nothing was "
                          f"revoked. Give the whole secret of the one to revoke.", field="prefix")
    active[0].revoked_at = now
    return 1
