"""accounts.py: who manages which officer accounts, and what each change does."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AccessLog, Agency, User
from app.models.agency import UNIT
from datetime import timedelta

from app import clock
from app.services import accounts, credentials, sessions
from app.services.errors import DomainError, FieldErrors, NotFound, TransitionRefused
from tests import factories

ONE_TIME = re.compile(r"^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$")


@pytest.fixture
def people(db_session):
    found = SimpleNamespace(
        national=factories.make_user("national_admin", name="Nadia"),
        padang_admin=factories.make_user("agency_admin", "pemkot-padang", name="Andi"),
        dinkes_admin=factories.make_user("agency_admin", "dinkes-kota-padang", name="Dewi"),
        dinkes_officer=factories.make_user("officer", "dinkes-kota-padang", name="Rina",
                                           email="rina@dinkes.test"),
        lebak_officer=factories.make_user("officer", "pemkab-lebak", name="Lukman"),
        oversight=factories.make_user("oversight", name="Oki"),
    )
    db.session.flush()
    return found


def new(**overrides) -> accounts.NewAccount:
    values = dict(name="Budi Santoso", email="budi@dinkes.test", role="officer",
                  agency_slug="dinkes-kota-padang")
    values.update(overrides)
    return accounts.NewAccount(**values)


def audit_rows() -> list[AccessLog]:
    """The account changes in the audit trail (sign-ins and session ends left out)."""
    return list(db.session.scalars(select(AccessLog).where(AccessLog.what.like("account_%"))
                                   .order_by(AccessLog.id)))


# --- who may do what ----------------------------------------------------------------------------

def test_assignable_roles(people):
    assert accounts.assignable_roles(people.national) == (
        "national_admin", "agency_admin", "officer", "oversight")
    assert accounts.assignable_roles(people.padang_admin) == ("officer", "agency_admin")
    assert accounts.assignable_roles(people.dinkes_officer) == ()
    assert accounts.assignable_roles(people.oversight) == ()


def test_who_lists_and_who_manages(people):
    assert [accounts.can_list_accounts(u) for u in (
        people.national, people.padang_admin, people.dinkes_officer, people.oversight)] == [
        True, True, False, True]
    assert [accounts.can_manage_accounts(u) for u in (
        people.national, people.padang_admin, people.dinkes_officer, people.oversight)] == [
        True, True, False, False]


def test_an_agency_admin_sees_the_accounts_of_its_subtree_only(people):
    def listed(actor):
        return {u.name for u in accounts.list_accounts(actor).items}

    assert listed(people.padang_admin) == {"Andi", "Dewi", "Rina"}
    assert listed(people.dinkes_admin) == {"Dewi", "Rina"}  # not its parent's admin
    assert listed(people.national) == listed(people.oversight) == {
        "Nadia", "Andi", "Dewi", "Rina", "Lukman", "Oki"}
    assert listed(people.dinkes_officer) == set()


def test_an_account_deeper_in_the_tree_is_in_scope(people):
    puskesmas = Agency(slug="puskesmas-andalas", name="Puskesmas Andalas", level=UNIT,
                       region_code=factories.PADANG, parent=factories.agency("dinkes-kota-padang"))
    db.session.add(puskesmas)
    db.session.flush()
    deep = factories.make_user("officer", "puskesmas-andalas")
    assert accounts.account_for(people.padang_admin, deep.id) == deep
    assert accounts.can_manage(people.padang_admin, deep)


def test_an_account_outside_the_scope_is_not_found(people):
    for target in (people.lebak_officer, people.national, people.oversight):
        with pytest.raises(NotFound):
            accounts.account_for(people.padang_admin, target.id)
    with pytest.raises(NotFound):
        accounts.account_for(people.dinkes_admin, people.padang_admin.id)
    with pytest.raises(NotFound):
        accounts.account_for(people.national, 987654)
    with pytest.raises(NotFound):
        accounts.account_for(people.dinkes_officer, people.dinkes_officer.id)  # officers: none


def test_can_manage_never_ones_own_account_nor_for_oversight(people):
    assert accounts.can_manage(people.padang_admin, people.dinkes_officer)
    assert accounts.can_manage(people.padang_admin, people.dinkes_admin)
    assert not accounts.can_manage(people.padang_admin, people.padang_admin)
    assert not accounts.can_manage(people.padang_admin, people.lebak_officer)
    assert not accounts.can_manage(people.oversight, people.dinkes_officer)
    assert accounts.can_manage(people.national, people.oversight)
    assert not accounts.can_manage(people.national, people.national)


def test_the_list_searches_sorts_and_pages(people):
    for n in range(30):
        factories.make_user("officer", "dinkes-kota-padang", name=f"Zaki {n:02d}")
    people.dinkes_officer.is_active_account = False
    db.session.flush()
    page = accounts.list_accounts(people.padang_admin, None, 1)
    assert (page.total, page.pages, len(page.items)) == (33, 2, accounts.PAGE_SIZE)
    last = accounts.list_accounts(people.padang_admin, None, 2)
    assert last.items[-1].name == "Rina"  # inactive accounts come last
    assert accounts.list_accounts(people.padang_admin, None, 99).page == 2  # clamped
    assert [u.name for u in accounts.list_accounts(people.padang_admin, "rina@DINKES").items] == ["Rina"]
    assert accounts.list_accounts(people.padang_admin, "ZAKI").total == 30
    assert accounts.list_accounts(people.padang_admin, "100%_").total == 0  # wildcards are literal


def test_assignable_agencies(people):
    found, total = accounts.assignable_agencies(people.padang_admin)
    assert [a.slug for a in found] == ["dinkes-kota-padang", "pemkot-padang"] and total == 2
    found, total = accounts.assignable_agencies(people.national, "padang")
    assert {a.slug for a in found} == {"dinkes-kota-padang", "pemkot-padang"}
    found, total = accounts.assignable_agencies(people.national, limit=1)
    assert len(found) == 1 and total >= 4
    assert accounts.assignable_agencies(people.oversight) == ([], 0)


# --- creating -----------------------------------------------------------------------------------

def test_an_agency_admin_creates_an_officer_with_a_one_time_password(people):
    account, password = accounts.create_account(people.padang_admin, new())
    assert (account.email, account.role, account.agency.slug) == (
        "budi@dinkes.test", "officer", "dinkes-kota-padang")
    assert ONE_TIME.match(password)
    assert accounts.authenticate("budi@dinkes.test", password) == account
    [row] = audit_rows()
    assert (row.user_id, row.what, row.report_id) == (people.padang_admin.id, "account_create", None)
    assert row.detail == f"user={account.id}; budi@dinkes.test; role=officer; agency=dinkes-kota-padang"
    assert password not in row.detail


def test_an_admin_may_choose_the_password(people):
    account, password = accounts.create_account(people.padang_admin, new(password="pilihan-admin-1"))
    assert password is None
    assert accounts.authenticate("budi@dinkes.test", "pilihan-admin-1") == account


def test_email_and_name_are_tidied(people):
    account, _password = accounts.create_account(
        people.national, new(email="  Budi@Dinkes.TEST ", name="  Budi Santoso "))
    assert (account.email, account.name) == ("budi@dinkes.test", "Budi Santoso")


PHRASE = "tiga kata acak di pasar senggol " * 7


@pytest.mark.parametrize("password,ok", [
    (PHRASE[:11], False), (PHRASE[:12], True), (PHRASE[:200], True), (PHRASE[:201], False),
    ("1234567890", False), ("123456789123", False), ("qwerty123456", False),
    ("Password1234", False), ("QWERTY 123456", False)])
def test_the_password_rule_is_the_command_lines(people, password, ok):
    problems = accounts.new_account_problems(people.national, new(password=password))
    assert ("password" not in problems) == ok
    # The command line applies the same limits.
    if ok:
        accounts.create_user(email="cli@dinkes.test", name="CLI", role="officer",
                             agency_slug="dinkes-kota-padang", password=password)
    else:
        with pytest.raises(DomainError) as refused:
            accounts.create_user(email="cli@dinkes.test", name="CLI", role="officer",
                                 agency_slug="dinkes-kota-padang", password=password)
        assert refused.value.field == "password"


@pytest.mark.parametrize("password", ["budi-santoso-2026", "BudiSantoso!!", "santoso.kerja.keras",
                                      "kantor budi 2026"])
def test_a_password_with_the_accounts_own_name_or_email_is_refused(people, password):
    problems = accounts.new_account_problems(people.national, new(password=password))
    assert problems["password"] == "Kata sandi tidak boleh memuat nama atau alamat e-mail Anda."
    with pytest.raises(DomainError):
        accounts.create_user(email="budi@dinkes.test", name="Budi Santoso", role="officer",
                             agency_slug="dinkes-kota-padang", password=password)


def test_a_common_password_is_refused_with_a_clear_message(people):
    problems = accounts.new_account_problems(people.national, new(password="qwerty123456"))
    assert "paling sering dipakai atau pernah bocor" in str(problems["password"])


def test_every_problem_comes_at_once(people):
    with pytest.raises(FieldErrors) as refused:
        accounts.create_account(people.padang_admin, accounts.NewAccount(
            name=" ", email="bukan-email", role="oversight", password="pendek"))
    assert set(refused.value.errors) == {"name", "email", "role", "password"}
    assert db.session.scalar(select(func.count()).select_from(AccessLog)) == 0


@pytest.mark.parametrize("overrides,field", [
    (dict(email="RINA@dinkes.test"), "email"),                      # taken, whatever the case
    (dict(email="a@b"), "email"),
    (dict(name="x" * 121), "name"),
    (dict(role="national_admin", agency_slug=None), "role"),       # not an agency admin's to give
    (dict(role="boss"), "role"),
    (dict(agency_slug="pemkab-lebak"), "agency"),                   # outside the scope
    (dict(agency_slug="kemenkes"), "agency"),
    (dict(agency_slug=None), "agency"),                             # an officer needs an agency
    (dict(agency_slug="tidak-ada"), "agency"),
])
def test_an_agency_admin_is_refused(people, overrides, field):
    with pytest.raises(FieldErrors) as refused:
        accounts.create_account(people.padang_admin, new(**overrides))
    assert set(refused.value.errors) == {field}


def test_a_sub_unit_admin_cannot_create_in_the_parent_agency(people):
    with pytest.raises(FieldErrors) as refused:
        accounts.create_account(people.dinkes_admin, new(agency_slug="pemkot-padang",
                                                         role="agency_admin"))
    assert set(refused.value.errors) == {"agency"}


def test_the_national_admin_gives_every_role(people):
    for n, role in enumerate(("national_admin", "oversight")):
        account, _ = accounts.create_account(people.national, new(
            email=f"n{n}@terang.test", role=role, agency_slug=None))
        assert account.role == role and account.agency is None
    account, _ = accounts.create_account(people.national, new(
        email="lebak@terang.test", role="agency_admin", agency_slug="pemkab-lebak"))
    assert account.agency.slug == "pemkab-lebak"
    with pytest.raises(FieldErrors) as refused:
        accounts.create_account(people.national, new(email="x@terang.test", role="oversight",
                                                     agency_slug="pemkab-lebak"))
    assert set(refused.value.errors) == {"agency"}


@pytest.mark.parametrize("who", ["dinkes_officer", "oversight"])
def test_officers_and_oversight_create_nothing(people, who):
    with pytest.raises(TransitionRefused):
        accounts.create_account(getattr(people, who), new())
    assert db.session.scalar(select(User).where(User.email == "budi@dinkes.test")) is None


def test_one_time_passwords_come_from_the_csprng(monkeypatch):
    drawn = []
    real_choice = accounts.secrets.choice
    monkeypatch.setattr(accounts.secrets, "choice", lambda seq: drawn.append(seq) or real_choice(seq))
    password = accounts.generate_password()
    assert len(drawn) == 16 and ONE_TIME.match(password)
    assert len({accounts.generate_password() for _ in range(200)}) == 200


# --- deactivating, reactivating, resetting -----------------------------------------------------

def test_deactivating_ends_sign_in_and_sessions(people):
    officer = people.dinkes_officer
    now = clock.now()
    session_id = sessions.open_session(officer, now)
    token, _secret = credentials.create_token(officer.email, now=now)
    assert sessions.resume(session_id, now, touch=False).user == officer
    accounts.set_active(people.padang_admin, officer.id, False, now)
    assert officer.is_active_account is False
    assert accounts.authenticate(officer.email, factories.OFFICER_PASSWORD) is None
    assert sessions.resume(session_id, now, touch=False) is None
    assert token.revoked_at == now
    accounts.set_active(people.padang_admin, officer.id, True)
    assert accounts.authenticate(officer.email, factories.OFFICER_PASSWORD) == officer
    assert sessions.resume(session_id, now, touch=False) is None  # reactivation revives none
    assert [r.what for r in audit_rows()] == ["account_deactivate", "account_reactivate"]


def test_a_change_that_changes_nothing_is_not_logged(people):
    accounts.set_active(people.padang_admin, people.dinkes_officer.id, True)
    assert audit_rows() == []


@pytest.mark.parametrize("change", ["deactivate", "reset"])
def test_nobody_changes_their_own_account(people, change):
    call = {"deactivate": lambda a, uid: accounts.set_active(a, uid, False),
            "reset": accounts.reset_password}[change]
    for admin in (people.national, people.padang_admin):
        with pytest.raises(TransitionRefused):
            call(admin, admin.id)
        assert admin.is_active_account
    assert audit_rows() == []


@pytest.mark.parametrize("change", ["deactivate", "reset"])
def test_changes_outside_the_scope_are_not_found(people, change):
    call = {"deactivate": lambda a, uid: accounts.set_active(a, uid, False),
            "reset": accounts.reset_password}[change]
    for target in (people.lebak_officer, people.national, people.padang_admin):
        with pytest.raises(NotFound):
            call(people.dinkes_admin, target.id)
    with pytest.raises(TransitionRefused):
        call(people.oversight, people.dinkes_officer.id)
    with pytest.raises(TransitionRefused):
        call(people.dinkes_officer, people.dinkes_admin.id)
    assert people.lebak_officer.is_active_account and audit_rows() == []


def test_a_reset_password_replaces_the_old_one_and_ends_sessions(people):
    officer = people.dinkes_officer
    now = clock.now()
    session_id = sessions.open_session(officer, now)
    token, secret = credentials.create_token(officer.email, now=now)
    account, password = accounts.reset_password(people.national, officer.id, now)
    assert account == officer and ONE_TIME.match(password)
    assert accounts.authenticate(officer.email, factories.OFFICER_PASSWORD) is None
    assert accounts.authenticate(officer.email, password) == officer
    assert sessions.resume(session_id, now, touch=False) is None
    assert credentials.verify_token(secret, now) is None  # the token died with the reset
    assert officer.must_change_password and officer.password_expires_at == now + timedelta(hours=24)
    [row] = audit_rows()
    assert row.what == "account_reset_password" and password not in row.detail


def test_an_agency_admin_cannot_reset_another_agency_admin(people):
    """Taking over a peer admin's account is the national admin's call, not a peer's."""
    deputy = factories.make_user("agency_admin", "dinkes-kota-padang", name="Wakil")
    assert accounts.can_manage(people.padang_admin, deputy)  # may deactivate it
    assert not accounts.can_reset_password(people.padang_admin, deputy)
    with pytest.raises(TransitionRefused):
        accounts.reset_password(people.padang_admin, deputy.id)
    assert accounts.authenticate(deputy.email, factories.OFFICER_PASSWORD) == deputy
    assert accounts.can_reset_password(people.national, deputy)
    assert accounts.can_reset_password(people.padang_admin, people.dinkes_officer)


@pytest.mark.parametrize("session_id", [None, "", "12", "x:y", "99999:abcdef", "a" * 500])
def test_an_unknown_session_id_opens_nothing(people, session_id):
    assert sessions.resume(session_id, clock.now(), touch=True) is None


def test_a_deactivated_account_costs_a_password_check_too(people, monkeypatch):
    """No timing difference tells a deactivated account from a wrong password."""
    checked = []
    real = User.check_password
    monkeypatch.setattr(User, "check_password", lambda self, pw: checked.append(pw) or real(self, pw))
    people.dinkes_officer.is_active_account = False
    assert accounts.authenticate(people.dinkes_officer.email, "apa-saja-123") is None
    assert checked == ["apa-saja-123"]


def test_the_history_of_an_account_is_its_own(people):
    # Ids 1 and 12 must not mix ("user=1;" is not a prefix of "user=12;").
    accounts.set_active(people.national, people.dinkes_officer.id, False)
    accounts.reset_password(people.national, people.lebak_officer.id)
    accounts.set_active(people.national, people.dinkes_officer.id, True)
    assert [r.what for r in accounts.history(people.dinkes_officer)] == [
        "account_reactivate", "account_deactivate"]
    assert [r.what for r in accounts.history(people.lebak_officer)] == ["account_reset_password"]
    assert accounts.history(people.oversight) == []
