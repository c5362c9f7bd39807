"""The reporter's secret tracking code.

80 bits from :mod:`secrets`, written in Crockford's base32 (no I, L, O, U, so nothing is
misread) as four groups of four: ``K7QM-2XPA-9TRD-WB4N``. Only an HMAC-SHA256 of the
normalised code, keyed with the app secret, is stored: the code can be looked up but never
recovered from the database. A code made only of digits is drawn again so that it can never
look like a NIK (and be masked as personal data).
"""
import hashlib
import hmac
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
CODE_LENGTH = 16  # 16 symbols x 5 bits = 80 bits
GROUP = 4
_KEY_CONTEXT = b"terang/tracking-code/v1"
# What readers type instead of what we print.
_CONFUSABLES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
_VALID = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


def generate_code() -> str:
    """Return a new code, grouped for reading."""
    while True:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if not raw.isdigit():
            return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise_code(typed: str) -> str | None:
    """Turn what a reporter typed into the canonical 16 symbols, or None if it cannot be a code.

    Case, spaces, dashes and the usual confusions (O/0, I/L/1) are forgiven.
    """
    if not typed:
        return None
    cleaned = re.sub(r"[\s\-_.]", "", typed).upper().translate(_CONFUSABLES)
    return cleaned if _VALID.match(cleaned) else None


def hash_code(normalised: str, secret_key: str) -> str:
    """The keyed hash stored in ``reports.tracking_hash``."""
    return hasher(secret_key)(normalised)


def hasher(secret_key: str):
    """:func:`hash_code` with the key derived once: a function of the normalised code (the bulk
    demo hashes a million codes with it; the stored hash is the same)."""
    key = hmac.new(secret_key.encode(), _KEY_CONTEXT, hashlib.sha256).digest()
    return lambda normalised: hmac.digest(key, normalised.encode(), "sha256").hex()
