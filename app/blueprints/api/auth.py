"""Who is calling: an agency system (bearer token) or a reporter (tracking-code header)."""
from __future__ import annotations

from flask import current_app, g, request

from ...extensions import db
from ...models.base import utcnow
from ...services import credentials, reporter
from .errors import ApiError


def token_user():
    """The officer the bearer token acts as; 401 otherwise."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "Authorization: Bearer <token> diperlukan.")
    user = credentials.verify_token(secret.strip(), utcnow())
    if user is None:
        raise ApiError(401, "Token tidak valid atau sudah dicabut.")
    db.session.commit()  # last_used_at
    g.api_user = user
    return user


def tracked_report():
    """The report whose code is in ``X-Tracking-Code``; 401 when missing, 404 when unknown."""
    code = request.headers.get("X-Tracking-Code", "").strip()
    if not code:
        raise ApiError(401, "Header X-Tracking-Code diperlukan.")
    found = reporter.find_by_code(code, current_app.config["SECRET_KEY"])
    if found is None:
        raise ApiError(404, "Kode pelacakan tidak ditemukan.")
    return found
