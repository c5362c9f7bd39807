"""What a staff password must be (OWASP ASVS 4.0.3, V2.1; docs/security.md).

* at least ``MIN_LENGTH`` (12) characters and at most ``MAX_LENGTH`` (200); every character
  is allowed (spaces and any Unicode), nothing is truncated, no composition rule;
* not one of the 30,000 most common passwords of the breach corpus that the ``zxcvbn``
  package ships (``frequency_lists.FREQUENCY_LISTS["passwords"]``), compared without case
  and without spaces; no network is needed;
* not containing the account's own name (or a word of it) or its e-mail's local part.

The same rule serves the command line (``flask users create``), an admin choosing a password
and an officer changing their own.
"""
from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 200  # the sign-in form accepts no longer password
# Parts of a name or an e-mail shorter than this are too common to refuse ("ali", "sri").
MIN_PERSONAL_PART = 4


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The vendored list of common and breached passwords, lower case."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    folded = password.lower()
    return folded in common_passwords() or "".join(folded.split()) in common_passwords()


def personal_parts(name: str | None, email: str | None) -> list[str]:
    """The pieces of ``name`` and of ``email``'s local part a password may not contain."""
    parts: list[str] = []
    for word in (name or "").lower().split():
        parts.append(word)
    if name:
        parts.append("".join((name or "").lower().split()))
    local = (email or "").lower().partition("@")[0]
    parts.append(local)
    for separator in ".-_+":
        local = local.replace(separator, " ")
    parts.extend(local.split())
    return sorted({p for p in parts if len(p) >= MIN_PERSONAL_PART}, key=len, reverse=True)


def problem(password: str, *, name: str | None = None, email: str | None = None) -> str | None:
    """Why ``password`` may not be used by the account ``name``/``email``, or None."""
    if len(password) < MIN_LENGTH:
        return _l("Kata sandi minimal %(num)s karakter.", num=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Kata sandi paling banyak %(num)s karakter.", num=MAX_LENGTH)
    if is_common(password):
        return _l("Kata sandi ini termasuk yang paling sering dipakai atau pernah bocor, sehingga "
                  "mudah ditebak. Pilih yang lain, misalnya beberapa kata acak.")
    folded = "".join(password.lower().split())
    if any(part in folded for part in personal_parts(name, email)):
        return _l("Kata sandi tidak boleh memuat nama atau alamat e-mail Anda.")
    return None
