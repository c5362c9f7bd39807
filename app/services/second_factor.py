"""The second factor of staff accounts: TOTP authenticators (RFC 6238) and recovery codes.

Who must have one: the roles in ``SECOND_FACTOR_ROLES`` (national admin, agency admin and
oversight by default, in tests too); an officer may add one. After a right password
(services/accounts.py ``sign_in``) :func:`step_after_password` says what comes next: nothing
(the session opens), a code (PENDING_CODE), or enrolment first (PENDING_ENROL). Meanwhile the
session is half open and opens no staff page (services/sessions.py).

* **Secrets** are 160 random bits (``pyotp.random_base32``), stored encrypted with Fernet under
  a key derived from the app secret (so a copy of the database alone gives no codes; changing
  ``SECRET_KEY`` means every factor must be reset). They are never logged.
* **Codes**: six digits, one 30-second step either side accepted (``valid_window=1``). The step
  of the last accepted code is kept: a code of that step or an older one is refused (replay).
* **Recovery codes**: ten, shown once at enrolment, 12 characters (about 59 bits) from an
  alphabet without look-alikes, stored as an HMAC keyed with the app secret and the account;
  each works once.
* **Guessing**: failed codes are counted per account with the sign-in throttle
  (services/throttle.py; five free failures, then a growing delay of at most five minutes),
  on top of the per-address limit of the sign-in form. When throttling starts, the owner is
  told by e-mail (someone knows the password).
* **Reset**: an admin who may reset the account's password (``accounts.can_reset_password``)
  may remove its factor; every session of the account ends, the owner is told, and the next
  sign-in leads to enrolment when the role requires a factor.

Audit (``AccessLog.what``): ENROLLED, CODE_FAILED, CODE_THROTTLED, RECOVERY_USED, REMOVED (by
the owner) on the owner's trail; ``accounts.SECOND_FACTOR_RESET`` on the admin's, naming the
account. Never a secret or a code.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import RecoveryCode, SecondFactor, User
from ..models.second_factor import TOTP
from ..models.user import AGENCY_ADMIN, NATIONAL_ADMIN, OVERSIGHT
from ..unit_of_work import writes
from . import account_notices, accounts, sessions, throttle
from .errors import FieldErrors, TransitionRefused

DEFAULT_REQUIRED_ROLES = (NATIONAL_ADMIN, AGENCY_ADMIN, OVERSIGHT)
ISSUER = "Terang"
DIGITS = 6
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = accounts.ONE_TIME_ALPHABET
RECOVERY_GROUPS = 3
# An enrolment not confirmed within this time starts again with a new secret.
ENROLMENT_LIFETIME = timedelta(hours=1)

# What the audit trail records (AccessLog.what).
ENROLLED = "second_factor_enrol"
CODE_FAILED = "second_factor_failed"
CODE_THROTTLED = "second_factor_throttled"
RECOVERY_USED = "recovery_code_used"
REMOVED = "second_factor_remove"
RESET = accounts.SECOND_FACTOR_RESET
EVENTS = (ENROLLED, CODE_FAILED, CODE_THROTTLED, RECOVERY_USED, REMOVED, RESET)

# Outcomes of a code check.
WRONG = "wrong"
THROTTLED = "throttled"
REPLAYED = "replayed"


# --- who needs one ------------------------------------------------------------------------------

def required_roles() -> tuple[str, ...]:
    return tuple(current_app.config.get("SECOND_FACTOR_ROLES", DEFAULT_REQUIRED_ROLES))


def is_required(user: User) -> bool:
    """Must ``user``'s role have a second factor?"""
    return user.role in required_roles()


def factor_of(user: User) -> SecondFactor | None:
    """``user``'s confirmed TOTP factor, or None."""
    return db.session.scalar(select(SecondFactor).where(
        SecondFactor.user_id == user.id, SecondFactor.kind == TOTP,
        SecondFactor.confirmed_at.is_not(None)).order_by(SecondFactor.id.desc()).limit(1))


def has_factor(user: User) -> bool:
    return factor_of(user) is not None


def step_after_password(user: User) -> str | None:
    """What a right password leads to: None (signed in), PENDING_CODE or PENDING_ENROL."""
    if has_factor(user):
        return sessions.PENDING_CODE
    if is_required(user):
        return sessions.PENDING_ENROL
    return None


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


# --- secrets at rest ----------------------------------------------------------------------------

def _fernet() -> Fernet:
    digest = hashlib.sha256(b"terang/second-factor/v1"
                            + current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str) -> str:
    """``secret`` encrypted for the ``secret`` column."""
    return _fernet().encrypt(secret.encode()).decode()


def _open(factor: SecondFactor) -> str | None:
    try:
        return _fernet().decrypt(factor.secret.encode()).decode()
    except (InvalidToken, ValueError):
        return None  # sealed under another SECRET_KEY: only a reset helps


def _recovery_hash(user_id: int, code: str) -> str:
    key = ("terang/recovery-code/" + current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _normalised(code: str | None) -> str:
    return "".join((code or "").split()).replace("-", "").upper()[:40]


def generate_recovery_code() -> str:
    """A recovery code from the CSPRNG, e.g. ``K7QM-2XPA-9TRD``."""
    return "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4))
                    for _ in range(RECOVERY_GROUPS))


# --- TOTP ---------------------------------------------------------------------------------------

def _matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step (of the current one and one either side) whose code is ``code`` and that
    is later than ``after``; None when there is none."""
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS)
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and (after is None or step > after):
            return step
    return None


def current_code(secret: str, now: datetime) -> str:
    """The code an authenticator shows at ``now`` (tests, the demo)."""
    return pyotp.TOTP(secret, digits=DIGITS).at(now)


# --- enrolment ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the QR code (inline SVG), the secret in groups of four
    for typing by hand, and the otpauth URI inside the QR code."""

    secret: str
    uri: str
    qr_svg: str

    @property
    def secret_groups(self) -> list[str]:
        return [self.secret[i:i + 4] for i in range(0, len(self.secret), 4)]


def _unconfirmed(user: User, now: datetime) -> SecondFactor | None:
    return db.session.scalar(select(SecondFactor).where(
        SecondFactor.user_id == user.id, SecondFactor.kind == TOTP,
        SecondFactor.confirmed_at.is_(None), SecondFactor.created_at > now - ENROLMENT_LIFETIME)
        .order_by(SecondFactor.id.desc()).limit(1))


@writes
def begin_enrolment(user: User, now: datetime) -> Enrolment:
    """The enrolment under way for ``user`` (the same secret on a reload, so that a QR code
    already scanned still works), or a new one. Refused when a factor is already confirmed."""
    if has_factor(user):
        raise TransitionRefused(_l("Akun ini sudah memakai verifikasi dua langkah."))
    factor = _unconfirmed(user, now)
    secret = _open(factor) if factor is not None else None
    if secret is None:
        db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id,
                                                      SecondFactor.confirmed_at.is_(None)))
        secret = pyotp.random_base32()
        db.session.add(SecondFactor(user_id=user.id, kind=TOTP, secret=seal(secret),
                                    created_at=now))
        db.session.flush()
    uri = pyotp.TOTP(secret, digits=DIGITS).provisioning_uri(name=user.email, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, light="#fff", dark="#000", svgclass="qr-code",
        title=str(_l("Kode QR untuk aplikasi autentikator")))
    return Enrolment(secret=secret, uri=uri, qr_svg=svg)


@writes
def confirm_enrolment(user: User, code: str, now: datetime) -> list[str]:
    """Confirm the enrolment under way with a first code; return the ten recovery codes (shown
    once, stored only as HMACs). FieldErrors({"code": …}) when the code is not right."""
    factor = _unconfirmed(user, now)
    secret = _open(factor) if factor is not None else None
    if secret is None:
        raise FieldErrors({"code": _l("Pendaftaran sudah kedaluwarsa. Pindai kode QR yang baru "
                                      "di halaman ini, lalu masukkan kodenya.")})
    step = _matching_step(secret, _normalised(code), now, None)
    if step is None:
        raise FieldErrors({"code": _l("Kode tidak cocok. Masukkan 6 angka yang sedang tampil di "
                                      "aplikasi autentikator; periksa juga jam ponsel Anda.")})
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id,
                                                  SecondFactor.id != factor.id))
    factor.confirmed_at = now
    factor.last_used_step = step
    factor.last_used_at = now
    codes = _new_recovery_codes(user, now)
    sessions.audit(user.id, ENROLLED, "totp")
    account_notices.queue(user, account_notices.SECOND_FACTOR_CHANGED, now)
    db.session.flush()
    return codes


def _new_recovery_codes(user: User, now: datetime) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [generate_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user.id, _normalised(code)),
                                    created_at=now))
    return codes


# --- checking a code ----------------------------------------------------------------------------

@dataclass
class CodeCheck:
    """The outcome of a code: ``ok``, whether a recovery code was used (and how many are left),
    or why not (WRONG, REPLAYED, THROTTLED) and how many seconds to wait."""

    ok: bool = False
    recovery: bool = False
    recovery_left: int = 0
    refused: str | None = None
    wait_seconds: int = 0


def _throttle_key(user: User) -> str:
    return throttle.key_for(f"second-factor:{user.id}", current_app.config["SECRET_KEY"])


def _accept(user: User, code: str, now: datetime) -> tuple[bool, bool, bool]:
    """(accepted, was a recovery code, was a replayed TOTP code)."""
    normalised = _normalised(code)
    factor = db.session.scalar(select(SecondFactor).where(
        SecondFactor.user_id == user.id, SecondFactor.kind == TOTP,
        SecondFactor.confirmed_at.is_not(None)).order_by(SecondFactor.id.desc()).limit(1)
        .with_for_update())
    if factor is None:
        return False, False, False
    if normalised.isdigit():
        secret = _open(factor)
        if secret is None:
            return False, False, False
        step = _matching_step(secret, normalised, now, factor.last_used_step)
        if step is None:
            replayed = _matching_step(secret, normalised, now, None) is not None
            return False, False, replayed
        factor.last_used_step, factor.last_used_at = step, now
        return True, False, False
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
        RecoveryCode.code_hash == _recovery_hash(user.id, normalised)).with_for_update())
    if row is None:
        return False, False, False
    row.used_at = now
    return True, True, False


@writes
def check_code(user: User, code: str, now: datetime) -> CodeCheck:
    """Check the code ``user`` typed at sign-in: a current TOTP code not used before, or an
    unused recovery code (then used up). Failures are counted (throttled) and audited."""
    key = _throttle_key(user)
    wait = throttle.wait_seconds(key, now)
    if wait:
        return CodeCheck(refused=THROTTLED, wait_seconds=wait)
    accepted, recovery, replayed = _accept(user, code, now)
    if not accepted:
        wait, started = throttle.record_failure(key, now)
        sessions.audit(user.id, CODE_FAILED, "replayed" if replayed else None)
        if started:
            sessions.audit(user.id, CODE_THROTTLED, f"seconds={wait}")
            account_notices.queue(user, account_notices.SECOND_FACTOR_THROTTLED, now)
        return CodeCheck(refused=THROTTLED if wait else (REPLAYED if replayed else WRONG),
                         wait_seconds=wait)
    throttle.clear(key)
    left = 0
    if recovery:
        db.session.flush()
        left = recovery_codes_left(user)
        sessions.audit(user.id, RECOVERY_USED, f"left={left}")
    db.session.flush()
    return CodeCheck(ok=True, recovery=recovery, recovery_left=left)


# --- removing and resetting ---------------------------------------------------------------------

def _drop(user: User) -> None:
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def can_remove_own(user: User) -> bool:
    """An officer may remove their own factor; a role that requires one may not."""
    return not is_required(user)


@writes
def remove_own(user: User, password: str, code: str, now: datetime) -> dict[str, str]:
    """Remove ``user``'s own factor (an officer's): the current password and a current code
    (or a recovery code) are asked; return field → message when refused."""
    if not can_remove_own(user):
        raise TransitionRefused(_l("Peran Anda wajib memakai verifikasi dua langkah. Minta admin "
                                   "mengatur ulangnya bila autentikator Anda hilang."))
    problems: dict[str, str] = {}
    if not user.check_password(password or ""):
        problems["current_password"] = _l("Kata sandi saat ini salah.")
    if not problems:
        outcome = check_code(user, code, now)
        if not outcome.ok:
            problems["code"] = (_l("Terlalu banyak kode yang salah. Coba lagi nanti.")
                                if outcome.refused == THROTTLED
                                else _l("Kode tidak cocok atau sudah dipakai."))
    if problems:
        return problems
    _drop(user)
    sessions.audit(user.id, REMOVED, "totp")
    account_notices.queue(user, account_notices.SECOND_FACTOR_CHANGED, now)
    db.session.flush()
    return {}


def can_reset(actor: User, account: User) -> bool:
    """May ``actor`` remove ``account``'s second factor? Whoever may reset its password
    (``accounts.can_reset_password``): the national admin anyone's, an agency admin only the
    officers of the agency; never one's own."""
    return accounts.can_reset_password(actor, account)


@writes
def reset(actor: User, user_id: int, now: datetime) -> User:
    """Remove the second factor of account ``user_id`` (lost phone); every session of the
    account ends and its owner is told. Audited on the actor's trail, naming the account."""
    account = accounts.managed_account(actor, user_id)
    if not can_reset(actor, account):
        raise TransitionRefused(_l("Admin instansi tidak dapat mengatur ulang verifikasi dua "
                                   "langkah admin instansi lain. Minta admin nasional."))
    _drop(account)
    accounts.audit_change(actor, RESET, account)
    sessions.end_sessions(account, sessions.SECOND_FACTOR_RESET)
    throttle.clear(_throttle_key(account))
    account_notices.queue(account, account_notices.SECOND_FACTOR_CHANGED, now)
    db.session.flush()
    return account


@writes
def reset_by_operator(email: str, now: datetime) -> User | None:
    """``flask users reset-second-factor``: as :func:`reset`, by the operator of the server
    (who can reach the database anyway), for an account no admin may reset, e.g. the only
    national admin's. Audited on the account's own trail. None when no account has ``email``."""
    account = db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    if account is None:
        return None
    _drop(account)
    sessions.audit(account.id, RESET, "by the operator (flask users reset-second-factor)")
    sessions.end_sessions(account, sessions.SECOND_FACTOR_RESET)
    throttle.clear(_throttle_key(account))
    account_notices.queue(account, account_notices.SECOND_FACTOR_CHANGED, now)
    db.session.flush()
    return account
