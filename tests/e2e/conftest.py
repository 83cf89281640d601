"""Browser tests: a live server over the suite's database, Debian's Chromium, a page per test."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from sqlalchemy import select
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from neighborly.extensions import db
from tests.e2e.axe import PageAudit
from tests.factories.accounts import DEFAULT_PASSWORD

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items) -> None:
    """Mark every test under tests/e2e with `e2e`, so `-m "not e2e"` skips the browser."""
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


class QuietHandler(WSGIRequestHandler):
    """Keep the live server from printing one line per request."""

    def log_request(self, *args, **kwargs) -> None:
        pass


def close_after_body(app: Flask):
    """The app as a WSGI callable whose response is closed as soon as its body is written.

    Werkzeug's development server closes a response (which runs call_on_close, where the
    outbox is delivered after the response) only after draining the socket, and skips the
    close when the browser has already reset the connection after a redirect. gunicorn, which
    production runs, closes in a `finally`. This gives the test server gunicorn's guarantee.
    """

    def serve(environ, start_response):
        body = app(environ, start_response)
        try:
            yield from body
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return serve


@dataclass(frozen=True)
class LiveServer:
    """The running server and where to reach it."""

    server: BaseWSGIServer
    url: str


@pytest.fixture(scope="session")
def live_server(session_app: Flask) -> Iterator[LiveServer]:
    """Serve the suite's app on a free local port in a background thread."""
    server = make_server(
        "127.0.0.1", 0, close_after_body(session_app), threaded=True, request_handler=QuietHandler
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.start()
    try:
        yield LiveServer(server=server, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture()
def e2e_app(app: Flask, live_server: LiveServer) -> Iterator[Flask]:
    """The app over a freshly wiped database, with CSRF protection on as in production.

    The live server shares the database, so anything the test commits is visible to it.
    """
    previous = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield app
    finally:
        app.config["WTF_CSRF_ENABLED"] = previous
        db.session.rollback()


@pytest.fixture()
def base_url(e2e_app: Flask, live_server: LiveServer) -> str:
    """The live server's address, e.g. http://127.0.0.1:54321 (no trailing slash)."""
    return live_server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the run; fails (never skips) when Chromium is missing."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}. Install Debian's package "
            "(apt-get install chromium); the e2e tests never download browsers.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def _new_context(browser: Browser, base_url: str, **options) -> BrowserContext:
    """A fresh context (own cookies) aimed at the live server."""
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="en-US", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@contextmanager
def _page_in_new_context(browser: Browser, base_url: str, **options) -> Iterator[Page]:
    """A page in its own browser context, closed afterwards."""
    context = _new_context(browser, base_url, **options)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture()
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A page in a fresh browser context for each test."""
    with _page_in_new_context(browser, base_url) as fresh_page:
        yield fresh_page


@pytest.fixture()
def person(browser: Browser, base_url: str) -> Callable[[], AbstractContextManager[Page]]:
    """Someone else at another computer: `with person() as their_page:` (own cookies)."""
    return lambda: _page_in_new_context(browser, base_url)


@pytest.fixture()
def no_js_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A page in a fresh context with JavaScript turned off."""
    with _page_in_new_context(browser, base_url, java_script_enabled=False) as fresh_page:
        yield fresh_page


def submit_sign_in_form(page: Page, email: str, password: str = DEFAULT_PASSWORD) -> None:
    """Fill the open sign-in form by its labels and press the button."""
    main = page.get_by_role("main")
    main.get_by_label("Email address").fill(email)
    main.get_by_label("Password").fill(password)
    main.get_by_role("button", name="Sign in").click()


def sign_in_and_land(page: Page, audit: PageAudit, shot: str, email: str, then: str) -> None:
    """Open the real sign-in form (checked with axe as `<shot>-login`), sign in, land on `then`."""
    page.goto(f"/account/login?next={then}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    audit.check(f"{shot}-login")
    submit_sign_in_form(page, email)
    expect(page.get_by_role("status")).to_contain_text("Welcome")  # "Welcome back" after the first
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))


@pytest.fixture()
def sign_in() -> Callable[[Page, PageAudit, str, str, str], None]:
    """`sign_in(page, audit, shot, email, then)`: sign in through the form, as a person would."""
    return sign_in_and_land


@pytest.fixture()
def submit_sign_in() -> Callable[..., None]:
    """`submit_sign_in(page, email, password)`: fill and send the sign-in form already open."""
    return submit_sign_in_form


def read_again(model, **where):
    """Read one row again, seeing what the live server committed."""
    db.session.rollback()
    return db.session.scalars(select(model).filter_by(**where)).one()


@pytest.fixture()
def fresh() -> Callable[..., object]:
    """`fresh(Model, **where)`: one row read again, seeing what the live server committed."""
    return read_again
