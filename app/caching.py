"""Cache-Control: every answer is ``no-store`` unless its view says it is a public page.

Most of Terang's answers hold something that must never sit in a browser's or a proxy's cache:
a tracking code, a reporter's case, an officer's screen, a form with its CSRF token. So
``no-store`` is the default, and the pages anyone may see alike opt out explicitly:

* a view with ``@public_page`` (under its route decorator);
* every view of a blueprint given to :func:`public_blueprint` (the transparency board);
* static files, which keep what Flask sends for them.

A public page sends no ``Cache-Control`` of its own (as before this default existed).

A public page whose answer is the same for every anonymous reader and changes only with the
public data (the board, its downloads, the open-data API) is also *shared*: ``@shared_page`` or
:func:`shared_blueprint`. ``app/page_cache.py`` keys those by the data version and language,
sends ``Cache-Control: public`` with an ETag to anonymous readers, and ``private, no-store`` to
anyone else.
"""
from __future__ import annotations

from flask import Blueprint, current_app, request

NO_STORE = "no-store"
_ATTRIBUTE = "terang_public_page"
_SHARED = "terang_shared_page"
_public_blueprints: set[str] = set()
_shared_blueprints: set[str] = set()


def public_page(view):
    """Declare ``view`` a public page: its answers get no ``Cache-Control: no-store``."""
    setattr(view, _ATTRIBUTE, True)
    return view


def public_blueprint(blueprint: Blueprint) -> Blueprint:
    """Declare every view of ``blueprint`` a public page."""
    _public_blueprints.add(blueprint.name)
    return blueprint


def shared_page(view):
    """Declare ``view`` a public page whose answer every anonymous reader shares (cached by
    data version and language: app/page_cache.py)."""
    setattr(view, _SHARED, True)
    return public_page(view)


def shared_blueprint(blueprint: Blueprint) -> Blueprint:
    """Declare every view of ``blueprint`` a shared public page."""
    _shared_blueprints.add(blueprint.name)
    return public_blueprint(blueprint)


def is_shared_endpoint(endpoint: str | None = None, app=None) -> bool:
    """Whether this request's view (or ``endpoint`` of ``app``: the page cache asks before
    Flask's request exists) is a shared public page."""
    if app is None:
        app, endpoint = current_app, request.endpoint
    if endpoint is None:
        return False
    if endpoint.rpartition(".")[0] in _shared_blueprints:
        return True
    view = app.view_functions.get(endpoint)
    return bool(getattr(view, _SHARED, False))


def is_public_request() -> bool:
    """Whether this request's view is a public page (or a static file)."""
    endpoint = request.endpoint
    if endpoint is None:  # no view matched (404, 405): nothing public was asked for
        return False
    if endpoint == "static" or endpoint.endswith(".static"):
        return True
    if request.blueprint in _public_blueprints:
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, _ATTRIBUTE, False))


def apply(response):
    """``Cache-Control: no-store`` on every answer but a public page's."""
    if not is_public_request():
        response.headers["Cache-Control"] = NO_STORE
    return response
