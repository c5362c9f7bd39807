"""JSON errors for every failure under /api/v1."""
from __future__ import annotations

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from . import bp

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
    """Raise from a view to answer with a JSON error."""

    def __init__(self, status: int, message: str, fields: dict | None = None, code: str | None = None):
        super().__init__(message)
        self.http_status, self.message, self.fields = status, message, fields or {}
        self.code = code or CODES.get(status, "error")


def error_response(status: int, message: str, fields: dict | None = None, code: str | None = None,
                   headers: dict | None = None):
    body = {"error": {"code": code or CODES.get(status, "error"), "message": str(message),
                      "fields": {k: str(v) for k, v in (fields or {}).items()}}}
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return error_response(exc.http_status, exc.message, exc.fields, exc.code)


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
    return error_response(exc.code or 500, exc.description or exc.name, headers=headers)


def wants_json_error() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/open311/")
