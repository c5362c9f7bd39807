"""Rate limits of the HTML pages (the API's are in ``blueprints/api``): sign-in, tracking and
filing. Config: ``RATELIMIT_LOGIN``, ``RATELIMIT_TRACKING``, ``RATELIMIT_INTAKE``;
``RATELIMIT_ENABLED=false`` turns every limit off.

A page never answers a bare 429: a refused sign-in, code or report comes back as the same form,
with what was typed, a message saying how long to wait, and a ``Retry-After`` header. Only what
an abuser would repeat is counted: failed sign-ins, codes not found, and reports actually filed
(the no-JavaScript "refine" buttons post the report form too, and must never be limited).
"""
from __future__ import annotations

import math
from . import clock
from typing import Callable

from flask import current_app
from flask_limiter.util import get_remote_address

from .extensions import limiter


def limits_off() -> bool:
    # The limiter is one object shared by every app in the process; each app's own switch counts.
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def retry_after_seconds(request_limit) -> int:
    """Whole seconds until the breached window frees a slot (at least 1)."""
    return max(1, math.ceil(request_limit.reset_at - clock.timestamp()))


def form_limit(config_key: str, scope: str, *, counts: Callable, on_breach: Callable):
    """Limit POSTs of a form per client address; ``counts(response)`` says which ones count,
    ``on_breach(request_limit)`` renders the form again with a message."""
    return limiter.shared_limit(lambda: current_app.config[config_key], scope=scope,
                                key_func=get_remote_address, exempt_when=limits_off,
                                methods=["POST"], deduct_when=counts, on_breach=on_breach)


# --- Limits that hold across workers -------------------------------------------------------
# Each gunicorn worker is its own process: with ``memory://`` storage each would keep its own
# count, and a client would get as many tries as there are workers. Production therefore
# refuses to serve with more than one worker unless the limits live in a shared store (Redis).

SHARED_STORAGE_SCHEMES = ("redis", "rediss", "redis+unix", "redis+cluster", "redis+sentinel",
                          "memcached", "mongodb", "valkey", "valkeys")


def shares_counts(storage_uri: str | None) -> bool:
    """Whether the rate-limit storage is one that every worker process sees."""
    scheme = (storage_uri or "memory://").split(":", 1)[0].lower()
    return scheme in SHARED_STORAGE_SCHEMES


def unshared_limits_problem(config, workers: int) -> str | None:
    """Why production must not serve with ``workers`` processes and this config, or None.

    Only production is held to it (development runs one process), and only while limits are on
    (``RATELIMIT_ENABLED=false`` counts nothing, so there is nothing to share).
    """
    if config.get("ENVIRONMENT") != "production" or workers <= 1:
        return None
    if not config.get("RATELIMIT_ENABLED", True) or shares_counts(config.get("RATELIMIT_STORAGE_URI")):
        return None
    return (f"Terang: refusing to start {workers} workers with rate limits kept in each worker's "
            f"memory (REDIS_URL is not set). Every worker would count on its own, so a client "
            f"would get {workers} times the tries at sign-in, /lacak and /lapor. Set REDIS_URL "
            f"(e.g. REDIS_URL=redis://127.0.0.1:6379/0) so that all workers share the counts, "
            f"or run one worker with WEB_CONCURRENCY=1. "
            'See docs/deploy.md, "Rate limits with several workers".')


def gunicorn_workers() -> int | None:
    """The worker count of the gunicorn that is loading this app, however it was given
    (gunicorn.conf.py, ``-w``, ``GUNICORN_CMD_ARGS``, ``WEB_CONCURRENCY``); None outside gunicorn.

    gunicorn keeps its settings on the arbiter, application or worker object that imports the
    app (``self.cfg``), so the calling frames are searched for it.
    """
    import sys

    if "gunicorn" not in sys.modules:
        return None
    frame = sys._getframe(1)
    while frame is not None:
        owner = frame.f_locals.get("self")
        cfg = getattr(owner, "cfg", None)
        if type(owner).__module__.startswith("gunicorn.") and hasattr(cfg, "workers"):
            return int(cfg.workers)
        frame = frame.f_back
    return None


def refuse_unshared_limits(config, workers: int | None = None) -> None:
    """Raise :class:`UnsharedLimits` when production would serve several workers with limits in
    memory. ``workers`` defaults to the count of the gunicorn loading the app (none: nothing to
    check: a CLI command or a single-process server)."""
    workers = gunicorn_workers() if workers is None else workers
    problem = unshared_limits_problem(config, workers or 1)
    if problem:
        raise UnsharedLimits(problem)


class UnsharedLimits(RuntimeError):
    """Production with several workers and per-worker (in-memory) rate limits."""


def storage_reachable(config) -> str | None:
    """None when the shared rate-limit storage answers; else what is wrong, for a warning.

    Redis being down never stops Terang: the limiter counts in each worker's memory until Redis
    answers again (``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``), so limits are looser, not off.
    """
    from limits.storage import storage_from_string

    uri = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if not shares_counts(uri) or not config.get("RATELIMIT_ENABLED", True):
        return None
    try:
        reachable = storage_from_string(uri, **(config.get("RATELIMIT_STORAGE_OPTIONS") or {})).check()
    except Exception as exc:  # noqa: BLE001 (a bad URL, a missing driver: say it, don't crash)
        return f"the rate-limit storage could not be used ({type(exc).__name__}: {exc})"
    if reachable:
        return None
    return ("Redis (REDIS_URL) does not answer: until it does, each worker counts rate limits in "
            "its own memory, so limits are looser. Start Redis or correct REDIS_URL.")
