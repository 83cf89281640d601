"""A snow day in a real browser: declare, review, change one line, send, watch the board move.

Everyone signs in through the real sign-in form (CSRF on). Every page is checked with axe
(WCAG 2.2 AA) at 1280 px and 375 px and for sideways scrolling at 320 px; screenshots go to
test-results/screenshots/snow-*.png.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from neighborly.accounts.models import Role, User
from neighborly.extensions import db
from neighborly.geo.cells import cell_of
from neighborly.help_requests.models import HelpRequest, Status
from neighborly.help_requests.snow_models import SnowLine
from tests.e2e.axe import PageAudit
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import MAYWOOD, HelpRequestFactory, volunteer

FAR = (MAYWOOD[0] + 0.2, MAYWOOD[1])


def named(user: User, first: str, last: str, email: str) -> User:
    """Give a factory-made person a name and an email to sign in with."""
    user.first_name, user.last_name, user.email = first, last, email
    db.session.commit()
    return user


def _count(main, state: str):
    return main.locator(f".count-{state}")


def test_a_coordinator_runs_a_snow_day_and_the_board_moves_as_volunteers_finish(
    page: Page, person, sign_in, fresh
):
    community = CommunityFactory(slug="proviso", name="Proviso Township", distance_unit="mi")
    member(community, Role.COORDINATOR, first_name="Carmen", email="carmen@example.org")
    named(volunteer(community, snow_capacity=2), "Ana", "Diaz", "ana@example.org")
    named(
        volunteer(community, snow_capacity=2, home_lat=MAYWOOD[0] + 0.003),
        "Ben",
        "Okafor",
        "ben@example.org",
    )
    walter = resident(community, first_name="Walter", last_name="Ng")
    for title in ("Clear the front steps", "Shovel the driveway"):
        HelpRequestFactory(community=community, requester=walter, title=title)
    HelpRequestFactory(
        community=community,
        requester=walter,
        title="Salt the long lane",
        lat=FAR[0],
        lng=FAR[1],
        cell=cell_of(*FAR),
    )
    db.session.commit()

    audit = PageAudit(page)
    main = page.get_by_role("main")
    sign_in(page, audit, "snow-coordinator", "carmen@example.org", "/c/proviso/coordinate")
    audit.check("snow-dashboard")

    main.get_by_role("link", name="Snow days").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Snow days in Proviso Township")
    expect(main).to_contain_text("No snow days yet.")
    audit.check("snow-days")

    main.get_by_label("Date of the snow day").fill("2026-12-14")
    main.get_by_label("Expected snowfall (inches)").fill("5")
    expect(main.get_by_label("Hours volunteers have to finish")).to_have_value("24")
    main.get_by_role("button", name="Declare the snow day and plan it").click()
    expect(page.get_by_role("status")).to_contain_text("The snow day is planned.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Snow day plan for December 14, 2026")
    expect(main).to_contain_text("3 requests on this snow day.")
    lane = main.get_by_role("row").filter(has_text="Salt the long lane")
    expect(lane).to_contain_text("Nobody who clears snow lives within walking distance.")
    audit.check("snow-review")

    # Both near requests went to the same, nearer volunteer; give the steps to the other one.
    steps = fresh(HelpRequest, title="Clear the front steps")
    planned = fresh(SnowLine, request_id=steps.id).volunteer_id
    other = "Ben O." if planned == fresh(User, email="ana@example.org").id else "Ana D."
    main.get_by_role("link", name="Change the volunteer for Clear the front steps").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        'Who should clear "Clear the front steps"?'
    )
    audit.check("snow-line")
    main.get_by_label(re.compile(rf"^{re.escape(other)}, .* away \(room for \d\)$")).check()
    main.get_by_role("button", name="Save this line").click()
    expect(page.get_by_role("status")).to_have_text("The plan is changed.")
    row = main.get_by_role("row").filter(has_text="Clear the front steps")
    expect(row).to_contain_text(other)
    expect(row).to_contain_text("Chosen by a coordinator")
    driveway = main.get_by_role("row").filter(has_text="Shovel the driveway")
    expect(driveway).to_contain_text("room for 1 more")
    audit.check("snow-review-changed")

    main.get_by_role("button", name="Send the plan to volunteers").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Sent. 2 requests have a volunteer for the morning."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Snow day coverage for December 14, 2026"
    )
    expect(_count(main, "covered")).to_have_text("2")
    expect(_count(main, "done")).to_have_text("0")
    expect(_count(main, "unreachable")).to_have_text("1")
    expect(main).to_contain_text(re.compile(r"\d+ hours and \d+ minutes left"))
    audit.check("snow-board")

    # The volunteer now holding the steps finishes them, through the request's page.
    email = "ben@example.org" if other == "Ben O." else "ana@example.org"
    with person() as helper_page:
        helper = PageAudit(helper_page)
        helper_main = helper_page.get_by_role("main")
        sign_in(helper_page, helper, "snow-helper", email, f"/requests/{steps.id}")
        expect(helper_main).to_contain_text("A neighbour is on it")
        helper.check("snow-helper-request")
        helper_main.get_by_label("Minutes you spent").fill("25")
        helper_main.get_by_role("button", name="Mark as done").click()
        expect(helper_page.get_by_role("status")).to_contain_text("Thank you for helping!")
        helper.check("snow-helper-done")
        helper.assert_every_page_checked()

    page.reload()
    expect(_count(main, "covered")).to_have_text("1")
    expect(_count(main, "done")).to_have_text("1")
    audit.check("snow-board-moved")

    main.get_by_role("link", name=re.compile("^Nobody can reach")).click()
    expect(main.get_by_role("row").filter(has_text="Salt the long lane")).to_be_visible()
    expect(main).not_to_contain_text("Clear the front steps")
    audit.check("snow-board-unreachable")
    audit.assert_every_page_checked()

    assert fresh(HelpRequest, id=steps.id).status == Status.COMPLETED
