"""Configuration classes: the only place that reads the environment."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

INSTANCE_DIR = Path(os.environ.get("NEIGHBORLY_INSTANCE_DIR", Path.cwd() / "instance"))


def _env(name: str, default: str | None = None) -> str | None:
    """Read one environment variable, treating empty as unset."""
    value = os.environ.get(name, "").strip()
    return value or default


def database_url(url: str | None) -> str | None:
    """Point plain PostgreSQL URLs at the psycopg 3 driver."""
    if url and re.match(r"^postgres(ql)?://", url):
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)
    return url


def _env_list(name: str) -> list[str] | None:
    """Read a comma-separated environment variable as a list; unset is None."""
    value = _env(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else None


def _host_of(url: str | None) -> list[str] | None:
    """The host name of a URL as a one-item list, for TRUSTED_HOSTS."""
    host = urlsplit(url or "").hostname
    return [host] if host else None


def _sqlite_url(filename: str) -> str:
    """Build a SQLite URL for a file inside the instance folder."""
    return f"sqlite:///{INSTANCE_DIR / filename}"


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = _env("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = database_url(_env("DATABASE_URL", _sqlite_url("neighborly.db")))
    # A database error in the log never carries the values bound to it (emails, addresses).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"hide_parameters": True}
    SQLALCHEMY_RECORD_QUERIES = False
    REDIS_URL = _env("REDIS_URL")
    RATELIMIT_STORAGE_URI = _env("REDIS_URL", "memory://")
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # A limit counted after the view (an action that was done) must never turn a saved action
    # into an error page when Redis goes away at that moment: log it, answer normally.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True
    # Seconds each worker keeps what every reader sees alike (topic lists, resource cards);
    # 0 turns the in-process cache off (neighborly/cache.py).
    SHARED_CACHE_SECONDS = 60
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("en", "es")
    MAIL_BACKEND = _env("MAIL_BACKEND", "console")
    MAIL_FILE = _env("MAIL_FILE", str(INSTANCE_DIR / "outbox.log"))
    # Every link in email is built from PUBLIC_URL, never from the request's Host header.
    PUBLIC_URL = _env("PUBLIC_URL", "http://127.0.0.1:5000")
    # Host names the app answers; None answers any (development). Flask refuses others with 400.
    TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS")
    # How many proxies in front of the app set X-Forwarded-For/-Proto (ProxyFix); 0 trusts none.
    TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0") or 0)
    # Strict-Transport-Security max-age in seconds; 0 sends no header (plain-http development).
    HSTS_MAX_AGE = 0
    # Failed sign-ins per account (normalised email), from any address.
    LOGIN_ACCOUNT_LIMIT = _env("LOGIN_ACCOUNT_LIMIT", "20 per 15 minutes")
    # The version of the terms and privacy notice (/terms, /privacy). Changing it asks everyone
    # signed in to accept the new text before they continue.
    TERMS_VERSION = _env("TERMS_VERSION", "2026-12")
    # Anti-automation: how often one person (signed in) and one address may post or register.
    # Only what went through counts; a form sent back with a message beside a field does not.
    ASK_LIMIT_PER_PERSON = _env("ASK_LIMIT_PER_PERSON", "10 per day")
    ASK_LIMIT_PER_ADDRESS = _env("ASK_LIMIT_PER_ADDRESS", "30 per day")
    SUGGEST_LIMIT_PER_PERSON = _env("SUGGEST_LIMIT_PER_PERSON", "5 per day")
    SUGGEST_LIMIT_PER_ADDRESS = _env("SUGGEST_LIMIT_PER_ADDRESS", "20 per day")
    REGISTER_LIMIT_PER_ADDRESS = _env("REGISTER_LIMIT_PER_ADDRESS", "5 per hour")
    MESSAGE_LIMIT_PER_PERSON = _env("MESSAGE_LIMIT_PER_PERSON", "30 per hour")
    MESSAGE_LIMIT_PER_ADDRESS = _env("MESSAGE_LIMIT_PER_ADDRESS", "100 per hour")
    MAIL_FROM = _env("MAIL_FROM", "Neighborly <hello@neighborly.invalid>")
    SMTP_HOST = _env("SMTP_HOST")
    SMTP_PORT = int(_env("SMTP_PORT", "587") or 587)
    SMTP_USERNAME = _env("SMTP_USERNAME")
    SMTP_PASSWORD = _env("SMTP_PASSWORD")
    MAIL_BACKEND_ALLOW_CONSOLE = _env("MAIL_BACKEND_ALLOW_CONSOLE") == "1"
    # "starttls" (port 587, the certificate is checked), "ssl" (port 465) or "off" (only for a
    # relay on the same machine, e.g. a local test server).
    SMTP_TLS = _env("SMTP_TLS", "starttls")
    SMTP_TIMEOUT_SECONDS = float(_env("SMTP_TIMEOUT_SECONDS", "10") or 10)
    # Texts: "console" (default; "off" in production), "file" (SMS_FILE), "memory", "off" (no
    # texts are written) or "twilio" (Twilio's Messages API, or a copy of it at SMS_BASE_URL).
    SMS_BACKEND = _env("SMS_BACKEND", "console")
    SMS_FILE = _env("SMS_FILE", str(INSTANCE_DIR / "texts.log"))
    SMS_ACCOUNT_SID = _env("SMS_ACCOUNT_SID")
    SMS_AUTH_TOKEN = _env("SMS_AUTH_TOKEN")
    SMS_FROM_NUMBER = _env("SMS_FROM_NUMBER")
    SMS_BASE_URL = _env("SMS_BASE_URL", "https://api.twilio.com")
    SMS_TIMEOUT_SECONDS = float(_env("SMS_TIMEOUT_SECONDS", "10") or 10)
    # Outbox delivery: "redis" (a worker woken through Redis; the web only pushes a wake-up;
    # "rq" is its older name) when REDIS_URL is set, else "inline" (right after the response,
    # in the web process).
    OUTBOX_DELIVERY = _env("OUTBOX_DELIVERY", "redis" if _env("REDIS_URL") else "inline")
    OUTBOX_QUEUE = _env("OUTBOX_QUEUE", "neighborly-outbox")
    OUTBOX_MAX_ATTEMPTS = int(_env("OUTBOX_MAX_ATTEMPTS", "5") or 5)
    # Retries wait base, 2x, 4x ... seconds (capped at a day); a claim is held this long, so a
    # sender that dies mid-job releases its messages when the lease runs out.
    OUTBOX_RETRY_BASE_SECONDS = int(_env("OUTBOX_RETRY_BASE_SECONDS", "60") or 60)
    OUTBOX_LEASE_SECONDS = int(_env("OUTBOX_LEASE_SECONDS", "300") or 300)
    # How often the worker sweeps the outbox for what is due (held until morning, retries, or
    # events whose wake-up was lost while Redis was away).
    OUTBOX_SWEEP_SECONDS = int(_env("OUTBOX_SWEEP_SECONDS", "30") or 30)
    # argon2id cost: 64 MiB, 3 passes, 4 lanes (RFC 9106's second choice), above OWASP's minimum
    # of 19 MiB, 2 passes, 1 lane. The tests use a cheap cost.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    RESET_TOKEN_MAX_AGE_MINUTES = 60
    # Sessions end after this long without a request, and this long after sign-in regardless.
    SESSION_IDLE_MINUTES = 30
    SESSION_ABSOLUTE_HOURS = 12
    # "Confirm it's you" (password, plus a code with 2FA) lasts this long before a sensitive change.
    REAUTH_MINUTES = 5
    # Coordinators and site admins must turn on two-step sign-in (TOTP) before using the site.
    REQUIRE_2FA_FOR_STAFF = True
    # Key that encrypts TOTP secrets and peppers recovery-code hashes; defaults to one derived
    # from SECRET_KEY. Set it apart so rotating SECRET_KEY does not lock staff out of 2FA.
    TWO_FACTOR_KEY = _env("TWO_FACTOR_KEY")
    TWO_FACTOR_ISSUER = _env("TWO_FACTOR_ISSUER", "Neighborly")
    # Wrong codes on the second sign-in step, per account, from any address.
    TWO_FACTOR_CODE_LIMIT = _env("TWO_FACTOR_CODE_LIMIT", "10 per 15 minutes")
    CHANGE_EMAIL_TOKEN_MAX_AGE_HOURS = 24
    CONFIRM_TOKEN_MAX_AGE_HOURS = 48
    SHOW_DEMO_PASSWORDS = False
    GEOCODER = _env("GEOCODER", "offline")
    NOMINATIM_URL = _env("NOMINATIM_URL", "https://nominatim.openstreetmap.org")
    NOMINATIM_USER_AGENT = _env("NOMINATIM_USER_AGENT", "neighborly")

    # --- Production profile: database timeouts, readiness, request log, static files ---
    # Seconds to wait for PostgreSQL to accept a connection before the page says "come back soon".
    DATABASE_CONNECT_TIMEOUT = int(_env("DATABASE_CONNECT_TIMEOUT", "3") or 3)
    # Longest one statement may run on PostgreSQL, in ms (0: no limit, e.g. for migrations).
    DATABASE_STATEMENT_TIMEOUT_MS = int(_env("DATABASE_STATEMENT_TIMEOUT_MS", "5000") or 0)
    # PostgreSQL's cost of a random page read against a sequential one, for this app's sessions.
    # The server's default (4) assumes spinning disks; with the working set in memory or on SSD
    # it made the planner hash-join all 10,000 users to name 177 near-me rows (3 ms of the
    # page's 5) instead of probing their primary keys. Empty: keep the server's setting.
    DATABASE_RANDOM_PAGE_COST = _env("DATABASE_RANDOM_PAGE_COST", "1.1")
    # psycopg prepares a statement once a connection has run it this many times, so PostgreSQL
    # plans it once (a read-only request ends in COMMIT to keep them: neighborly/transactions.py).
    # "off": never (PgBouncer before 1.21 in transaction mode cannot carry prepared statements).
    DATABASE_PREPARE_THRESHOLD = _env("DATABASE_PREPARE_THRESHOLD", "5")
    # What /readyz allows the database and Redis to take before it says "not ready", in ms.
    READINESS_TIMEOUT_MS = int(_env("READINESS_TIMEOUT_MS", "1000") or 1000)
    # Seconds a visitor is asked to wait (Retry-After) while the database is away.
    DATABASE_RETRY_AFTER = int(_env("DATABASE_RETRY_AFTER", "10") or 10)
    # One JSON line per request on the "neighborly.request" logger (to stderr outside tests).
    REQUEST_LOG = _env("REQUEST_LOG", "1") != "0"
    # Fingerprinted static URLs (?v=<content hash>) are cached for a year; others for this long.
    STATIC_MAX_AGE = int(_env("STATIC_MAX_AGE", "300") or 0)


class DevelopmentConfig(Config):
    """Laptop defaults: SQLite in instance/, mail on the console, demo passwords shown."""

    DEBUG = False
    SHOW_DEMO_PASSWORDS = True
    # The demo's coordinator and admin accounts open on a laptop without an authenticator app;
    # production always requires two-step sign-in for staff.
    REQUIRE_2FA_FOR_STAFF = False


class TestingConfig(Config):
    """The test suite: its own database, no CSRF unless a test turns it on."""

    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = database_url(
        _env("NEIGHBORLY_TEST_DATABASE_URL", _sqlite_url("test.db"))
    )
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SHARED_CACHE_SECONDS = 0  # every test starts from an empty database; test_cache turns it on
    MAIL_BACKEND = "memory"
    SMS_BACKEND = "memory"
    OUTBOX_DELIVERY = "inline"
    PUBLIC_URL = "http://localhost"  # the test client's own address, so emailed links open
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    SERVER_NAME = None
    # The many tests that sign coordinators in directly would all meet the 2FA set-up page;
    # tests/accounts/test_two_factor_required.py turns it on and proves the requirement.
    REQUIRE_2FA_FOR_STAFF = False


class ProductionConfig(Config):
    """Production: refuses to start without a real secret, database, address and mail."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # __Host-: the browser keeps it only if Secure, for this exact host and path "/", so neither a
    # sibling subdomain nor plain http can plant or overwrite it.
    SESSION_COOKIE_NAME = "__Host-neighborly"
    REMEMBER_COOKIE_NAME = "__Host-remember"
    SECRET_KEY = _env("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(_env("DATABASE_URL"))
    PUBLIC_URL = _env("PUBLIC_URL")
    TRUSTED_HOSTS = _env_list("TRUSTED_HOSTS") or _host_of(_env("PUBLIC_URL"))
    PREFERRED_URL_SCHEME = "https"
    HSTS_MAX_AGE = 31_536_000  # one year
    # No texts until a provider is configured: a console would log phone numbers.
    SMS_BACKEND = _env("SMS_BACKEND", "off")

    @classmethod
    def check(cls) -> None:
        """Raise if a required production setting is missing or mail would go to the log."""
        required = ("SECRET_KEY", "DATABASE_URL", "PUBLIC_URL")
        missing = [name for name in required if not _env(name)]
        if missing:
            raise RuntimeError(f"Production needs these settings: {', '.join(missing)}")
        check_mail_backend(_env("MAIL_BACKEND", "console"), _env("MAIL_BACKEND_ALLOW_CONSOLE"))


def engine_options(
    url: str,
    options: dict,
    connect_timeout: int,
    statement_ms: int,
    random_page_cost: str | None = None,
    prepare_threshold: str | None = None,
) -> dict:
    """Engine options with a health check per checkout and, on PostgreSQL, short timeouts
    (and the planner's random page cost and the driver's prepare threshold, when set)."""
    merged = {"pool_pre_ping": True, "hide_parameters": True, **options}
    if url.startswith("postgresql"):
        # LIFO: a request takes the connection used last, whose statements psycopg has prepared.
        merged.setdefault("pool_use_lifo", True)
        connect_args = dict(merged.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", connect_timeout)
        settings = []
        if statement_ms > 0:
            settings.append(f"-c statement_timeout={statement_ms}")
        if random_page_cost:
            settings.append(f"-c random_page_cost={float(random_page_cost)}")
        if settings:
            connect_args.setdefault("options", " ".join(settings))
        if prepare_threshold:
            connect_args.setdefault("prepare_threshold", _threshold(prepare_threshold))
        merged["connect_args"] = connect_args
    return merged


def _threshold(setting: str) -> int | None:
    """psycopg's prepare_threshold from a setting: a count, or "off" (None: never prepare)."""
    return None if setting.strip().lower() in ("off", "none", "no") else int(setting)


LOG_MAIL_BACKENDS = ("console", "file")


def check_mail_backend(backend: str | None, allow: str | None) -> None:
    """Refuse mail that lands in a log or file (reset links!) unless explicitly allowed, loudly."""
    if backend not in LOG_MAIL_BACKENDS:
        return
    if allow != "1":
        raise RuntimeError(
            f"Production refuses MAIL_BACKEND={backend}: it writes password-reset links where "
            "anyone reading the logs can use them. Set MAIL_BACKEND=smtp, or "
            "MAIL_BACKEND_ALLOW_CONSOLE=1 to accept the risk."
        )
    print(
        f"WARNING: MAIL_BACKEND={backend} in production (MAIL_BACKEND_ALLOW_CONSOLE=1): "
        "password-reset links are written to the log. Use smtp for real people.",
        file=sys.stderr,
    )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for_environment() -> type[Config]:
    """Pick the config class named by NEIGHBORLY_ENV (development by default)."""
    name = (_env("NEIGHBORLY_ENV", "development") or "development").lower()
    if name not in CONFIGS:
        raise RuntimeError(f"NEIGHBORLY_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
