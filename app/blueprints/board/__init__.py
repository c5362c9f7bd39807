"""The public transparency board: figures, public reports, agencies, methodology, snapshots."""
from flask import Blueprint

from ...caching import shared_blueprint

bp = shared_blueprint(Blueprint("board", __name__, url_prefix="/transparansi"))

from . import regions, routes  # noqa: E402,F401
