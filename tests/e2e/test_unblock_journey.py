"""A person finds whom they blocked from their profile and unblocks them: in a real browser."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from neighborly.accounts.blocking import block, is_blocked
from neighborly.extensions import db
from tests.e2e.axe import PageAudit
from tests.factories.accounts import CommunityFactory, resident


def test_a_person_unblocks_someone_from_their_profile(page: Page, sign_in):
    community = CommunityFactory(slug="proviso")
    rosa = resident(community, first_name="Rosa", last_name="Martinez")
    oscar = resident(community, first_name="Oscar", last_name="Grant-Wellington-Smythe")
    db.session.commit()
    block(rosa, oscar.id, community.id)
    audit = PageAudit(page)
    main = page.get_by_role("main")
    sign_in(page, audit, "unblock", rosa.email, "/account/profile")
    audit.check("unblock-profile")

    main.get_by_role("link", name="People I blocked").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People I blocked")
    expect(main.get_by_text("Oscar G.", exact=True)).to_be_visible()
    audit.check("unblock-list")

    main.get_by_role("button", name="Unblock Oscar G.").click()
    expect(page.get_by_role("status")).to_contain_text("Unblocked.")
    expect(main.get_by_text("You have not blocked anyone.")).to_be_visible()
    audit.check("unblock-done")
    audit.assert_every_page_checked()
    db.session.rollback()
    assert not is_blocked(rosa.id, oscar.id)
