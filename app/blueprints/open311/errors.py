"""Open311 errors: ``[{"code": 404, "description": "…"}]`` / ``<errors><error>…</error></errors>``.

Every failure under /open311/ answers in that form, with the same HTTP status:

* errors raised by the views (:class:`Open311Error`) and every HTTP error raised while a view
  of this blueprint runs (413, 429 from the rate limiter…) — blueprint error handlers;
* unknown paths and wrong methods, which fail before any view is chosen (so no blueprint
  handler would see them) — caught by a ``before_app_request`` hook, which runs before Flask
  raises the routing error;
* anything unexpected: logged, and answered with a 500 in the same form.

The format is the path's extension (``.xml`` → XML); JSON otherwise.
"""
from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import HTTPException

from . import bp
from .render import FORMATS, render

PATH_PREFIX = "/open311/"

# Werkzeug's default descriptions are long English sentences; these are ours.
DESCRIPTIONS = {
    400: "Permintaan tidak valid.",
    403: "Tidak diizinkan.",
    404: "Tidak ditemukan. Lihat /open311/v2/discovery.json untuk daftar endpoint.",
    405: "Metode HTTP ini tidak didukung di alamat ini.",
    413: "Kiriman terlalu besar.",
    429: "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.",
    500: "Terjadi kesalahan di server.",
}


class Open311Error(Exception):
    """Raise from a view to answer with an Open311 error list."""

    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, str(description)


def response_format() -> str:
    """The format the client asked for: the view's ``fmt``, else the path's extension."""
    fmt = (request.view_args or {}).get("fmt")
    if fmt in FORMATS:
        return fmt
    return "xml" if request.path.lower().endswith(".xml") else "json"


def error_response(status: int, description: str, headers: dict | None = None):
    return render(response_format(), "errors", [{"code": status, "description": description}],
                  item="error", status=status, headers=headers)


def _from_http(exc: HTTPException):
    status = exc.code or 500
    headers = {}
    if status == 405:
        allow = dict(exc.get_headers()).get("Allow")
        if allow:
            headers["Allow"] = allow
    if status == 429:
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            headers["Retry-After"] = str(retry_after)
    return error_response(status, DESCRIPTIONS.get(status) or exc.description or exc.name, headers)


@bp.errorhandler(Open311Error)
def _open311_error(exc: Open311Error):
    # Nothing of a refused request is kept: its error status rolls the unit of work back.
    return error_response(exc.status, exc.description)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return _from_http(exc)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):  # pragma: no cover - Flask routes these above
        return _http_error(exc)
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, DESCRIPTIONS[500])


@bp.before_app_request
def _routing_error():
    """Unknown path or wrong method under /open311/: answer in Open311's form, not the app's."""
    exc = request.routing_exception
    if (exc is None or not isinstance(exc, HTTPException) or (exc.code or 0) < 400
            or not (request.path + "/").startswith(PATH_PREFIX)):
        return None
    return _from_http(exc)
