"""Server-side staff sessions (/petugas/sesi), the per-account sign-in throttle, admin-set
passwords and the API tokens page (/petugas/token): docs/security.md."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.models import AccessLog, ApiToken, OutboxMessage, SignInThrottle, UserSession
from app.services import credentials, lifecycle
from tests import factories
from tests.factories import HTMLPage, csrf_from, login

pytestmark = pytest.mark.usefixtures("fresh_g")

INBOX = "/petugas/kotak-masuk"
FIREFOX_ANDROID = ("Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0")
CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/131.0.0.0 Safari/537.36")


@pytest.fixture
def officer(db_session):
    user = factories.make_user("officer", "dinkes-kota-padang", email="rina.petugas@dinkes.test",
                               name="Rina Petugas")
    db.session.commit()
    return user


def signed_out(response) -> bool:
    return response.status_code == 302 and urlsplit(response.location).path == "/petugas/masuk"


def client_with_agent(app, agent):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    return client


def post_login(client, email, password):
    token = csrf_from(client.get("/petugas/masuk").get_data(as_text=True))
    return client.post("/petugas/masuk", data={"csrf_token": token, "email": email,
                                               "password": password})


def whats(user) -> list[str]:
    return list(db.session.scalars(select(AccessLog.what).where(AccessLog.user_id == user.id)
                                   .order_by(AccessLog.id)))


# --- a session ends for real ----------------------------------------------------------------------

def test_a_copy_of_the_cookie_taken_before_logout_opens_nothing_after_it(app, client, officer):
    token = login(client, officer)
    assert client.get(INBOX).status_code == 200
    stolen = client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get(INBOX).status_code == 200  # the copy works while the session lives

    assert client.post("/petugas/keluar", data={"csrf_token": token}).status_code == 303
    assert signed_out(thief.get(INBOX))
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
    assert whats(officer) == ["sign_in", "session_end"]


def test_the_cookie_carries_only_a_random_id_stored_as_a_hash(app, client, officer):
    login(client, officer)
    from flask.sessions import SecureCookieSessionInterface

    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    data = serializer.loads(client.get_cookie("session").value)
    session_id = data["_user_id"]
    assert len(session_id) >= 40 and str(officer.id) != session_id
    assert officer.email not in str(data)
    row = db.session.scalar(select(UserSession))
    assert row.user_id == officer.id and row.token_hash != session_id
    assert factories.cells_containing(session_id) == []


@pytest.mark.parametrize("page", [INBOX, "/petugas/sesi"])  # a writer's GET and a reader's
def test_a_session_ends_after_thirty_idle_minutes(client, officer, frozen_clock, page):
    login(client, officer)
    frozen_clock.shift(timedelta(minutes=20))
    assert client.get(page).status_code == 200   # seen: the idle clock starts again
    frozen_clock.shift(timedelta(minutes=29))
    assert client.get(page).status_code == 200
    frozen_clock.shift(timedelta(seconds=30))
    assert client.get(page).status_code == 200   # seen again within the minute: no write
    frozen_clock.shift(timedelta(minutes=30, seconds=1))
    assert signed_out(client.get(page))


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(client, officer, frozen_clock):
    login(client, officer)
    for _ in range(35):  # every 20 minutes for 11 h 40 min
        frozen_clock.shift(timedelta(minutes=20))
        assert client.get(INBOX).status_code == 200
    frozen_clock.shift(timedelta(minutes=20))
    assert signed_out(client.get(INBOX))


def test_the_timeouts_come_from_the_configuration(app, client, officer, frozen_clock):
    app.config.update(SESSION_IDLE_MINUTES=5)
    try:
        login(client, officer)
        frozen_clock.shift(timedelta(minutes=6))
        assert signed_out(client.get(INBOX))
    finally:
        app.config.update(SESSION_IDLE_MINUTES=30)


def test_the_tick_deletes_expired_sessions(app, client, officer, frozen_clock):
    login(client, officer)
    frozen_clock.shift(timedelta(minutes=31))
    summary = lifecycle.tick(clock.now())
    assert summary.sessions_purged == 1
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


# --- the sessions page ----------------------------------------------------------------------------

def test_the_sessions_page_lists_devices_in_plain_words_and_ends_another(app, officer):
    phone = client_with_agent(app, FIREFOX_ANDROID)
    desk = client_with_agent(app, CHROME_WINDOWS)
    login(phone, officer)
    login(desk, officer)
    html = desk.get("/petugas/sesi").get_data(as_text=True)
    page = HTMLPage(html)
    rows = page.by_id("sessions").text
    assert "Firefox di Android" in rows and "Chrome di Windows" in rows
    assert "Sesi ini" in rows and rows.count("Sesi ini") == 1
    phone_row = db.session.scalar(select(UserSession).where(UserSession.browser == "Firefox"))
    assert "Sesi ini" not in page.by_id(f"session-{phone_row.id}").text
    assert "Terakhir aktif" in page.by_id(f"session-{phone_row.id}").text

    ended = desk.post(f"/petugas/sesi/{phone_row.id}/akhiri", data={"csrf_token": csrf_from(html)})
    assert ended.status_code == 303
    assert signed_out(phone.get(INBOX))
    assert desk.get(INBOX).status_code == 200


def test_each_session_says_which_network_it_signed_in_from_and_keeps_no_address(app, officer):
    office = client_with_agent(app, CHROME_WINDOWS)
    office.environ_base["REMOTE_ADDR"] = "114.124.5.77"
    mobile = client_with_agent(app, FIREFOX_ANDROID)
    mobile.environ_base["REMOTE_ADDR"] = "36.66.10.20"
    colleague_desk = client_with_agent(app, CHROME_WINDOWS)
    colleague_desk.environ_base["REMOTE_ADDR"] = "114.124.5.9"
    for client in (office, mobile, colleague_desk):
        login(client, officer)
    page = HTMLPage(office.get("/petugas/sesi").get_data(as_text=True))
    by_network = {row.network: " ".join(page.by_id(f"session-{row.id}").text.split())
                  for row in db.session.scalars(select(UserSession))}
    assert set(by_network) == {"114.124.5.0/24", "36.66.10.0/24"}
    assert "Dari jaringan 36.66.10.0/24 (jaringan lain dari sesi ini)" in by_network["36.66.10.0/24"]
    same = [row for row in db.session.scalars(select(UserSession)) if row.network == "114.124.5.0/24"]
    texts = [" ".join(page.by_id(f"session-{row.id}").text.split()) for row in same]
    assert any("(jaringan yang sama dengan sesi ini)" in text for text in texts)
    # Neither the session rows nor the audit trail keep an address.
    stored = " ".join(str(value) for row in db.session.scalars(select(UserSession))
                      for value in vars(row).values())
    trail = " ".join(d or "" for d in db.session.scalars(select(AccessLog.detail)))
    for address in ("114.124.5.77", "36.66.10.20", "114.124.5.9"):
        assert address not in stored and address not in trail
    assert "36.66.10.0/24" in trail


@pytest.mark.parametrize("address, network, kind", [
    ("114.124.5.77", "114.124.5.0/24", "public"),
    ("10.1.2.3", "10.1.2.0/24", "local"),
    ("127.0.0.1", "127.0.0.0/24", "local"),
    ("2001:db8:abcd:12::1", "2001:db8:abcd::/48", "local"),  # documentation range: not public
    ("2404:8000:1234:5::1", "2404:8000:1234::/48", "public"),
    ("::ffff:36.66.10.20", "36.66.10.0/24", "public"),
    ("", "", None),
    ("bukan-alamat", "", None),
])
def test_the_network_of_an_address(address, network, kind):
    from app.services import sessions

    assert sessions.network_of(address) == network
    if kind:
        assert sessions.network_kind(network) == kind


def test_nobody_ends_another_accounts_session(app, officer):
    other = factories.make_user("officer", "dinkes-kota-padang")
    db.session.commit()
    theirs = app.test_client()
    login(theirs, other)
    mine = app.test_client()
    login(mine, officer)
    their_row = db.session.scalar(select(UserSession).where(UserSession.user_id == other.id))
    token = csrf_from(mine.get("/petugas/sesi").get_data(as_text=True))
    assert mine.post(f"/petugas/sesi/{their_row.id}/akhiri", data={"csrf_token": token}).status_code == 404
    assert mine.post(f"/petugas/sesi/{their_row.id}/akhiri").status_code == 400  # no CSRF
    assert theirs.get(INBOX).status_code == 200
    assert their_row.id not in {int(r.get("id").split("-")[1]) for r in HTMLPage(
        mine.get("/petugas/sesi").get_data(as_text=True)).find_all("li", class_="account-row")}


def test_ending_this_session_signs_out_and_ending_the_others_keeps_it(app, officer):
    first, second, third = app.test_client(), app.test_client(), app.test_client()
    for client in (first, second, third):
        login(client, officer)
    token = csrf_from(first.get("/petugas/sesi").get_data(as_text=True))
    assert first.post("/petugas/sesi/akhiri-lainnya", data={"csrf_token": token}).status_code == 303
    assert first.get(INBOX).status_code == 200
    assert signed_out(second.get(INBOX)) and signed_out(third.get(INBOX))
    mine = db.session.scalar(select(UserSession))
    response = first.post(f"/petugas/sesi/{mine.id}/akhiri", data={"csrf_token": token})
    assert signed_out(response) or urlsplit(response.location).path == "/petugas/masuk"
    assert signed_out(first.get(INBOX))


def test_a_password_change_ends_the_other_sessions_and_revokes_tokens(app, client, officer):
    other_device = app.test_client()
    login(other_device, officer)
    login(client, officer)
    _token, secret = credentials.create_token(officer.email)
    db.session.commit()
    html = client.get("/petugas/kata-sandi").get_data(as_text=True)
    response = client.post("/petugas/kata-sandi", data={
        "csrf_token": csrf_from(html), "current_password": factories.OFFICER_PASSWORD,
        "new_password": "kopi tubruk di teras pagi", "repeat_password": "kopi tubruk di teras pagi"})
    assert response.status_code == 303
    assert client.get(INBOX).status_code == 200
    assert signed_out(other_device.get(INBOX))
    assert credentials.verify_token(secret, clock.now()) is None
    [notice] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == officer.email))
    assert notice.subject == "Terang: kata sandi akun Anda sudah diganti"
    assert "kopi tubruk" not in notice.body


@pytest.mark.parametrize("new, message", [
    ("1234567890", "minimal 12 karakter"),
    ("123456789123", "paling sering dipakai atau pernah bocor"),
    ("rina-petugas-2026", "tidak boleh memuat nama atau alamat e-mail"),
    ("petugasku yang hebat", "tidak boleh memuat nama atau alamat e-mail"),
])
def test_weak_passwords_are_refused_with_a_clear_message(client, officer, new, message):
    login(client, officer)
    html = client.get("/petugas/kata-sandi").get_data(as_text=True)
    response = client.post("/petugas/kata-sandi", data={
        "csrf_token": csrf_from(html), "current_password": factories.OFFICER_PASSWORD,
        "new_password": new, "repeat_password": new})
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert message in page.by_id("new_password-error").text
    assert not page.by_id("new_password").get("value")


# --- per-account throttling -----------------------------------------------------------------------

def fail(client, email, times):
    return [post_login(client, email, "salah-sekali-123").status_code for _ in range(times)]


def test_guesses_from_many_addresses_meet_a_growing_delay_and_the_owner_is_told(app, officer,
                                                                                frozen_clock):
    # Every guess from a new client (a new address, no cookie): the per-address limit never bites.
    statuses = [fail(app.test_client(), officer.email, 1)[0] for _ in range(5)]
    assert statuses == [422, 422, 422, 422, 429]
    response = post_login(app.test_client(), officer.email, factories.OFFICER_PASSWORD)
    assert response.status_code == 429  # even the right password waits
    assert int(response.headers["Retry-After"]) == 30
    assert "Terlalu banyak percobaan masuk yang gagal dengan e-mail ini" in response.get_data(as_text=True)
    [notice] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == officer.email))
    assert "percobaan masuk" in notice.subject and "/petugas/sesi" in notice.body
    assert "sign_in_throttled" in whats(officer)

    frozen_clock.shift(timedelta(seconds=31))
    assert fail(app.test_client(), officer.email, 1) == [429]  # the next failure: 60 s
    frozen_clock.shift(timedelta(seconds=59))
    assert post_login(app.test_client(), officer.email, factories.OFFICER_PASSWORD).status_code == 429
    frozen_clock.shift(timedelta(seconds=2))
    assert post_login(app.test_client(), officer.email, factories.OFFICER_PASSWORD).status_code == 303
    # Only one notice per run of failures.
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_the_delay_is_capped_at_a_few_minutes(app, officer, frozen_clock):
    for _ in range(12):
        fail(app.test_client(), officer.email, 1)
        row = db.session.scalar(select(SignInThrottle))
        if row.blocked_until:
            frozen_clock.move_to(row.blocked_until + timedelta(seconds=1))
    row = db.session.scalar(select(SignInThrottle))
    assert row.blocked_until - row.last_failure_at == timedelta(seconds=300)


def test_an_unknown_email_is_throttled_exactly_alike(app, officer):
    known = [fail(app.test_client(), officer.email, 1)[0] for _ in range(6)]
    unknown = [fail(app.test_client(), "tidak.ada@dinkes.test", 1)[0] for _ in range(6)]
    assert known == unknown == [422, 422, 422, 422, 429, 429]


def test_the_owners_own_browser_still_signs_in_while_strangers_are_throttled(app, officer):
    own = app.test_client()
    login(own, officer)
    own.post("/petugas/keluar", data={"csrf_token": csrf_from(own.get(INBOX).get_data(as_text=True))})
    assert own.get_cookie("terang_perangkat", path="/petugas") is not None
    for _ in range(8):
        fail(app.test_client(), officer.email, 1)
    assert post_login(app.test_client(), officer.email, factories.OFFICER_PASSWORD).status_code == 429
    assert post_login(own, officer.email, factories.OFFICER_PASSWORD).status_code == 303


# --- passwords set by an admin -------------------------------------------------------------------

@pytest.fixture
def reset_by_admin(app, officer):
    from app.services import accounts

    admin = factories.make_user("national_admin")
    _account, password = accounts.reset_password(admin, officer.id, clock.now())
    db.session.commit()
    return password


def test_an_admin_set_password_must_be_changed_at_first_sign_in(client, officer, reset_by_admin):
    [notice] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == officer.email))
    assert "diatur ulang oleh admin" in notice.subject and reset_by_admin not in notice.body
    response = post_login(client, officer.email, reset_by_admin)
    assert response.status_code == 303 and urlsplit(response.location).path == "/petugas/kata-sandi"
    blocked = client.get(INBOX)
    assert blocked.status_code == 302 and urlsplit(blocked.location).path == "/petugas/kata-sandi"
    html = client.get("/petugas/kata-sandi").get_data(as_text=True)
    assert "Kata sandi Anda dibuat oleh admin" in html
    response = client.post("/petugas/kata-sandi", data={
        "csrf_token": csrf_from(html), "current_password": reset_by_admin,
        "new_password": "kopi tubruk di teras pagi", "repeat_password": "kopi tubruk di teras pagi"})
    assert response.status_code == 303
    assert client.get(INBOX).status_code == 200


def test_an_admin_set_password_expires_after_24_hours(client, officer, reset_by_admin, frozen_clock):
    frozen_clock.shift(timedelta(hours=24, minutes=1))
    response = post_login(client, officer.email, reset_by_admin)
    assert response.status_code == 422
    assert "sudah kedaluwarsa" in response.get_data(as_text=True)
    assert signed_out(client.get(INBOX))


# --- API tokens ----------------------------------------------------------------------------------

def test_a_token_expires_after_ninety_days(officer, frozen_clock):
    token, secret = credentials.create_token(officer.email)
    assert token.expires_at == clock.now() + timedelta(days=90)
    frozen_clock.shift(timedelta(days=89, hours=23))
    assert credentials.verify_token(secret, clock.now()) == officer
    frozen_clock.shift(timedelta(hours=1))
    assert credentials.verify_token(secret, clock.now()) is None


def test_users_list_and_revoke_their_own_tokens_and_admins_those_they_manage(app, officer):
    other_agency = factories.make_user("officer", "pemkab-lebak")
    admin = factories.make_user("agency_admin", "dinkes-kota-padang")
    mine, _ = credentials.create_token(officer.email, "SIMPUS")
    theirs, _ = credentials.create_token(other_agency.email, "SIMRS Lebak")
    db.session.commit()

    client = app.test_client()
    login(client, officer)
    html = client.get("/petugas/token").get_data(as_text=True)
    assert mine.prefix in html and theirs.prefix not in html
    token = csrf_from(html)
    assert client.post(f"/petugas/token/{theirs.id}/cabut", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/petugas/token/{mine.id}/cabut", data={"csrf_token": token}).status_code == 303
    db.session.expire_all()
    assert mine.revoked_at is not None and theirs.revoked_at is None

    admin_client = app.test_client()
    login(admin_client, admin)
    html = admin_client.get("/petugas/token").get_data(as_text=True)
    assert mine.prefix in html and theirs.prefix not in html
    assert admin_client.post(f"/petugas/token/{theirs.id}/cabut",
                             data={"csrf_token": csrf_from(html)}).status_code == 404
    assert set(whats(officer)) >= {"token_create", "token_revoke"}


def test_the_sessions_and_tokens_pages_need_a_sign_in(client, db_session):
    for path in ("/petugas/sesi", "/petugas/token"):
        assert signed_out(client.get(path))
