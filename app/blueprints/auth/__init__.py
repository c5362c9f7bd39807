"""Officer sign-in and sign-out."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/petugas")

from . import routes  # noqa: E402,F401
