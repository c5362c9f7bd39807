"""JSON errors for every failure under /api/v1."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from . import bp
from .serialize import error

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
         422: "invalid", 429: "rate_limited", 500: "server_error"}


def text(message: str, **values) -> str:
    """An API message: Indonesian, with ``%(name)s`` values filled in.

    The API does not negotiate a language (no session, no cookie); programs read ``code`` and
    ``fields``. Messages that come from the services are their (translatable) domain messages.
    """
    return message % values if values else message


class ApiError(Exception):
    """Raise from a view to answer with a JSON error (``headers``: e.g. WWW-Authenticate)."""

    def __init__(self, status: int, message: str, fields: dict | None = None, code: str | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.http_status, self.message, self.fields = status, message, fields or {}
        self.code = code or CODES.get(status, "error")
        self.headers = headers or {}


def error_response(status: int, message: str, fields: dict | None = None, code: str | None = None,
                   headers: dict | None = None):
    response = jsonify(error(code or CODES.get(status, "error"), message, fields or {}))
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return error_response(exc.http_status, exc.message, exc.fields, exc.code, exc.headers)


def framework_message(status: int) -> str:
    """The message of an error raised by Flask, Werkzeug or Flask-Limiter rather than a view.

    Indonesian first (their own descriptions are English), translatable like the pages' errors.
    """
    if status == 405:
        return _("Metode %(method)s tidak diizinkan di alamat ini.", method=request.method)
    messages = {
        400: lambda: _("Permintaan tidak valid."),
        403: lambda: _("Tidak diizinkan"),
        404: lambda: _("Alamat yang Anda buka tidak ada."),
        413: lambda: _("Kiriman terlalu besar"),
        429: lambda: _("Anda mengirim terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."),
        500: lambda: _("Maaf, terjadi kesalahan di server. Silakan coba lagi."),
    }
    found = messages.get(status)
    return found() if found else _("Permintaan tidak dapat diproses.")


def handle_http_error(exc: HTTPException):
    """Registered app-wide in create_app for paths under /api/ (404/405 happen before routing)."""
    headers = {}
    if exc.code == 429:
        retry_after = getattr(exc, "retry_after", None) or (exc.get_response().headers.get("Retry-After"))
        if retry_after:
            headers["Retry-After"] = str(retry_after)
    if exc.code == 405:
        # RFC 9110: a 405 names the methods the resource does allow.
        allow = exc.get_response().headers.get("Allow")
        if allow:
            headers["Allow"] = allow
    return error_response(exc.code or 500, framework_message(exc.code or 500), headers=headers)


def wants_json_error() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/open311/")
