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
