"""Open311 GeoReport v2 at /open311/v2: the public board's reports, and intake for partners.

Partners (mobile apps, SMS gateways, chat bots) file reports with an ``api_key`` made by
``flask --app wsgi apikeys create --name PARTNER``; anyone may read services and the public
requests. Conventions:

* every endpoint answers in ``.json`` or ``.xml`` (the extension is the format);
* errors are Open311's list ``[{"code": 400, "description": "…"}]`` (``<errors><error>…`` in
  XML) with the same HTTP status — also for unknown paths, wrong methods and rate limits, and
  nothing a client sends may cause a 500;
* no CSRF (no cookies); the write endpoint authenticates with ``api_key`` in the form body;
* GET shows exactly what the transparency board shows (``services.board``), at day precision,
  and never anything of the reporter; POST goes through ``services.intake`` like /lapor.

``errors.py`` renders errors, ``render.py`` the two formats, ``mapping.py`` turns reports and
categories into Open311 items and partner forms into an intake ``Submission``; ``routes.py``
holds the thin views. README.md ("Open311") documents the choices for partners.
"""
from flask import Blueprint

from ...extensions import csrf

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(bp)

from . import errors, routes  # noqa: E402,F401
