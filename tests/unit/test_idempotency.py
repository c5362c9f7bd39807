"""idempotency.py: a key answers the same within 24 hours, and is forgotten after them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.database import begin_write
from app.extensions import db
from app.models import IdempotencyRecord
from app.services import idempotency, lifecycle

SECRET = "kunci-rahasia-uji"
T0 = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
ANSWER = {"reference": "LPR-2026-0000001", "tracking_code": "ABCD-EFGH-JKLM", "status": "submitted"}


def _claim(client_key, body_hash, now):
    begin_write()
    return idempotency.claim("uji", client_key, body_hash, SECRET, now)


def _records() -> int:
    return db.session.scalar(select(func.count()).select_from(IdempotencyRecord)
                             .where(IdempotencyRecord.key.like("uji:%")))


def test_within_24_hours_the_first_answer_is_replayed(db_session):
    first = _claim("k1", "hash-a", T0)
    assert first.replay is None
    idempotency.remember(first, None, ANSWER, SECRET)
    db.session.commit()
    assert _claim("k1", "hash-a", T0 + timedelta(hours=23, minutes=59)).replay == ANSWER
    with pytest.raises(idempotency.IdempotencyConflict):
        _claim("k1", "hash-b", T0 + timedelta(hours=23))


@pytest.mark.parametrize("body_hash", ["hash-a", "hash-b"])
def test_after_24_hours_the_key_is_new_and_the_old_answer_gone(db_session, body_hash):
    first = _claim("k2", "hash-a", T0)
    idempotency.remember(first, None, ANSWER, SECRET)
    db.session.commit()
    later = T0 + idempotency.LIFETIME
    again = _claim("k2", body_hash, later)  # not purged yet: still treated as new
    assert again.replay is None
    assert again.record.response_encrypted is None and again.record.created_at == later
    assert again.record.request_hash == body_hash
    assert _records() == 1


def test_the_lifecycle_tick_deletes_expired_records(db_session):
    for n, age in enumerate((timedelta(hours=25), timedelta(hours=24), timedelta(hours=1))):
        claimed = _claim(f"tick-{n}", "hash", T0 - age)
        idempotency.remember(claimed, None, ANSWER, SECRET)
    db.session.commit()
    assert _records() == 3
    summary = lifecycle.tick(T0)
    assert summary.idempotency_purged >= 2 and summary.errors == 0
    left = db.session.scalars(select(IdempotencyRecord.key)
                              .where(IdempotencyRecord.key.like("uji:%"))).all()
    assert left == ["uji:tick-2"]
    assert "expired idempotency keys deleted" in str(summary)
