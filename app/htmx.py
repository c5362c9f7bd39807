"""The one place that decides "partial or full page" (docs/architecture.md, "htmx conventions")."""
from flask import g, request


def is_partial_request(headers=None) -> bool:
    """True for an htmx request that wants a fragment, not a boosted or history-restore one.
    ``headers``: another request's (the page cache asks before Flask's request exists)."""
    headers = request.headers if headers is None else headers
    return ("HX-Request" in headers and "HX-Boosted" not in headers
            and "HX-History-Restore-Request" not in headers)


def mark_varies() -> None:
    """Responses of this view differ for htmx; caches must key on HX-Request."""
    g.varies_on_htmx = True
