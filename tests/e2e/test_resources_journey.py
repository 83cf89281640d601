"""The belonging library in a real browser: browse a topic, search, open, suggest; review.

A neighbour browses a topic, searches, opens a resource (the outside site is stubbed, so
no network is used) and suggests one, fixing a refused link first. A coordinator sees
the open count, approves the suggestion as published and features it. Every page the
browser lands on is checked with axe (WCAG 2.2 AA) at 1280 px and 375 px, with
screenshots in test-results/screenshots/resources-*.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect
from sqlalchemy import select

from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.resources import services
from neighborly.resources.library import load_starting_library
from neighborly.resources.models import Resource, ResourceSuggestion, SuggestionStatus
from neighborly.resources.search import install_search
from tests.e2e.axe import PageAudit
from tests.factories.accounts import CommunityFactory, member

ACTION_GUIDE = "Action Guide for Building Socially Connected Communities"
OUTSIDE_PAGE = """<!doctype html><html lang="en"><head><title>Action Guide</title></head>
<body><main><h1>Action Guide (stand-in for the real site)</h1></main></body></html>"""
SUGGESTED = "Porch chats in Bellwood"


@pytest.fixture()
def library(e2e_app) -> None:
    """The starting library, with its search structures, over a fresh database."""
    install_search(db.session.connection())
    db.session.commit()
    load_starting_library()


def stand_in_for_the_outside_site(redirects: list[str]):
    """A route handler: let our server answer "Open", note where it sends the browser, and
    show a stand-in page instead of leaving the machine (Playwright cannot intercept the
    redirected request itself)."""

    def handle(route: Route) -> None:
        answer = route.fetch(max_redirects=0)
        redirects.append(f"{answer.status} {answer.headers.get('location')}")
        route.fulfill(status=200, content_type="text/html", body=OUTSIDE_PAGE)

    return handle


def fresh_resource(title: str) -> Resource:
    """Read a resource again, seeing what the live server committed."""
    db.session.rollback()
    return db.session.scalars(select(Resource).where(Resource.title == title)).one()


def test_a_neighbour_browses_searches_opens_and_suggests(page: Page, library, sign_in):
    community = CommunityFactory(slug="proviso", name="Proviso Township")
    member(community, Role.RESIDENT, first_name="Rosa", last_name="M", email="rosa@example.org")
    redirects: list[str] = []
    page.route("**/resources/*/open", stand_in_for_the_outside_site(redirects))
    audit = PageAudit(page)
    main = page.get_by_role("main")

    sign_in(page, audit, "resources-rosa", "rosa@example.org", "/resources")
    expect(page.get_by_role("heading", level=1)).to_have_text("Belonging resources")
    audit.check("resources-library")

    topics = main.get_by_role("navigation", name="Browse by topic")
    topics.get_by_role("link", name="Mentoring", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring")
    wolves = main.get_by_role("listitem").filter(has_text="Algoma High School's Wolves")
    expect(wolves).to_contain_text("No web link yet")
    audit.check("resources-topic")

    main.get_by_role("searchbox", name="Search the library").fill("socially connected")
    main.get_by_role("button", name="Search").click()
    results = main.get_by_role("region", name=re.compile("results? for"))
    expect(results.get_by_role("heading", level=3).first).to_have_text(ACTION_GUIDE)
    audit.check("resources-search")

    results.get_by_role("link", name=ACTION_GUIDE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ACTION_GUIDE)
    expect(main).to_contain_text("Brought to you by")
    expect(main).not_to_contain_text("Opened")
    audit.check("resources-detail")

    main.get_by_role("link", name="Open the resource").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("stand-in")
    audit.check("resources-opened-outside")
    assert redirects == ["302 https://www.social-connection.org/action-guide/"]
    assert fresh_resource(ACTION_GUIDE).clicks == 1

    page.goto("/resources/suggest")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggest a resource")
    audit.check("resources-suggest")

    main.get_by_label("What is it called?").fill(SUGGESTED)
    main.get_by_label("Web address (optional)").fill("javascript:alert(1)")
    main.get_by_label("Why would it help neighbours?").fill("Neighbours meet on porches.")
    main.get_by_role("group", name="Topics it fits (optional)").get_by_label(
        "Social Connection"
    ).check()
    main.get_by_role("button", name="Send my suggestion").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check the form")
    link_field = main.get_by_label("Web address (optional)")
    expect(link_field).to_have_attribute("aria-invalid", "true")
    expect(main.locator("#url-error")).to_have_text(
        "Use a web address that starts with https:// or http://."
    )
    audit.check("resources-suggest-error")

    link_field.fill("https://example.org/porch-chats")
    main.get_by_role("button", name="Send my suggestion").click()
    expect(page.get_by_role("status")).to_contain_text("A coordinator will look at your suggestion")
    mine = main.get_by_role("region", name="Your suggestions")
    expect(mine.get_by_role("listitem").filter(has_text=SUGGESTED)).to_contain_text(
        "Waiting for a coordinator"
    )
    audit.check("resources-suggested")
    audit.assert_every_page_checked()

    db.session.rollback()
    suggestion = db.session.scalars(select(ResourceSuggestion)).one()
    assert (suggestion.url, suggestion.topic_slugs) == (
        "https://example.org/porch-chats",
        "social-connection",
    )


def test_a_coordinator_sees_counts_approves_a_suggestion_and_features_it(
    page: Page, library, sign_in
):
    community = CommunityFactory(slug="algoma", name="Algoma")
    neighbour = member(community, Role.RESIDENT, first_name="Rosa", last_name="Martinez")
    member(community, Role.COORDINATOR, first_name="Carmen", email="carmen@example.org")
    services.suggest_resource(
        services.SuggestionDraft(
            title=SUGGESTED,
            url="https://example.org/porch-chats",
            summary="Neighbours meet on porches every Sunday.",
            source="Bellwood Library",
            topic_slugs=("social-connection",),
        ),
        neighbour,
    )
    guide = fresh_resource(ACTION_GUIDE)
    db.session.execute(Resource.__table__.update().where(Resource.id == guide.id).values(clicks=4))
    db.session.commit()
    audit = PageAudit(page)
    main = page.get_by_role("main")

    sign_in(page, audit, "resources-carmen", "carmen@example.org", "/resources/manage")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage the library")
    row = main.get_by_role("row").filter(has_text=ACTION_GUIDE)
    expect(row.get_by_role("cell").last).to_have_text("4")
    audit.check("resources-manage")

    main.get_by_role("link", name="1 suggestion waiting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggestions waiting")
    expect(main).to_contain_text("Suggested by Rosa M.")
    audit.check("resources-queue")

    main.get_by_role("link", name=SUGGESTED).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review a suggestion")
    expect(main.get_by_label("Title")).to_have_value(SUGGESTED)
    audit.check("resources-review")

    main.get_by_label("Kind").select_option(label="Story - Original")
    main.get_by_role("group", name="Topics").get_by_label("Belonging and Civic Muscle").check()
    main.get_by_label("Published: everyone can see it").check()
    main.get_by_role("button", name="Approve and add to the library").click()
    expect(page.get_by_role("status")).to_contain_text(f"Approved. “{SUGGESTED}”")
    expect(page.get_by_role("heading", level=1)).to_have_text(SUGGESTED)
    curate = main.get_by_role("region", name="For coordinators")
    expect(curate).to_contain_text("Yes, everyone can see it")
    expect(curate).to_contain_text("0 times")
    audit.check("resources-approved")

    curate.get_by_role("button", name="Feature on the home page").click()
    expect(page.get_by_role("status")).to_have_text("Featured on the home page.")
    expect(main.get_by_role("region", name="For coordinators")).to_contain_text(
        "Yes, on the home page"
    )
    audit.check("resources-featured")
    audit.assert_every_page_checked()

    approved = fresh_resource(SUGGESTED)
    assert (approved.published, approved.featured) == (True, True)
    assert {t.slug for t in approved.topics} == {"social-connection", "belonging-civic-muscle"}
    assert SUGGESTED in [r.title for r in services.featured_resources(limit=5)]
    assert db.session.scalars(select(ResourceSuggestion.status)).one() == SuggestionStatus.APPROVED
