"""The human documentation of the API, at /api (the OpenAPI document is /api/v1/openapi.json)."""
from flask import Blueprint

from ...caching import public_blueprint

bp = public_blueprint(Blueprint("apidocs", __name__, static_folder="static", static_url_path="/api-docs/static"))

from . import routes  # noqa: E402,F401
