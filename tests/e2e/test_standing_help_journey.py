"""Standing help in a real browser: bins every Tuesday, an invitation, and a regular helper.

Rosa sets up "bins every Tuesday" herself; the platform invites Sam, who says yes on the
invitation page; two weeks later (the clock advanced through the services between browser
steps) both make it regular. Every page is checked with axe at 1280, 375 and 320 px.
"""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from neighborly.accounts.models import User
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import HelpRequest, Invitation, RequestSeries, Status
from tests.e2e.axe import PageAudit
from tests.factories.accounts import CommunityFactory, resident
from tests.factories.help_requests import volunteer


def _occurrences(series_id: int) -> list[HelpRequest]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(HelpRequest)
            .where(HelpRequest.series_id == series_id)
            .order_by(HelpRequest.occurrence_date)
        )
    )


def _a_week_helped(request: HelpRequest, sam: User, rosa: User) -> None:
    """Invite when due, Sam says yes, does it, Rosa confirms (each at the story's moment)."""
    due = request.next_round_at
    services.send_invitations(now=due)
    asked = db.session.scalar(
        select(Invitation).where(
            Invitation.request_id == request.id, Invitation.volunteer_id == sam.id
        )
    )
    if db.session.get(HelpRequest, request.id).status == Status.OPEN:
        services.say_yes(asked.id, sam, now=due)
    done = request.needed_from + timedelta(minutes=30)
    services.complete_request(request.id, sam, 15, now=done)
    services.confirm_request(request.id, rosa, "Thank you!", now=done + timedelta(hours=1))


def test_bins_every_tuesday_become_a_regular_helper(page: Page, person, sign_in, fresh):
    community = CommunityFactory(slug="proviso", name="Proviso Township")
    resident(community, first_name="Rosa", last_name="Martinez", email="rosa@example.org")
    sam_user = volunteer(community, categories="bins")
    sam_user.first_name, sam_user.last_name, sam_user.email = "Sam", "Lee", "sam@example.org"
    db.session.commit()

    # Rosa sets up bins every Tuesday from "My requests".
    rosa = PageAudit(page)
    main = page.get_by_role("main")
    sign_in(page, rosa, "standing-rosa", "rosa@example.org", "/c/proviso/my-requests")
    rosa.check("standing-my-requests-empty")
    main.get_by_role("link", name="Set up help that comes round again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up standing help")
    rosa.check("standing-new")
    main.get_by_label("Every week, on the same day and time").check()
    main.get_by_label("What kind of help?").select_option(label="Trash and recycling bins")
    main.get_by_label("In a few words").fill("Bins to the curb")
    main.get_by_label("Street address").fill("4217 Elmwood Lane")
    main.get_by_label("ZIP code", exact=True).fill("60153")
    main.get_by_label("Which day? (weekly)").select_option(label="Tuesday")
    main.get_by_label("At what time? (weekly)").fill("19:00")
    main.get_by_role("button", name="Set it up").click()
    expect(page.get_by_role("status")).to_contain_text("Your standing request is set up.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bins to the curb")
    expect(main).to_contain_text("every Tuesday at 7:00")
    expect(main.get_by_role("heading", name="Next dates")).to_be_visible()
    rosa.check("standing-series")
    series = fresh(RequestSeries, title="Bins to the curb")
    first, second, _third = _occurrences(series.id)
    rosa_user, sam = fresh(User, email="rosa@example.org"), fresh(User, email="sam@example.org")

    # The platform invites Sam for the first Tuesday; he says yes on the invitation page.
    services.send_invitations(now=first.next_round_at)
    with person() as sam_page:
        sam_audit = PageAudit(sam_page)
        sam_main = sam_page.get_by_role("main")
        sign_in(sam_page, sam_audit, "standing-sam", "sam@example.org", "/c/proviso/volunteer")
        expect(sam_main.get_by_role("heading", name="Neighbours asking for you")).to_be_visible()
        sam_audit.check("standing-volunteer-home")
        sam_main.get_by_role("link", name="Bins to the curb").click()
        expect(sam_page.get_by_role("heading", level=1)).to_have_text("Could you help Rosa M.?")
        sam_audit.check("standing-invitation")
        sam_main.get_by_role("button", name="Yes, I'll do it").click()
        expect(sam_page.get_by_role("status")).to_contain_text("Thank you!")
        expect(sam_page.get_by_role("heading", level=1)).to_have_text("Bins to the curb")
        sam_audit.check("standing-accepted")
        assert fresh(HelpRequest, id=first.id).volunteer_id == sam.id

        # Two Tuesdays later, Sam has helped twice; the request page offers "make it regular".
        done = first.needed_from + timedelta(minutes=30)
        services.complete_request(first.id, sam, 15, now=done)
        services.confirm_request(first.id, rosa_user, "Thank you!", now=done)
        _a_week_helped(second, sam, rosa_user)
        sam_page.goto(f"/requests/{second.id}")
        expect(sam_main.get_by_role("heading", name="Standing help")).to_be_visible()
        sam_audit.check("standing-offer-volunteer")
        sam_main.get_by_role("button", name="Make it regular").click()
        expect(sam_page.get_by_role("status")).to_contain_text("We have asked the other side")
        sam_audit.check("standing-series-volunteer")
        sam_audit.assert_every_page_checked()

    # Rosa agrees on the series page: Sam is her regular helper now.
    page.goto(f"/standing/{series.id}")
    expect(main).to_contain_text("Sam L. would like to be your regular helper.")
    rosa.check("standing-offer-resident")
    main.get_by_label("Who?").select_option(label="Sam L.")
    main.get_by_role("button", name="Make it regular").click()
    expect(page.get_by_role("status")).to_contain_text("You both said yes")
    expect(main).to_contain_text("Sam L. helps first each time.")
    rosa.check("standing-regular")
    page.goto("/c/proviso/my-requests")
    expect(main).to_contain_text("Regular helper: Sam L.")
    rosa.check("standing-my-requests")
    rosa.assert_every_page_checked()
    assert fresh(RequestSeries, id=series.id).regular_id == sam.id
