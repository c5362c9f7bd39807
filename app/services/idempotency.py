"""Idempotent intake: the same ``Idempotency-Key`` returns the same report, never a second one.

The record is claimed inside the intake's write transaction: on PostgreSQL a parallel retry
blocks on the unique key until the first transaction commits, then reads its answer; on
SQLite the write transaction is exclusive already. A key reused with a different body is a
client error (422). Answers are kept encrypted (they carry the tracking code) and purged after
``LIFETIME``.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet
from sqlalchemy import bindparam, delete, select, update

from ..database import ignoring_insert
from ..extensions import db
from ..models import IdempotencyRecord
from .errors import DomainError

LIFETIME = timedelta(hours=24)


class IdempotencyConflict(DomainError):
    """The key was used before with a different request body."""


@dataclass(frozen=True)
class Claim:
    record: "Record"
    replay: dict | None  # the stored answer, when this is a retry


@dataclass
class Record:
    """An idempotency record's stored values (read and written with Core statements, built
    once: a filing claims and answers one inside its write transaction)."""

    key: str
    request_hash: str
    report_id: int | None
    response_encrypted: str | None
    created_at: datetime


_RECORDS = IdempotencyRecord.__table__
_READ = (select(_RECORDS.c.key, _RECORDS.c.request_hash, _RECORDS.c.report_id,
                _RECORDS.c.response_encrypted, _RECORDS.c.created_at)
         .where(_RECORDS.c.key == bindparam("record_key")).with_for_update())
_RENEW = (update(_RECORDS).where(_RECORDS.c.key == bindparam("record_key"))
          .values(request_hash=bindparam("new_hash"), report_id=None, response_encrypted=None,
                  created_at=bindparam("new_created_at")))
_ANSWER = (update(_RECORDS).where(_RECORDS.c.key == bindparam("record_key"))
           .values(report_id=bindparam("new_report_id"),
                   response_encrypted=bindparam("new_response")))


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"terang/idempotency/v1" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def request_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def expired(record, now: datetime) -> bool:
    """True once the record is older than LIFETIME: its key is free again."""
    return record.created_at <= now - LIFETIME


def claim(scope: str, client_key: str, body_hash: str, secret_key: str, now: datetime) -> Claim:
    """Take the key for this request, or find the earlier answer. Call inside begin_write().

    A record older than ``LIFETIME`` counts as absent, whether or not the lifecycle tick has
    purged it yet: the key is taken afresh and the old answer (with its tracking code) dropped.
    """
    key = f"{scope}:{client_key}"[:255]
    taken = db.session.execute(ignoring_insert(IdempotencyRecord),
                               {"key": key, "request_hash": body_hash, "created_at": now})
    if taken.rowcount == 1:  # a new key (every first sending): nothing to read back
        return Claim(Record(key, body_hash, None, None, now), None)
    record = Record(**db.session.execute(_READ, {"record_key": key}).mappings().one())
    if expired(record, now):
        db.session.execute(_RENEW, {"record_key": key, "new_hash": body_hash,
                                    "new_created_at": now})
        return Claim(Record(key, body_hash, None, None, now), None)
    if record.request_hash != body_hash:
        raise IdempotencyConflict("Idempotency-Key ini sudah dipakai untuk permintaan lain.",
                                  field="Idempotency-Key")
    if record.response_encrypted:
        answer = json.loads(_fernet(secret_key).decrypt(record.response_encrypted.encode()))
        return Claim(record, answer)
    return Claim(record, None)


def remember(claimed: Claim, report_id: int, answer: dict, secret_key: str) -> None:
    record = claimed.record
    record.report_id = report_id
    record.response_encrypted = _fernet(secret_key).encrypt(json.dumps(answer).encode()).decode()
    db.session.execute(_ANSWER, {"record_key": record.key, "new_report_id": report_id,
                                 "new_response": record.response_encrypted})


def purge(now: datetime) -> int:
    """Delete the records older than LIFETIME (run by the lifecycle tick); the caller commits."""
    result = db.session.execute(delete(IdempotencyRecord)
                                .where(IdempotencyRecord.created_at <= now - LIFETIME))
    return result.rowcount or 0
