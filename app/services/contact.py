"""Reporter contact details: validation and normalisation (e-mail and Indonesian phones)."""
from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from .errors import DomainError


def normalise_email(value: str | None) -> str | None:
    """The normalised address, or None when empty; DomainError when it is not an address."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise DomainError(_l("Alamat e-mail tidak valid. Contoh: nama@gmail.com"),
                          field="reporter_email") from exc


# What a valid value looks like, in the message itself (a reporter cannot guess the rule).
_PHONE_INVALID = _l("Nomor telepon tidak valid. Tulis nomor Indonesia, misalnya 0812-3456-7890 "
                    "atau +62 812 3456 7890.")


def normalise_phone(value: str | None) -> str | None:
    """The number in E.164 (``+628123456789``), or None when empty.

    Indonesian writings (``0812-3456-789``, ``62 812 …``, ``0062…``) are read as Indonesian.
    """
    value = (value or "").strip()
    if not value:
        return None
    candidate = value
    if candidate.startswith("00"):
        candidate = "+" + candidate[2:]
    try:
        number = phonenumbers.parse(candidate, "ID")
    except phonenumbers.NumberParseException as exc:
        raise DomainError(_PHONE_INVALID, field="reporter_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise DomainError(_PHONE_INVALID, field="reporter_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
