"""Python's cyclic garbage collector, paused around work that makes many objects and no cycles.

One home for the pause: the demo's bulk replay (millions of young rows) and a PDF's layout
(about a million short-lived objects) both set off full collections that walked every object
of the process for nothing; reference counting frees what they drop.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused(active: bool = True):
    """The collector off for the ``with`` block when ``active``, and on again after it only if it
    was on before (a caller that turned it off keeps it off)."""
    enabled = gc.isenabled()
    if active:
        gc.disable()
    try:
        yield
    finally:
        if active and enabled:
            gc.enable()
