"""Officer accounts: creation (CLI and the admins' pages), sign-in, and their management.

Who manages whom (docs/domain.md, "Roles"):

* a national admin manages every account and may give every role;
* an agency admin manages the officers and agency admins of the agency and its sub-units
  (``access.agency_scope``) and may give only those two roles, inside that scope;
* oversight may read the list of accounts (each view logged), never change one;
* nobody deactivates, or resets the password of, their own account here.

An account is never deleted (events name their actor): it is deactivated, and a deactivated
account can neither sign in nor keep a session open. Every change is written to the audit
trail (``AccessLog``, ``what`` = ``account_…``) with the target's id, never a password.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import clock
from ..unit_of_work import writes
from ..extensions import db
from ..models import AccessLog, Agency, User
from ..models.user import AGENCY_ADMIN, NATIONAL_ADMIN, OFFICER, OVERSIGHT, ROLES, ROLES_WITH_AGENCY
from . import access, account_notices, agencies, passwords, querying, sessions, throttle
from .errors import DomainError, FieldErrors, NotFound, TransitionRefused
from .querying import Page

PASSWORD_MIN_LENGTH = passwords.MIN_LENGTH
PASSWORD_MAX_LENGTH = passwords.MAX_LENGTH
# A password an admin set (one-time or chosen) opens the account this long, once.
ADMIN_PASSWORD_LIFETIME = timedelta(hours=24)
NAME_MAX_LENGTH = 120
EMAIL_MAX_LENGTH = 254
PAGE_SIZE = 25
AGENCY_CHOICE_LIMIT = 50
# A one-time password: 16 characters in 4 groups from an alphabet without look-alikes
# (no 0/O, 1/I/L), 80 bits from the CSPRNG; easy to read out and type on a phone.
ONE_TIME_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ONE_TIME_GROUPS = 4
_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# What the audit trail records for each change (AccessLog.what).
CREATED = "account_create"
DEACTIVATED = "account_deactivate"
REACTIVATED = "account_reactivate"
PASSWORD_RESET = "account_reset_password"
PASSWORD_CHANGED = "account_change_own_password"
SECOND_FACTOR_RESET = "account_reset_second_factor"  # services/second_factor.py
ACCOUNT_CHANGES = (CREATED, DEACTIVATED, REACTIVATED, PASSWORD_RESET, SECOND_FACTOR_RESET)


def create_user(*, email: str, name: str, role: str, password: str,
                agency_slug: str | None = None) -> User:
    """Create an officer account; agency roles need an agency, the others must not have one.

    The command line's way in (no actor, messages for an operator); the pages use
    :func:`create_account`, which adds the actor's scope and the audit trail.
    """
    email = email.strip().lower()
    if role not in ROLES:
        raise DomainError(f"Unknown role {role!r}.", field="role")
    if db.session.scalar(select(User).where(func.lower(User.email) == email)) is not None:
        raise DomainError(f"A user with e-mail {email} already exists.", field="email")
    agency = agencies.get_by_slug(agency_slug, active_only=True)
    if role in ROLES_WITH_AGENCY and agency is None:
        raise DomainError(f"Role {role} needs --agency with a known agency slug.", field="agency")
    if role not in ROLES_WITH_AGENCY and agency_slug:
        raise DomainError(f"Role {role} is not tied to an agency; leave out --agency.", field="agency")
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        raise DomainError(f"Password must have {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} "
                          "characters.", field="password")
    if passwords.is_common(password):
        raise DomainError("This password is among the most common or breached ones; choose "
                          "another.", field="password")
    if passwords.problem(password, name=name, email=email):
        raise DomainError("The password must not contain the name or the e-mail's local part.",
                          field="password")
    user = User(email=email, name=name.strip(), role=role, agency=agency)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def _account_named(email: str) -> User | None:
    email = (email or "").strip().lower()
    if "\x00" in email:  # no address has one (and PostgreSQL refuses NUL in a query)
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same cost either way)."""
    user = _account_named(email)
    if user is None:
        # Hash anyway so that a wrong e-mail takes as long as a wrong password.
        User(email="", name="", role="officer").set_password(password or "x")
        return None
    # The password is checked first, so a deactivated account costs the same as any other.
    if not user.check_password(password or "") or not user.is_active:
        return None
    return user


# --- signing in ---------------------------------------------------------------------------------

SIGN_IN_FAILED = "sign_in_failed"
SIGN_IN_THROTTLED = "sign_in_throttled"
WRONG = "wrong"
THROTTLED = "throttled"
EXPIRED = "expired"


@dataclass
class SignIn:
    """The outcome of a sign-in: the user, or why not (WRONG, THROTTLED, EXPIRED) and, when
    throttled, how many seconds to wait."""

    user: User | None = None
    refused: str | None = None
    wait_seconds: int = 0


@writes
def sign_in(email: str, password: str, now: datetime, *, secret: str,
            device: str | None = None) -> SignIn:
    """Check a sign-in with the per-account throttle (services/throttle.py).

    Every answer is the same for an unknown e-mail as for a known one: the throttle counts
    both, and a wrong password is "wrong" either way. A password an admin set that is more
    than 24 hours old is refused as EXPIRED (only once the password was right). The caller
    opens the session (services/sessions.py).
    """
    key = throttle.key_for(email, secret, device)
    wait = throttle.wait_seconds(key, now)
    if wait:
        return SignIn(refused=THROTTLED, wait_seconds=wait)
    user = authenticate(email, password)
    if user is None:
        wait, started = throttle.record_failure(key, now)
        account = _account_named(email)
        if account is not None:
            sessions.audit(account.id, SIGN_IN_FAILED, "known device" if device else None)
            if started:
                sessions.audit(account.id, SIGN_IN_THROTTLED, f"seconds={wait}")
                account_notices.queue(account, account_notices.SIGN_IN_THROTTLED, now)
        return SignIn(refused=THROTTLED if wait else WRONG, wait_seconds=wait)
    throttle.clear(key)
    if user.password_expires_at is not None and user.password_expires_at <= now:
        sessions.audit(user.id, SIGN_IN_FAILED, "expired admin-set password")
        return SignIn(refused=EXPIRED)
    return SignIn(user=user)


# --- who may do what ----------------------------------------------------------------------------

def can_list_accounts(actor: User) -> bool:
    """National and agency admins, and oversight (read-only)."""
    return actor.role in (NATIONAL_ADMIN, AGENCY_ADMIN, OVERSIGHT)


def can_manage_accounts(actor: User) -> bool:
    """National and agency admins; never oversight or an officer."""
    return actor.role in (NATIONAL_ADMIN, AGENCY_ADMIN)


def assignable_roles(actor: User) -> tuple[str, ...]:
    """The roles ``actor`` may give to an account (and manage)."""
    if actor.role == NATIONAL_ADMIN:
        return ROLES
    if actor.role == AGENCY_ADMIN:
        return (OFFICER, AGENCY_ADMIN)
    return ()


def scoped_accounts_query(actor: User):
    """A SELECT of the accounts ``actor`` may see: every one, or those of the agency subtree."""
    query = select(User)
    if not can_list_accounts(actor):
        return query.where(User.id.is_(None))
    scope = access.agency_scope(actor)
    if scope is not None:
        query = query.where(User.agency_id.in_(scope or {-1}))
    return query


def can_manage(actor: User, account: User) -> bool:
    """May ``actor`` deactivate, reactivate or reset ``account``? Never their own."""
    if not can_manage_accounts(actor) or account.id == actor.id:
        return False
    if account.role not in assignable_roles(actor):
        return False
    scope = access.agency_scope(actor)
    return scope is None or account.agency_id in scope


def can_reset_password(actor: User, account: User) -> bool:
    """May ``actor`` give ``account`` a new password? As :func:`can_manage`, but an agency
    admin never resets another agency admin (that would be taking over a peer's account):
    the national admin does."""
    if not can_manage(actor, account):
        return False
    return not (actor.role == AGENCY_ADMIN and account.role == AGENCY_ADMIN)


def list_accounts(actor: User, q: str | None = None, page: int = 1) -> Page:
    """One page of the accounts ``actor`` may see, searched by name or e-mail; active first."""
    query = querying.words_in(scoped_accounts_query(actor), (User.name, User.email), q)
    return querying.paginate(
        query.options(selectinload(User.agency))
        .order_by(User.is_active_account.desc(), func.lower(User.name), User.id), page, PAGE_SIZE)


def account_for(actor: User, user_id: int, for_update: bool = False) -> User:
    """The account ``user_id`` if ``actor`` may see it; NotFound otherwise (as if missing)."""
    query = scoped_accounts_query(actor).where(User.id == user_id)
    if for_update:
        query = query.with_for_update()
    account = db.session.scalar(query)
    if account is None:
        raise NotFound(_l("Akun tidak ditemukan."))
    return account


def assignable_agencies(actor: User, q: str | None = None,
                        limit: int | None = None) -> tuple[list[Agency], int]:
    """Active agencies ``actor`` may put an account in, matching ``q``: (the first ``limit``
    by name, default AGENCY_CHOICE_LIMIT; how many match in all)."""
    limit = limit or AGENCY_CHOICE_LIMIT
    if not can_manage_accounts(actor):
        return [], 0
    query = select(Agency).where(Agency.is_active.is_(True))
    scope = access.agency_scope(actor)
    if scope is not None:
        query = query.where(Agency.id.in_(scope or {-1}))
    query = querying.words_in(query, (Agency.name, Agency.short_name, Agency.slug), q)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return list(db.session.scalars(query.order_by(Agency.name, Agency.id).limit(limit))), total


def history(account: User) -> list[AccessLog]:
    """The changes made to ``account`` on these pages, newest first."""
    return list(db.session.scalars(
        select(AccessLog).options(selectinload(AccessLog.user))
        .where(AccessLog.what.in_(ACCOUNT_CHANGES), AccessLog.detail.like(f"{_subject(account)}%"))
        .order_by(AccessLog.id.desc()).limit(50)))


# --- changes ------------------------------------------------------------------------------------

@dataclass
class NewAccount:
    """What an admin typed to create an account. No ``password`` means: generate one."""

    name: str | None = None
    email: str | None = None
    role: str | None = None
    agency_slug: str | None = None
    password: str | None = None


def generate_password() -> str:
    """A one-time password from the CSPRNG, e.g. ``K7QM-2XPA-9TRD-WB4N`` (80 bits)."""
    groups = ("".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(4))
              for _ in range(ONE_TIME_GROUPS))
    return "-".join(groups)


def generate_password_for(name: str | None, email: str | None) -> str:
    """A one-time password that passes the rule for this account (a random one could, once in
    a million, spell a part of the name)."""
    while True:
        candidate = generate_password()
        if passwords.problem(candidate, name=name, email=email) is None:
            return candidate


def password_problem(password: str, *, name: str | None = None,
                     email: str | None = None) -> str | None:
    """Why ``password`` may not be used by the account ``name``/``email`` (the rule the
    command line applies too, services/passwords.py), or None."""
    return passwords.problem(password, name=name, email=email)


def new_account_problems(actor: User, new: NewAccount) -> dict[str, str]:
    """Every reason ``actor`` may not create ``new``, by field (empty when it may)."""
    problems: dict[str, str] = {}
    name = (new.name or "").strip()
    email = (new.email or "").strip().lower()
    if not name:
        problems["name"] = _l("Nama wajib diisi.")
    elif len(name) > NAME_MAX_LENGTH:
        problems["name"] = _l("Nama paling banyak %(num)s karakter.", num=NAME_MAX_LENGTH)
    if not email:
        problems["email"] = _l("E-mail wajib diisi.")
    elif len(email) > EMAIL_MAX_LENGTH or not _EMAIL_SHAPE.fullmatch(email):
        problems["email"] = _l("Alamat e-mail tidak valid. Contoh: nama@instansi.go.id")
    elif db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        problems["email"] = _l("Sudah ada akun dengan e-mail ini.")
    if new.role not in assignable_roles(actor):
        problems["role"] = _l("Pilih salah satu peran yang tersedia.")
    elif new.role in ROLES_WITH_AGENCY:
        agency = agencies.get_by_slug(new.agency_slug, active_only=True)
        scope = access.agency_scope(actor)
        if agency is None:
            problems["agency"] = _l("Pilih instansi untuk peran ini.")
        elif scope is not None and agency.id not in scope:
            problems["agency"] = _l("Instansi ini di luar kewenangan Anda. Pilih instansi Anda "
                                    "atau unit di bawahnya.")
    elif new.agency_slug:
        problems["agency"] = _l("Peran ini tidak terikat pada instansi; pilih \"Tanpa instansi\".")
    if new.password:
        problem = password_problem(new.password, name=name, email=email)
        if problem:
            problems["password"] = problem
    return problems


@writes
def create_account(actor: User, new: NewAccount,
                   now: datetime | None = None) -> tuple[User, str | None]:
    """Create ``new`` as ``actor``; return the account and its one-time password (None when
    the admin chose the password). The unit of work commits (app/unit_of_work.py) and shows that password only once.

    Raises TransitionRefused when ``actor`` may not manage accounts, FieldErrors with every
    problem of the form otherwise.
    """
    if not can_manage_accounts(actor):
        raise TransitionRefused(_l("Anda tidak dapat mengelola akun."))
    problems = new_account_problems(actor, new)
    if problems:
        raise FieldErrors(problems)
    one_time = None if new.password else generate_password_for(new.name, new.email)
    try:
        with db.session.begin_nested():
            account = create_user(email=new.email, name=new.name, role=new.role,
                                  agency_slug=new.agency_slug if new.role in ROLES_WITH_AGENCY else None,
                                  password=new.password or one_time)
    except IntegrityError:
        # Somebody created the same e-mail a moment ago.
        raise FieldErrors({"email": _l("Sudah ada akun dengan e-mail ini.")}) from None
    _must_change(account, now or clock.now())
    _audit(actor, CREATED, account)
    return account, one_time


def _must_change(account: User, now: datetime) -> None:
    """A password set by an admin: to be changed at the next sign-in, dead after 24 hours."""
    account.must_change_password = True
    account.password_expires_at = now + ADMIN_PASSWORD_LIFETIME


@writes
def set_active(actor: User, user_id: int, active: bool, now: datetime | None = None) -> User:
    """Deactivate (``active=False``) or reactivate an account; never delete it.

    A deactivated account cannot sign in; its sessions end at once and its API tokens are
    revoked (reactivation brings neither back). Nothing changes (and nothing is logged) when
    it is already so.
    """
    account = _managed_account(actor, user_id)
    if account.is_active_account != active:
        account.is_active_account = active
        _audit(actor, REACTIVATED if active else DEACTIVATED, account)
        if not active:
            sessions.end_all(account, now or clock.now(), sessions.DEACTIVATED)
        db.session.flush()
    return account


@writes
def reset_password(actor: User, user_id: int, now: datetime | None = None) -> tuple[User, str]:
    """Give the account a new one-time password; return it (the caller shows it once).

    Every session of the account ends at once and its API tokens are revoked; the new password
    must be changed at the next sign-in and opens nothing after 24 hours. An agency admin may
    not reset another agency admin (:func:`can_reset_password`).
    """
    account = _managed_account(actor, user_id)
    if not can_reset_password(actor, account):
        raise TransitionRefused(_l("Admin instansi tidak dapat mengatur ulang kata sandi admin "
                                   "instansi lain. Minta admin nasional."))
    now = now or clock.now()
    one_time = generate_password_for(account.name, account.email)
    account.set_password(one_time)
    _must_change(account, now)
    _audit(actor, PASSWORD_RESET, account)
    sessions.end_all(account, now, sessions.PASSWORD_RESET)
    account_notices.queue(account, account_notices.PASSWORD_RESET, now)
    db.session.flush()
    return account, one_time


@writes
def change_own_password(user: User, current: str, new: str, repeated: str,
                        now: datetime | None = None, keep_token: str | None = None) -> dict[str, str]:
    """Replace ``user``'s own password; return field → message when refused (nothing changes).

    The current password is required (a session left open on a shared computer must not be
    enough), the new one follows :func:`password_problem` and must differ from the current one.
    Every other session of the account ends (the one with id ``keep_token`` stays) and its API
    tokens are revoked.
    """
    problems: dict[str, str] = {}
    if not user.check_password(current or ""):
        problems["current_password"] = _l("Kata sandi saat ini salah.")
    problem = password_problem(new or "", name=user.name, email=user.email)
    if problem:
        problems["new_password"] = problem
    elif new == current:
        problems["new_password"] = _l("Kata sandi baru harus berbeda dari yang sekarang.")
    if not problems and new != repeated:
        problems["repeat_password"] = _l("Ulangi kata sandi baru dengan tepat sama.")
    if problems:
        return problems
    account = db.session.get(User, user.id, with_for_update=True)
    account.set_password(new)
    account.must_change_password = False
    account.password_expires_at = None
    _audit(account, PASSWORD_CHANGED, account)
    now = now or clock.now()
    sessions.end_all(account, now, sessions.PASSWORD_CHANGED, keep_token=keep_token)
    account_notices.queue(account, account_notices.PASSWORD_CHANGED, now)
    db.session.flush()
    return {}


def managed_account(actor: User, user_id: int) -> User:
    """The account ``user_id``, locked, if ``actor`` may manage it (never their own):
    TransitionRefused or NotFound otherwise. For services that change accounts
    (services/second_factor.py)."""
    return _managed_account(actor, user_id)


def audit_change(actor: User, what: str, account: User) -> None:
    """A line of the account's history (:func:`history`), written by ``actor``."""
    _audit(actor, what, account)


def _managed_account(actor: User, user_id: int) -> User:
    if not can_manage_accounts(actor):
        raise TransitionRefused(_l("Anda tidak dapat mengelola akun."))
    account = account_for(actor, user_id, for_update=True)
    if account.id == actor.id:
        raise TransitionRefused(_l("Akun Anda sendiri tidak dapat diubah di sini."))
    if not can_manage(actor, account):
        # In scope but of a role this admin may not give (e.g. another agency's scope rule).
        raise NotFound(_l("Akun tidak ditemukan."))
    return account


def _subject(account: User) -> str:
    return f"user={account.id};"


def _audit(actor: User, what: str, account: User) -> None:
    """One line of the audit trail: who did what to which account (never a password)."""
    agency = account.agency.slug if account.agency is not None else "-"
    db.session.add(AccessLog(user_id=actor.id, what=what,
                             detail=f"{_subject(account)} {account.email}; role={account.role}; "
                                    f"agency={agency}"[:200]))
