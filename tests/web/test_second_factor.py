"""The second factor in the browser: the code step of a sign-in, enrolment with a QR code,
replay and guessing refused, recovery codes, the admin's reset, an officer's own choice."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pyotp
import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import AccessLog, OutboxMessage, RecoveryCode, SecondFactor, UserSession
from app.services import accounts, second_factor
from tests import factories
from tests.factories import HTMLPage, csrf_from, login

pytestmark = pytest.mark.usefixtures("fresh_g")

PASSWORD = factories.OFFICER_PASSWORD
STAFF_PAGES = ("/petugas/", "/petugas/kotak-masuk", "/petugas/verifikasi", "/petugas/pengguna",
               "/petugas/sesi", "/petugas/token", "/petugas/kata-sandi", "/petugas/faktor-kedua")


def post_password(client, user, password=PASSWORD, query=""):
    token = csrf_from(client.get("/petugas/masuk" + query).get_data(as_text=True))
    return client.post("/petugas/masuk" + query,
                       data={"csrf_token": token, "email": user.email, "password": password})


def post_code(client, code, path="/petugas/masuk/kode"):
    token = csrf_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, "code": code})


def errors_of(html: str) -> list[str]:
    texts = (" ".join(e.text.split()) for e in HTMLPage(html).find_all(class_="field-error"))
    return [t.removeprefix("Kesalahan:").strip() for t in texts]


def audit(user, what) -> list[AccessLog]:
    return list(db.session.scalars(select(AccessLog).where(AccessLog.user_id == user.id,
                                                           AccessLog.what == what)))


def assert_no_staff_page_opens(client):
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert urlsplit(response.location).path in ("/petugas/masuk", "/petugas/masuk/kode",
                                                    "/petugas/faktor-kedua/daftar"), path


@pytest.fixture
def admin(db_session):
    user = factories.make_user("national_admin", email="admin.nasional@uji.terang.test")
    db.session.commit()
    return user


@pytest.fixture
def new_admin(db_session):
    """An agency admin who has not enrolled yet (a new account, or one whose factor was reset)."""
    user = factories.make_user("agency_admin", "dinkes-kota-padang", second_factor=False,
                               email="admin.baru@uji.terang.test", name="Dewi Rahmawati")
    db.session.commit()
    return user


@pytest.fixture
def officer(db_session):
    user = factories.make_user("officer", "dinkes-kota-padang", email="rina@uji.terang.test")
    db.session.commit()
    return user


# --- the code step ------------------------------------------------------------------------------

def test_an_admin_gets_past_the_password_only_with_a_code(client, admin):
    response = post_password(client, admin)
    assert response.status_code == 303
    assert urlsplit(response.location).path == "/petugas/masuk/kode"
    # Half signed in: no staff page opens, and the session row is pending.
    assert_no_staff_page_opens(client)
    [row] = db.session.scalars(select(UserSession).where(UserSession.user_id == admin.id))
    assert row.pending == "code"
    assert audit(admin, "sign_in") == []  # not yet

    page = HTMLPage(client.get("/petugas/masuk/kode").get_data(as_text=True))
    field = page.find("input", name="code")
    assert field.get("autocomplete") == "one-time-code"
    assert page.find("label", **{"for": field.get("id")})
    assert page.find("input", name="csrf_token")

    done = post_code(client, factories.totp_code(admin))
    assert done.status_code == 303 and urlsplit(done.location).path == "/petugas/"
    assert client.get("/petugas/pengguna").status_code == 200
    db.session.expire_all()
    [row] = db.session.scalars(select(UserSession).where(UserSession.user_id == admin.id))
    assert row.pending is None
    assert len(audit(admin, "sign_in")) == 1


def test_the_session_gets_a_new_id_when_the_code_is_given(app, admin):
    client = app.test_client()
    post_password(client, admin)
    with client.session_transaction() as held:
        pending_token = held["_pending"]
        assert "_user_id" not in held
    post_code(client, factories.totp_code(admin))
    with client.session_transaction() as held:
        assert held["_user_id"] != pending_token and "_pending" not in held
    # The half-done id, replayed as a complete session, opens nothing.
    thief = app.test_client()
    with thief.session_transaction() as held:
        held["_user_id"] = pending_token
    assert thief.get("/petugas/kotak-masuk").status_code == 302


def test_a_pending_id_put_in_the_cookie_as_the_user_opens_nothing(app, admin):
    client = app.test_client()
    post_password(client, admin)
    with client.session_transaction() as held:
        held["_user_id"] = held["_pending"]
    assert_no_staff_page_opens(client)


def test_the_next_page_is_kept_through_the_code_step(client, admin):
    post_password(client, admin, query="?next=/petugas/pengguna")
    done = post_code(client, factories.totp_code(admin))
    assert urlsplit(done.location).path == "/petugas/pengguna"


def test_a_wrong_code_is_refused_and_audited(client, admin):
    post_password(client, admin)
    response = post_code(client, "000000" if factories.totp_code(admin) != "000000" else "111111")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert errors_of(html) == ["Kode salah. Masukkan 6 angka yang sedang tampil di aplikasi "
                               "autentikator, atau salah satu kode pemulihan Anda."]
    page = HTMLPage(html)
    assert page.find("input", name="code").get("aria-describedby").endswith("code-error")
    [link] = page.within(page.by_id("error-summary"), "a")
    assert link.get("href") == "#" + page.find("input", name="code").get("id")
    assert_no_staff_page_opens(client)
    [failed] = audit(admin, "second_factor_failed")
    assert failed.detail is None
    # Neither the code nor the secret is ever written to the audit trail.
    secret = factories.TOTP_SECRETS[admin.id]
    for row in db.session.scalars(select(AccessLog).where(AccessLog.user_id == admin.id)):
        assert secret not in (row.detail or "") and "000000" not in (row.detail or "")


def test_a_code_cannot_be_replayed(app, admin):
    first = app.test_client()
    post_password(first, admin)
    code = factories.totp_code(admin)
    assert post_code(first, code).status_code == 303
    # The same code, seen over the shoulder and typed on another computer a moment later.
    second = app.test_client()
    post_password(second, admin)
    refused = post_code(second, code)
    assert refused.status_code == 422
    assert errors_of(refused.get_data(as_text=True)) == [
        "Kode ini sudah dipakai. Tunggu sampai aplikasi menampilkan kode berikutnya, lalu "
        "masukkan kode itu."]
    [failed] = audit(admin, "second_factor_failed")
    assert failed.detail == "replayed"
    # An older code (the step before the one used) is refused too.
    totp = pyotp.TOTP(factories.TOTP_SECRETS[admin.id])
    factor = second_factor.factor_of(admin)
    assert post_code(second, totp.generate_otp(factor.last_used_step - 1)).status_code == 422
    # The next one is fine.
    assert post_code(second, totp.generate_otp(factor.last_used_step + 1)).status_code == 303


def test_guessing_codes_is_throttled_and_the_owner_is_told(client, admin, frozen_clock):
    post_password(client, admin)
    wrong = "000000" if factories.totp_code(admin) != "000000" else "111111"
    for _ in range(5):
        assert post_code(client, wrong).status_code in (422, 429)
    blocked = post_code(client, factories.totp_code(admin))  # even the right code waits
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Terlalu banyak kode yang salah" in blocked.get_data(as_text=True)
    assert audit(admin, "second_factor_throttled")
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.recipient == admin.email)) == 1
    assert_no_staff_page_opens(client)
    frozen_clock.shift(timedelta(minutes=1))
    assert post_code(client, factories.totp_code(admin)).status_code == 303


def test_a_recovery_code_works_once(app, admin):
    client = app.test_client()
    login(client, admin)
    # The admin's codes, as the enrolment page showed them (the factory enrolled without them).
    codes = second_factor._new_recovery_codes(admin, clock.now())
    db.session.commit()
    other = app.test_client()
    post_password(other, admin)
    used = post_code(other, codes[0].lower().replace("-", " "))  # as typed from paper
    assert used.status_code == 303
    assert "Sisa 9 kode pemulihan" in other.get(used.location, follow_redirects=True).get_data(as_text=True)
    [row] = audit(admin, "recovery_code_used")
    assert row.detail == "left=9" and codes[0] not in row.detail
    again = app.test_client()
    post_password(again, admin)
    assert post_code(again, codes[0]).status_code == 422
    # Stored as hashes only.
    stored = [r.code_hash for r in db.session.scalars(select(RecoveryCode).where(
        RecoveryCode.user_id == admin.id))]
    assert len(stored) == 10 and not set(stored) & {c.replace("-", "") for c in codes}


def test_the_code_step_without_a_password_goes_back_to_sign_in(client, db_session):
    response = client.get("/petugas/masuk/kode")
    assert response.status_code == 303 and urlsplit(response.location).path == "/petugas/masuk"


def test_cancelling_the_code_step_ends_the_pending_session(client, admin):
    post_password(client, admin)
    token = csrf_from(client.get("/petugas/masuk/kode").get_data(as_text=True))
    client.post("/petugas/keluar", data={"csrf_token": token})
    assert db.session.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id == admin.id)) == 0


def test_a_pending_sign_in_expires(client, admin, frozen_clock):
    post_password(client, admin)
    frozen_clock.shift(timedelta(minutes=16))
    response = client.get("/petugas/masuk/kode")
    assert urlsplit(response.location).path == "/petugas/masuk"


# --- enrolment ----------------------------------------------------------------------------------

def _secret_on(html: str) -> str:
    return "".join(HTMLPage(html).by_id("totp-secret").text.split())


def test_an_admin_without_a_factor_enrols_before_any_other_page(client, new_admin):
    response = post_password(client, new_admin)
    assert urlsplit(response.location).path == "/petugas/faktor-kedua/daftar"
    assert_no_staff_page_opens(client)

    page = client.get("/petugas/faktor-kedua/daftar")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # A QR code drawn on the server as inline SVG (no script, no image request), and the
    # secret in groups of four for typing by hand.
    assert re.search(r"<svg[^>]*class=\"qr-code\"", html)
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    groups = HTMLPage(html).by_id("totp-secret").text.split()
    assert all(len(g) == 4 for g in groups) and len("".join(groups)) == 32
    secret = _secret_on(html)
    # A reload shows the same secret (a QR code already scanned still works).
    assert _secret_on(client.get("/petugas/faktor-kedua/daftar").get_data(as_text=True)) == secret
    stored = db.session.scalar(select(SecondFactor.secret).where(SecondFactor.user_id == new_admin.id))
    assert secret not in stored  # encrypted at rest

    # A wrong first code: the same secret again, the error tied to the field.
    wrong = post_code(client, "12345", path="/petugas/faktor-kedua/daftar")
    assert wrong.status_code == 422
    assert _secret_on(wrong.get_data(as_text=True)) == secret
    assert errors_of(wrong.get_data(as_text=True))[0].startswith("Kode tidak cocok.")
    assert_no_staff_page_opens(client)

    done = post_code(client, pyotp.TOTP(secret).now(), path="/petugas/faktor-kedua/daftar")
    assert done.status_code == 200
    codes = [li.text.strip() for li in HTMLPage(done.get_data(as_text=True)).find_all("li", class_="code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", c) for c in codes)
    assert "tidak akan ditampilkan lagi" in done.get_data(as_text=True)
    # Signed in now; the account has a confirmed factor and its enrolment is audited.
    assert client.get("/petugas/kotak-masuk").status_code == 200
    assert second_factor.has_factor(new_admin)
    assert len(audit(new_admin, "second_factor_enrol")) == 1
    # The codes are not shown again.
    assert client.get("/petugas/faktor-kedua/daftar").status_code == 302
    assert codes[0] not in client.get("/petugas/faktor-kedua").get_data(as_text=True)


def test_an_admin_set_password_is_changed_after_enrolment(client, new_admin):
    new_admin.must_change_password = True
    db.session.commit()
    post_password(client, new_admin)
    html = client.get("/petugas/faktor-kedua/daftar").get_data(as_text=True)
    done = post_code(client, pyotp.TOTP(_secret_on(html)).now(), path="/petugas/faktor-kedua/daftar")
    link = HTMLPage(done.get_data(as_text=True)).find("a", class_="button")
    assert link.get("href") == "/petugas/kata-sandi"


def test_a_session_from_before_the_rule_is_led_to_enrolment(app, new_admin, monkeypatch):
    """A complete session of a required role whose account has no factor (opened before the
    factor was required) opens only the enrolment page."""
    client = app.test_client()
    monkeypatch.setitem(app.config, "SECOND_FACTOR_ROLES", ())
    login(client, new_admin)  # before the rule
    monkeypatch.setitem(app.config, "SECOND_FACTOR_ROLES", second_factor.DEFAULT_REQUIRED_ROLES)
    response = client.get("/petugas/kotak-masuk")
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/petugas/faktor-kedua/daftar"
    assert client.get("/petugas/faktor-kedua/daftar").status_code == 200


# --- officers: optional -------------------------------------------------------------------------

def test_an_officer_signs_in_without_a_code_and_may_add_and_remove_one(client, officer):
    response = post_password(client, officer)
    assert urlsplit(response.location).path == "/petugas/"
    page = client.get("/petugas/faktor-kedua").get_data(as_text=True)
    assert "Belum aktif" in page
    html = client.get("/petugas/faktor-kedua/daftar").get_data(as_text=True)
    secret = _secret_on(html)
    done = post_code(client, pyotp.TOTP(secret).now(), path="/petugas/faktor-kedua/daftar")
    assert done.status_code == 200
    assert HTMLPage(done.get_data(as_text=True)).find("a", class_="button").get("href") == "/petugas/faktor-kedua"
    assert "Aktif" in client.get("/petugas/faktor-kedua").get_data(as_text=True)

    # Next sign-in asks for the code.
    other = client.application.test_client()
    assert urlsplit(post_password(other, officer).location).path == "/petugas/masuk/kode"

    # Removing it needs the password and a code.
    token = csrf_from(client.get("/petugas/faktor-kedua").get_data(as_text=True))
    refused = client.post("/petugas/faktor-kedua/hapus",
                          data={"csrf_token": token, "current_password": "salah-sekali-123",
                                "code": pyotp.TOTP(secret).now()})
    assert refused.status_code == 422
    assert errors_of(refused.get_data(as_text=True)) == ["Kata sandi saat ini salah."]
    factor = second_factor.factor_of(officer)
    removed = client.post("/petugas/faktor-kedua/hapus",
                          data={"csrf_token": token, "current_password": PASSWORD,
                                "code": pyotp.TOTP(secret).at(clock.now(), 1)})
    assert removed.status_code == 303, removed.get_data(as_text=True)[:2000]
    assert factor is not None and not second_factor.has_factor(officer)
    assert len(audit(officer, "second_factor_remove")) == 1
    assert urlsplit(post_password(client.application.test_client(), officer).location).path == "/petugas/"


def test_an_admin_cannot_remove_their_own_factor(client, admin):
    token = login(client, admin)
    page = client.get("/petugas/faktor-kedua").get_data(as_text=True)
    assert "wajib memakai verifikasi dua langkah" in page
    assert HTMLPage(page).find("input", name="current_password") is None
    response = client.post("/petugas/faktor-kedua/hapus",
                           data={"csrf_token": token, "current_password": PASSWORD,
                                 "code": factories.totp_code(admin)})
    assert response.status_code == 403
    assert second_factor.has_factor(admin)


# --- the admin's reset --------------------------------------------------------------------------

def _reset(client, token, account):
    return client.post(f"/petugas/pengguna/{account.id}/atur-ulang-verifikasi",
                       data={"csrf_token": token})


def test_a_national_admin_resets_a_factor_audited_and_the_sessions_end(app, admin):
    agency_admin = factories.make_user("agency_admin", "dinkes-kota-padang")
    db.session.commit()
    theirs = app.test_client()
    login(theirs, agency_admin)
    client = app.test_client()
    token = login(client, admin)
    page = client.get(f"/petugas/pengguna/{agency_admin.id}").get_data(as_text=True)
    assert "Atur ulang verifikasi dua langkah" in page
    response = _reset(client, token, agency_admin)
    assert response.status_code == 303
    assert not second_factor.has_factor(agency_admin)
    # Their open session has ended; the next sign-in leads to enrolment.
    assert theirs.get("/petugas/kotak-masuk").status_code == 302
    assert urlsplit(post_password(app.test_client(), agency_admin).location).path == \
        "/petugas/faktor-kedua/daftar"
    [entry] = db.session.scalars(select(AccessLog).where(
        AccessLog.what == accounts.SECOND_FACTOR_RESET))
    assert entry.user_id == admin.id and entry.detail.startswith(f"user={agency_admin.id};")
    # On the account's page, in the history, in words; and the owner is told.
    history = client.get(f"/petugas/pengguna/{agency_admin.id}").get_data(as_text=True)
    assert "mengatur ulang verifikasi dua langkah" in history
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.recipient == agency_admin.email,
        OutboxMessage.subject.contains("verifikasi dua langkah"))) == 1


def test_an_agency_admin_resets_only_officers_of_their_agency(app, db_session):
    agency_admin = factories.make_user("agency_admin", "pemkot-padang")
    peer = factories.make_user("agency_admin", "dinkes-kota-padang")
    officer = factories.make_user("officer", "dinkes-kota-padang", second_factor=True)
    outsider = factories.make_user("officer", "pemkab-lebak", second_factor=True)
    db.session.commit()
    client = app.test_client()
    token = login(client, agency_admin)
    # Another agency admin: refused, with the reason on the page; the factor stays.
    page = client.get(f"/petugas/pengguna/{peer.id}").get_data(as_text=True)
    assert "hanya dapat diatur ulang oleh admin nasional" in page
    refused = _reset(client, token, peer)
    assert refused.status_code == 422 and second_factor.has_factor(peer)
    # Outside the agency's scope: as if missing.
    assert _reset(client, token, outsider).status_code == 404 and second_factor.has_factor(outsider)
    # Their own officer: done.
    assert _reset(client, token, officer).status_code == 303
    assert not second_factor.has_factor(officer)
    assert db.session.scalar(select(func.count()).select_from(AccessLog).where(
        AccessLog.what == accounts.SECOND_FACTOR_RESET)) == 1


def test_officers_and_oversight_cannot_reset(app, db_session):
    target = factories.make_user("officer", "dinkes-kota-padang", second_factor=True)
    for role, agency in (("officer", "dinkes-kota-padang"), ("oversight", None)):
        actor = factories.make_user(role, agency)
        db.session.commit()
        client = app.test_client()
        token = login(client, actor)
        assert _reset(client, token, target).status_code == 403
    assert second_factor.has_factor(target)


def test_the_reset_needs_csrf(app, admin):
    target = factories.make_user("officer", "dinkes-kota-padang", second_factor=True)
    db.session.commit()
    client = app.test_client()
    login(client, admin)
    assert client.post(f"/petugas/pengguna/{target.id}/atur-ulang-verifikasi").status_code == 400
    assert second_factor.has_factor(target)


def test_the_pages_in_english(client, new_admin, officer):
    from tests.web.test_i18n import assert_english, switch_language

    switch_language(client, "en", "/")
    post_password(client, new_admin)
    enrol = client.get("/petugas/faktor-kedua/daftar").get_data(as_text=True)
    assert "Set up two-step verification" in enrol
    assert_english(enrol.replace(new_admin.email, ""), "enrolment")
    done = post_code(client, pyotp.TOTP(_secret_on(enrol)).now(), path="/petugas/faktor-kedua/daftar")
    assert_english(done.get_data(as_text=True), "recovery codes")
    assert_english(client.get("/petugas/faktor-kedua").get_data(as_text=True), "own factor")
    other = client.application.test_client()
    switch_language(other, "en", "/")
    post_password(other, new_admin)
    assert_english(other.get("/petugas/masuk/kode").get_data(as_text=True), "code step")
