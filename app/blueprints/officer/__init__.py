"""The officers' side: verification queue, agency inbox, the case page and its actions."""
from flask import Blueprint

bp = Blueprint("officer", __name__, url_prefix="/petugas")

from . import routes  # noqa: E402,F401
