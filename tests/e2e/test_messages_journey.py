"""Hearing and talking in a real browser: the unread badge, opening a notice, accepting, and a
thread between the helper and the resident, in English and in Spanish.

Everyone signs in through the real sign-in form (CSRF on). Every page the browser lands on is
checked with axe (WCAG 2.2 AA) at 1280 px and 375 px and for sideways scrolling down to 320 px,
with screenshots in test-results/screenshots/messages-*.png.
"""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect
from sqlalchemy import select

from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Invitation, Status
from neighborly.help_requests.services.invitations import send_invitations
from neighborly.messages.models import Message
from tests.e2e.axe import PageAudit
from tests.factories.accounts import CommunityFactory, resident
from tests.factories.help_requests import volunteer
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by

SAM_SAYS = "I'll be there at 7"
ROSA_SAYS = "Thank you! The shovel is in the garage."


def _sign_in(page: Page, audit: PageAudit, shot: str, email: str, then: str, submit) -> None:
    """Sign in through the form (shown in the browser's English), then land on `then`."""
    page.goto(f"/account/login?next={then}")
    audit.check(f"{shot}-login")
    submit(page, email)
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))


def _badge(page: Page):
    """The header's unread-count badge."""
    return page.locator("header .notices-link .badge")


@pytest.mark.parametrize("locale", ["en", "es"])
def test_a_volunteer_hears_accepts_and_talks_with_the_resident(
    page: Page, person, submit_sign_in, fresh, locale
):
    def say(text: str, **values) -> str:
        with force_locale(locale):
            return gettext(text, **values)

    community = CommunityFactory(slug="proviso", name="Proviso Township")
    resident(
        community, first_name="Rosa", last_name="Martinez", email="rosa@example.org", locale=locale
    )
    sam = volunteer(community)
    sam.first_name, sam.last_name, sam.email, sam.locale = "Sam", "Lee", "sam@example.org", locale
    db.session.commit()
    shot = f"messages-{locale}"

    # Rosa asks for help through the ask form.
    with person() as rosa_page:
        rosa_audit = PageAudit(rosa_page)
        rosa_main = rosa_page.get_by_role("main")
        ask = "/c/proviso/ask"
        _sign_in(rosa_page, rosa_audit, f"{shot}-rosa-ask", "rosa@example.org", ask, submit_sign_in)
        rosa_audit.check(f"{shot}-rosa-ask")
        rosa_main.get_by_label(say("What kind of help?")).select_option(
            label=say("Snow shovelling")
        )
        rosa_main.get_by_label(say("In a few words")).fill("Shovel my front steps")
        rosa_main.get_by_label(say("Street address")).fill("4217 Elmwood Lane")
        rosa_main.get_by_label(say("ZIP code"), exact=True).fill("60153")
        rosa_main.get_by_role("button", name=say("Post my request")).click()
        expect(rosa_page.get_by_role("heading", level=1)).to_have_text("Shovel my front steps")
        rosa_audit.check(f"{shot}-rosa-posted")
        rosa_audit.assert_every_page_checked()
    asked = fresh(HelpRequest, title="Shovel my front steps")

    # Posting sent the first invitation round at once; the every-minute sweep (run here as
    # cron would) finds nothing more due and sends no second invitation.
    assert send_invitations() == 0
    invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.volunteer_id == sam.id

    # Sam sees one unread notice in the header, opens it and lands on the invitation.
    sam_audit = PageAudit(page)
    main = page.get_by_role("main")
    _sign_in(page, sam_audit, f"{shot}-sam", "sam@example.org", "/c/proviso", submit_sign_in)
    expect(_badge(page)).to_have_text(re.compile(r"^1\b"))
    sam_audit.check(f"{shot}-sam-badge")

    page.get_by_role("banner").get_by_role("link", name=re.compile(say("Notifications"))).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(say("Notifications"))
    expect(main.locator(".notice-detail")).to_have_text(
        [say("%(name)s asked: %(title)s", name="Rosa M.", title="Shovel my front steps")]
    )
    sam_audit.check(f"{shot}-sam-notifications")

    invited = re.compile(re.escape(say("Could you help a neighbour?")))
    main.get_by_role("button", name=invited).click()
    expect(page).to_have_url(re.compile(f"/invitations/{invitation.id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        say("Could you help %(name)s?", name="Rosa M.")
    )
    expect(_badge(page)).to_have_count(0)
    expect(main).not_to_contain_text("4217 Elmwood Lane")
    sam_audit.check(f"{shot}-sam-invitation")

    main.get_by_role("button", name=say("Yes, I'll do it")).click()
    expect(page.get_by_role("status")).to_have_text(
        say("Thank you! The address is now on the request page.")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Shovel my front steps")
    expect(main.locator(".address")).to_contain_text("4217 Elmwood Lane")
    sam_audit.check(f"{shot}-sam-accepted")

    thread = main.get_by_role("region", name=say("Messages"))
    thread.get_by_label(say("Your message")).fill(SAM_SAYS)
    thread.get_by_role("button", name=say("Send message")).click()
    expect(page.get_by_role("status")).to_have_text(say("Your message is sent."))
    expect(thread.locator(".message-body")).to_have_text([SAM_SAYS])
    sam_audit.check(f"{shot}-sam-wrote")

    # Rosa has two notices: Sam will help, and his message. She opens the message and replies.
    with person() as rosa_page:
        rosa_audit = PageAudit(rosa_page)
        rosa_main = rosa_page.get_by_role("main")
        _sign_in(
            rosa_page,
            rosa_audit,
            f"{shot}-rosa-back",
            "rosa@example.org",
            "/notifications",
            submit_sign_in,
        )
        expect(_badge(rosa_page)).to_have_text(re.compile(r"^2\b"))
        expect(rosa_main.locator(".notice-title")).to_have_text(
            [say("New message from %(name)s", name="Sam L."), say("A neighbour will help you")]
        )
        rosa_audit.check(f"{shot}-rosa-notifications")

        rosa_main.get_by_role(
            "button", name=re.compile(say("New message from %(name)s", name="Sam L."))
        ).click()
        expect(rosa_page.get_by_role("heading", level=1)).to_have_text("Shovel my front steps")
        rosa_thread = rosa_main.get_by_role("region", name=say("Messages"))
        expect(rosa_thread.locator(".message-body")).to_have_text([SAM_SAYS])
        expect(rosa_thread.locator(".message-from")).to_have_text(["Sam L."])
        expect(_badge(rosa_page)).to_have_text(re.compile(r"^1\b"))
        rosa_audit.check(f"{shot}-rosa-reads")

        rosa_thread.get_by_label(say("Your message")).fill(ROSA_SAYS)
        rosa_thread.get_by_role("button", name=say("Send message")).click()
        expect(rosa_page.get_by_role("status")).to_have_text(say("Your message is sent."))
        expect(rosa_thread.locator(".message-body")).to_have_text([SAM_SAYS, ROSA_SAYS])
        rosa_audit.check(f"{shot}-rosa-replied")
        rosa_audit.assert_every_page_checked()

    # Sam hears about the reply.
    page.reload()
    expect(_badge(page)).to_have_text(re.compile(r"^1\b"))
    expect(thread.locator(".message-body")).to_have_text([SAM_SAYS, ROSA_SAYS])
    sam_audit.check(f"{shot}-sam-reply")
    sam_audit.assert_every_page_checked()

    taken = fresh(HelpRequest, id=asked.id)
    assert (taken.status, taken.volunteer_id) == (Status.ACCEPTED, sam.id)
    db.session.rollback()
    assert [m.body for m in db.session.query(Message).order_by(Message.id)] == [
        SAM_SAYS,
        ROSA_SAYS,
    ]


def test_a_mentor_writes_to_the_coordinator_and_saves_a_calendar_link(
    page: Page, person, submit_sign_in
):
    program, carmen = program_run_by(CommunityFactory(slug="algoma", name="Algoma"))
    carmen.email, carmen.first_name = "carmen@example.org", "Carmen"
    wolf = mentor(program)
    wolf.user.email, wolf.user.first_name = "jamie@example.org", "Jamie"
    pair = active_pair(wolf, mentee(program, first_name="Maya"))
    db.session.commit()

    # Jamie, a mentor, writes to the coordinators from the pair's thread.
    audit = PageAudit(page)
    main = page.get_by_role("main")
    home = f"/mentoring/programs/{program.id}/me"
    _sign_in(page, audit, "messages-mentor", "jamie@example.org", home, submit_sign_in)
    audit.check("messages-mentor-home")
    main.get_by_role("link", name="Messages with your coordinator").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Maya")
    audit.check("messages-pair-thread")
    main.get_by_label("Your message").fill("Maya finished her library book!")
    main.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("status")).to_have_text("Your message is sent.")
    audit.check("messages-pair-wrote")

    # Jamie makes a calendar link from the profile page; the feed answers with a calendar.
    page.goto("/account/calendar")
    audit.check("messages-calendar")
    main.get_by_role("button", name="Make my calendar link").click()
    link = main.get_by_role("textbox", name="Calendar link").input_value()
    assert re.search(r"/calendar/[\w-]+\.ics$", link)
    audit.check("messages-calendar-link")
    audit.assert_every_page_checked()

    # Carmen, the coordinator, reads it on the pair's page and hides nothing.
    with person() as carmen_page:
        carmen_audit = PageAudit(carmen_page)
        pair_page = f"/mentoring/pairs/{pair.id}"
        _sign_in(
            carmen_page,
            carmen_audit,
            "messages-coordinator",
            "carmen@example.org",
            pair_page,
            submit_sign_in,
        )
        thread = carmen_page.get_by_role("region", name="Messages")
        expect(thread.locator(".message-body")).to_have_text(["Maya finished her library book!"])
        expect(thread.get_by_role("button", name="Hide this message")).to_be_visible()
        carmen_audit.check("messages-coordinator-pair")
        carmen_audit.assert_every_page_checked()
