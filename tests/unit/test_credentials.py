"""credentials.py: revoking needs the whole shown prefix (or the secret), never a start of one."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ApiKey, ApiToken
from app.services import credentials
from app.services.errors import DomainError
from tests import factories

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def tokens(db_session):
    made = []
    for _ in range(3):
        user = factories.make_user("officer", "dinkes-kota-padang")
        made.append(credentials.create_token(user.email))
    db.session.flush()
    return made


def _active(model) -> int:
    return len(db.session.scalars(select(model).where(model.revoked_at.is_(None))).all())


@pytest.mark.parametrize("given", ["trg_", "trg", "", "   ", "trg_%", "trg____", "%", "_"])
def test_a_start_of_a_prefix_revokes_nothing(tokens, given):
    before = _active(ApiToken)
    with pytest.raises(DomainError, match="whole token prefix"):
        credentials.revoke(ApiToken, given, NOW)
    assert _active(ApiToken) == before


def test_the_whole_prefix_revokes_exactly_that_token(tokens):
    (first, secret), *others = tokens
    before = _active(ApiToken)
    assert credentials.revoke(ApiToken, first.prefix, NOW) == 1
    assert first.revoked_at == NOW and all(t.revoked_at is None for t, _s in others)
    assert _active(ApiToken) == before - 1
    assert credentials.verify_token(secret, NOW) is None
    with pytest.raises(DomainError, match="already revoked"):
        credentials.revoke(ApiToken, first.prefix, NOW)


def test_wildcards_in_a_prefix_are_ordinary_characters(tokens):
    (first, _secret), *_ = tokens
    pattern = first.prefix[:-2] + "__"
    with pytest.raises(DomainError, match="No token"):
        credentials.revoke(ApiToken, pattern, NOW)
    assert first.revoked_at is None


def test_a_shared_prefix_is_refused_and_the_whole_secret_resolves_it(tokens):
    (first, _a), (second, second_secret), _third = tokens
    second.prefix = first.prefix  # a chance collision of the 8 random characters
    db.session.flush()
    with pytest.raises(DomainError, match="2 active tokens share"):
        credentials.revoke(ApiToken, first.prefix, NOW)
    assert first.revoked_at is None and second.revoked_at is None
    assert credentials.revoke(ApiToken, second_secret, NOW) == 1
    assert second.revoked_at == NOW and first.revoked_at is None


def test_a_key_prefix_does_not_revoke_a_token_and_keys_follow_the_same_rule(tokens):
    key, key_secret = credentials.create_api_key("Gateway uji")
    (token, _secret), *_ = tokens
    with pytest.raises(DomainError):
        credentials.revoke(ApiToken, key.prefix, NOW)
    with pytest.raises(DomainError, match="whole key prefix"):
        credentials.revoke(ApiKey, "o311_", NOW)
    with pytest.raises(DomainError):
        credentials.revoke(ApiKey, token.prefix, NOW)
    assert credentials.revoke(ApiKey, key.prefix, NOW) == 1
    assert credentials.verify_api_key(key_secret, NOW) is None


def test_the_cli_refuses_a_short_prefix_and_revokes_a_whole_one(app, tokens):
    (first, _secret), (second, _s2), _third = tokens
    db.session.commit()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["tokens", "revoke", "trg_"])
    assert refused.exit_code != 0 and "whole token prefix" in refused.output
    assert _active(ApiToken) >= 3
    done = runner.invoke(args=["tokens", "revoke", first.prefix])
    assert done.exit_code == 0, done.output
    assert f"Token {first.prefix} revoked." in done.output
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.revoked_at is not None and second.revoked_at is None
    key, _key_secret = credentials.create_api_key("Chatbot uji")
    db.session.commit()
    assert runner.invoke(args=["apikeys", "revoke", "o311_"]).exit_code != 0
    assert runner.invoke(args=["apikeys", "revoke", key.prefix]).exit_code == 0


def test_the_cli_lists_every_token_and_key_oldest_first(app, tokens):
    key, _key_secret = credentials.create_api_key("Gerbang SMS uji")
    db.session.commit()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["tokens", "list"])
    assert listed.exit_code == 0, listed.output
    lines = [line for line in listed.output.splitlines()
             if line.split()[0] in {t.prefix for t, _s in tokens}]
    assert [line.split()[0] for line in lines] == [t.prefix for t, _s in tokens]
    keys = runner.invoke(args=["apikeys", "list"])
    assert keys.exit_code == 0 and key.prefix in keys.output and "Gerbang SMS uji" in keys.output
