"""Terang: a public-service complaint portal. ``create_app`` builds the Flask app."""
from __future__ import annotations

import logging
import os

from flask import Flask, g, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from jinja2 import pass_eval_context
from markupsafe import Markup
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from config import CONFIGS, INSTANCE_DIR, resolve_secret_key

from .database import (begin_pending_writer, begin_pending_writer_at, clear_write_flag,
                       configure_engine, forget_pending_writer, note_flush)
from .extensions import babel, csrf, db, limiter, login_manager, migrate


def select_locale() -> str:
    """Indonesian unless the visitor chose English with the language switch.

    Outside a request (CLI, scheduled jobs, service tests) there is no visitor: Indonesian, so
    that a lazy message (``lazy_gettext``) can still be turned into text there.
    """
    from flask import current_app

    if not has_request_context():
        return "id"
    return locale_of(session.get("lang"), current_app.config)


def locale_of(chosen, config) -> str:
    """The language of a visitor whose session holds ``chosen`` under ``lang`` (the page cache
    asks this before Flask's request exists, for its key)."""
    return chosen if chosen in config["LANGUAGES"] else "id"


def tile_origin(url: str | None) -> str | None:
    """The origin a map tile URL template loads from, for the CSP's img-src: ``https://{s}.
    tile.example.org/{z}/{x}/{y}.png`` → ``https://*.tile.example.org``; None without a URL or
    for one that is not http(s) (a CSP source must not carry a path, a quote or a space)."""
    import re

    match = re.fullmatch(r"(https?)://(\{s\}\.)?([A-Za-z0-9.-]+(?::[0-9]{1,5})?)(?:/[^\s;,']*)?",
                         (url or "").strip())
    if not match:
        return None
    return f"{match.group(1)}://{'*.' if match.group(2) else ''}{match.group(3)}"


def create_app(config_name: str | None = None, test_config: dict | None = None) -> Flask:
    config_name = config_name or os.environ.get("TERANG_CONFIG") or (
        "production" if os.environ.get("FLASK_ENV") == "production" else "development")
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=False)
    app.config.from_object(CONFIGS[config_name])
    if test_config:
        app.config.update(test_config)
    app.config["SECRET_KEY"] = resolve_secret_key(config_name, app.config.get("SECRET_KEY"))
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    db.init_app(app)
    # render_as_batch: SQLite cannot ALTER most things, so Alembic copies the table instead.
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    _install_template_gettext(app)
    login_manager.init_app(app)
    _configure_rate_limit_storage(app)
    # Several gunicorn workers must share the limits' counts (app/ratelimits.py): checked here,
    # where the app is loaded, so that no way of starting gunicorn gets round it.
    from .ratelimits import refuse_unshared_limits

    refuse_unshared_limits(app.config)
    limiter.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"

    with app.app_context():
        configure_engine(db.engine)
    if not sa_event.contains(Session, "after_transaction_end", clear_write_flag):
        sa_event.listen(Session, "after_transaction_end", clear_write_flag)
        sa_event.listen(Session, "after_flush", note_flush)
        # A request's write transaction begins at its first statement (app/database.py).
        sa_event.listen(Session, "do_orm_execute", begin_pending_writer_at)
        sa_event.listen(Session, "before_flush", begin_pending_writer)
        sa_event.listen(Session, "after_begin", forget_pending_writer)

    from . import models  # noqa: F401  (register every table)

    # Staff sessions live on the server (app/staff_session.py, services/sessions.py).
    from . import staff_session

    staff_session.init_app(app)

    from .blueprints.auth import bp as auth_bp
    from .blueprints.board import bp as board_bp
    from .blueprints.officer import bp as officer_bp
    from .blueprints.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(officer_bp)
    app.register_blueprint(board_bp)
    from .blueprints.api import bp as api_bp

    app.register_blueprint(api_bp)
    from .blueprints.apidocs import bp as apidocs_bp

    app.register_blueprint(apidocs_bp)
    from .blueprints.open311 import bp as open311_bp

    app.register_blueprint(open311_bp)

    from .cli import register_cli

    register_cli(app)
    from . import labels

    labels.register(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    from . import unit_of_work

    unit_of_work.init_app(app)
    _register_request_hooks(app)
    _register_error_handlers(app)
    _quiet_request_logs()
    # Outermost, so that everything inside (the page cache's gate too: its key holds the scheme
    # and host) sees the client's scheme, host and address.
    if app.config.get("TRUST_PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUST_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


# Seconds to wait for Redis before a rate-limit check counts in memory instead.
REDIS_TIMEOUT_SECONDS = 1.0


def _configure_rate_limit_storage(app: Flask) -> None:
    """With Redis as the rate-limit storage, never let a request hang on an unreachable one."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or ""
    if uri.split(":", 1)[0] in ("redis", "rediss", "redis+unix"):
        options = dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
        options.setdefault("socket_connect_timeout", REDIS_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", REDIS_TIMEOUT_SECONDS)
        app.config["RATELIMIT_STORAGE_OPTIONS"] = options


def security_headers(config) -> list[tuple[str, str]]:
    """The headers every answer carries (a view may set its own first); the page cache's 304s
    (app/page_cache.py) send them too."""
    tiles = tile_origin(config.get("MAP_TILE_URL"))
    headers = [
        ("Content-Security-Policy",
         f"default-src 'self'; img-src 'self' data:{' ' + tiles if tiles else ''}; "
         "style-src 'self'; script-src 'self'; "
         "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
    ]
    if config.get("HSTS_SECONDS"):
        headers.append(("Strict-Transport-Security",
                        f"max-age={config['HSTS_SECONDS']}; includeSubDomains"))
    return headers


def _register_request_hooks(app: Flask) -> None:
    from flask import abort

    from . import caching
    from .blueprints.api.errors import wants_json_error
    from .htmx import is_partial_request

    @app.before_request
    def _refuse_nul_characters():
        """A NUL character in a page's address names nothing: 404 in the path, 400 in the query.

        PostgreSQL can neither store nor compare text with NUL, so without this the lists,
        searches and lookups that read the address would fail with a server error. The API and
        Open311 check their own parameters and name the bad one.
        """
        if wants_json_error():
            return
        if "\x00" in request.path:
            abort(404)
        for name, values in request.args.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                abort(400)

    def _service_status():
        """The site status line's answer (pages only: e-mails and PDFs carry none)."""
        from .services import service_status

        return service_status.current() if has_request_context() else None

    # The page cache (app/page_cache.py): its before_request hook reads the data version inside
    # the unit of work; its after_request hook runs last of all.
    from . import page_cache

    page_cache.init_app(app)

    @app.context_processor
    def _template_globals():
        # E-mails and PDFs are also rendered outside a request (CLI, scheduled jobs).
        return {"current_locale": str(get_locale()),
                "is_partial": has_request_context() and is_partial_request(),
                "service_status": _service_status}

    @app.after_request
    def _security_headers(response):
        for name, value in security_headers(app.config):
            response.headers.setdefault(name, value)
        caching.apply(response)
        if "HX-Request" in request.headers or getattr(g, "varies_on_htmx", False):
            response.vary.add("HX-Request")
        return response


def _register_error_handlers(app: Flask) -> None:
    """Pages get an HTML error page in the user's language; /api and /open311 get JSON."""
    from flask_babel import gettext as _
    from werkzeug.exceptions import HTTPException

    from .blueprints.api.errors import (error_response, framework_message, handle_http_error,
                                        wants_json_error)

    def _error_page(status: int, title: str, message: str):
        return render_template("errors/error.html", status=status, title=title,
                               message=message), status

    page_texts = {
        400: (lambda: _("Permintaan tidak valid"),
              lambda: _("Permintaan ini tidak dapat diproses. Periksa alamatnya lalu coba lagi.")),
        403: (lambda: _("Tidak diizinkan"), lambda: _("Akun Anda tidak memiliki akses ke halaman ini.")),
        404: (lambda: _("Halaman tidak ditemukan"), lambda: _("Alamat yang Anda buka tidak ada.")),
        413: (lambda: _("Kiriman terlalu besar"),
              lambda: _("Ukuran total kiriman melebihi batas (%(total)s MB). Setiap foto atau PDF "
                        "paling besar %(mb)s MB, setiap video %(video_mb)s MB, dan paling "
                        "banyak %(n)s lampiran.",
                        total=app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024),
                        mb=app.config["MAX_ATTACHMENT_BYTES"] // (1024 * 1024),
                        video_mb=app.config["MAX_VIDEO_BYTES"] // (1024 * 1024),
                        n=app.config["MAX_ATTACHMENTS"])),
        429: (lambda: _("Terlalu banyak permintaan"),
              lambda: _("Anda mengirim terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.")),
        500: (lambda: _("Terjadi kesalahan"),
              lambda: _("Maaf, terjadi kesalahan di server. Silakan coba lagi.")),
    }

    @app.errorhandler(CSRFError)
    def _csrf_error(exc):
        if wants_json_error():
            return handle_http_error(exc)
        return _error_page(400, _("Formulir kedaluwarsa"),
                           _("Formulir ini kedaluwarsa atau tidak dikirim dari Terang. "
                             "Muat ulang halaman dan kirim lagi."))

    @app.errorhandler(HTTPException)
    def _http_error(exc):
        if wants_json_error():
            return handle_http_error(exc)
        if exc.code == 429 and exc.response is not None:
            return exc.response  # a form's own answer to its limit (app/ratelimits.py): as typed
        texts = page_texts.get(exc.code)
        if texts is None:
            return exc
        if exc.code == 413 and request.path.startswith("/lapor"):
            # Nothing of an oversized form reached the server: say so, and lead back to it.
            from .blueprints.public.uploads import upload_limits

            return render_template("errors/too_large.html", **upload_limits()), 413
        response = _error_page(exc.code, texts[0](), texts[1]())
        if exc.code == 429 and getattr(exc, "retry_after", None):
            return response[0], 429, {"Retry-After": str(exc.retry_after)}
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc):
        """API clients always get JSON, a 500 included; pages let Flask handle it."""
        if isinstance(exc, HTTPException):
            return _http_error(exc)
        if not wants_json_error():
            raise exc
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, framework_message(500))


class _NoQueryStrings(logging.Filter):
    """Drop query strings from request log lines; personal data never belongs in a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(a.split("?", 1)[0] if isinstance(a, str) and "?" in a else a
                                for a in record.args)
        return True


def _quiet_request_logs() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, _NoQueryStrings) for f in logger.filters):
        logger.addFilter(_NoQueryStrings())


def _install_template_gettext(app: Flask) -> None:
    """The templates' ``_()`` and ``ngettext()`` with the request's translations looked up once
    per locale, not on every string: Flask-Babel's own callables find the app, the domain, the
    context and the locale anew each time (about a sixth of rendering the report form, ~60
    strings). ``labels.translations`` keeps them per request."""
    from .labels import translations

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n))

    # Jinja's "newstyle" callables, called directly: the same text (the translation, Markup
    # when autoescaping, always formatted with the keyword arguments), but Jinja's own wrappers
    # take the template context, and a call inside a loop copies that context first, three
    # calls deep for ``_()`` (its alias looks ``gettext`` up again). Taking only the evaluation
    # context, a string costs a third of that (a figure page translates a few hundred, issue 12).
    def newstyle(rv, eval_ctx, variables):
        if eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    @pass_eval_context
    def gettext(__eval_ctx, __string, **variables):
        return newstyle(translations().ugettext(__string), __eval_ctx, variables)

    @pass_eval_context
    def ngettext(__eval_ctx, __singular, __plural, __num, **variables):
        variables.setdefault("num", __num)
        return newstyle(translations().ungettext(__singular, __plural, __num), __eval_ctx, variables)

    @pass_eval_context
    def pgettext(__eval_ctx, __string_ctx, __string, **variables):
        variables.setdefault("context", __string_ctx)
        return newstyle(translations().upgettext(__string_ctx, __string), __eval_ctx, variables)

    @pass_eval_context
    def npgettext(__eval_ctx, __string_ctx, __singular, __plural, __num, **variables):
        variables.setdefault("context", __string_ctx)
        variables.setdefault("num", __num)
        return newstyle(translations().unpgettext(__string_ctx, __singular, __plural, __num),
                        __eval_ctx, variables)

    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext,
                                 npgettext=npgettext)
