"""The page cache: public pages and open-data answers, kept by data version and language.

What the board, its downloads and the open-data API show changes only when the rollups are
refreshed or a report's public side changes; ``services/data_version.py`` counts those changes
in the same transaction. A *shared* answer here is keyed by

    code release · data version (epoch.counter) · Jakarta date · language · host · path ·
    sorted query string · partial (htmx) or full page

and so is its ``ETag``. A request for a shared page (``caching.shared_page`` /
``caching.shared_blueprint``) meets the *gate* first (:class:`_Gate`, WSGI, in front of Flask
and inside ProxyFix), which decides once whether the request is shared and works out its key
(:func:`shared_request`, :func:`page_key`: Flask's own request class, URL map and session
interface; nothing of Flask-Login, Flask-Babel or the other hooks), then:

1. ``If-None-Match`` equal to the ETag: ``304``, nothing rendered;
2. a stored answer under the key (in-process with ``PAGE_CACHE_TYPE=simple``; Redis with
   ``REDIS_URL``; ``PAGE_CACHE_TYPE``): sent as stored, ``(status line, headers, body)``,
   without a request context, session, hook or response object. In front of Redis each worker
   keeps its own small copy of the pages it served last (``PAGE_CACHE_LOCAL_ITEMS``): a hit
   then costs no round trip. It is as exact as Redis: a key names one data version, so an entry
   is never read after its version changed;
3. otherwise a miss, rendered **once per key** (single flight): the first request takes a lock
   for the key (Redis ``SET NX PX`` with a token, so only its holder releases it, expiring after
   ``PAGE_CACHE_RENDER_LOCK`` seconds should the holder die; else a lock in the worker), and
   Flask renders; a ``200`` that sets no cookie is stored. The others wait for the stored
   answer up to ``PAGE_CACHE_RENDER_WAIT`` seconds, or until the holder is done without storing
   anything, then render themselves: never an error, never longer than the bound. A waiter
   waits under its own key, which names its data version, so it never gets an older version's
   page.

The data version and the status line's state are what this worker read at most
``PAGE_CACHE_VERSION_TTL`` / ``SERVICE_STATUS_CACHE_SECONDS`` ago; older, the gate reads them
in an application context of its own.

Shared answers carry ``Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE``, ``ETag`` and
``Vary: Cookie`` (the language lives in the session cookie). Never shared, and sent
``Cache-Control: private, no-store``: a request with a signed-in officer's session, a
reporter's tracking session or anything else in its session but the language and a CSRF
token, flashed messages waiting, an ``Authorization`` header, a remember cookie; an answer that
is not a ``200`` or that sets a cookie. Only GET and HEAD are shared at all.

A shared page is rendered without a CSRF token (``shared_page`` in templates: base.html then
offers the language switch as a GET form to ``/bahasa``), so no token sits in a stored page.
"""
from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import Callable, NamedTuple
from urllib.parse import urlencode

from flask import (Flask, current_app, g, has_app_context, has_request_context, request,
                   session)
from flask_caching import Cache
from werkzeug.exceptions import HTTPException

from . import caching, clock
from .htmx import is_partial_request
from .services import data_version, service_status

cache = Cache()

SHAREABLE_METHODS = ("GET", "HEAD")
# What an anonymous reader's session may hold and still get shared pages.
ANONYMOUS_SESSION_KEYS = frozenset({"lang", "csrf_token"})
# Headers a stored answer does not keep (they belong to the one request that made it).
PER_REQUEST_HEADERS = frozenset({"set-cookie", "date", "retry-after", "x-ratelimit-limit",
                                 "x-ratelimit-remaining", "x-ratelimit-reset", "x-page-cache"})
PRIVATE = "private, no-store"
# The WSGI environ of a shared request: its Shared (the gate decided; Flask's hooks read it).
ENVIRON = "terang.page_cache"
# g attribute (templates: no CSRF token in a shared page)
_SHARED = "shared_page"
# app.extensions
_LOCAL = "terang_page_cache_local"      # the pages kept in this worker (_Pages), or None
_SHARED_STORE = "terang_page_cache_shared"  # Flask-Caching's backend (Redis, files), or None
_FLIGHTS = "terang_page_cache_flights"  # who renders which page now (_LocalFlights, _RedisFlights)
_RELEASE = "terang_page_cache_release"
_BIND = "terang_page_cache_bind"        # str(db.engine.url): whose data version the key names
_HIT = ("X-Page-Cache", "hit")


class Shared(NamedTuple):
    """A shared request: its key, its ETag (unquoted) and the key as stored."""
    key: str
    etag: str
    stored_as: str


def _cache_config(app: Flask) -> dict:
    kind = (app.config.get("PAGE_CACHE_TYPE") or "auto").lower()
    redis_url = app.config.get("PAGE_CACHE_REDIS_URL")
    if kind == "auto":
        kind = "redis" if redis_url else "simple"
    timeout = int(app.config.get("PAGE_CACHE_TIMEOUT", 300))
    config = {"CACHE_DEFAULT_TIMEOUT": timeout,
              "CACHE_KEY_PREFIX": app.config.get("PAGE_CACHE_KEY_PREFIX") or "terang-page:"}
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


class _Pages:
    """Answers kept in this process as they are sent: ``(status, headers, body)``, never
    pickled (a hit hands the same bytes to the server). The ``threshold`` used last, each for
    ``timeout`` seconds."""

    def __init__(self, threshold: int, timeout: int):
        self._threshold, self._timeout = max(1, threshold), timeout
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if found[0] <= time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return found[1]

    def set(self, key: str, value) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + self._timeout, value)
            self._items.move_to_end(key)
            while len(self._items) > self._threshold:
                self._items.popitem(last=False)


def _local_tier(app: Flask, config: dict):
    """The worker's own copy in front of a shared store (Redis), or None (no shared store, or
    ``PAGE_CACHE_LOCAL_ITEMS`` is 0)."""
    items = int(app.config.get("PAGE_CACHE_LOCAL_ITEMS", 200))
    if config["CACHE_TYPE"] != "RedisCache" or items <= 0:
        return None
    return _Pages(items, config["CACHE_DEFAULT_TIMEOUT"])


def server_cache_on(app: Flask | None = None) -> bool:
    app = app or current_app
    return app.extensions.get("terang_page_cache_type") != "NullCache"


# --- single flight: one render per key at a time --------------------------------------------------

class _LocalFlights:
    """Who renders which page now, in this process (threads of one worker)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._held: dict[str, tuple[threading.Event, float]] = {}

    def acquire(self, name: str, seconds: float) -> Callable[[], None] | None:
        """The release of a new lock on ``name``, or None when a live one holds it."""
        now = time.monotonic()
        with self._lock:
            found = self._held.get(name)
            if found is not None and found[1] > now:
                return None
            done = threading.Event()
            self._held[name] = (done, now + seconds)

        def release() -> None:
            with self._lock:
                if self._held.get(name, (None,))[0] is done:
                    del self._held[name]
            done.set()
        return release

    def wait(self, name: str, until: float, read: Callable[[], object]):
        """What the holder stored, once it is done or at ``until``; None if nothing was."""
        found = self._held.get(name)
        if found is not None:
            found[0].wait(max(0.0, min(until, found[1]) - time.monotonic()))
        return read()


_RELEASE_IF_OURS = """
if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end
return 0
"""


class _RedisFlights:
    """Who renders which page now, for every worker: ``SET NX PX`` in Redis (a dead holder's
    lock expires); released only by its holder (a token)."""

    def __init__(self, url: str, prefix: str):
        import redis

        self._client = redis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=1.0)
        self._prefix = prefix + "render:"
        self._release = self._client.register_script(_RELEASE_IF_OURS)

    def acquire(self, name: str, seconds: float) -> Callable[[], None] | None:
        key, token = self._prefix + name, uuid.uuid4().hex
        try:
            if not self._client.set(key, token, nx=True, px=max(1, int(seconds * 1000))):
                return None
        except Exception:  # noqa: BLE001 (Redis unreachable: render, as without the cache)
            return lambda: None

        def release() -> None:
            try:
                self._release(keys=[key], args=[token])
            except Exception:  # noqa: BLE001 (it expires by itself)
                pass
        return release

    def wait(self, name: str, until: float, read: Callable[[], object]):
        """What the holder stored, polled until it is there, the holder is gone (done without
        storing, or its lock expired) or ``until``; None if nothing was."""
        key, pause = self._prefix + name, 0.005
        while True:
            found = read()
            if found is not None:
                return found
            now = time.monotonic()
            if now >= until:
                return None
            try:
                if not self._client.exists(key):
                    return read()
            except Exception:  # noqa: BLE001
                return None
            time.sleep(min(pause, until - now))
            pause = min(pause * 2, 0.05)


# --- the key ---------------------------------------------------------------------------------------

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


def shared_request(app: Flask, environ: dict) -> Shared | None:
    """Whether this request may get, and make, an answer shared with every anonymous reader,
    and then its key. Asked once per request, before Flask's request context exists (the gate):
    Flask's own request object, URL map and session interface, nothing of Flask-Login or
    Flask-Babel."""
    if environ.get("REQUEST_METHOD") not in SHAREABLE_METHODS:
        return None
    reader = app.request_class(environ)
    try:
        rule, _ = app.create_url_adapter(reader).match(return_rule=True)
    except HTTPException:  # no page here, a redirect, a method not allowed: Flask answers
        return None
    if not caching.is_shared_endpoint(rule.endpoint, app):
        return None
    if "HTTP_AUTHORIZATION" in environ:
        return None
    chosen = None
    cookies = reader.cookies if "HTTP_COOKIE" in environ else {}
    if app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies:
        return None
    interface = app.session_interface
    if cookies and interface.get_cookie_name(app) in cookies:
        # Anything but the language and a CSRF token: a staff session (_user_id), a tracking
        # session, a receipt, flashed messages waiting to be shown.
        opened = interface.open_session(app, reader)
        if opened is not None:
            if not set(opened.keys()) <= ANONYMOUS_SESSION_KEYS:
                return None
            chosen = opened.get("lang")
    key = page_key(app, reader, chosen)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    # The ETag and the key as stored (a hash: a board search's words never sit in Redis's keys).
    return Shared(key, digest[:32], digest)


def page_key(app: Flask, reader, chosen_language: str | None) -> str:
    """The cache key (and the ETag's source) of the answer to ``reader`` (a request), whose
    session chose ``chosen_language`` (or nothing)."""
    from . import locale_of

    version, behind = _published(app)
    parts = (app.extensions[_RELEASE], str(version), clock.today().isoformat(),
             locale_of(chosen_language, app.config),
             # The site status line (base.html) is part of every page: a page rendered while
             # the statistics were behind is not served once they have caught up, nor the
             # other way round.
             "behind:" + behind,
             # scheme and host (request.host_url builds an IRI: a tenth of a hit's time)
             reader.scheme, reader.host, reader.path,
             urlencode(sorted(reader.args.items(multi=True))),
             "partial" if is_partial_request(reader.headers) else "page")
    return "|".join(parts)


def _published(app: Flask) -> tuple[object, str]:
    """The data version (``data_version.recent``) and the status line's state, as this worker
    keeps them; the database is read (in an application context of its own) only when
    either is older than its setting."""
    ttl = float(app.config.get("PAGE_CACHE_VERSION_TTL", 0))
    version = data_version.read_recently(app.extensions[_BIND], ttl)
    status = service_status.kept(app)
    if version is None or status is None:
        if has_app_context() and current_app._get_current_object() is app:
            # Already inside one (a test, a CLI command): used as Flask's request would use it.
            version, status = data_version.recent(ttl), service_status.current()
        else:
            with app.app_context():
                version, status = data_version.recent(ttl), service_status.current()
    return version, ("s" if status.stats_behind else "") + ("m" if status.mail_behind else "")


# --- the stores ------------------------------------------------------------------------------------

def _read(app: Flask, stored_as: str):
    """The stored answer, or None: the worker's own copy first, then the shared store. A store
    that fails (Redis unreachable) is a miss, never an error page."""
    local = app.extensions.get(_LOCAL)
    if local is not None and (found := local.get(stored_as)) is not None:
        return found
    shared = app.extensions.get(_SHARED_STORE)
    if shared is None:
        return None
    try:
        found = shared.get(stored_as)
    except Exception:  # noqa: BLE001 (any failure of the store)
        app.logger.warning("page cache: the store could not be read; rendering instead")
        return None
    if local is not None and found is not None:
        local.set(stored_as, found)
    return found


def _write(app: Flask, stored_as: str, value) -> None:
    local = app.extensions.get(_LOCAL)
    if local is not None:
        local.set(stored_as, value)
    shared = app.extensions.get(_SHARED_STORE)
    if shared is None:
        return
    try:
        shared.set(stored_as, value)
    except Exception:  # noqa: BLE001
        app.logger.warning("page cache: the store could not be written")


# --- the gate: stored answers and 304s, before Flask -------------------------------------------

def _cache_control(app: Flask) -> str:
    return f"public, max-age={int(app.config.get('PAGE_CACHE_MAX_AGE', 60))}"


def _not_modified(app: Flask, environ: dict, shared: Shared, start_response):
    from . import security_headers

    vary = "Cookie, HX-Request" if "HTTP_HX_REQUEST" in environ else "Cookie"
    start_response("304 NOT MODIFIED", [*security_headers(app.config),
                                        ("ETag", f'"{shared.etag}"'),
                                        ("Cache-Control", _cache_control(app)), ("Vary", vary)])
    return []


def _send(environ: dict, stored, start_response):
    status, headers, body = stored
    headers = [*headers, _HIT]
    if "HTTP_HX_REQUEST" in environ:  # as a rendered answer to htmx says (app/__init__.py)
        _vary_on_htmx(headers)
    start_response(status, headers)
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def _vary_on_htmx(headers: list) -> None:
    for n, (name, value) in enumerate(headers):
        if name.lower() == "vary":
            if "hx-request" not in value.lower():
                headers[n] = (name, f"{value}, HX-Request")
            return
    headers.append(("Vary", "HX-Request"))


class _Gate:
    """In front of Flask (WSGI): a shared request gets its ETag's 304 or the stored answer here,
    without a request context, session, hooks or response object; any other request, and a
    miss (with its key in the environ), goes on to Flask."""

    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        app = self.app
        if (environ.get("REQUEST_METHOD") not in SHAREABLE_METHODS
                or not app.config.get("PAGE_CACHE_ENABLED", True)):
            return self.wsgi_app(environ, start_response)
        try:
            shared = shared_request(app, environ)
        except Exception:  # noqa: BLE001 (the database unreachable …): Flask answers, unshared
            app.logger.exception("page cache: could not key %s", environ.get("PATH_INFO"))
            shared = None
        if shared is None:
            return self.wsgi_app(environ, start_response)
        environ[ENVIRON] = shared
        if "HTTP_IF_NONE_MATCH" in environ and \
                app.request_class(environ).if_none_match.contains_weak(shared.etag):
            return _not_modified(app, environ, shared, start_response)  # a gzipping proxy weakens ETags
        if not server_cache_on(app):
            return self.wsgi_app(environ, start_response)
        stored = _read(app, shared.stored_as)
        if stored is not None:
            return _send(environ, stored, start_response)
        return self._render_once(environ, start_response, shared)

    def _render_once(self, environ, start_response, shared: Shared):
        """A miss: the first request renders (and stores) the page; the others wait for it up
        to ``PAGE_CACHE_RENDER_WAIT`` seconds, then render themselves."""
        app = self.app
        flights = app.extensions[_FLIGHTS]
        release = flights.acquire(shared.stored_as,
                                  float(app.config.get("PAGE_CACHE_RENDER_LOCK", 10)))
        if release is None:
            until = time.monotonic() + float(app.config.get("PAGE_CACHE_RENDER_WAIT", 2))
            stored = flights.wait(shared.stored_as, until, lambda: _read(app, shared.stored_as))
            if stored is not None:
                return _send(environ, stored, start_response)
            return self.wsgi_app(environ, start_response)
        try:
            return self.wsgi_app(environ, start_response)
        finally:
            release()


# --- Flask's side: a miss is rendered and stored -------------------------------------------------

def _shared_headers(response, etag: str) -> None:
    response.set_etag(etag)
    response.headers["Cache-Control"] = _cache_control(current_app)
    response.vary.add("Cookie")


def _before_request():
    shared = request.environ.get(ENVIRON)
    g.shared_page = shared is not None
    if shared is not None:
        # The reader is anonymous (no staff session in the cookie). Said so up front, because
        # Flask-Login, asked later (every template), would "protect" a non-empty session by
        # rewriting it, and a page that sets a cookie is never shared.
        g._login_user = current_app.login_manager.anonymous_user()


def _storable(response) -> bool:
    return (response.status_code == 200 and not response.direct_passthrough
            and not response.is_streamed and "Set-Cookie" not in response.headers
            and not current_app.session_interface.should_set_cookie(current_app, session))


def _after_request(response):
    app = current_app._get_current_object()
    shared = request.environ.get(ENVIRON) if g.get(_SHARED) else None
    if shared is None:
        if app.config.get("PAGE_CACHE_ENABLED", True) and caching.is_shared_endpoint():
            response.headers["Cache-Control"] = PRIVATE
        return response
    if not _storable(response):
        response.headers["Cache-Control"] = PRIVATE
        return response
    _shared_headers(response, shared.etag)
    if server_cache_on(app):
        headers = tuple((k, v) for k, v in response.headers.items()
                        if k.lower() not in PER_REQUEST_HEADERS)
        _write(app, shared.stored_as, (response.status, headers, response.get_data()))
        response.headers["X-Page-Cache"] = "miss"
    return response


def init_app(app: Flask) -> None:
    """Bind the stores, put the gate in front of Flask and install the hooks."""
    from .extensions import db

    config = _cache_config(app)
    kind = config["CACHE_TYPE"]
    app.extensions["terang_page_cache_type"] = kind
    app.extensions[_RELEASE] = code_release(app)
    with app.app_context():
        app.extensions[_BIND] = str(db.engine.url)
    if kind == "SimpleCache":  # this worker's own store: answers as sent, unpickled
        app.extensions[_LOCAL] = _Pages(config["CACHE_THRESHOLD"], config["CACHE_DEFAULT_TIMEOUT"])
        app.extensions[_SHARED_STORE] = None
        cache.init_app(app, config={**config, "CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})
    else:
        app.extensions[_LOCAL] = _local_tier(app, config)
        cache.init_app(app, config=config)
        app.extensions[_SHARED_STORE] = \
            app.extensions["cache"][cache] if kind != "NullCache" else None
    app.extensions[_FLIGHTS] = (_RedisFlights(config["CACHE_REDIS_URL"], config["CACHE_KEY_PREFIX"])
                                if kind == "RedisCache" else _LocalFlights())
    data_version.install()
    # The gate sees the environ as Flask will (create_app wraps ProxyFix around it afterwards).
    app.wsgi_app = _Gate(app, app.wsgi_app)
    # Right after the unit of work begins: the flags a shared page is rendered with
    # (no CSRF token, an anonymous reader) are set before any other hook looks.
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
