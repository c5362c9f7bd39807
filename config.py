"""Configuration classes, read from the environment.

``DATABASE_URL`` chooses the database (SQLite file under ``instance/`` by default,
PostgreSQL in production); ``SECRET_KEY`` signs sessions and keys the tracking-code
hashes. In development a secret is generated once and kept in ``instance/secret_key``;
in production it must be given.
"""
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("TERANG_INSTANCE_DIR", BASE_DIR / "instance"))


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` / ``postgresql://`` spellings and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _development_secret() -> str:
    """Return the secret kept under instance/, creating it on first use."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _bool_env(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def gunicorn_timeout() -> int:
    """Seconds gunicorn lets a worker run one request before it kills it as stuck
    (``GUNICORN_TIMEOUT``, 30 by default). The one reading of it: gunicorn.conf.py takes its
    ``timeout`` from here, and the time budgets of a request (``VIDEO_CLEAN_SECONDS``) are
    kept below it, so both always read the same number."""
    return int(os.environ.get("GUNICORN_TIMEOUT", "30"))


class Config:
    ENVIRONMENT = "development"
    # Strict-Transport-Security max-age in seconds (production only; see ProductionConfig).
    HSTS_SECONDS = 0
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'terang.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    # Each photo or PDF may be 10 MB and a report carries five; a video may be 50 MB (pungli is
    # usually filmed) and run 20 minutes; cleaning a request's videos may take the server 20 s in
    # all (below GUNICORN_TIMEOUT; services/videos.py). The request cap holds one video, four other
    # files and room for the form, so that an oversized *file* gets a field error, not a 413.
    MAX_ATTACHMENTS = 5
    MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
    MAX_VIDEO_BYTES = int(os.environ.get("MAX_VIDEO_MB", "50")) * 1024 * 1024
    MAX_VIDEO_SECONDS = int(os.environ.get("MAX_VIDEO_MINUTES", "20")) * 60
    # The time for cleaning all the videos of one request together, kept 10 s below the worker's
    # timeout (gunicorn_timeout(), which gunicorn.conf.py uses too) whatever the environment
    # says, so the form is always answered.
    VIDEO_CLEAN_SECONDS = max(1, min(int(os.environ.get("VIDEO_CLEAN_SECONDS", "20")),
                                     gunicorn_timeout() - 10))
    MAX_CONTENT_LENGTH = (MAX_VIDEO_BYTES + (MAX_ATTACHMENTS - 1) * MAX_ATTACHMENT_BYTES
                          + MAX_ATTACHMENT_BYTES)
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024
    LANGUAGES = ("id", "en")
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    TIMEZONE = "Asia/Jakarta"
    REFERENCE_PREFIX = os.environ.get("REFERENCE_PREFIX", "LPR")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool_env("SESSION_COOKIE_SECURE", False)
    WTF_CSRF_TIME_LIMIT = 6 * 3600  # a long complaint can take a while to write
    # Staff sessions (server-side, services/sessions.py): ended after this many minutes
    # without a request, and in any case this many hours after the sign-in.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    # Roles that must sign in with a second factor (services/second_factor.py); officers may
    # add one. The same in tests: the suite signs admins in with a code (tests/factories.py).
    SECOND_FACTOR_ROLES = tuple(role for role in os.environ.get(
        "SECOND_FACTOR_ROLES", "national_admin,agency_admin,oversight").split(",") if role)
    SESSION_ABSOLUTE_HOURS = float(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    # Per-account sign-in throttle (services/throttle.py): free failures in a row, then a
    # delay from BASE seconds, doubled per failure, never more than MAX seconds.
    LOGIN_THROTTLE_FREE_FAILURES = int(os.environ.get("LOGIN_THROTTLE_FREE_FAILURES", "5"))
    LOGIN_THROTTLE_BASE_SECONDS = int(os.environ.get("LOGIN_THROTTLE_BASE_SECONDS", "30"))
    LOGIN_THROTTLE_MAX_SECONDS = int(os.environ.get("LOGIN_THROTTLE_MAX_SECONDS", "300"))
    # Days an API token works after it is made (``flask tokens create --days`` overrides).
    TOKEN_LIFETIME_DAYS = int(os.environ.get("TOKEN_LIFETIME_DAYS", "90"))
    # The report form's map (app/static/js/report-map.js): a tile server URL template such as
    # ``https://tile.example.id/{z}/{x}/{y}.png`` and the attribution its licence asks for.
    # Empty (the default): no map; the latitude and longitude fields still work by hand. The
    # tile server's origin is added to the Content-Security-Policy's img-src.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
    # How long a reporter stays "signed in" to /lacak after typing the code.
    TRACKING_SESSION_MINUTES = 30
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "terang-demo-2026")
    # Rate limits (Flask-Limiter): in memory by default, Redis when REDIS_URL is set;
    # RATELIMIT_ENABLED=false turns them off (load tests, trusted batch imports).
    RATELIMIT_ENABLED = _bool_env("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    # Redis is optional and never required: while it cannot be reached, Flask-Limiter logs a
    # warning and counts in memory (it tries Redis again now and then); an error of the
    # storage never becomes a 500. create_app adds short socket timeouts for Redis.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_INTAKE = os.environ.get("RATELIMIT_INTAKE", "10 per minute;100 per day")
    RATELIMIT_TRACKING = os.environ.get("RATELIMIT_TRACKING", "30 per minute")
    # Requests for a one-time link replacing a lost code, per client network (the service also
    # limits the links per report and per address: services/code_recovery.py).
    RATELIMIT_RECOVERY = os.environ.get("RATELIMIT_RECOVERY", "5 per minute;20 per hour")
    # Requests to follow a public report by e-mail, per client network (the service also limits
    # the confirmation e-mails per address: services/following.py).
    RATELIMIT_FOLLOW = os.environ.get("RATELIMIT_FOLLOW", "5 per minute;20 per hour")
    RATELIMIT_TOKEN = os.environ.get("RATELIMIT_TOKEN", "600 per minute")
    # Failed officer sign-ins per client address (the HTML pages' limits: app/ratelimits.py).
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per minute;50 per hour")
    # Behind a reverse proxy, trust its X-Forwarded-* headers (client address for rate limits).
    TRUST_PROXY_HOPS = int(os.environ.get("TRUST_PROXY_HOPS", "0"))
    # Absolute links in e-mails.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Open311 GeoReport v2 (/open311/v2): the jurisdiction_id we answer to, and the contact
    # shown in discovery.json for partners who want an api_key.
    OPEN311_JURISDICTION = os.environ.get("OPEN311_JURISDICTION", "terang.go.id")
    OPEN311_CONTACT = os.environ.get("OPEN311_CONTACT", "Admin nasional Terang")
    # Days a sent (or finally failed) e-mail keeps its recipient and text; afterwards the outbox
    # row is scrubbed (UU PDP: personal data only as long as it is needed).
    OUTBOX_RETENTION_DAYS = int(os.environ.get("OUTBOX_RETENTION_DAYS", "30"))
    # The status line (app/services/service_status.py): the board's figures and the mail queue
    # count as behind after this many minutes; the answer is kept this many seconds per worker.
    STATS_STALE_MINUTES = int(os.environ.get("STATS_STALE_MINUTES", "60"))
    MAIL_STALE_MINUTES = int(os.environ.get("MAIL_STALE_MINUTES", "30"))
    SERVICE_STATUS_CACHE_SECONDS = int(os.environ.get("SERVICE_STATUS_CACHE_SECONDS", "60"))
    # Who answers questions and requests about personal data (UU PDP), shown on /privasi.
    PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "privasi@terang.example")
    # PostgreSQL client tools for `flask backup` / `flask restore` (docs/deploy.md, Backups): of
    # the server's major version or newer, e.g. /usr/lib/postgresql/16/bin/pg_dump.
    PG_DUMP = os.environ.get("PG_DUMP", "pg_dump")
    PG_RESTORE = os.environ.get("PG_RESTORE", "pg_restore")
    # Outgoing mail; without MAIL_SERVER messages are written to the log (no personal data).
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool_env("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool_env("MAIL_USE_SSL", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Terang <noreply@terang.test>")
    # Seconds to wait for the mail server before a try counts as failed.
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))
    # Tries per outbox message (backoff 1, 2, 4 … minutes, at most 6 hours) before it is given up.
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "10"))
    # The page cache (app/page_cache.py, docs/performance.md "Caching"): shared pages (the
    # board, its downloads, open data) answered with ETag/304 and kept by data version and
    # language. PAGE_CACHE_ENABLED=false turns all of it off (no ETag, no Cache-Control: public).
    # PAGE_CACHE_TYPE: auto (Redis when REDIS_URL is set, else in-process), simple, redis,
    # filesystem (PAGE_CACHE_DIR), none (HTTP caching only, nothing kept on the server).
    PAGE_CACHE_ENABLED = _bool_env("PAGE_CACHE_ENABLED", True)
    PAGE_CACHE_TYPE = os.environ.get("PAGE_CACHE_TYPE", "auto")
    PAGE_CACHE_REDIS_URL = os.environ.get("PAGE_CACHE_REDIS_URL") or os.environ.get("REDIS_URL")
    PAGE_CACHE_DIR = os.environ.get("PAGE_CACHE_DIR")
    # Seconds a stored page is kept (a new data version makes it unreachable sooner), and how
    # many pages SimpleCache / FileSystemCache keep.
    PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "600"))
    PAGE_CACHE_THRESHOLD = int(os.environ.get("PAGE_CACHE_THRESHOLD", "2000"))
    # Pages each worker keeps itself in front of Redis (a hit without a round trip); 0: none.
    PAGE_CACHE_LOCAL_ITEMS = int(os.environ.get("PAGE_CACHE_LOCAL_ITEMS", "200"))
    # Cache-Control max-age of a shared answer: how long a browser or proxy may reuse it
    # unasked (it may show a change that much later).
    PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))
    # Part of every page's key: the deployed release (e.g. the commit); unset, a hash of the code.
    PAGE_CACHE_RELEASE = os.environ.get("PAGE_CACHE_RELEASE")
    # Seconds a worker reuses the data version it read (a cache hit then reads nothing from
    # the database); a change reaches readers up to this much later. 0: read on every request.
    PAGE_CACHE_VERSION_TTL = float(os.environ.get("PAGE_CACHE_VERSION_TTL", "1"))
    # Single flight: a page missing from the store is rendered by the first request for it (a
    # lock per key: in Redis with SET NX PX, else in the worker); the others wait for its answer
    # up to PAGE_CACHE_RENDER_WAIT seconds, then render themselves. A holder's lock expires
    # after PAGE_CACHE_RENDER_LOCK seconds (a worker that died while rendering).
    PAGE_CACHE_RENDER_WAIT = float(os.environ.get("PAGE_CACHE_RENDER_WAIT", "2"))
    PAGE_CACHE_RENDER_LOCK = float(os.environ.get("PAGE_CACHE_RENDER_LOCK", "10"))
    # The prefix of the page cache's keys in Redis (pages and render locks).
    PAGE_CACHE_KEY_PREFIX = os.environ.get("PAGE_CACHE_KEY_PREFIX", "terang-page:")
    # Lay out each PDF in a forked child process (services/pdf.py): the memory WeasyPrint keeps
    # after a document leaves with the child, and a web worker stays small.
    PDF_RENDER_IN_CHILD = _bool_env("PDF_RENDER_IN_CHILD", True)
    # A PDF child that has not answered in this many seconds is killed (under gunicorn's worker
    # timeout, GUNICORN_TIMEOUT, so the worker answers an error instead of being killed itself).
    PDF_RENDER_SECONDS = float(os.environ.get("PDF_RENDER_SECONDS", "25"))


class DevelopmentConfig(Config):
    DEBUG = False
    ENVIRONMENT = "development"


class TestingConfig(Config):
    TESTING = True
    ENVIRONMENT = "testing"
    # Tests that check limits turn them on explicitly.
    RATELIMIT_ENABLED = _bool_env("RATELIMIT_ENABLED", False)
    RATELIMIT_STORAGE_URI = "memory://"
    SERVICE_STATUS_CACHE_SECONDS = 0  # each test sees the status its own data give
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or "sqlite://"
    )
    SECRET_KEY = "test-secret-key-not-for-production"
    # Every test rolls its data back, so a data version comes back with other data: nothing is
    # kept on the server unless a test asks (tests/web/test_board_cache.py). ETags stay on.
    PAGE_CACHE_TYPE = "none"
    PAGE_CACHE_VERSION_TTL = 0.0  # a test sees its own change at once
    # In the test process itself (tests/unit/test_pdf*.py checks the child too).
    PDF_RENDER_IN_CHILD = _bool_env("PDF_RENDER_IN_CHILD", False)


class ProductionConfig(Config):
    ENVIRONMENT = "production"
    SESSION_COOKIE_SECURE = _bool_env("SESSION_COOKIE_SECURE", True)
    # HTTPS only, for a year, subdomains included (browsers remember it); 0 turns it off, e.g.
    # while a deployment is still being moved to HTTPS.
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def resolve_secret_key(config_name: str, configured: str | None) -> str:
    """The secret key to use: the configured one, or (outside production) a kept one."""
    if configured:
        return configured
    if config_name == "production":
        raise RuntimeError("SECRET_KEY must be set in production (see README, Configuration).")
    return _development_secret()
