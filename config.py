"""Configuration classes: the only place that reads the environment."""

from __future__ import annotations

import os
import re
from pathlib import Path

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


def _sqlite_url(filename: str) -> str:
    """Build a SQLite URL for a file inside the instance folder."""
    return f"sqlite:///{INSTANCE_DIR / filename}"


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = _env("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = database_url(_env("DATABASE_URL", _sqlite_url("neighborly.db")))
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False
    REDIS_URL = _env("REDIS_URL")
    RATELIMIT_STORAGE_URI = _env("REDIS_URL", "memory://")
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True
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
    PUBLIC_URL = _env("PUBLIC_URL", "http://127.0.0.1:5000")  # for links in email from commands
    MAIL_FROM = _env("MAIL_FROM", "Neighborly <hello@neighborly.invalid>")
    SMTP_HOST = _env("SMTP_HOST")
    SMTP_PORT = int(_env("SMTP_PORT", "587") or 587)
    SMTP_USERNAME = _env("SMTP_USERNAME")
    SMTP_PASSWORD = _env("SMTP_PASSWORD")
    RESET_TOKEN_MAX_AGE_MINUTES = 60
    CONFIRM_TOKEN_MAX_AGE_HOURS = 48
    SHOW_DEMO_PASSWORDS = False
    GEOCODER = _env("GEOCODER", "offline")
    NOMINATIM_URL = _env("NOMINATIM_URL", "https://nominatim.openstreetmap.org")
    NOMINATIM_USER_AGENT = _env("NOMINATIM_USER_AGENT", "neighborly")


class DevelopmentConfig(Config):
    """Laptop defaults: SQLite in instance/, mail on the console, demo passwords shown."""

    DEBUG = False
    SHOW_DEMO_PASSWORDS = True


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
    MAIL_BACKEND = "memory"
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    SERVER_NAME = None


class ProductionConfig(Config):
    """Production: refuses to start without a real secret and database."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SECRET_KEY = _env("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(_env("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    @classmethod
    def check(cls) -> None:
        """Raise if a required production setting is missing."""
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not _env(name)]
        if missing:
            raise RuntimeError(f"Production needs these settings: {', '.join(missing)}")


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
