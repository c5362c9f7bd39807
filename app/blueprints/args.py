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


def region_args() -> tuple[str | None, str | None]:
    """``(province, region)`` from ``?province=…&region=…``; ``region`` is what filters.

    ``region`` is a province code (``13``) or a kab/kota code (``13.71``), as in the API. The
    board's form sends both: the kab/kota counts only while it lies in the chosen province (a
    province changed without JavaScript leaves the old kab/kota behind), and no province means
    all of Indonesia. A link with ``region`` alone keeps it.
    """
    province = text_arg("province", 10)
    region = text_arg("region", 10)
    if "province" not in request.args:
        return (region.split(".")[0] if region else None), region
    if region and province and region.split(".")[0] == province:
        return province, region
    return province, province
