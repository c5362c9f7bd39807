"""Reading list parameters from the query string, forgivingly (bad values mean "not set")."""
from __future__ import annotations

from datetime import date

from flask import request


def date_arg(name: str) -> date | None:
    """``?name=YYYY-MM-DD`` as a date, or None when absent or not a date."""
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def page_arg() -> int:
    """``?page=N`` (1 when absent or not a number; services clamp it to the last page)."""
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def text_arg(name: str, limit: int = 100) -> str | None:
    return (request.args.get(name) or "").strip()[:limit] or None
