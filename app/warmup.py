"""What a gunicorn worker would otherwise do on its first requests, done once in the master.

With ``preload_app`` (gunicorn.conf.py) the application is loaded in the master and every
worker is a fork of it: the first two at start, and each one that replaces a worker after
``max_requests``. Whatever the master has not done, each new worker does on the requests it
serves first: compile a template (Jinja parses and compiles each one on first use, a few
milliseconds each, the board's pages include a dozen) and read a language's catalogue. Under
load those requests stood out as the slowest (the p99 of ``make bench``); done here they are
inherited, page for page shared, by every worker. The same holds for the PDFs: WeasyPrint is
imported and a small document laid out here (``pdf.warm_up``), so a new worker's first PDF does
not spend 0.65 s importing it, nor each PDF's child loading the fonts again.

The master then freezes what it holds out of the cyclic garbage collector (``gc.freeze``): the
workers' collections no longer walk, and so no longer copy, the pages of the application they
inherited.
"""
from __future__ import annotations

import gc

from flask import Flask


def warm(app: Flask) -> int:
    """Compile every template, load every language's translations, import WeasyPrint and load
    the PDFs' fonts (``pdf.warm_up``); freeze the heap.

    Returns how many templates were compiled. Runs no SQL: the master holds no connection
    (gunicorn.conf.py's ``post_fork`` drops any a worker inherits)."""
    import flask_babel

    from .services import pdf

    env = app.jinja_env
    names = env.list_templates(extensions=("html", "txt"))
    for name in names:
        env.get_template(name)
    for language in app.config.get("LANGUAGES", ("id",)):
        with app.test_request_context(), flask_babel.force_locale(language):
            flask_babel.get_translations()
    with app.app_context():
        pdf.warm_up()
    gc.collect()
    gc.freeze()
    return len(names)
