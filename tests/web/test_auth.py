"""Officer sign-in and sign-out (/petugas/masuk, /petugas/keluar)."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from sqlalchemy import select

from app.extensions import db
from app.models import AccessLog
from app.services import accounts
from tests import factories
from tests.factories import HTMLPage, csrf_from, login

pytestmark = pytest.mark.usefixtures("fresh_g")

GENERIC = "E-mail atau kata sandi salah."


@pytest.fixture
def officer(db_session):
    user = factories.make_user("officer", "dinkes-kota-padang", email="rina.petugas@dinkes.test",
                               name="Rina Petugas")
    db.session.commit()
    return user


def post_login(client, email, password, query=""):
    token = csrf_from(client.get("/petugas/masuk" + query).get_data(as_text=True))
    return client.post("/petugas/masuk" + query,
                       data={"csrf_token": token, "email": email, "password": password})


def errors_of(html: str) -> list[str]:
    page = HTMLPage(html)
    texts = (" ".join(e.text.split()) for e in page.find_all(class_="field-error"))
    return sorted(t.removeprefix("Kesalahan:").strip() for t in texts)  # the prefix is for screen readers


def test_the_sign_in_page(client):
    response = client.get("/petugas/masuk")
    assert response.status_code == 200
    page = HTMLPage(response.get_data(as_text=True))
    assert page.find("input", name="email").get("autocomplete") == "username"
    assert page.find("input", name="password").get("type") == "password"
    assert page.find("input", name="password").get("autocomplete") == "current-password"
    assert page.find("input", name="csrf_token")
    assert page.find("form").get("method") == "post"


def test_a_correct_sign_in_lands_on_the_dashboard(client, officer):
    response = post_login(client, officer.email, factories.OFFICER_PASSWORD)
    assert response.status_code == 303
    assert urlsplit(response.location).path == "/petugas/"
    assert client.get("/petugas/kotak-masuk").status_code == 200
    # The session cookie is not readable by scripts and not sent cross-site.
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


@pytest.mark.parametrize("typed", ["RINA.PETUGAS@DINKES.TEST", "  rina.petugas@dinkes.test  "])
def test_the_email_is_matched_without_case_or_spaces(client, officer, typed):
    assert post_login(client, typed, factories.OFFICER_PASSWORD).status_code == 303


def test_a_wrong_password_is_refused_with_a_generic_message(client, officer):
    response = post_login(client, officer.email, "salah-sekali-123")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert errors_of(html) == [GENERIC]
    page = HTMLPage(html)
    assert page.find("input", name="email").get("value") == officer.email  # kept
    assert page.find("input", name="password").get("value") in (None, "")  # never sent back
    assert "salah-sekali-123" not in html
    assert client.get("/petugas/kotak-masuk").status_code == 302  # still signed out


def _comparable(html: str, email: str) -> str:
    html = html.replace(email, "EMAIL")
    html = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', 'name="csrf_token" value=""', html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', html)


def test_an_unknown_email_gets_exactly_the_same_answer(app, officer):
    """No user enumeration: same status, same message, same page."""
    known = post_login(app.test_client(), officer.email, "salah-sekali-123")
    unknown_email = "tidak.ada@dinkes.test"
    unknown = post_login(app.test_client(), unknown_email, "salah-sekali-123")
    assert known.status_code == unknown.status_code == 422
    assert errors_of(known.get_data(as_text=True)) == errors_of(unknown.get_data(as_text=True)) == [GENERIC]
    assert (_comparable(known.get_data(as_text=True), officer.email)
            == _comparable(unknown.get_data(as_text=True), unknown_email))


def test_an_unknown_email_costs_a_password_hash_too(db_session, monkeypatch):
    """The timing side: a wrong e-mail hashes the password like a wrong password does."""
    from app.models import User

    hashed = []
    monkeypatch.setattr(User, "set_password", lambda self, password: hashed.append(password))
    assert accounts.authenticate("tidak.ada@dinkes.test", "apa-saja-123") is None
    assert hashed == ["apa-saja-123"]


def test_a_deactivated_account_gets_the_same_generic_answer(client, db_session):
    user = factories.make_user("officer", "dinkes-kota-padang", active=False)
    db.session.commit()
    response = post_login(client, user.email, factories.OFFICER_PASSWORD)
    assert response.status_code == 422
    assert errors_of(response.get_data(as_text=True)) == [GENERIC]


def test_empty_fields_are_refused(client, db_session):
    response = post_login(client, "", "")
    assert response.status_code == 422
    assert errors_of(response.get_data(as_text=True)) == ["Masukkan e-mail Anda.", "Masukkan kata sandi."]


def test_sign_in_without_csrf_is_refused(client, officer):
    client.get("/petugas/masuk")
    response = client.post("/petugas/masuk", data={"email": officer.email,
                                                   "password": factories.OFFICER_PASSWORD})
    assert response.status_code == 400
    assert client.get("/petugas/kotak-masuk").status_code == 302


def test_a_signed_in_officer_visiting_the_sign_in_page_goes_to_the_dashboard(client, officer):
    login(client, officer)
    response = client.get("/petugas/masuk")
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/petugas/"


def test_the_protected_page_asked_for_is_opened_after_sign_in(client, officer):
    asked = "/petugas/kotak-masuk?status=routed&sort=newest"
    response = client.get(asked)
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.path == "/petugas/masuk"
    assert parse_qs(location.query)["next"] == [asked]
    signed_in = post_login(client, officer.email, factories.OFFICER_PASSWORD,
                           query="?" + location.query)
    assert signed_in.status_code == 303
    assert signed_in.location == asked


@pytest.mark.parametrize("target", [
    "/petugas/kotak-masuk",
    "/petugas/laporan/LPR-2026-0000001",
    "/petugas",
    "/petugas/verifikasi?page=2",
])
def test_next_may_lead_to_an_officer_page(client, officer, target):
    from urllib.parse import quote

    response = post_login(client, officer.email, factories.OFFICER_PASSWORD,
                          query="?next=" + quote(target, safe=""))
    assert response.status_code == 303
    assert response.location == target


@pytest.mark.parametrize("target", [
    "https://evil.example/petugas/",
    "//evil.example/petugas",
    "///evil.example/petugas",
    "/\\evil.example/petugas",
    "\\\\evil.example\\petugas",
    "javascript:alert(1)//petugas",
    "/lacak",
    "/",
    "/transparansi",
    "/petugas-palsu",
    "/petugasx/kotak-masuk",
    "/petugas/../lacak",
    "/petugas/%2e%2e/lacak",
    "/petugas/\r\nSet-Cookie: x=1",
    "/petugas/\tx",
    "",
])
def test_next_never_leads_elsewhere(client, officer, target):
    from urllib.parse import quote

    response = post_login(client, officer.email, factories.OFFICER_PASSWORD,
                          query="?next=" + quote(target, safe=""))
    assert response.status_code == 303
    assert response.location == "/petugas/"
    assert "Set-Cookie: x" not in str(response.headers)


def test_sign_out(client, officer):
    token = login(client, officer)
    assert client.get("/petugas/kotak-masuk").status_code == 200
    response = client.post("/petugas/keluar", data={"csrf_token": token})
    assert response.status_code == 303
    assert urlsplit(response.location).path == "/petugas/masuk"
    assert "Anda sudah keluar." in client.get(response.location).get_data(as_text=True)
    after = client.get("/petugas/kotak-masuk")
    assert after.status_code == 302
    assert urlsplit(after.location).path == "/petugas/masuk"


def test_sign_out_needs_a_post_with_csrf(client, officer):
    login(client, officer)
    assert client.get("/petugas/keluar").status_code == 405
    assert client.post("/petugas/keluar").status_code == 400
    assert client.get("/petugas/kotak-masuk").status_code == 200  # still signed in


def test_officer_pages_are_never_cached(client, officer):
    login(client, officer)
    assert client.get("/petugas/kotak-masuk").headers["Cache-Control"] == "no-store"


def test_each_page_shows_who_is_signed_in_with_a_sign_out_button(client, officer):
    login(client, officer)
    page = HTMLPage(client.get("/petugas/kotak-masuk").get_data(as_text=True))
    form = page.find("form", action="/petugas/keluar")
    assert form is not None and form.get("method") == "post"
    assert page.within(form, "input", name="csrf_token")
    assert "Rina Petugas" in form.text


# --- changing one's own password ----------------------------------------------------------------

def _change(client, current, new, repeat=None):
    token = csrf_from(client.get("/petugas/kata-sandi").get_data(as_text=True))
    return client.post("/petugas/kata-sandi", data={
        "csrf_token": token, "current_password": current, "new_password": new,
        "repeat_password": new if repeat is None else repeat})


def test_an_officer_changes_their_own_password_and_stays_signed_in(app, client, officer):
    other_device = app.test_client()
    post_login(other_device, "rina.petugas@dinkes.test", factories.OFFICER_PASSWORD)
    post_login(client, "rina.petugas@dinkes.test", factories.OFFICER_PASSWORD)
    assert "/petugas/kata-sandi" in client.get("/petugas/kotak-masuk").get_data(as_text=True)

    response = _change(client, factories.OFFICER_PASSWORD, "sandi-baru-yang-panjang")
    assert response.status_code == 303
    assert client.get("/petugas/kotak-masuk").status_code == 200   # this session goes on
    ended = other_device.get("/petugas/kotak-masuk")                # the other one has ended
    assert ended.status_code == 302 and "/petugas/masuk" in ended.headers["Location"]
    client.post("/petugas/keluar", data={"csrf_token": csrf_from(
        client.get("/petugas/kotak-masuk").get_data(as_text=True))})
    assert post_login(client, "rina.petugas@dinkes.test", factories.OFFICER_PASSWORD).status_code == 422
    assert post_login(client, "rina.petugas@dinkes.test", "sandi-baru-yang-panjang").status_code == 303
    logged = db.session.scalars(select(AccessLog.what).where(AccessLog.user_id == officer.id)).all()
    assert "account_change_own_password" in logged


@pytest.mark.parametrize("current, new, repeat, field, message", [
    ("salah-sekali", "sandi-baru-yang-panjang", None, "current_password", "Kata sandi saat ini salah."),
    (None, "pendek", None, "new_password", "minimal 12 karakter"),
    (None, None, None, "new_password", "harus berbeda"),
    (None, "sandi-baru-yang-panjang", "sandi-baru-yang-lain", "repeat_password", "tepat sama"),
])
def test_a_refused_change_says_why_next_to_the_field(client, officer, current, new, repeat,
                                                      field, message):
    post_login(client, "rina.petugas@dinkes.test", factories.OFFICER_PASSWORD)
    current = current or factories.OFFICER_PASSWORD
    new = new or factories.OFFICER_PASSWORD
    response = _change(client, current, new, repeat)
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert message in page.by_id(f"{field}-error").text
    assert page.by_id(field).get("aria-invalid") == "true"
    assert not page.by_id("new_password").get("value")  # passwords are never sent back
    post_login_again = post_login(client.application.test_client(), "rina.petugas@dinkes.test",
                                  factories.OFFICER_PASSWORD)
    assert post_login_again.status_code == 303  # nothing changed


def test_changing_a_password_needs_a_sign_in(client, db_session):
    response = client.get("/petugas/kata-sandi")
    assert response.status_code == 302 and "/petugas/masuk" in response.headers["Location"]
