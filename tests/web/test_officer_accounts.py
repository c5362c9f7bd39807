"""Officer accounts in the browser (/petugas/pengguna): list, create, deactivate, reset.

The people (tests/factories.py agencies): a national admin, the agency admin of pemkot-padang
(so also of its unit dinkes-kota-padang), an officer of dinkes-kota-padang, an officer of
pemkab-lebak (outside the agency admin's scope) and an oversight user. Who may reach which
route is in the matrix of tests/web/test_officer_access.py; here is what each page does.
"""
from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AccessLog, User
from app.services import accounts
from tests import factories
from tests.factories import HTMLPage, csrf_from, login

pytestmark = pytest.mark.usefixtures("fresh_g")

ONE_TIME = re.compile(r"^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$")


@pytest.fixture
def staff(db_session):
    people = SimpleNamespace(
        national_admin=factories.make_user("national_admin", name="Nadia Nasional"),
        agency_admin=factories.make_user("agency_admin", "pemkot-padang", name="Andi Admin Padang",
                                         email="andi.admin@padang.test"),
        officer=factories.make_user("officer", "dinkes-kota-padang", name="Rina Petugas Dinkes",
                                    email="rina@dinkes-padang.test"),
        lebak=factories.make_user("officer", "pemkab-lebak", name="Lukman Petugas Lebak",
                                  email="lukman@lebak.test"),
        oversight=factories.make_user("oversight", name="Oki Ombudsman"),
    )
    db.session.commit()
    return people


@pytest.fixture
def as_user(app, staff):
    """``as_user("agency_admin")`` → a client signed in as that person, with ``.token`` set."""
    def _sign_in(name):
        client = app.test_client()
        client.token = login(client, getattr(staff, name))
        return client
    return _sign_in


def account_rows(page: HTMLPage):
    return [li for li in page.find_all("li") if "account-row" in (li.get("class") or "").split()]


def listed_emails(html: str) -> set[str]:
    page = HTMLPage(html)
    return {" ".join(p.text.split()) for row in account_rows(page)
            for p in page.within(row, "p", class_="meta")[:1]}


def new_account(client, **fields):
    data = {"csrf_token": client.token, "name": "Budi Santoso", "email": "budi@dinkes-padang.test",
            "role": "officer", "agency": "dinkes-kota-padang", "password": ""}
    data.update(fields)
    return client.post("/petugas/pengguna/baru", data=data)


def one_time_on(html: str) -> str | None:
    found = HTMLPage(html).by_id("one-time-password")
    return found.text.strip() if found is not None else None


def can_sign_in(app, email: str, password: str) -> bool:
    client = app.test_client()
    token = csrf_from(client.get("/petugas/masuk").get_data(as_text=True))
    return client.post("/petugas/masuk", data={"csrf_token": token, "email": email,
                                               "password": password}).status_code == 303


def account_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def field_errors_of(html: str) -> dict[str, str]:
    page = HTMLPage(html)
    return {e.get("id").removesuffix("-error"): " ".join(e.text.split()).removeprefix("Kesalahan:").strip()
            for e in page.find_all("p", class_="field-error")}


# --- the list -----------------------------------------------------------------------------------

def test_the_agency_admin_lists_the_accounts_of_the_agency_and_its_units(as_user, staff):
    html = as_user("agency_admin").get("/petugas/pengguna").get_data(as_text=True)
    assert listed_emails(html) == {staff.agency_admin.email, staff.officer.email}
    page = HTMLPage(html)
    row = next(r for r in account_rows(page) if "Rina Petugas Dinkes" in r.text)
    assert "Petugas (pejabat penghubung)" in row.text
    assert "Dinas Kesehatan Kota Padang" in row.text
    assert "Aktif" in row.text
    assert page.find("a", href=f"/petugas/pengguna/{staff.officer.id}") is not None
    assert page.find("a", href="/petugas/pengguna/baru") is not None
    # Its own row is marked.
    own = next(r for r in account_rows(page) if "Andi Admin Padang" in r.text)
    assert "akun Anda" in own.text


@pytest.mark.parametrize("role", ["national_admin", "oversight"])
def test_national_admin_and_oversight_list_every_account(as_user, staff, role):
    html = as_user(role).get("/petugas/pengguna").get_data(as_text=True)
    everyone = {u.email for u in vars(staff).values()}
    assert listed_emails(html) == everyone
    assert ("/petugas/pengguna/baru" in html) == (role == "national_admin")  # oversight only reads


def test_a_deactivated_account_is_listed_as_such(as_user, staff):
    staff.officer.is_active_account = False
    db.session.commit()
    page = HTMLPage(as_user("agency_admin").get("/petugas/pengguna").get_data(as_text=True))
    row = next(r for r in account_rows(page) if "Rina" in r.text)
    assert "Nonaktif" in row.text
    assert "inactive" in row.get("class").split()


@pytest.mark.parametrize("query,expected", [
    ("rina", {"rina@dinkes-padang.test"}),
    ("DINKES-PADANG", {"rina@dinkes-padang.test"}),
    ("andi admin", {"andi.admin@padang.test"}),
    ("lukman", set()),  # outside the scope: not found, even by name
    ("tidak-ada-siapa-pun", set()),
])
def test_the_list_searches_name_and_email(as_user, query, expected):
    client = as_user("agency_admin")
    html = client.get("/petugas/pengguna", query_string={"q": query}).get_data(as_text=True)
    assert listed_emails(html) == expected
    assert HTMLPage(html).by_id("q").get("value") == query  # the search box keeps it
    if not expected:
        assert "Tidak ada akun yang cocok." in html


def test_an_htmx_search_gets_only_the_rows(as_user):
    response = as_user("agency_admin").get("/petugas/pengguna?q=rina", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="rows"')
    assert "<html" not in html
    assert listed_emails(html) == {"rina@dinkes-padang.test"}
    assert "HX-Request" in response.headers.get("Vary", "")


def test_the_list_is_paginated(as_user, staff):
    for n in range(30):
        factories.make_user("officer", "dinkes-kota-padang", name=f"Petugas Tambahan {n:02d}")
    db.session.commit()
    client = as_user("agency_admin")
    first = HTMLPage(client.get("/petugas/pengguna").get_data(as_text=True))
    assert len(account_rows(first)) == accounts.PAGE_SIZE
    assert "32 akun" in first.by_id("rows").text
    next_link = first.find("a", rel="next")
    assert next_link is not None
    second = HTMLPage(client.get(next_link.get("href")).get_data(as_text=True))
    assert len(account_rows(second)) == 32 - accounts.PAGE_SIZE
    assert second.find("a", rel="prev") is not None


def test_oversight_views_of_accounts_are_logged(as_user, staff):
    client = as_user("oversight")
    client.get("/petugas/pengguna?q=rina")
    client.get(f"/petugas/pengguna/{staff.officer.id}")
    rows = db.session.scalars(select(AccessLog).where(AccessLog.user_id == staff.oversight.id,
                                                      AccessLog.what.like("view_%"))
                              .order_by(AccessLog.id)).all()
    assert [(r.what, r.detail) for r in rows] == [
        ("view_accounts", "q=rina"), ("view_account", f"user={staff.officer.id};")]


@pytest.mark.parametrize("role,shown", [("national_admin", True), ("agency_admin", True),
                                        ("oversight", True), ("officer", False)])
def test_the_nav_links_to_the_accounts_for_admins_and_oversight(as_user, role, shown):
    page = HTMLPage(as_user(role).get("/petugas/kotak-masuk").get_data(as_text=True))
    nav = page.find("ul", class_="nav")
    links = [a for a in page.within(nav, "a") if a.get("href") == "/petugas/pengguna"]
    assert bool(links) == shown
    if shown:
        assert links[0].text.strip() == "Akun petugas"
        accounts_page = HTMLPage(as_user(role).get("/petugas/pengguna").get_data(as_text=True))
        current = [a.text.strip() for a in accounts_page.find_all("a") if a.get("aria-current") == "page"]
        assert current == ["Akun petugas"]


# --- creating an account ------------------------------------------------------------------------

def test_the_agency_admin_form_offers_only_its_roles_and_agencies(as_user):
    response = as_user("agency_admin").get("/petugas/pengguna/baru")
    assert response.status_code == 200
    page = HTMLPage(response.get_data(as_text=True))
    roles = [o.get("value") for o in page.within(page.by_id("role"), "option") if o.get("value")]
    assert roles == ["officer", "agency_admin"]
    agencies = [o.get("value") for o in page.within(page.by_id("agency"), "option") if o.get("value")]
    assert sorted(agencies) == ["dinkes-kota-padang", "pemkot-padang"]
    # Preselected: an officer of the admin's own agency.
    assert page.find("option", value="officer").get("selected") is not None
    assert page.find("option", value="pemkot-padang").get("selected") is not None
    assert page.find("input", name="password").get("type") == "password"
    assert page.find("input", name="password").get("autocomplete") == "new-password"
    assert page.find("input", name="csrf_token") is not None


def test_the_national_admin_form_offers_every_role_and_agency(as_user):
    page = HTMLPage(as_user("national_admin").get("/petugas/pengguna/baru").get_data(as_text=True))
    roles = [o.get("value") for o in page.within(page.by_id("role"), "option") if o.get("value")]
    assert roles == ["national_admin", "agency_admin", "officer", "oversight"]
    agencies = {o.get("value") for o in page.within(page.by_id("agency"), "option")}
    assert {"", "kemenkes", "pemkot-padang", "dinkes-kota-padang", "pemkab-lebak"} <= agencies


def test_creating_an_account_shows_its_one_time_password_once(app, as_user, staff):
    client = as_user("agency_admin")
    response = new_account(client)
    assert response.status_code == 303
    created = account_by_email("budi@dinkes-padang.test")
    assert created is not None and created.role == "officer"
    assert created.agency.slug == "dinkes-kota-padang" and created.is_active_account
    assert urlsplit(response.location).path == f"/petugas/pengguna/{created.id}"

    page = client.get(response.location)
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    password = one_time_on(html)
    assert password and ONE_TIME.match(password)
    assert "Akun budi@dinkes-padang.test dibuat." in html
    assert "jangan lewat e-mail" in html
    # Never in the session cookie in clear, never in the audit trail.
    assert password not in (client.get_cookie("session").value or "")
    assert not factories.cells_containing(password)
    # Shown once: a reload no longer has it.
    assert one_time_on(client.get(response.location).get_data(as_text=True)) is None
    assert can_sign_in(app, "budi@dinkes-padang.test", password)


def test_an_admin_may_set_the_password_instead(app, as_user):
    client = as_user("agency_admin")
    response = new_account(client, password="sandi-pilihan-admin")
    assert response.status_code == 303
    assert one_time_on(client.get(response.location).get_data(as_text=True)) is None
    assert can_sign_in(app, "budi@dinkes-padang.test", "sandi-pilihan-admin")


def test_a_form_with_errors_keeps_what_was_typed_and_links_each_error(as_user):
    client = as_user("agency_admin")
    response = new_account(client, name="Budi Santoso", email="bukan-email", password="pendek")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_errors_of(html) == {"email": "Alamat e-mail tidak valid. Contoh: nama@instansi.go.id",
                                     "password": "Kata sandi minimal 12 karakter."}
    page = HTMLPage(html)
    assert page.by_id("name").get("value") == "Budi Santoso"
    assert page.by_id("email").get("value") == "bukan-email"
    assert page.find("option", value="dinkes-kota-padang").get("selected") is not None
    assert page.by_id("password").get("value") in (None, "")  # a password is never sent back
    assert "pendek" not in html
    for name in ("email", "password"):
        control = page.by_id(name)
        assert control.get("aria-invalid") == "true"
        assert f"{name}-error" in control.get("aria-describedby").split()
        assert page.by_id(f"{name}-error") is not None
    summary = page.by_id("error-summary")
    assert {a.get("href") for a in page.within(summary, "a")} == {"#email", "#password"}
    assert account_by_email("bukan-email") is None


def test_every_problem_is_reported_in_one_round(as_user):
    response = new_account(as_user("national_admin"), name="", email="", role="", agency="")
    assert response.status_code == 422
    errors = field_errors_of(response.get_data(as_text=True))
    assert set(errors) == {"name", "email", "role"}


def test_the_email_must_be_new(as_user, staff):
    response = new_account(as_user("agency_admin"), email="RINA@dinkes-padang.test")
    assert response.status_code == 422
    assert field_errors_of(response.get_data(as_text=True)) == {
        "email": "Sudah ada akun dengan e-mail ini."}


@pytest.mark.parametrize("role", ["national_admin", "oversight"])
def test_an_agency_admin_cannot_give_a_national_role(as_user, role):
    response = new_account(as_user("agency_admin"), role=role, agency="")
    assert response.status_code == 422
    assert field_errors_of(response.get_data(as_text=True)) == {
        "role": "Pilih salah satu peran yang tersedia."}
    assert account_by_email("budi@dinkes-padang.test") is None


@pytest.mark.parametrize("agency", ["pemkab-lebak", "kemenkes"])
def test_an_agency_admin_cannot_create_outside_its_scope(as_user, agency):
    response = new_account(as_user("agency_admin"), agency=agency)
    assert response.status_code == 422
    assert "di luar kewenangan Anda" in field_errors_of(response.get_data(as_text=True))["agency"]
    assert account_by_email("budi@dinkes-padang.test") is None


def test_the_national_admin_creates_an_oversight_account_without_agency(as_user):
    client = as_user("national_admin")
    refused = new_account(client, role="oversight", agency="pemkab-lebak",
                          email="pengawas@ombudsman.test")
    assert refused.status_code == 422
    assert set(field_errors_of(refused.get_data(as_text=True))) == {"agency"}
    assert new_account(client, role="oversight", agency="",
                       email="pengawas@ombudsman.test").status_code == 303
    created = account_by_email("pengawas@ombudsman.test")
    assert created.role == "oversight" and created.agency is None


def test_the_national_admin_creates_an_agency_admin_anywhere(as_user):
    assert new_account(as_user("national_admin"), role="agency_admin", agency="pemkab-lebak",
                       email="admin@lebak.test").status_code == 303
    assert account_by_email("admin@lebak.test").agency.slug == "pemkab-lebak"


def test_the_agency_search_without_javascript_keeps_the_form(as_user, monkeypatch):
    """Many agencies (the national admin): a search box narrows the select; nothing typed is lost."""
    monkeypatch.setattr(accounts, "AGENCY_CHOICE_LIMIT", 2)
    client = as_user("national_admin")
    page = HTMLPage(client.get("/petugas/pengguna/baru").get_data(as_text=True))
    assert page.by_id("agency_q") is not None
    assert "2 dari" in page.by_id("main").text
    response = client.post("/petugas/pengguna/baru", data={
        "csrf_token": client.token, "action": "refine", "agency_q": "lebak", "name": "Budi Santoso",
        "email": "budi@lebak.test", "role": "officer", "agency": "", "password": "rahasia-sekali-1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = HTMLPage(html)
    assert [o.get("value") for o in page.within(page.by_id("agency"), "option")] == ["", "pemkab-lebak"]
    assert page.by_id("name").get("value") == "Budi Santoso"
    assert page.by_id("email").get("value") == "budi@lebak.test"
    assert page.find("option", value="officer").get("selected") is not None
    assert page.by_id("agency_q").get("value") == "lebak"
    assert field_errors_of(html) == {}
    assert account_by_email("budi@lebak.test") is None  # nothing created yet
    # Enter in the search box presses the form's first button: "refine", not "create".
    form = page.find("form", action="/petugas/pengguna/baru")
    buttons = page.within(form, "button")
    assert (buttons[0].get("name"), buttons[0].get("value")) == ("action", "refine")
    assert buttons[-1].text.strip() == "Buat akun"


def test_creating_without_csrf_is_refused(as_user):
    client = as_user("agency_admin")
    response = client.post("/petugas/pengguna/baru", data={
        "name": "Budi", "email": "budi@dinkes-padang.test", "role": "officer",
        "agency": "dinkes-kota-padang"})
    assert response.status_code == 400
    assert account_by_email("budi@dinkes-padang.test") is None


def test_creating_is_written_in_the_audit_trail(as_user, staff):
    client = as_user("agency_admin")
    new_account(client)
    created = account_by_email("budi@dinkes-padang.test")
    row = db.session.scalar(select(AccessLog).where(AccessLog.what == "account_create"))
    assert row.user_id == staff.agency_admin.id
    assert row.detail == (f"user={created.id}; budi@dinkes-padang.test; role=officer; "
                          "agency=dinkes-kota-padang")
    page = HTMLPage(client.get(f"/petugas/pengguna/{created.id}").get_data(as_text=True))
    history = page.by_id("history-title").parent
    assert "Andi Admin Padang" in history.text and "membuat akun" in history.text


# --- deactivating and reactivating --------------------------------------------------------------

def post_change(client, account, change):
    return client.post(f"/petugas/pengguna/{account.id}/{change}", data={"csrf_token": client.token})


def test_a_deactivated_officer_cannot_sign_in_and_loses_the_open_session(app, as_user, staff):
    officer_client = as_user("officer")
    assert officer_client.get("/petugas/kotak-masuk").status_code == 200
    admin = as_user("agency_admin")

    response = post_change(admin, staff.officer, "nonaktifkan")
    assert response.status_code == 303
    assert urlsplit(response.location).path == f"/petugas/pengguna/{staff.officer.id}"
    page = HTMLPage(admin.get(response.location).get_data(as_text=True))
    assert "Nonaktif" in page.by_id("account-status").text
    assert "Akun dinonaktifkan." in page.by_id("main").text
    db.session.expire_all()
    assert staff.officer.is_active_account is False
    assert db.session.get(User, staff.officer.id) is not None  # never deleted

    ended = officer_client.get("/petugas/kotak-masuk")
    assert ended.status_code == 302 and urlsplit(ended.location).path == "/petugas/masuk"
    assert not can_sign_in(app, staff.officer.email, factories.OFFICER_PASSWORD)

    # Reactivated: the same password works again.
    assert post_change(admin, staff.officer, "aktifkan").status_code == 303
    assert can_sign_in(app, staff.officer.email, factories.OFFICER_PASSWORD)
    whats = db.session.scalars(select(AccessLog.what).where(AccessLog.user_id == staff.agency_admin.id,
                                                            AccessLog.what.like("account_%"))
                               .order_by(AccessLog.id)).all()
    assert whats == ["account_deactivate", "account_reactivate"]


def test_the_account_page_offers_the_right_buttons(as_user, staff):
    admin = as_user("agency_admin")
    page = HTMLPage(admin.get(f"/petugas/pengguna/{staff.officer.id}").get_data(as_text=True))
    actions = {f.get("action") for f in page.find_all("form", method="post")}
    base = f"/petugas/pengguna/{staff.officer.id}"
    assert {base + "/nonaktifkan", base + "/atur-ulang-sandi"} <= actions
    assert base + "/aktifkan" not in actions
    for form in page.find_all("form", method="post"):
        assert page.within(form, "input", name="csrf_token")
    staff.officer.is_active_account = False
    db.session.commit()
    page = HTMLPage(admin.get(base).get_data(as_text=True))
    actions = {f.get("action") for f in page.find_all("form", method="post")}
    assert base + "/aktifkan" in actions and base + "/nonaktifkan" not in actions


def test_nobody_deactivates_their_own_account(as_user, staff):
    admin = as_user("agency_admin")
    own = f"/petugas/pengguna/{staff.agency_admin.id}"
    page = HTMLPage(admin.get(own).get_data(as_text=True))
    assert not [f for f in page.find_all("form") if (f.get("action") or "").startswith(own + "/")]
    assert "tidak dapat dinonaktifkan" in page.by_id("main").text
    for change in ("nonaktifkan", "atur-ulang-sandi"):
        response = post_change(admin, staff.agency_admin, change)
        assert response.status_code == 422
        assert "Akun Anda sendiri tidak dapat diubah di sini." in response.get_data(as_text=True)
    db.session.expire_all()
    assert staff.agency_admin.is_active_account
    assert admin.get("/petugas/kotak-masuk").status_code == 200  # still signed in
    assert db.session.scalar(select(func.count()).select_from(AccessLog)
                             .where(AccessLog.what.like("account_%"))) == 0


def test_oversight_sees_an_account_but_no_buttons(as_user, staff):
    page = HTMLPage(as_user("oversight").get(f"/petugas/pengguna/{staff.officer.id}").get_data(as_text=True))
    assert "rina@dinkes-padang.test" in page.by_id("main").text
    assert not [f for f in page.find_all("form") if (f.get("action") or "").startswith("/petugas/pengguna")]


def test_a_change_without_csrf_is_refused(as_user, staff):
    admin = as_user("agency_admin")
    response = admin.post(f"/petugas/pengguna/{staff.officer.id}/nonaktifkan", data={})
    assert response.status_code == 400
    db.session.expire_all()
    assert staff.officer.is_active_account


# --- resetting a password -----------------------------------------------------------------------

def test_a_reset_password_is_shown_once_and_ends_the_old_sessions(app, as_user, staff):
    officer_client = as_user("officer")
    admin = as_user("agency_admin")

    response = post_change(admin, staff.officer, "atur-ulang-sandi")
    assert response.status_code == 303
    html = admin.get(response.location).get_data(as_text=True)
    password = one_time_on(html)
    assert password and ONE_TIME.match(password)
    assert "Kata sandi diatur ulang." in html
    assert one_time_on(admin.get(response.location).get_data(as_text=True)) is None
    assert not factories.cells_containing(password)

    ended = officer_client.get("/petugas/kotak-masuk")
    assert ended.status_code == 302 and urlsplit(ended.location).path == "/petugas/masuk"
    assert not can_sign_in(app, staff.officer.email, factories.OFFICER_PASSWORD)
    assert can_sign_in(app, staff.officer.email, password)
    assert db.session.scalar(select(AccessLog.what).where(AccessLog.user_id == staff.agency_admin.id,
                                                          AccessLog.what.like("account_%"))) \
        == "account_reset_password"


def test_a_one_time_password_is_shown_only_on_its_own_accounts_page(as_user, staff):
    admin = as_user("agency_admin")
    post_change(admin, staff.officer, "atur-ulang-sandi")
    other = admin.get(f"/petugas/pengguna/{staff.agency_admin.id}").get_data(as_text=True)
    assert one_time_on(other) is None
    assert one_time_on(admin.get(f"/petugas/pengguna/{staff.officer.id}").get_data(as_text=True))


def test_an_agency_admin_cannot_reset_a_peer_admin_but_the_national_admin_can(as_user, staff):
    peer = factories.make_user("agency_admin", "dinkes-kota-padang", name="Dewi Admin Dinkes")
    db.session.commit()
    admin = as_user("agency_admin")
    page = HTMLPage(admin.get(f"/petugas/pengguna/{peer.id}").get_data(as_text=True))
    actions = {f.get("action") for f in page.find_all("form")}
    assert f"/petugas/pengguna/{peer.id}/atur-ulang-sandi" not in actions
    assert f"/petugas/pengguna/{peer.id}/nonaktifkan" in actions
    assert "hanya dapat diatur ulang oleh admin nasional" in page.by_id("main").text
    response = post_change(admin, peer, "atur-ulang-sandi")
    assert response.status_code == 422
    assert "Minta admin nasional" in response.get_data(as_text=True)
    assert post_change(as_user("national_admin"), peer, "atur-ulang-sandi").status_code == 303
