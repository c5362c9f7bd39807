"""The rule for any text a person sends, whatever the channel and whoever sends it.

Its own module because both sides use it: intake (what a reporter files) and workflow (what a
verifier publishes) call it, and intake sits above workflow, so the rule lives below both.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .errors import DomainError


def check_storable(field: str, value: str | None, max_length: int | None = None) -> None:
    """The rule for any text a person sends, on every channel (form, JSON API, Open311) and for
    reporters and officers alike: no NUL character (PostgreSQL refuses it) and, where there is a
    limit (the column's length, or the channel's), at most ``max_length`` characters once
    trimmed. DomainError naming ``field`` otherwise."""
    if value is None:
        return
    if "\x00" in value:
        raise DomainError(_l("Teks berisi karakter yang tidak diizinkan."), field=field)
    if max_length is not None and len(value.strip()) > max_length:
        raise DomainError(_l("Paling banyak %(n)s karakter.", n=max_length), field=field)
