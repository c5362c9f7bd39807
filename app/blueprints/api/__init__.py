"""The JSON API (/api/v1): open data, intake, the reporter's view, and agency systems.

Conventions (the OpenAPI document at /api/v1/openapi.json is the contract):
* errors are ``{"error": {"code", "message", "fields"}}`` with the right status; nothing a
  client sends may cause a 500;
* no CSRF (no cookies are used): agency systems authenticate with ``Authorization: Bearer``,
  reporters with the ``X-Tracking-Code`` header — never with anything in the URL;
* every rule lives in app/services; these views only translate HTTP to service calls.
"""
from flask import Blueprint

from ...extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

from . import errors, routes  # noqa: E402,F401
