"""The help loop in a real browser: ask, find, take, finish, thank; and a coordinator's day.

Everyone signs in through the real sign-in form (CSRF on). Every page the browser lands
on is checked with axe (WCAG 2.2 AA) at 1280 px and 375 px, with screenshots saved to
test-results/screenshots/help-*.png.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from neighborly.accounts.models import Role, User
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import HelpRequest, Status, VolunteerProfile
from neighborly.timeutil import utcnow
from tests.e2e.axe import PageAudit
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer

THANKS = "Thank you Sam, the steps are perfect!"


def named(user: User, first: str, last: str, email: str) -> User:
    """Give a factory-made person a name and an email to sign in with."""
    user.first_name, user.last_name, user.email = first, last, email
    db.session.commit()
    return user


def test_a_neighbour_asks_a_volunteer_helps_and_is_thanked(page: Page, person, sign_in, fresh):
    community = CommunityFactory(slug="proviso", name="Proviso Township")
    resident(community, first_name="Rosa", last_name="Martinez", email="rosa@example.org")
    named(volunteer(community), "Sam", "Lee", "sam@example.org")

    # Rosa asks for help from her community's page.
    rosa = PageAudit(page)
    main = page.get_by_role("main")
    sign_in(page, rosa, "help-rosa", "rosa@example.org", "/c/proviso")
    expect(page.get_by_role("heading", level=1)).to_have_text("Proviso Township")
    rosa.check("help-community-resident")

    main.get_by_role("link", name="Ask for help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for help")
    rosa.check("help-ask")
    main.get_by_label("What kind of help?").select_option(label="Snow shovelling")
    main.get_by_label("In a few words").fill("Shovel my front steps")
    main.get_by_label("Anything a helper should know").fill("The walk to the garage too.")
    main.get_by_label("Street address").fill("4217 Elmwood Lane")
    main.get_by_label("ZIP code", exact=True).fill("60153")
    how_soon = main.get_by_role("group", name="How soon?")
    expect(how_soon.get_by_label("Whenever suits, within the time window")).to_be_checked()
    how_soon.get_by_label("Soon, in the next day or two").check()
    main.get_by_label("About how many minutes will it take?").fill("30")
    main.get_by_role("button", name="Post my request").click()
    expect(page.get_by_role("status")).to_contain_text("Your request is posted.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Shovel my front steps")
    expect(main).to_contain_text("Waiting for a helper")
    # Cancelling takes two steps: the confirming button is hidden until asked for.
    expect(main.get_by_role("button", name="Yes, cancel my request")).to_be_hidden()
    rosa.check("help-posted")
    rosa.assert_every_page_checked()
    request_id = fresh(HelpRequest, title="Shovel my front steps").id

    # Sam, a verified volunteer, finds it near him, takes it, does it, logs the time.
    with person() as sam_page:
        sam = PageAudit(sam_page)
        sam_main = sam_page.get_by_role("main")
        sign_in(sam_page, sam, "help-sam", "sam@example.org", "/c/proviso")
        sam.check("help-community-volunteer")

        sam_main.get_by_role("link", name="Neighbours near me").click()
        expect(sam_page.get_by_role("heading", level=1)).to_have_text(
            "Neighbours near you who need a hand"
        )
        card = sam_main.get_by_role("listitem").filter(has_text="Shovel my front steps")
        expect(card).to_contain_text("for Rosa M.")
        expect(card).to_contain_text("under 1 km")
        expect(card).to_contain_text("just posted")
        expect(sam_main).not_to_contain_text("4217 Elmwood Lane")
        sam.check("help-near-me")

        card.get_by_role("link", name="Shovel my front steps").click()
        expect(sam_page.get_by_role("heading", level=1)).to_have_text("Shovel my front steps")
        expect(sam_main).to_contain_text("The exact address is shown to the neighbour who takes it")
        expect(sam_main).not_to_contain_text("4217 Elmwood Lane")
        sam.check("help-detail-open")

        sam_main.get_by_role("button", name="I will help with this").click()
        expect(sam_page.get_by_role("status")).to_have_text(
            "Thank you! The address is now on the request page."
        )
        expect(sam_main.locator(".address")).to_have_text("4217 Elmwood Lane, 60153")
        expect(sam_main).to_contain_text("A neighbour is on it")
        sam.check("help-detail-accepted")

        sam_main.get_by_label("Minutes you spent").fill("45")
        sam_main.get_by_role("button", name="Mark as done").click()
        expect(sam_page.get_by_role("status")).to_contain_text("Thank you for helping!")
        expect(sam_main).to_contain_text("Done, waiting for thanks")
        expect(sam_main).to_contain_text("45 minutes")
        sam.check("help-detail-done")

        # Rosa comes back (signing in again elsewhere), sees who helped, and says thank you.
        with person() as rosa_page:
            back = PageAudit(rosa_page)
            rosa_main = rosa_page.get_by_role("main")
            sign_in(
                rosa_page, back, "help-rosa-again", "rosa@example.org", "/c/proviso/my-requests"
            )
            expect(rosa_page.get_by_role("heading", level=1)).to_have_text(
                "My requests in Proviso Township"
            )
            mine = rosa_main.get_by_role("listitem").filter(has_text="Shovel my front steps")
            expect(mine).to_contain_text("Helped by Sam L.")
            expect(mine).to_contain_text("Please confirm and say thank you.")
            back.check("help-my-requests")

            rosa_main.get_by_role("link", name="Did Sam L. help?").click()
            expect(rosa_main.get_by_role("heading", name="Did Sam L. help?")).to_be_visible()
            expect(rosa_main.locator(".address")).to_have_text("4217 Elmwood Lane, 60153")
            back.check("help-detail-to-confirm")

            rosa_main.get_by_label("A thank-you note").fill(THANKS)
            rosa_main.get_by_role("button", name="Yes, confirm and send thanks").click()
            expect(rosa_page.get_by_role("status")).to_have_text(
                "Thank you! Your helper will see your note."
            )
            expect(rosa_main).to_contain_text("Done and confirmed")
            thanks = rosa_main.get_by_role("region", name="Thank-you note")
            expect(thanks).to_contain_text(THANKS)
            back.check("help-detail-confirmed")
            back.assert_every_page_checked()

        # Sam goes back to his community and his own page: hours, Rosa, and her note.
        sam_main.get_by_role("link", name="Proviso Township").click()
        expect(sam_page.get_by_role("heading", level=1)).to_have_text("Proviso Township")
        sam.check("help-community-volunteer-again")
        sam_main.get_by_role("link", name="My volunteering").click()
        expect(sam_page.get_by_role("heading", level=1)).to_have_text(
            "My volunteering in Proviso Township"
        )
        expect(sam_main.locator(".big-number")).to_contain_text("1 visit, 45 minutes given")
        helped = sam_main.get_by_role("heading", name="Neighbours you have helped")
        expect(helped.locator("xpath=following-sibling::ul[1]")).to_have_text("Rosa M.")
        expect(sam_main.locator("blockquote")).to_contain_text(THANKS)
        expect(sam_main.locator("blockquote footer")).to_have_text("Rosa M.")
        sam.check("help-volunteer-home")
        sam.assert_every_page_checked()

    done = fresh(HelpRequest, id=request_id)
    assert (done.status, done.minutes_spent, done.thank_you_note) == (
        Status.CONFIRMED,
        45,
        THANKS,
    )
    assert done.volunteer_id == fresh(User, email="sam@example.org").id


def test_a_coordinator_posts_for_a_caller_verifies_a_volunteer_and_assigns_them(
    page: Page, sign_in, fresh
):
    community = CommunityFactory(slug="proviso", name="Proviso Township")
    member(community, Role.COORDINATOR, first_name="Carmen", email="carmen@example.org")
    newcomer = named(volunteer(community, verified_at=None), "Jo", "Park", "jo@example.org")
    newcomer_profile_id = services.volunteer_profile(newcomer, community.id).id
    waiting = resident(community, first_name="Walter", last_name="Ng")
    HelpRequestFactory(
        community=community,
        requester=waiting,
        title="Change a light bulb",
        category="repair",
        created_at=utcnow() - timedelta(days=2),
    )
    audit = PageAudit(page)
    main = page.get_by_role("main")

    sign_in(page, audit, "help-coordinator", "carmen@example.org", "/c/proviso")
    audit.check("help-community-coordinator")

    main.get_by_role("link", name="Open requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open requests in Proviso Township")
    row = main.get_by_role("row").filter(has_text="Change a light bulb")
    expect(row).to_contain_text("Walter N.")
    expect(row).to_contain_text("Ageing")
    expect(main.get_by_role("listitem").filter(has_text="Jo P.")).to_contain_text("ZIP 60153")
    audit.check("help-open-requests")

    main.get_by_role("button", name="Verify Jo P.").click()
    expect(page.get_by_role("status")).to_have_text("The volunteer is verified.")
    expect(main).to_contain_text("Nobody is waiting.")
    audit.check("help-open-requests-verified")

    main.get_by_role("link", name="Post a request for a caller").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post a request for a caller")
    audit.check("help-phone-in")
    main.get_by_label("Resident's first name").fill("Dolores")
    main.get_by_label("Resident's last name").fill("Vega")
    main.get_by_label("Resident's phone").fill("708-555-0199")
    main.get_by_label("Notes from the call").fill("Hard of hearing; knock loudly.")
    main.get_by_label("What kind of help?").select_option(label="Trash and recycling bins")
    main.get_by_label("In a few words").fill("Bins to the curb on Tuesday")
    main.get_by_label("Street address").fill("12 Oak Street")
    main.get_by_label("ZIP code", exact=True).fill("60153")
    main.get_by_role("button", name="Post the request").click()
    expect(page.get_by_role("status")).to_contain_text("The request for Dolores V. is posted.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bins to the curb on Tuesday")
    expect(main).to_contain_text("Hard of hearing; knock loudly.")
    expect(main.get_by_role("link", name="708-555-0199")).to_be_visible()
    expect(main.get_by_role("heading", name="Assign a volunteer")).to_be_visible()
    audit.check("help-phone-in-posted")

    choice = main.get_by_label("Volunteer", exact=True)
    expect(choice.locator("option")).to_have_text(
        [re.compile(r"^Jo P\.: \d+(\.\d)? km, holds \d+ of \d+$")]
    )
    choice.select_option(str(newcomer.id))
    main.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Assigned to Jo P.")
    expect(main).to_contain_text("A neighbour is on it")
    expect(main.locator(".facts")).to_contain_text("Jo P.")
    audit.check("help-detail-assigned")
    audit.assert_every_page_checked()

    assigned = fresh(HelpRequest, title="Bins to the curb on Tuesday")
    assert (assigned.status, assigned.volunteer_id) == (Status.ACCEPTED, newcomer.id)
    assert assigned.requester.first_name == "Dolores" and assigned.requester.email is None
    assert fresh(VolunteerProfile, id=newcomer_profile_id).verified_at is not None


def test_a_resident_offers_to_help_fixes_the_form_and_sees_an_empty_near_me(page: Page, sign_in):
    community = CommunityFactory(slug="proviso", name="Proviso Township")
    resident(community, first_name="Theo", last_name="Brown", email="theo@example.org")
    # Someone else's request of a kind Theo will not offer: near-me must stay empty.
    HelpRequestFactory(community=community, title="A ride to the clinic", category="ride")
    audit = PageAudit(page)
    main = page.get_by_role("main")

    sign_in(page, audit, "help-offer", "theo@example.org", "/c/proviso")
    audit.check("help-community-offer")
    main.get_by_role("link", name="Offer to help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My volunteer profile")
    audit.check("help-volunteer-profile")

    main.get_by_label("Your ZIP code").fill("60153")
    main.get_by_role("button", name="Save my profile").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("Please check the form")
    expect(summary).to_contain_text("What can you help with?: Choose at least one kind of help.")
    kinds = main.get_by_role("group", name="What can you help with?")
    expect(kinds).to_contain_text("Choose at least one kind of help.")
    audit.check("help-volunteer-profile-errors")

    kinds.get_by_label("Snow shovelling").check()
    main.get_by_role("group", name="When are you usually free?").get_by_label(
        "Saturday, morning"
    ).check()
    main.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your volunteer profile is saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neighbours near you who need a hand")
    expect(main).to_contain_text("No open requests near you right now.")
    expect(main).to_contain_text("A coordinator will verify you soon.")
    expect(main).not_to_contain_text("A ride to the clinic")
    audit.check("help-near-me-empty")
    audit.assert_every_page_checked()
