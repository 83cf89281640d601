"""The pieces create_app wires together: extensions, blueprints, hooks, errors, commands."""

from __future__ import annotations

import contextlib
import math
import time
from pathlib import Path

from flask import Flask, Response, current_app, g, render_template, request, session
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter, IntegerConverter

from config import engine_options
from neighborly.assets import register_fingerprints
from neighborly.errors import DomainError, domain_error_status
from neighborly.extensions import babel, csrf, db, limiter, login_manager, migrate
from neighborly.geo.geocoding import geocoder_from_config
from neighborly.notifications.wiring import init_notifications
from neighborly.policy import register_policy_enforcement
from neighborly.request_log import register_request_log
from neighborly.transactions import register_transaction_end

ERROR_CODES = (400, 403, 404, 405, 409, 429, 500)
# The largest id an Integer column holds on PostgreSQL (SQLite cannot even bind 2**63).
LARGEST_ID = 2**31 - 1


def register_extensions(app: Flask, migrations_dir: str) -> None:
    """Bind every extension to the app."""
    from neighborly import models  # noqa: F401  (complete metadata for migrations)
    from neighborly.accounts.services import load_session_user

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    _ensure_sqlite_folder(url)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        url,
        app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {},
        connect_timeout=int(app.config.get("DATABASE_CONNECT_TIMEOUT") or 3),
        statement_ms=int(app.config.get("DATABASE_STATEMENT_TIMEOUT_MS") or 0),
        random_page_cost=app.config.get("DATABASE_RANDOM_PAGE_COST"),
        prepare_threshold=app.config.get("DATABASE_PREPARE_THRESHOLD"),
    )
    db.init_app(app)
    register_transaction_end(app)  # after Flask-SQLAlchemy's teardown, so it runs before it
    migrate.init_app(app, db, directory=migrations_dir, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.user_loader(load_session_user)
    app.extensions["geocoder"] = geocoder_from_config(app.config)


def _ensure_sqlite_folder(url: str) -> None:
    """Create the folder a SQLite file lives in."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys, wait for locks, allow readers during writes."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def select_locale() -> str:
    """The person's chosen language, else their browser's, else English."""
    languages = babel_languages()
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or "en"


def babel_languages() -> tuple[str, ...]:
    """Languages the site speaks."""
    from flask import current_app

    return tuple(current_app.config["LANGUAGES"])


class RecordIdConverter(IntegerConverter):
    """`<int:...>` in a URL: a number no larger than a record id can be, else a 404."""

    def __init__(self, map, fixed_digits: int = 0, min=None, max=LARGEST_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class TextConverter(BaseConverter):
    """`<slug>` in a URL: any text but control characters (no NUL reaches a database)."""

    regex = "[^/\x00-\x1f\x7f]+"


def register_blueprints(app: Flask) -> None:
    """Mount each domain's views; URL ids and texts limited to what the database can hold."""
    from neighborly.accounts.views import bp as accounts
    from neighborly.calendars.views import bp as calendars
    from neighborly.coordination.views import bp as coordination
    from neighborly.help_requests.views import bp as help_requests
    from neighborly.mentoring.views import bp as mentoring
    from neighborly.messages.views import bp as messages
    from neighborly.my_data.views import bp as my_data
    from neighborly.notifications.views import bp as notifications
    from neighborly.pages.views import bp as pages
    from neighborly.resources.views import bp as resources

    app.url_map.converters["int"] = RecordIdConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = TextConverter
    blueprints = (pages, accounts, my_data, coordination, help_requests, mentoring, resources)
    blueprints += (notifications, messages, calendars)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    init_notifications(app)  # preferences pages, delivery after the response, worker commands
    from neighborly.help_requests.services import send_invitations
    from neighborly.notifications.worker import add_due_work

    add_due_work(app, "invitation rounds", send_invitations)  # the worker moves requests along


def register_request_hooks(app: Flask) -> None:
    """The trusted proxies in front, the request log, authorization, safety and cache headers."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        # Only X-Forwarded-For and -Proto, from exactly this many proxies; the Host stays the
        # client's own (and TRUSTED_HOSTS checks it), so a forged X-Forwarded-Host does nothing.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0)
    register_request_log(app)
    register_fingerprints(app)
    register_policy_enforcement(app)
    app.after_request(_security_headers)
    app.after_request(_private_pages_not_stored)


def _private_pages_not_stored(response):
    """Pages for a signed-in person, and account pages, carry personal data: never cache them.

    `is_anonymous` is a constant of the class, so a person whose row a commit expired is not
    read again just for this header.
    """
    signed_in = current_user and not current_user.is_anonymous
    if request.endpoint != "static" and (signed_in or request.blueprint == "accounts"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _security_headers(response):
    """Headers that keep pages from being framed, sniffed or leaking links; HSTS when on https."""
    from flask import current_app

    max_age = int(current_app.config.get("HSTS_MAX_AGE") or 0)
    if max_age > 0:
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={max_age}; includeSubDomains"
        )
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def register_template_helpers(app: Flask) -> None:
    """Values every template can use."""
    from neighborly.accounts.forms import LanguageForm
    from neighborly.paging import page_url
    from neighborly.wording import install_page_gettext

    app.add_template_filter(community_time)
    app.add_template_filter(duration)
    app.add_template_global(page_url)
    install_page_gettext(app)

    @app.context_processor
    def _globals() -> dict:
        from flask_babel import get_locale

        locale = str(get_locale() or "en")
        return {"language_form": LanguageForm(locale=locale), "current_locale": locale}


def community_time(value, timezone: str = "UTC", style: str = "medium") -> str:
    """Show a UTC datetime in a community's time zone, in the reader's language and word order."""
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime, format_skeleton
    from flask_babel import get_locale

    if value is None:
        return ""
    zone, locale = ZoneInfo(timezone), get_locale()
    if locale is None or locale.language == "en":
        pattern = {"medium": "EEEE d MMMM, h:mm a", "short": "EEE d MMM, h:mm a"}[style]
        return format_datetime(value, pattern, tzinfo=zone, locale=locale or "en")
    skeleton = {"medium": "MMMMEEEEd", "short": "MMMEd"}[style]
    day = format_skeleton(skeleton, value, tzinfo=zone, locale=locale, fuzzy=True)
    return f"{day}, {format_skeleton('hm', value, tzinfo=zone, locale=locale, fuzzy=True)}"


def duration(minutes: int | None) -> str:
    """'45 minutes', '1 hour', '2 hours 15 minutes', in the reader's language."""
    from flask_babel import ngettext

    hours, rest = divmod(int(minutes or 0), 60)
    hour_words = ngettext("%(num)d hour", "%(num)d hours", hours) if hours else ""
    minute_words = ngettext("%(num)d minute", "%(num)d minutes", rest) if rest or not hours else ""
    return " ".join(part for part in (hour_words, minute_words) if part)


def register_error_pages(app: Flask) -> None:
    """Friendly error pages without stack traces; the one place domain errors become HTTP."""
    for code in ERROR_CODES:
        app.register_error_handler(code, _render_error)
    app.register_error_handler(CSRFError, _render_csrf_error)
    app.register_error_handler(DomainError, _render_domain_error)
    for database_error in (OperationalError, InterfaceError, DisconnectionError):
        app.register_error_handler(database_error, _render_database_away)


# SQLSTATE classes that mean "the database is not there right now": connection exceptions (08),
# insufficient resources such as too many connections (53), operator intervention such as a
# shutdown or a cancelled statement (57).
AWAY_SQLSTATE_CLASSES = ("08", "53", "57")
# SQLite's words for the same: another writer holds the file, or the file cannot be opened.
AWAY_SQLITE_WORDS = ("database is locked", "unable to open database", "disk i/o error")


def database_is_away(error: Exception) -> bool:
    """Whether a database error means 'not reachable now' (503) rather than a bug (500)."""
    if isinstance(error, DisconnectionError | InterfaceError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    original = getattr(error, "orig", None)
    if type(original).__module__.startswith("sqlite3"):
        return any(words in str(original).lower() for words in AWAY_SQLITE_WORDS)
    state = getattr(original, "sqlstate", None)
    # psycopg raises a plain OperationalError, without a state, when it cannot connect at all.
    return state is None or str(state)[:2] in AWAY_SQLSTATE_CLASSES


def _render_database_away(error: Exception):
    """While the database is away: a friendly 503 that asks to retry soon; never a 500."""
    if not database_is_away(error):
        raise error
    current_app.logger.warning("database unavailable: %s", type(error).__name__)
    _forget_session()
    wait = int(current_app.config.get("DATABASE_RETRY_AFTER") or 10)
    headers = {"Retry-After": str(wait), "Cache-Control": "no-store"}
    # The page must not ask the database who is signed in: show it as to anyone.
    g._login_user = login_manager.anonymous_user()
    try:
        return render_template("errors/unavailable.html"), 503, headers
    except Exception:  # a page that cannot render still says the same, plainly
        text = "Neighborly is briefly unavailable. Please try again in a minute.\n"
        return Response(text, status=503, mimetype="text/plain", headers=headers)


def _forget_session() -> None:
    """Drop the failed transaction and its connection, so the next request starts clean."""
    with contextlib.suppress(Exception):  # the connection is gone: removing the session drops it
        db.session.rollback()
    db.session.remove()


def _render_domain_error(error: DomainError):
    """A rule a view did not handle itself: missing is 404, forbidden 403, changed 409, else 400."""
    db.session.rollback()
    code = domain_error_status(error)
    return render_template("errors/error.html", code=code), code


def _render_error(error: HTTPException | Exception):
    """Render the page for an HTTP error; anything else is a 500."""
    code = error.code if isinstance(error, HTTPException) and error.code else 500
    if code == 500:
        db.session.rollback()
    if request_ctx.url_adapter is None:
        # The Host is not in TRUSTED_HOSTS: no URL can be built for it, so answer in plain text.
        return Response("Unknown host\n", status=code, mimetype="text/plain")
    if code == 429:
        wait = seconds_until_retry()
        page = render_template("errors/error.html", code=code, retry=retry_words(wait))
        return page, code, {"Retry-After": str(wait)}
    return render_template("errors/error.html", code=code), code


def seconds_until_retry() -> int:
    """How long until the limit that was hit lets this person try again (a minute if unknown)."""
    hit = limiter.current_limit
    if hit is None:
        return 60
    return max(1, math.ceil(hit.reset_at - time.time()))  # never before the window resets


def retry_words(seconds: int) -> str:
    """When to try again, in words: a minute, some minutes, some hours."""
    from flask_babel import ngettext

    if seconds <= 90:
        return _("Please wait a minute, then try again.")
    if seconds < 90 * 60:
        minutes = round(seconds / 60)
        return ngettext(
            "You can try again in about %(num)d minute.",
            "You can try again in about %(num)d minutes.",
            minutes,
        )
    hours = round(seconds / 3600)
    return ngettext(
        "You can try again in about %(num)d hour.",
        "You can try again in about %(num)d hours.",
        hours,
    )


def _render_csrf_error(error: CSRFError):
    """A form sent without a valid token."""
    return (
        render_template(
            "errors/error.html",
            code=400,
            detail=_("This form has expired. Please go back, reload the page and try again."),
        ),
        400,
    )


def register_commands(app: Flask) -> None:
    """The `flask --app neighborly ...` commands."""
    from neighborly.cli import commands

    for command in commands:
        app.cli.add_command(command)
