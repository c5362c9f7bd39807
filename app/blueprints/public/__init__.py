"""The reporter's side: home, filing a report (/lapor), following it (/lacak)."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from . import follow, routes  # noqa: E402,F401
