"""Who is calling: an agency system (bearer token) or a reporter (tracking-code header)."""
from __future__ import annotations

from flask import current_app, g, request

from ... import clock, unit_of_work
from ...services import credentials, reporter
from .errors import ApiError, text


# RFC 9110 §11.6.1: a 401 names the scheme that would work (RFC 6750 for bearer tokens).
BEARER_CHALLENGE = 'Bearer realm="terang"'
INVALID_TOKEN_CHALLENGE = 'Bearer realm="terang", error="invalid_token"'
# The tracking code is not an HTTP authentication scheme; a scheme of our own names the header.
TRACKING_CHALLENGE = 'TrackingCode realm="terang", header="X-Tracking-Code"'


def token_user():
    """The officer the bearer token acts as; 401 otherwise."""
    header = request.headers.get("Authorization", "")
    scheme, _space, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, text("Authorization: Bearer <token> diperlukan."),
                       headers={"WWW-Authenticate": BEARER_CHALLENGE})
    user = credentials.verify_token(secret.strip(), clock.now(),
                                    where=f"{request.method} {request.path}")
    if user is None:
        # A refused use of a real token is in the owner's audit trail: keep that row
        # although the answer is a 401 (nothing else has been done in this request).
        unit_of_work.keep_on_error()
        raise ApiError(401, text("Token tidak valid atau sudah dicabut."),
                       headers={"WWW-Authenticate": INVALID_TOKEN_CHALLENGE})
    g.api_user = user
    return user


def tracked_report():
    """The report whose code is in ``X-Tracking-Code``; 401 when it is missing or unknown.

    The code is the reporter's credential, so an unknown one is an authentication failure
    (401), the same answer as a missing one: nothing tells a guesser more.
    """
    code = request.headers.get("X-Tracking-Code", "").strip()
    if not code:
        raise ApiError(401, text("Header X-Tracking-Code diperlukan."),
                       headers={"WWW-Authenticate": TRACKING_CHALLENGE})
    found = reporter.find_by_code(code, current_app.config["SECRET_KEY"])
    if found is None:
        raise ApiError(401, text("Kode pelacakan tidak dikenal. Periksa kode pada tanda terima."),
                       headers={"WWW-Authenticate": TRACKING_CHALLENGE})
    return found
