"""Wolves and Pups in a real browser, from a new program to a closed match.

A coordinator starts the program; a teen applies with her own account; the coordinator
records consent and training and approves her, adds a child from a consent form, runs
matching and approves the proposal; the teen logs a meeting; the coordinator sees the
pair's health and closes the match. Everyone signs in through the sign-in form (CSRF on)
and every page the browser lands on is checked with axe at 1280 px and 375 px
(screenshots: test-results/screenshots/mentoring-*.png).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from neighborly.accounts.models import Role
from neighborly.mentoring.models import (
    CloseReason,
    Mentee,
    MenteeStatus,
    Pairing,
    PairStatus,
    Program,
)
from tests.e2e.axe import PageAudit
from tests.factories.accounts import CommunityFactory, member
from tests.factories.mentoring import HIGH, LAKEVIEW, mentee

GUARDIAN = "Rosa Delgado"
REFERRAL = "Shy at recess; SAEBRS social score low"


def heading(page: Page):
    """The page's h1."""
    return page.get_by_role("heading", level=1)


def start_program(page: Page, audit: PageAudit) -> None:
    """Carmen starts Wolves and Pups from the community's mentoring page."""
    main = page.get_by_role("main")
    expect(heading(page)).to_have_text("Mentoring in Algoma")
    audit.check("mentoring-programs-coordinator")
    main.get_by_role("link", name="Start a program").click()
    expect(heading(page)).to_have_text("Start a mentoring program")
    audit.check("mentoring-new-program")
    main.get_by_label("Program name").fill("Wolves and Pups")
    main.get_by_label("One mentor is called").fill("Wolf")
    main.get_by_label("Several mentors are called").fill("Wolves")
    main.get_by_label("One mentee is called").fill("Pup")
    main.get_by_label("Several mentees are called").fill("Pups")
    main.get_by_label("Schools", exact=True).fill(f"{HIGH}\n{LAKEVIEW}")
    main.get_by_label("Feeder schools (optional)").fill(f"{LAKEVIEW} > {HIGH}")
    main.get_by_label("Term starts").fill("2025-09-02")
    main.get_by_label("Term ends").fill("2026-06-05")
    main.get_by_role("button", name="Start the program").click()
    expect(page.get_by_role("status")).to_contain_text("Wolves and Pups is ready.")
    expect(heading(page)).to_have_text("Wolves and Pups")
    audit.check("mentoring-program-overview")


def apply_as_wolf(page: Page, audit: PageAudit) -> None:
    """Kaylee applies with her account and sees what is still needed."""
    main = page.get_by_role("main")
    audit.check("mentoring-programs-teen")
    main.get_by_role("link", name="Apply to be a Wolf").click()
    expect(heading(page)).to_have_text("Be a Wolf in Wolves and Pups")
    audit.check("mentoring-apply")
    main.get_by_label("Your grade").select_option(label="Grade 10")
    main.get_by_label("Your school").select_option(label=HIGH)
    main.get_by_label("Reading and stories").check()
    main.get_by_label("Board and card games").check()
    main.get_by_label("English").check()
    main.get_by_label("Tuesday after school (3 pm)").check()
    main.get_by_label("Why do you want to be a mentor?").fill(
        "A high-school mentor helped me love reading."
    )
    main.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for applying!")
    expect(heading(page)).to_have_text("My mentoring: Wolves and Pups")
    expect(main).to_contain_text("Parent or guardian consent")
    audit.check("mentoring-teen-applied")


def screen_and_approve(page: Page, audit: PageAudit) -> None:
    """Carmen records consent and training, then approves Kaylee."""
    main = page.get_by_role("main")
    main.get_by_role("navigation", name="Wolves and Pups sections").get_by_role(
        "link", name="Wolves"
    ).click()
    expect(heading(page)).to_have_text("Wolves in Wolves and Pups")
    audit.check("mentoring-mentors")
    main.get_by_role("link", name="Kaylee D.").click()
    expect(heading(page)).to_have_text("Wolf application: Kaylee D.")
    audit.check("mentoring-mentor-application")
    main.get_by_label("Parent or guardian consent received on").fill("2025-09-08")
    main.get_by_label("Training finished on").fill("2025-09-10")
    main.get_by_role("button", name="Save screening").click()
    expect(page.get_by_role("status")).to_have_text("Screening saved.")
    expect(main).to_contain_text("Every requirement is complete.")
    audit.check("mentoring-mentor-screened")
    main.get_by_role("button", name="Approve Kaylee D.").click()
    expect(page.get_by_role("status")).to_have_text("Kaylee D. is approved.")
    audit.check("mentoring-mentor-approved")


def add_pup(page: Page, audit: PageAudit) -> None:
    """Carmen enters Mia from her signed consent form."""
    main = page.get_by_role("main")
    main.get_by_role("navigation", name="Wolves and Pups sections").get_by_role(
        "link", name="Pups"
    ).click()
    expect(heading(page)).to_have_text("Pups in Wolves and Pups")
    audit.check("mentoring-mentees-empty")
    main.get_by_role("link", name="Add a Pup").click()
    expect(heading(page)).to_have_text("Add a Pup")
    audit.check("mentoring-new-mentee")
    main.get_by_label("First name").fill("Mia")
    main.get_by_label("First letter of last name").fill("R")
    main.get_by_label("Grade", exact=True).select_option(label="Grade 3")
    main.get_by_label("School", exact=True).select_option(label=LAKEVIEW)
    main.get_by_label("Reading and stories").check()
    main.get_by_label("English").check()
    main.get_by_label("Tuesday after school (3 pm)").check()
    main.get_by_label("Parent or guardian's name (private)").fill(GUARDIAN)
    main.get_by_label("Parent or guardian's phone or email (private)").fill("920-555-0142")
    main.get_by_label("Date the consent form was signed").fill("2025-09-05")
    main.get_by_label("Why the child was referred (private)").fill(REFERRAL)
    main.get_by_role("button", name="Add to the waiting list").click()
    expect(page.get_by_role("status")).to_have_text("Mia R. is on the waiting list.")
    expect(main.get_by_role("listitem").filter(has_text="Mia R.")).to_contain_text(
        "Waiting for a mentor"
    )
    audit.check("mentoring-mentees")


def match_and_approve(page: Page, audit: PageAudit) -> None:
    """Carmen runs matching, reads why, and approves the proposal."""
    main = page.get_by_role("main")
    main.get_by_role("navigation", name="Wolves and Pups sections").get_by_role(
        "link", name="Matching"
    ).click()
    expect(heading(page)).to_have_text("Matching for Wolves and Pups")
    audit.check("mentoring-matching-empty")
    main.get_by_role("button", name="Run matching").click()
    expect(page.get_by_role("status")).to_have_text("1 pair proposed. Please review it.")
    card = main.get_by_role("listitem").filter(has_text="Kaylee D. with Mia R.")
    expect(card).to_contain_text("Both like Reading and stories")
    expect(card).to_contain_text("Both free Tuesday after school (3 pm)")
    expect(card).to_contain_text(f"{LAKEVIEW} feeds {HIGH}")
    expect(main).to_contain_text("Theo Q.: No mentor is free at the same time.")
    audit.check("mentoring-matching-proposals")
    card.get_by_role("button", name="Approve Kaylee D. and Mia R.").click()
    expect(page.get_by_role("status")).to_have_text("Kaylee D. and Mia R. are paired.")
    audit.check("mentoring-matching-approved")


def plan_meetings(page: Page, audit: PageAudit) -> None:
    """Carmen opens the pair and sets when and where they meet."""
    main = page.get_by_role("main")
    main.get_by_role("navigation", name="Wolves and Pups sections").get_by_role(
        "link", name="Pairs"
    ).click()
    expect(heading(page)).to_have_text("Pairs in Wolves and Pups")
    expect(main.get_by_role("listitem").filter(has_text="Kaylee D.")).to_contain_text(
        "No meeting yet"
    )
    audit.check("mentoring-pairs-new")
    main.get_by_role("link", name="Kaylee D. & Mia R.").click()
    expect(heading(page)).to_have_text("Kaylee D. and Mia R.")
    audit.check("mentoring-pair-new")
    main.get_by_label("Usual meeting time").fill("Tuesdays 3:15 to 4 pm")
    main.get_by_label("Usual meeting place").fill("Lakeview library")
    main.get_by_role("button", name="Save time and place").click()
    expect(page.get_by_role("status")).to_have_text("Meeting time and place saved.")
    audit.check("mentoring-pair-planned")


def log_a_meeting(page: Page, audit: PageAudit) -> None:
    """Kaylee looks at her page again, sees Mia and the plan, and logs their first meeting."""
    main = page.get_by_role("main")
    page.reload()
    mia = main.get_by_role("region", name="Your Pup: Mia R.")
    expect(mia).to_contain_text("Grade 3")
    expect(mia).to_contain_text("Tuesdays 3:15 to 4 pm")
    expect(mia).to_contain_text("Lakeview library")
    expect(main).not_to_contain_text(GUARDIAN)
    expect(main).not_to_contain_text(REFERRAL)
    audit.check("mentoring-teen-paired")
    mia.get_by_label("How many minutes?").fill("50")
    mia.get_by_label("What did you do?").fill("Read a chapter book together")
    mia.get_by_role("button", name="Log this meeting").click()
    expect(page.get_by_role("status")).to_have_text("Meeting logged. Thank you!")
    expect(main.get_by_role("region", name="Your service hours")).to_contain_text("0.8 hours")
    expect(main).to_contain_text("Read a chapter book together")
    audit.check("mentoring-teen-meeting-logged")


def close_the_match(page: Page, audit: PageAudit) -> None:
    """Carmen sees the pair on track, then closes it because the school year ended."""
    main = page.get_by_role("main")
    main.get_by_role("navigation", name="Wolves and Pups sections").get_by_role(
        "link", name="Pairs"
    ).click()
    row = main.get_by_role("listitem").filter(has_text="Kaylee D.")
    expect(row).to_contain_text("On track")
    expect(row).to_contain_text("Met today")
    audit.check("mentoring-pairs-met")
    row.get_by_role("link", name="Kaylee D. & Mia R.").click()
    expect(main).to_contain_text("1 meeting, 0.8 hours")
    audit.check("mentoring-pair-met")
    main.get_by_text("Open the closing form").click()
    main.get_by_label("Why is the match ending?").select_option(label="The school year ended")
    main.get_by_label("Exit notes (private)").fill("Goodbye party in the library; Mia drew a card.")
    main.get_by_role("button", name="Close the match").click()
    expect(page.get_by_role("status")).to_contain_text("The match is closed.")
    expect(main).to_contain_text("The school year ended")
    expect(main).to_contain_text("Mia R. is back on the waiting list.")
    audit.check("mentoring-pair-closed")
    main.get_by_role("link", name="Mia R.").click()
    expect(main).to_contain_text("Waiting for a mentor")
    expect(main).to_contain_text(REFERRAL)
    audit.check("mentoring-mentee-after-closure")


def test_a_program_from_enrolment_to_a_closed_match(page: Page, person, sign_in, fresh):
    community = CommunityFactory(slug="algoma", name="Algoma")
    member(
        community,
        Role.COORDINATOR,
        first_name="Carmen",
        last_name="Ruiz",
        email="carmen@example.org",
    )
    member(
        community,
        Role.VOLUNTEER,
        first_name="Kaylee",
        last_name="Delfosse",
        email="kaylee@example.org",
    )

    carmen = PageAudit(page)
    sign_in(page, carmen, "mentoring-coordinator", "carmen@example.org", "/c/algoma/mentoring")
    start_program(page, carmen)
    program = fresh(Program, name="Wolves and Pups")
    mentee(program, first_name="Theo", availability="mon-12")

    with person() as teen_page:
        kaylee = PageAudit(teen_page)
        sign_in(teen_page, kaylee, "mentoring-teen", "kaylee@example.org", "/c/algoma/mentoring")
        apply_as_wolf(teen_page, kaylee)

        screen_and_approve(page, carmen)
        add_pup(page, carmen)
        match_and_approve(page, carmen)
        plan_meetings(page, carmen)

        log_a_meeting(teen_page, kaylee)
        kaylee.assert_every_page_checked()

    close_the_match(page, carmen)
    carmen.assert_every_page_checked()

    mia = fresh(Mentee, first_name="Mia")
    pair = fresh(Pairing, mentee_id=mia.id)
    assert (pair.status, pair.close_reason) == (PairStatus.CLOSED, CloseReason.SCHOOL_YEAR_ENDED)
    assert mia.status == MenteeStatus.WAITING
