"""Every page each demo person can reach, at 320 px: nothing may scroll sideways.

The demo is loaded once for this module (it takes a while). Then each demo account signs in
through the real form and the browser follows every link it can GET from the home page,
breadth first, at 320 px wide (DESIGN: every page is usable at 320 px). The crawl is bounded:
a few pages per endpoint (a second request page says little the first did not) and a cap
per person, so it costs the same however large the demo grows.

On the way, each role's home is saved at desktop width to docs/screenshots/home-<role>.png,
the pictures the README shows, so they stay current with the code.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from werkzeug.exceptions import HTTPException

from neighborly.demo import load_demo
from neighborly.demo.data.people import DEMO_DOMAIN, DEMO_RESIDENT_EMAIL, DEMO_VOLUNTEER_EMAIL
from tests.conftest import wipe_tables
from tests.e2e.axe import DESKTOP, NARROWEST, _too_wide

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PER_ENDPOINT = 2  # pages of one kind worth a look
MOST_PAGES = 70  # per person; the crawl stops here whatever it has left
# Not pages: downloads, the way out to other sites, a health check, static files.
SKIP = {
    "static",
    "pages.health",
    "resources.open_link",
}
README_HOMES = {  # whose home the README shows, by role
    "resident": DEMO_RESIDENT_EMAIL,
    "volunteer": DEMO_VOLUNTEER_EMAIL,
    "coordinator": f"coordinator@proviso.{DEMO_DOMAIN}",
    "mentor": f"mentor@algoma.{DEMO_DOMAIN}",
}


@pytest.fixture(scope="module")
def demo(session_app: Flask, is_postgres: bool, live_server) -> Iterator[dict[str, str]]:
    """The demo, loaded once for the module: email -> password of each demo account.

    The module has one test (every account in turn), so the demo loads once even when
    pytest-xdist spreads tests over workers.
    """
    with session_app.app_context():
        wipe_tables(is_postgres)
        accounts = load_demo()
        yield {email: password for _label, email, password in accounts}


def _sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the real form."""
    page.goto("/account/login")
    main = page.get_by_role("main")
    main.locator("input[name=email]").fill(email)
    main.locator("input[name=password]").fill(password)
    main.locator("button[type=submit]").click()
    expect(page.locator("h1")).not_to_have_text("Sign in")


def _links(page: Page, origin: str) -> list[str]:
    """Same-site links on the page, as paths with their query, without fragments."""
    found = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == origin:
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(page: Page, app: Flask, origin: str) -> tuple[list[str], list[str]]:
    """Visit reachable GET pages breadth first at 320 px; return (visited, problems)."""
    adapter = app.url_map.bind("localhost")
    downloads = {  # files (.ics, .csv) are not pages: the browser saves them
        rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.endswith((".ics", ".csv"))
    }
    queue, queued = deque(["/"]), {"/"}
    per_endpoint: Counter[str] = Counter()
    visited, problems = [], []
    page.set_viewport_size(NARROWEST)
    while queue and len(visited) < MOST_PAGES:
        path = queue.popleft()
        try:
            endpoint, _args = adapter.match(urlsplit(path).path, method="GET")
        except HTTPException:
            continue
        if endpoint in SKIP or endpoint in downloads or per_endpoint[endpoint] >= PER_ENDPOINT:
            continue
        per_endpoint[endpoint] += 1
        response = page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited.append(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{path} scrolls sideways by {overflow} px: {_too_wide(page)}")
        for link in _links(page, origin):
            if link not in queued:
                queued.add(link)
                queue.append(link)
    return visited, problems


def _crawl_as(browser: Browser, live_server, app: Flask, email: str, password: str) -> list[str]:
    """Sign in as one demo person, keep their home's picture if the README shows it, crawl."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        _sign_in(page, email, password)
        for role, whose in README_HOMES.items():
            if whose == email:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.goto("/")
                page.screenshot(path=SCREENSHOTS / f"home-{role}.png", full_page=True)
        visited, problems = crawl(page, app, live_server.url)
    finally:
        context.close()
    if len(visited) < 5:
        problems.append(f"the crawl hardly started: {visited}")
    return [f"{email}: {problem}" for problem in problems]


def test_no_page_any_demo_person_can_reach_scrolls_sideways_at_320_px(
    browser: Browser, live_server, session_app: Flask, demo: dict[str, str]
):
    assert len(demo) == 7  # the site admin, two coordinators, two residents, volunteer, mentor
    problems = []
    for email, password in demo.items():
        problems += _crawl_as(browser, live_server, session_app, email, password)
    assert not problems, "pages that scroll sideways at 320 px:\n" + "\n".join(problems)
