"""services/second_factor.py: who needs a factor, enrolment, codes (window, replay, recovery),
throttling, removal and the admin's reset."""
from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import AccessLog, RecoveryCode, SecondFactor, UserSession
from app.services import accounts, second_factor, sessions
from app.services.errors import FieldErrors, NotFound, TransitionRefused
from tests import factories


def _events(user, what) -> list[AccessLog]:
    return list(db.session.scalars(select(AccessLog).where(AccessLog.user_id == user.id,
                                                           AccessLog.what == what)))


def _enrol(user, now=None):
    """Enrol through the service; return (secret, recovery codes)."""
    now = now or clock.now()
    enrolment = second_factor.begin_enrolment(user, now)
    codes = second_factor.confirm_enrolment(user, pyotp.TOTP(enrolment.secret).at(now), now)
    return enrolment.secret, codes


@pytest.mark.parametrize("role,required", [("national_admin", True), ("agency_admin", True),
                                           ("oversight", True), ("officer", False)])
def test_which_roles_must_have_a_factor(db_session, role, required):
    user = factories.make_user(role, "dinkes-kota-padang" if role in ("agency_admin", "officer")
                               else None, second_factor=False)
    assert second_factor.is_required(user) is required
    assert second_factor.step_after_password(user) == (sessions.PENDING_ENROL if required else None)
    factories.enrol_second_factor(user)
    assert second_factor.step_after_password(user) == sessions.PENDING_CODE


def test_the_roles_are_a_setting(app, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "SECOND_FACTOR_ROLES", ("national_admin",))
    assert not second_factor.is_required(factories.make_user("oversight", second_factor=False))
    assert second_factor.is_required(factories.make_user("national_admin", second_factor=False))


def test_enrolment_keeps_its_secret_encrypted_and_the_same_until_confirmed(db_session):
    user = factories.make_user("national_admin", second_factor=False)
    now = clock.now()
    first = second_factor.begin_enrolment(user, now)
    assert len(first.secret) == 32 and first.secret_groups[0] == first.secret[:4]
    assert first.uri.startswith("otpauth://totp/Terang:") and "issuer=Terang" in first.uri
    assert first.qr_svg.startswith("<svg") and "qr-code" in first.qr_svg
    assert second_factor.begin_enrolment(user, now + timedelta(minutes=5)).secret == first.secret
    [row] = db.session.scalars(select(SecondFactor).where(SecondFactor.user_id == user.id))
    assert first.secret not in row.secret and row.confirmed_at is None
    assert not second_factor.has_factor(user)
    # An enrolment left for more than an hour starts again with a new secret.
    later = second_factor.begin_enrolment(user, now + timedelta(hours=2))
    assert later.secret != first.secret
    assert db.session.scalar(select(func.count()).select_from(SecondFactor).where(
        SecondFactor.user_id == user.id)) == 1


def test_confirming_needs_a_right_code_and_gives_ten_recovery_codes(db_session):
    user = factories.make_user("agency_admin", "dinkes-kota-padang", second_factor=False)
    now = clock.now()
    enrolment = second_factor.begin_enrolment(user, now)
    with pytest.raises(FieldErrors) as refused:
        second_factor.confirm_enrolment(user, "123", now)
    assert "code" in refused.value.errors and not second_factor.has_factor(user)
    codes = second_factor.confirm_enrolment(user, pyotp.TOTP(enrolment.secret).at(now), now)
    assert len(codes) == len(set(codes)) == second_factor.RECOVERY_CODE_COUNT == 10
    assert second_factor.has_factor(user) and second_factor.recovery_codes_left(user) == 10
    hashes = {r.code_hash for r in db.session.scalars(select(RecoveryCode))}
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in hashes)
    [event] = _events(user, second_factor.ENROLLED)
    assert event.detail == "totp"
    with pytest.raises(TransitionRefused):
        second_factor.begin_enrolment(user, now)


def test_codes_one_step_either_side_are_accepted(db_session):
    user = factories.make_user("national_admin", second_factor=False)
    now = clock.now()
    secret, _codes = _enrol(user, now - timedelta(minutes=5))
    totp = pyotp.TOTP(secret)
    assert second_factor.check_code(user, totp.at(now, -1), now).ok
    assert second_factor.check_code(user, totp.at(now + timedelta(seconds=30)), now).ok
    assert not second_factor.check_code(user, totp.at(now + timedelta(seconds=90)), now).ok


def test_a_used_or_older_code_is_refused(db_session):
    user = factories.make_user("national_admin", second_factor=False)
    now = clock.now()
    secret, _codes = _enrol(user, now - timedelta(minutes=5))
    totp = pyotp.TOTP(secret)
    assert second_factor.check_code(user, totp.at(now), now).ok
    again = second_factor.check_code(user, totp.at(now), now)
    assert not again.ok and again.refused == second_factor.REPLAYED
    older = second_factor.check_code(user, totp.at(now, -1), now)
    assert not older.ok and older.refused == second_factor.REPLAYED
    assert second_factor.check_code(user, totp.at(now, 1), now).ok
    assert [e.detail for e in _events(user, second_factor.CODE_FAILED)] == ["replayed", "replayed"]


def test_the_first_code_of_enrolment_cannot_be_replayed_at_sign_in(db_session):
    user = factories.make_user("national_admin", second_factor=False)
    now = clock.now()
    enrolment = second_factor.begin_enrolment(user, now)
    code = pyotp.TOTP(enrolment.secret).at(now)
    second_factor.confirm_enrolment(user, code, now)
    assert second_factor.check_code(user, code, now).refused == second_factor.REPLAYED


def test_a_recovery_code_works_once_typed_any_way(db_session):
    user = factories.make_user("oversight", second_factor=False)
    now = clock.now()
    _secret, codes = _enrol(user, now)
    used = second_factor.check_code(user, " " + codes[3].lower().replace("-", " ") + " ", now)
    assert used.ok and used.recovery and used.recovery_left == 9
    assert not second_factor.check_code(user, codes[3], now).ok
    assert second_factor.check_code(user, codes[4], now).ok
    assert [e.detail for e in _events(user, second_factor.RECOVERY_USED)] == ["left=9", "left=8"]
    # Another account's code opens nothing here.
    other = factories.make_user("oversight", second_factor=False)
    _s, others = _enrol(other, now)
    assert not second_factor.check_code(user, others[0], now).ok


def test_guessing_is_throttled_per_account(app, db_session, frozen_clock):
    user = factories.make_user("national_admin", second_factor=False)
    secret, _codes = _enrol(user, clock.now() - timedelta(minutes=5))
    now = clock.now()
    wrong = "000000" if pyotp.TOTP(secret).at(now) != "000000" else "111111"
    outcomes = [second_factor.check_code(user, wrong, now) for _ in range(5)]
    assert outcomes[-1].refused == second_factor.THROTTLED and outcomes[-1].wait_seconds == 30
    held = second_factor.check_code(user, pyotp.TOTP(secret).at(now), now)
    assert not held.ok and held.refused == second_factor.THROTTLED
    assert len(_events(user, second_factor.CODE_FAILED)) == 5  # the held attempt is not counted
    assert len(_events(user, second_factor.CODE_THROTTLED)) == 1
    later = now + timedelta(seconds=31)
    assert second_factor.check_code(user, pyotp.TOTP(secret).at(later), later).ok


def test_an_officer_removes_their_own_factor_with_password_and_code(db_session):
    officer = factories.make_user("officer", "dinkes-kota-padang")
    now = clock.now()
    secret, _codes = _enrol(officer, now - timedelta(minutes=5))
    code = pyotp.TOTP(secret).at(now)
    assert second_factor.remove_own(officer, "salah-sekali-123", code, now) == {
        "current_password": "Kata sandi saat ini salah."}
    assert set(second_factor.remove_own(officer, factories.OFFICER_PASSWORD, "999999"
                                        if code != "999999" else "888888", now)) == {"code"}
    assert second_factor.remove_own(officer, factories.OFFICER_PASSWORD, code, now) == {}
    assert not second_factor.has_factor(officer) and second_factor.recovery_codes_left(officer) == 0
    assert len(_events(officer, second_factor.REMOVED)) == 1


def test_a_required_role_cannot_remove_its_own_factor(db_session):
    admin = factories.make_user("national_admin")
    with pytest.raises(TransitionRefused):
        second_factor.remove_own(admin, factories.OFFICER_PASSWORD, "123456", clock.now())
    assert second_factor.has_factor(admin)


def test_the_reset_follows_the_password_reset_rule(db_session):
    national = factories.make_user("national_admin")
    agency_admin = factories.make_user("agency_admin", "pemkot-padang")
    peer = factories.make_user("agency_admin", "dinkes-kota-padang")
    officer = factories.make_user("officer", "dinkes-kota-padang", second_factor=True)
    outsider = factories.make_user("officer", "pemkab-lebak", second_factor=True)
    oversight = factories.make_user("oversight")
    for actor, account in ((national, peer), (national, oversight), (agency_admin, officer)):
        assert second_factor.can_reset(actor, account)
    for actor, account in ((agency_admin, peer), (agency_admin, outsider), (national, national),
                           (oversight, officer), (officer, officer)):
        assert not second_factor.can_reset(actor, account)
        assert second_factor.can_reset(actor, account) == accounts.can_reset_password(actor, account)
    now = clock.now()
    with pytest.raises(TransitionRefused):
        second_factor.reset(agency_admin, peer.id, now)
    with pytest.raises(NotFound):
        second_factor.reset(agency_admin, outsider.id, now)
    with pytest.raises(TransitionRefused):
        second_factor.reset(national, national.id, now)
    assert second_factor.has_factor(peer) and second_factor.has_factor(outsider)


def test_a_reset_removes_the_factor_ends_the_sessions_and_is_audited(db_session):
    national = factories.make_user("national_admin")
    target = factories.make_user("agency_admin", "dinkes-kota-padang")
    now = clock.now()
    sessions.open_session(target, now)
    sessions.open_session(target, now, pending=sessions.PENDING_CODE)
    second_factor.reset(national, target.id, now)
    assert not second_factor.has_factor(target)
    assert db.session.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id == target.id)) == 0
    [entry] = db.session.scalars(select(AccessLog).where(AccessLog.what == accounts.SECOND_FACTOR_RESET))
    assert entry.user_id == national.id and entry.detail.startswith(f"user={target.id};")
    assert entry in accounts.history(target)
    ended = _events(target, sessions.SESSION_ENDED)
    assert ended and ended[0].detail.startswith("second_factor_reset;")
    assert second_factor.step_after_password(target) == sessions.PENDING_ENROL


def test_a_pending_session_opens_nothing_until_completed(db_session):
    user = factories.make_user("national_admin")
    now = clock.now()
    token = sessions.open_session(user, now, pending=sessions.PENDING_CODE)
    assert sessions.resume(token, now, touch=False) is None
    row = sessions.resume_pending(token, now)
    assert row is not None and sessions.active_sessions(user, now) == []
    assert _events(user, sessions.SIGNED_IN) == []
    new_token = sessions.complete(row, now)
    assert new_token != token
    assert sessions.resume(token, now, touch=False) is None
    assert sessions.resume(new_token, now, touch=False) is not None
    assert len(_events(user, sessions.SIGNED_IN)) == 1
    # A pending sign-in lasts a quarter of an hour.
    other = sessions.open_session(user, now, pending=sessions.PENDING_CODE)
    assert sessions.resume_pending(other, now + timedelta(minutes=16)) is None


def test_a_secret_sealed_under_another_key_opens_nothing(app, db_session, monkeypatch):
    user = factories.make_user("national_admin")
    code = factories.totp_code(user)
    monkeypatch.setitem(app.config, "SECRET_KEY", "another-secret-key-for-this-test")
    assert not second_factor.check_code(user, code, clock.now()).ok


def test_the_operator_resets_the_only_national_admins_factor(app, db_session):
    """Nobody may reset the only national admin's factor on the pages; the server's operator
    can, from the command line."""
    admin = factories.make_user("national_admin", email="satu.satunya@uji.terang.test")
    sessions.open_session(admin, clock.now())
    db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "reset-second-factor", "tidak.ada@uji.terang.test"]).exit_code != 0
    done = runner.invoke(args=["users", "reset-second-factor", "Satu.Satunya@uji.terang.test"])
    assert done.exit_code == 0, done.output
    assert "removed" in done.output
    db.session.expire_all()
    assert not second_factor.has_factor(admin)
    assert db.session.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id == admin.id)) == 0
    assert _events(admin, second_factor.RESET)


def test_guessed_codes_tell_the_owner_that_the_password_is_known(db_session):
    from app.models import OutboxMessage

    user = factories.make_user("oversight")
    now = clock.now()
    code = factories.totp_code(user)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        second_factor.check_code(user, wrong, now)
    [notice] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
    assert "kata sandi yang BENAR" in notice.body and code not in notice.body
