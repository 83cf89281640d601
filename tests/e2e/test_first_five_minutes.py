"""The first five minutes of each kind of person, in English and in Spanish, in a real browser.

A newcomer registers, confirms their email, signs in for the very first time, finds their
community, joins, says what brings them there and takes their first useful step: a resident
asks for help, a volunteer sets up their profile, a mentor applies to a program, a coordinator
verifies a waiting volunteer. Every step is found by what the page says (accessible names, in
the reader's language: the Spanish words come from the Spanish catalog), and every page
visited passes axe (WCAG 2.2 AA) with no sideways scrolling at 1280, 375 and 320 px.

Each journey ends back on the person's home, which now shows what they just did.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect

from neighborly.accounts.models import Role
from neighborly.accounts.services import name_coordinator
from neighborly.extensions import db
from tests.e2e.axe import DESKTOP, PageAudit
from tests.e2e.test_account_journey import emailed_link
from tests.factories.accounts import CommunityFactory, UserFactory, member
from tests.factories.help_requests import VolunteerProfileFactory
from tests.factories.mentoring import HIGH, ProgramFactory

ROOT = Path(__file__).resolve().parents[2]
SPANISH_PO = ROOT / "neighborly" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
PASSWORD = "a kind neighbour on our street"
COMMUNITY = "Algoma, Wisconsin"


@cache
def _spanish() -> dict[str, str]:
    """msgid -> Spanish, singular forms only (what a page shows for one)."""
    with SPANISH_PO.open("rb") as po:
        catalog = read_po(po, locale="es")
    words = {}
    for message in catalog:
        if message.id:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            value = message.string[0] if isinstance(message.string, tuple) else message.string
            words[key] = value
    return words


class Words:
    """What the page says in the reader's language: `say("Join %(name)s", name=...)`."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def __call__(self, msgid: str, **values: object) -> str:
        text = msgid if self.locale == "en" else _spanish()[msgid]
        return text % values if values else text


@pytest.fixture(params=["en", "es"])
def say(request) -> Words:
    """The journey's language."""
    return Words(request.param)


@pytest.fixture()
def newcomer_page(browser: Browser, base_url: str, say: Words) -> Iterator[Page]:
    """A browser whose language is the journey's (Spanish visitors get Spanish pages)."""
    locale = "es-MX" if say.locale == "es" else "en-US"
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale=locale)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture()
def algoma(e2e_app):
    """A community a newcomer can tell is theirs, with a mentoring program."""
    community = CommunityFactory(
        slug="algoma",
        name=COMMUNITY,
        description="Neighbours in Algoma lending a hand, and Wolves and Pups mentoring.",
        towns="Algoma",
        postal_codes="60153",
        distance_unit="mi",
    )
    ProgramFactory(community=community, name="Wolves and Pups")
    db.session.commit()
    return community


def heading(page: Page):
    """The page's h1."""
    return page.get_by_role("heading", level=1)


def register_and_sign_in(page: Page, audit: PageAudit, say: Words, base_url, first, email):
    """Register through the form, confirm by the emailed link, sign in for the first time."""
    main = page.get_by_role("main")
    page.goto("/")
    audit.check(f"first-{first}-{say.locale}-front-door")
    page.get_by_role("navigation", name=say("Main")).get_by_role("link", name=say("Join")).click()
    expect(heading(page)).to_have_text(say("Join Neighborly"))
    audit.check(f"first-{first}-{say.locale}-register")
    main.get_by_label(say("First name")).fill(first)
    main.get_by_label(say("Last name")).fill("Newcomer")
    main.get_by_label(say("Email address")).fill(email)
    main.get_by_label(say("Password")).fill(PASSWORD)
    main.get_by_label(say("Language")).select_option(say.locale)
    main.get_by_label(say("I agree to the terms and the privacy notice")).check()
    main.get_by_role("button", name=say("Create my account")).click()
    expect(heading(page)).to_have_text(say("Check your email"))
    audit.check(f"first-{first}-{say.locale}-check-email")

    page.goto(emailed_link(email, base_url, "/account/confirm/"))
    expect(heading(page)).to_have_text(say("Confirm your email"))
    audit.check(f"first-{first}-{say.locale}-confirm")
    main.get_by_role("button", name=say("Confirm my email")).click()
    expect(heading(page)).to_have_text(say("Sign in"))
    audit.check(f"first-{first}-{say.locale}-login")
    main.get_by_label(say("Email address")).fill(email)
    main.get_by_label(say("Password")).fill(PASSWORD)
    main.get_by_role("button", name=say("Sign in")).click()
    # The very first sign-in says "Welcome", never "Welcome back".
    expect(page.get_by_role("status")).to_have_text(say("Welcome, %(name)s.", name=first))
    expect(heading(page)).to_have_text(say("Welcome, %(name)s", name=first))


def join_and_choose(page: Page, audit: PageAudit, say: Words, first: str, choice: str) -> None:
    """From the home, open the community, read what it is, join, choose what brings you."""
    main = page.get_by_role("main")
    expect(main).to_contain_text(say("Start by joining your community"))
    audit.check(f"first-{first}-{say.locale}-home-new")
    main.get_by_role("link", name=COMMUNITY).click()
    expect(heading(page)).to_have_text(COMMUNITY)
    expect(main).to_contain_text("Neighbours in Algoma lending a hand")
    expect(main).to_contain_text(say("Towns served"))
    audit.check(f"first-{first}-{say.locale}-community")
    main.get_by_role("button", name=say("Join %(name)s", name=COMMUNITY)).click()
    expect(page.get_by_role("status")).to_contain_text(say("Welcome to %(name)s!", name=COMMUNITY))
    expect(heading(page)).to_have_text(say("What brings you here?"))
    audit.check(f"first-{first}-{say.locale}-first-steps")
    main.get_by_role("link", name=say(choice)).click()


def go_home(page: Page, audit: PageAudit, say: Words, first: str) -> None:
    """Back to the home by the site's name (still "Welcome": this is the first visit)."""
    page.get_by_role("link", name="Neighborly", exact=True).click()
    expect(heading(page)).to_have_text(say("Welcome, %(name)s", name=first))
    audit.check(f"first-{first}-{say.locale}-home-after")


def test_a_resident_joins_and_asks_for_help(newcomer_page: Page, base_url, say, algoma):
    page, first = newcomer_page, "Rosa"
    audit = PageAudit(page)
    main = page.get_by_role("main")
    register_and_sign_in(page, audit, say, base_url, first, f"rosa.{say.locale}@example.org")
    join_and_choose(page, audit, say, first, "I'd like help")

    expect(heading(page)).to_have_text(say("Ask for help"))
    audit.check(f"first-{first}-{say.locale}-ask")
    main.get_by_label(say("What kind of help?")).select_option(label=say("Snow shovelling"))
    main.get_by_label(say("In a few words")).fill("Shovel my front steps")
    main.get_by_label(say("Street address")).fill("4217 Elmwood Lane")
    main.get_by_label(say("ZIP code"), exact=True).fill("60153")
    main.get_by_label(say("About how many minutes will it take?")).fill("30")
    main.get_by_role("button", name=say("Post my request")).click()
    expect(heading(page)).to_have_text("Shovel my front steps")
    preview = main.get_by_role("region", name=say("What neighbours see"))
    expect(preview).to_contain_text("60153")
    expect(preview).not_to_contain_text("4217 Elmwood Lane")
    audit.check(f"first-{first}-{say.locale}-posted")

    go_home(page, audit, say, first)
    expect(main.get_by_role("link", name="Shovel my front steps")).to_be_visible()
    expect(main).to_contain_text(say("Waiting for a helper"))
    audit.assert_every_page_checked()


def test_a_volunteer_joins_and_sets_up_their_profile(newcomer_page: Page, base_url, say, algoma):
    page, first = newcomer_page, "Sam"
    audit = PageAudit(page)
    main = page.get_by_role("main")
    register_and_sign_in(page, audit, say, base_url, first, f"sam.{say.locale}@example.org")
    join_and_choose(page, audit, say, first, "I'd like to help")

    expect(heading(page)).to_have_text(say("My volunteer profile"))
    expect(main.get_by_role("region", name=say("How volunteering works"))).to_be_visible()
    audit.check(f"first-{first}-{say.locale}-profile")
    main.get_by_label(say("Your ZIP code")).fill("60153")
    main.get_by_label(say("How far will you go (miles)?")).fill("2")
    main.get_by_role("group", name=say("What can you help with?")).get_by_label(
        say("Snow shovelling")
    ).check()
    main.get_by_role("group", name=say("When are you usually free?")).get_by_label(
        f"{say('Saturday')}, {say('morning (8 am to noon)')}"
    ).check()
    main.get_by_role("button", name=say("Save my profile")).click()
    expect(page.get_by_role("status")).to_contain_text(
        say(
            "Your volunteer profile is saved. A coordinator will verify you soon; "
            "we will email you when they do."
        )
    )
    expect(heading(page)).to_have_text(say("Neighbours near you who need a hand"))
    audit.check(f"first-{first}-{say.locale}-near-me")

    go_home(page, audit, say, first)
    expect(main.get_by_role("heading", name=say("Your volunteering"))).to_be_visible()
    audit.assert_every_page_checked()


def test_a_mentor_joins_and_applies_to_the_program(newcomer_page: Page, base_url, say, algoma):
    page, first = newcomer_page, "Kaylee"
    audit = PageAudit(page)
    main = page.get_by_role("main")
    register_and_sign_in(page, audit, say, base_url, first, f"kaylee.{say.locale}@example.org")
    join_and_choose(page, audit, say, first, "I'm here for a mentoring program")

    expect(heading(page)).to_have_text(say("Mentoring in %(name)s", name=COMMUNITY))
    audit.check(f"first-{first}-{say.locale}-programs")
    main.get_by_role("link", name=say("Apply to be a %(label)s", label="Wolf")).click()
    audit.check(f"first-{first}-{say.locale}-apply")
    main.get_by_label(say("Your grade")).select_option(label=say("Grade %(n)d", n=10))
    main.get_by_label(say("Your school")).select_option(label=HIGH)
    main.get_by_label(say("Reading and stories")).check()
    main.get_by_label(say("English")).check()
    main.get_by_label(f"{say('Tuesday')} {say('after school (3 pm)')}").check()
    main.get_by_label(say("Why do you want to be a mentor?")).fill("A mentor helped me read.")
    main.get_by_role("button", name=say("Send my application")).click()
    expect(heading(page)).to_have_text(say("My mentoring: %(name)s", name="Wolves and Pups"))
    audit.check(f"first-{first}-{say.locale}-applied")

    go_home(page, audit, say, first)
    expect(main).to_contain_text(
        say(
            "Your application to %(name)s is waiting for a coordinator. They will check your "
            "consent form and training, then pair you with a younger student.",
            name="Wolves and Pups",
        )
    )
    audit.assert_every_page_checked()


def test_a_coordinator_is_named_and_verifies_a_waiting_volunteer(
    newcomer_page: Page, base_url, say, algoma
):
    page, first = newcomer_page, "Karen"
    email = f"karen.{say.locale}@example.org"
    waiting = member(algoma, Role.VOLUNTEER, first_name="Theo", last_name="Lund")
    VolunteerProfileFactory(user=waiting, community_id=algoma.id, verified_at=None)
    audit = PageAudit(page)
    main = page.get_by_role("main")
    register_and_sign_in(page, audit, say, base_url, first, email)
    expect(main).to_contain_text(say("Start by joining your community"))
    audit.check(f"first-{first}-{say.locale}-home-new")

    # The site admin names her coordinator of Algoma; her home now shows what needs her.
    name_coordinator(UserFactory(is_site_admin=True), algoma, email)
    page.reload()
    expect(main.get_by_role("heading", name=say("What needs you today"))).to_be_visible()
    audit.check(f"first-{first}-{say.locale}-home-coordinator")
    main.get_by_role("link", name=re.compile(say("volunteer to verify"))).click()
    expect(heading(page)).to_have_text(say("Open requests in %(name)s", name=COMMUNITY))
    audit.check(f"first-{first}-{say.locale}-requests")
    main.get_by_role("button", name=say("Verify %(name)s", name="Theo L.")).click()
    expect(page.get_by_role("status")).to_contain_text(say("The volunteer is verified."))
    audit.check(f"first-{first}-{say.locale}-verified")

    go_home(page, audit, say, first)
    expect(main.get_by_role("link", name=say("Open the coordinator console"))).to_be_visible()
    audit.assert_every_page_checked()
