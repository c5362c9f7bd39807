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

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..database import begin_write
from ..extensions import db
from ..models import ApiKey, ApiToken, User
from ..unit_of_work import writes
from . import accounts
from .errors import DomainError, NotFound
from .sessions import TOKEN_CREATED, TOKEN_REFUSED, TOKEN_REVOKED, TOKEN_USED, audit

TOKEN_PREFIX = "trg_"
DEFAULT_TOKEN_DAYS = 90
KEY_PREFIX = "o311_"
LAST_USED_PRECISION = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_lifetime(days: int | None = None) -> timedelta:
    """How long a new token works: ``days``, else TOKEN_LIFETIME_DAYS (90 by default)."""
    if days is None:
        days = int(current_app.config.get("TOKEN_LIFETIME_DAYS", DEFAULT_TOKEN_DAYS))
    if days < 1:
        raise DomainError("A token must live at least one day.", field="days")
    return timedelta(days=days)


def create_token(email: str, name: str | None = None, now: datetime | None = None,
                 days: int | None = None) -> tuple[ApiToken, str]:
    """A token acting as the officer with ``email``, expiring after ``days`` (default
    TOKEN_LIFETIME_DAYS); returns (row, secret shown once). Written to the audit trail."""
    now = now or clock.now()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.is_active:
        raise DomainError(f"No active officer with e-mail {email}.", field="email")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, prefix=secret[:12], token_hash=_digest(secret), name=name,
                     created_at=now, expires_at=now + token_lifetime(days))
    db.session.add(token)
    db.session.flush()
    audit(user.id, TOKEN_CREATED, f"token={token.prefix}; expires={token.expires_at.date()}")
    return token, secret


def is_usable(token: ApiToken, now: datetime) -> bool:
    """Not revoked, not expired, and its officer's account is active."""
    return token.revoked_at is None and now < token.expires_at and token.user.is_active


def refusal_reason(token: ApiToken, now: datetime) -> str | None:
    """Why ``token`` may not be used now ("revoked", "expired", "account_inactive"), or None."""
    if token.revoked_at is not None:
        return "revoked"
    if now >= token.expires_at:
        return "expired"
    if not token.user.is_active:
        return "account_inactive"
    return None


def verify_token(secret: str | None, now: datetime, where: str | None = None) -> User | None:
    """The officer a presented token acts as, or None (unknown, revoked, expired, or an
    inactive account). The expiry is checked on every use.

    Uses go to the owner's audit trail with ``where`` (the method and path, never the query):
    a successful use once per LAST_USED_PRECISION per token (the first request of each
    window; a row per request would make every read of an agency system a write), and every
    refused use of a real token, since a revoked or expired token still being sent is what a
    stolen copy looks like. Unknown secrets are not logged (they name no account).
    """
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None:
        return None
    reason = refusal_reason(token, now)
    if reason is not None:
        begin_write()
        audit(token.user_id, TOKEN_REFUSED, _use_detail(token, where, reason))
        return None
    if _note_use(token, now):
        audit(token.user_id, TOKEN_USED, _use_detail(token, where))
    return token.user


def _use_detail(token: ApiToken, where: str | None, reason: str | None = None) -> str:
    parts = [f"token={token.prefix}"]
    if reason:
        parts.append(reason)
    if where:
        parts.append(where)
    return "; ".join(parts)


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


def _note_use(credential, now: datetime) -> bool:
    """Set ``last_used_at`` when it is older than LAST_USED_PRECISION (True when it was set);
    the unit of work commits.

    Only then does the request write. A request that authenticates with a credential is a
    write transaction from its start (a POST, or a GET view marked ``view_writes``), so
    parallel requests wait for each other instead of failing; :func:`begin_write` here only
    matters for a call outside a request (it then reads the credential again as a writer).
    """
    if not _stale(credential, now):
        return False
    begin_write()
    if _stale(credential, now):  # again: outside a request the credential was read again
        credential.last_used_at = now
        return True
    return False


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
    if model is ApiToken:
        audit(active[0].user_id, TOKEN_REVOKED, f"token={active[0].prefix}; by operator")
    return 1


# --- the tokens page (/petugas/token) ------------------------------------------------------------

def can_revoke(actor: User, token: ApiToken) -> bool:
    """Its owner, or an admin who manages the owner's account (services/accounts.py)."""
    return token.user_id == actor.id or accounts.can_manage(actor, token.user)


def tokens_for(actor: User) -> list[ApiToken]:
    """The tokens ``actor`` may see on the tokens page: their own, and for an admin those of
    the accounts they manage (the national admin: every one); newest first."""
    query = select(ApiToken).options(selectinload(ApiToken.user)).order_by(ApiToken.id.desc())
    if accounts.can_manage_accounts(actor):
        managed = accounts.scoped_accounts_query(actor).with_only_columns(User.id)
        query = query.where((ApiToken.user_id == actor.id) | ApiToken.user_id.in_(managed))
    else:
        query = query.where(ApiToken.user_id == actor.id)
    return [token for token in db.session.scalars(query) if can_revoke(actor, token)]


@writes
def revoke_for(actor: User, token_id: int, now: datetime) -> ApiToken:
    """Revoke token ``token_id`` as ``actor``; NotFound unless :func:`can_revoke` (as if it
    did not exist). Revoking a revoked token changes nothing."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.id == token_id).with_for_update())
    if token is None or not can_revoke(actor, token):
        raise NotFound(_l("Token tidak ditemukan."))
    if token.revoked_at is None:
        token.revoked_at = now
        audit(token.user_id, TOKEN_REVOKED, f"token={token.prefix}; by user={actor.id}")
    return token
