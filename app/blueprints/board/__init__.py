"""The public transparency board: figures, public reports, agencies, methodology, snapshots."""
from flask import Blueprint

from ...caching import shared_blueprint

bp = shared_blueprint(Blueprint("board", __name__, url_prefix="/transparansi"))


@bp.app_context_processor
def _data_as_of():
    """``data_as_of()`` in every board page: when its figures were computed (the sub-nav says
    it; downloads carry it too)."""
    from ...services import service_status

    return {"data_as_of": service_status.stats_as_of}

from . import regions, routes  # noqa: E402,F401
