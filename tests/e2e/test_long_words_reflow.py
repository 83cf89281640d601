"""Long email addresses and guardian contacts wrap: the three mentoring detail pages and the
program's section menu fit a 320 px phone, and the menu works without JavaScript."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from neighborly.extensions import db
from tests.e2e.axe import NARROWEST, PageAudit
from tests.factories.accounts import UserFactory
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by

LONG_EMAIL = "kaylee.delfosse.wolves.and.pups.algoma.high.school@students.example.org"
LONG_CONTACT = "grandparents.of.kolton.marchetti.and.family.at.home@households.example.org"


def test_long_emails_wrap_on_the_mentor_mentee_and_pair_pages(page: Page, sign_in, e2e_app):
    program, carmen = program_run_by()
    carmen.email = "carmen@example.org"
    db.session.commit()
    wolf = mentor(program, user=UserFactory(email=LONG_EMAIL))
    pup = mentee(program, guardian_contact=LONG_CONTACT)
    pair = active_pair(wolf, pup)
    audit = PageAudit(page)

    sign_in(page, audit, "long-carmen", "carmen@example.org", f"/mentoring/mentors/{wolf.id}")
    expect(page.get_by_role("main")).to_contain_text(LONG_EMAIL)
    audit.check("long-mentor")
    page.goto(f"/mentoring/mentees/{pup.id}")
    expect(page.get_by_role("main")).to_contain_text(LONG_CONTACT)
    audit.check("long-mentee")
    page.goto(f"/mentoring/pairs/{pair.id}")
    audit.check("long-pair")
    audit.assert_every_page_checked()


def test_on_a_phone_the_program_sections_are_a_menu_that_needs_no_javascript(
    no_js_page: Page, base_url: str, submit_sign_in, e2e_app
):
    page = no_js_page
    program, carmen = program_run_by()
    carmen.email = "carmen@example.org"
    db.session.commit()
    page.goto("/account/login")
    submit_sign_in(page, "carmen@example.org")
    page.set_viewport_size(NARROWEST)
    page.goto(f"/mentoring/programs/{program.id}")
    sections = page.get_by_role("navigation", name=f"{program.name} sections")
    expect(sections).to_have_count(1)  # the tabs are hidden; only the menu is there
    menu = sections.get_by_text("Section: Overview")
    expect(menu).to_be_visible()
    expect(sections.get_by_role("link", name="Matching")).to_be_hidden()
    menu.click()
    sections.get_by_role("link", name="Matching").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Matching for")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0
