"""An API token's use is in its owner's audit trail: once per few minutes when it works, every
time when a real token is refused (revoked, expired, inactive account): docs/security.md."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AccessLog, ApiToken
from app.services import credentials
from tests.api.conftest import error_of

INBOX = "/api/v1/inbox"


def trail(user) -> list[tuple[str, str]]:
    return [(row.what, row.detail or "") for row in db.session.scalars(
        select(AccessLog).where(AccessLog.user_id == user.id,
                                AccessLog.what.in_(("token_use", "token_refused")))
        .order_by(AccessLog.id))]


def test_a_working_token_is_audited_once_per_window_with_method_and_path_but_no_query(
        client, seeded, frozen_clock):
    officer = seeded.users["officer"]
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == officer.id))
    for _ in range(3):
        assert client.get(f"{INBOX}?q=rahasia+pelapor", headers=seeded.bearer("officer")).status_code == 200
    rows = trail(officer)
    assert rows == [("token_use", f"token={token.prefix}; GET {INBOX}")]
    assert "rahasia" not in rows[0][1]

    frozen_clock.shift(credentials.LAST_USED_PRECISION + timedelta(seconds=1))
    assert client.get(INBOX, headers=seeded.bearer("officer")).status_code == 200
    assert [what for what, _ in trail(officer)] == ["token_use", "token_use"]


def test_a_revoked_token_still_being_sent_is_audited_each_time(client, seeded):
    officer = seeded.users["officer"]
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == officer.id))
    token.revoked_at = clock.now()
    db.session.commit()
    for _ in range(2):
        error_of(client.get(INBOX, headers=seeded.bearer("officer")), 401)
    db.session.expire_all()
    assert trail(officer) == [("token_refused", f"token={token.prefix}; revoked; GET {INBOX}")] * 2


def test_an_expired_token_is_audited_as_expired(client, seeded, frozen_clock):
    officer = seeded.users["officer"]
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == officer.id))
    frozen_clock.move_to(token.expires_at)
    error_of(client.get(INBOX, headers=seeded.bearer("officer")), 401)
    db.session.expire_all()
    assert trail(officer) == [("token_refused", f"token={token.prefix}; expired; GET {INBOX}")]


def test_an_unknown_token_names_no_account_and_writes_nothing(client, seeded):
    before = db.session.scalar(select(AccessLog.id).order_by(AccessLog.id.desc()).limit(1))
    error_of(client.get(INBOX, headers={"Authorization": "Bearer trg_tidak-ada-token-seperti-ini"}), 401)
    after = db.session.scalar(select(AccessLog.id).order_by(AccessLog.id.desc()).limit(1))
    assert after == before
