"""The page cache: public pages and open-data answers, kept by data version and language.

What the board, its downloads and the open-data API show changes only when the rollups are
refreshed or a report's public side changes; ``services/data_version.py`` counts those changes
in the same transaction. A *shared* answer here is keyed by

    code release · data version (epoch.counter) · Jakarta date · language · host · path ·
    sorted query string · partial (htmx) or full page

and so is its ``ETag``. A request for a shared page (``caching.shared_page`` /
``caching.shared_blueprint``) goes, before its view runs:

1. ``If-None-Match`` equal to the ETag: ``304``, nothing rendered;
2. a stored answer under the key (Flask-Caching: RedisCache with ``REDIS_URL``, else in-process
   SimpleCache; ``PAGE_CACHE_TYPE``): sent as stored. In front of Redis each worker keeps its
   own small copy of the pages it served last (``PAGE_CACHE_LOCAL_ITEMS``): a hit then costs no
   round trip. It is as exact as Redis: a key names one data version, so an entry is never
   read after its version changed;
3. otherwise the view renders; a ``200`` that sets no cookie is stored.

Shared answers carry ``Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE``, ``ETag`` and
``Vary: Cookie`` (the language lives in the session cookie). Never shared, and sent
``Cache-Control: private, no-store``: a request with a signed-in officer's session, a
reporter's tracking session or anything else in its session but the language and a CSRF
token, flashed messages waiting, an ``Authorization`` header; an answer that is not a ``200``
or that sets a cookie. Only GET and HEAD are shared at all.

A shared page is rendered without a CSRF token (``shared_page`` in templates: base.html then
offers the language switch as a GET form to ``/bahasa``), so no token sits in a stored page.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from cachelib import SimpleCache
from flask_caching import Cache

from . import caching, clock
from .htmx import is_partial_request
from .services import data_version

cache = Cache()

SHAREABLE_METHODS = ("GET", "HEAD")
# What an anonymous reader's session may hold and still get shared pages.
ANONYMOUS_SESSION_KEYS = frozenset({"lang", "csrf_token"})
# Headers a stored answer does not keep (they belong to the one request that made it).
PER_REQUEST_HEADERS = frozenset({"set-cookie", "date", "retry-after", "x-ratelimit-limit",
                                 "x-ratelimit-remaining", "x-ratelimit-reset"})
PRIVATE = "private, no-store"
# g attributes
_ETAG, _HIT, _SHARED = "page_cache_etag", "page_cache_hit", "shared_page"
# app.extensions: the worker's own copy in front of Redis
_LOCAL = "terang_page_cache_local"


def _cache_config(app: Flask) -> dict:
    kind = (app.config.get("PAGE_CACHE_TYPE") or "auto").lower()
    redis_url = app.config.get("PAGE_CACHE_REDIS_URL")
    if kind == "auto":
        kind = "redis" if redis_url else "simple"
    timeout = int(app.config.get("PAGE_CACHE_TIMEOUT", 300))
    config = {"CACHE_DEFAULT_TIMEOUT": timeout, "CACHE_KEY_PREFIX": "terang-page:"}
    if kind in ("none", "null", "off"):
        config.update(CACHE_TYPE="NullCache", CACHE_NO_NULL_WARNING=True)
    elif kind == "redis":
        config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url,
                      CACHE_OPTIONS={"socket_connect_timeout": 1.0, "socket_timeout": 1.0})
    elif kind == "filesystem":
        config.update(CACHE_TYPE="FileSystemCache",
                      CACHE_DIR=app.config.get("PAGE_CACHE_DIR") or
                      f"{app.instance_path}/page-cache",
                      CACHE_THRESHOLD=int(app.config.get("PAGE_CACHE_THRESHOLD", 2000)))
    else:
        config.update(CACHE_TYPE="SimpleCache",
                      CACHE_THRESHOLD=int(app.config.get("PAGE_CACHE_THRESHOLD", 2000)))
    return config


def _local_tier(app: Flask, config: dict):
    """The worker's own copy in front of a shared store (Redis), or None (no shared store, or
    ``PAGE_CACHE_LOCAL_ITEMS`` is 0)."""
    items = int(app.config.get("PAGE_CACHE_LOCAL_ITEMS", 200))
    if config["CACHE_TYPE"] != "RedisCache" or items <= 0:
        return None
    return SimpleCache(threshold=items, default_timeout=config["CACHE_DEFAULT_TIMEOUT"])


def server_cache_on(app: Flask | None = None) -> bool:
    app = app or current_app
    return app.extensions.get("terang_page_cache_type") != "NullCache"


def is_shared_request() -> bool:
    """Whether this request may get, and make, an answer shared with every anonymous reader."""
    if request.method not in SHAREABLE_METHODS or not caching.is_shared_endpoint():
        return False
    if "Authorization" in request.headers:
        return False
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return False
    # Anything but the language and a CSRF token: a staff session (_user_id), a tracking
    # session, a receipt, flashed messages waiting to be shown.
    return set(session.keys()) <= ANONYMOUS_SESSION_KEYS


def _normalized_query() -> str:
    return urlencode(sorted(request.args.items(multi=True)))


def code_release(app: Flask) -> str:
    """What this code renders: ``PAGE_CACHE_RELEASE`` (e.g. the deployed commit), else a hash
    of the application's code, templates and compiled catalogues, so that a deploy never
    serves pages (or 304s) made by the code before it."""
    if app.config.get("PAGE_CACHE_RELEASE"):
        return str(app.config["PAGE_CACHE_RELEASE"])
    digest = hashlib.sha256()
    root = Path(app.root_path)
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".mo", ".txt") and path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def page_key() -> str:
    """The cache key (and the ETag's source) of this request's answer."""
    from .services import service_status

    # The site status line (base.html) is part of every page: a page rendered while the
    # statistics were behind is not served once they have caught up, nor the other way round.
    status = service_status.current()
    behind = ("s" if status.stats_behind else "") + ("m" if status.mail_behind else "")
    parts = (current_app.extensions["terang_page_cache_release"],
             str(data_version.recent(float(current_app.config.get("PAGE_CACHE_VERSION_TTL", 0)))),
             clock.today().isoformat(), str(get_locale()),
             "behind:" + behind,
             # scheme and host (request.host_url builds an IRI: a tenth of a hit's time)
             request.scheme, request.host, request.path, _normalized_query(),
             "partial" if is_partial_request() else "page")
    return "|".join(parts)


def _etag(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _storage_key(key: str) -> str:
    """The key as stored: a hash, so that a board search's words never sit in Redis's keys."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _read(key: str):
    """The stored answer under ``key``, or None: the worker's own copy first, then the shared
    store. A store that fails (Redis unreachable) is a miss, never an error page."""
    stored_as = _storage_key(key)
    local = current_app.extensions.get(_LOCAL)
    if local is not None and (found := local.get(stored_as)) is not None:
        return found
    try:
        found = cache.get(stored_as)
    except Exception:  # noqa: BLE001 (any failure of the store)
        current_app.logger.warning("page cache: the store could not be read; rendering instead")
        return None
    if local is not None and found is not None:
        local.set(stored_as, found)
    return found


def _write(key: str, value) -> None:
    stored_as = _storage_key(key)
    local = current_app.extensions.get(_LOCAL)
    if local is not None:
        local.set(stored_as, value)
    try:
        cache.set(stored_as, value)
    except Exception:  # noqa: BLE001
        current_app.logger.warning("page cache: the store could not be written")


def _shared_headers(response, etag: str) -> None:
    response.set_etag(etag)
    response.headers["Cache-Control"] = \
        f"public, max-age={int(current_app.config.get('PAGE_CACHE_MAX_AGE', 60))}"
    response.vary.add("Cookie")


def _before_request():
    g.setdefault(_SHARED, False)
    if not current_app.config.get("PAGE_CACHE_ENABLED", True) or not is_shared_request():
        return None
    g.shared_page = True
    # The reader is anonymous (no staff session in the cookie). Said so up front, because
    # Flask-Login, asked later (every template), would "protect" a non-empty session by
    # rewriting it, and a page that sets a cookie is never shared.
    g._login_user = current_app.login_manager.anonymous_user()
    key = page_key()
    etag = _etag(key)
    g.page_cache_key, g.page_cache_etag = key, etag
    if request.if_none_match.contains_weak(etag):  # a gzipping proxy weakens ETags
        response = current_app.response_class(status=304)
        g.page_cache_hit = True
        _shared_headers(response, etag)
        return response
    stored = _read(key) if server_cache_on() else None
    if stored is not None:
        status, headers, body = stored
        g.page_cache_hit = True
        response = current_app.response_class(body, status=status, headers=headers)
        response.headers["X-Page-Cache"] = "hit"
        return response
    return None


def _storable(response) -> bool:
    return (response.status_code == 200 and not response.direct_passthrough
            and not response.is_streamed and "Set-Cookie" not in response.headers
            and not current_app.session_interface.should_set_cookie(current_app, session))


def _after_request(response):
    if not g.get(_SHARED):
        if current_app.config.get("PAGE_CACHE_ENABLED", True) and caching.is_shared_endpoint():
            response.headers["Cache-Control"] = PRIVATE
        return response
    etag = g.get(_ETAG)
    if g.get(_HIT):
        _shared_headers(response, etag)
        return response
    if not _storable(response):
        response.headers["Cache-Control"] = PRIVATE
        return response
    _shared_headers(response, etag)
    if server_cache_on():
        headers = [(k, v) for k, v in response.headers.items()
                   if k.lower() not in PER_REQUEST_HEADERS]
        _write(g.page_cache_key, (response.status_code, headers, response.get_data()))
        response.headers["X-Page-Cache"] = "miss"
    return response


def init_app(app: Flask) -> None:
    """Bind the cache and install the hooks (after the unit of work's: the key reads the
    database)."""
    config = _cache_config(app)
    app.extensions["terang_page_cache_type"] = config["CACHE_TYPE"]
    app.extensions["terang_page_cache_release"] = code_release(app)
    app.extensions[_LOCAL] = _local_tier(app, config)
    cache.init_app(app, config=config)
    data_version.install()
    # Right after the unit of work begins (the key reads the database) and before every other
    # hook: a stored page needs none of them (NUL check, CSRF, staff sessions: an answer is
    # only ever stored for an anonymous reader's 200), and skipping them is a fifth of a hit.
    from .unit_of_work import begin_request

    hooks = app.before_request_funcs.setdefault(None, [])
    hooks.insert(hooks.index(begin_request) + 1 if begin_request in hooks else len(hooks),
                 _before_request)
    # The last after_request hook to run (they run last-registered first): it sees every
    # header and cookie the others set, and its Cache-Control has the last word.
    app.after_request_funcs.setdefault(None, []).insert(0, _after_request)

    @app.context_processor
    def _shared_page_flag():
        # E-mails and PDFs are also rendered outside a request (CLI, scheduled jobs).
        return {"shared_page": has_request_context() and bool(g.get(_SHARED))}
