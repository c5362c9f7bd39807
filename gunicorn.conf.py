"""Gunicorn settings for Terang in production: ``make serve`` or
``gunicorn -c gunicorn.conf.py wsgi:app``.

Every value can be overridden from the environment (see docs/deploy.md). The access log holds
no personal data: no client address, no query string (board searches are the public's own
words), no referrer and no user agent — only the time, method, path, status, size and duration.
Tracking codes never appear in a URL, so they cannot reach this log either.
"""
import multiprocessing
import os
import sys

# config.py, beside this file, owns the reading of GUNICORN_TIMEOUT, so that the app's time
# budgets stay below the timeout used here. Imported by name: a module named ``config`` here
# would be taken for gunicorn's own setting of that name.
_here = os.path.dirname(os.path.abspath(__file__))
if _here not in sys.path:
    sys.path.insert(0, _here)
from config import gunicorn_timeout  # noqa: E402

if os.environ.get("TERANG_CONFIG", "production") == "production" and not os.environ.get("SECRET_KEY"):
    sys.stderr.write(
        "Terang: SECRET_KEY is not set. Production signs sessions and keys every tracking code\n"
        "with it: set it once (e.g. SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))'))\n"
        "and keep it: changing it makes every existing tracking code stop working.\n")
    sys.exit(1)

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request is short and CPU-bound (templates, SQL). Two per core is the usual
# start; WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count(), 8)))
worker_class = "sync"
# The national PDF takes a few seconds at most; anything past this is a stuck worker.
# VIDEO_CLEAN_SECONDS (config.py) is kept 10 s below this same value.
timeout = gunicorn_timeout()
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10
# Load the app once in the master: workers share its memory pages (copy on write).
preload_app = True
# Uploads are spooled to disk above Werkzeug's in-memory limit; keep temporary files in RAM-backed
# storage where the system has it.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# %(U)s is the path without its query string; %(M)s the duration in milliseconds.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    # Each worker opens its own database connections: never share a pooled connection that the
    # master opened while loading the app.
    from app.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)


def when_ready(server):
    """The application is loaded (preload_app) and the workers not yet forked: compile its
    templates and load its catalogues here once, so that no worker, first or replacement after
    max_requests, spends its first requests on them (app/warmup.py)."""
    from app.warmup import warm
    from wsgi import app  # already loaded in this process (preload_app)

    server.log.info("Terang: %d templates compiled before the workers fork", warm(app))


def on_starting(server):
    # Rate limits must be shared by every worker (app/ratelimits.py). The app factory refuses
    # too, wherever gunicorn loads it; here the master says so once, with the final worker count
    # (gunicorn.conf.py, -w and GUNICORN_CMD_ARGS all applied), before any worker starts.
    from app.ratelimits import UnsharedLimits, refuse_unshared_limits, storage_reachable

    try:
        from wsgi import app  # already loaded in this process (preload_app)

        refuse_unshared_limits(app.config, server.cfg.workers)
    except UnsharedLimits as exc:
        sys.stderr.write(f"{exc}\n")
        sys.exit(1)
    problem = storage_reachable(app.config)
    if problem:
        server.log.warning("Terang: %s", problem)
