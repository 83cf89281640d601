"""A resident reads the terms, accepts a new version, downloads their data and deletes their
account: in a real browser, every page checked with axe at 1280 px and 375 px."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

from neighborly.accounts.models import Role, User
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest
from tests.e2e.axe import PageAudit
from tests.factories.accounts import DEFAULT_PASSWORD, CommunityFactory, member
from tests.factories.help_requests import HelpRequestFactory

EMAIL = "rosa@example.org"


def test_a_resident_downloads_their_data_and_deletes_their_account(
    page: Page, base_url: str, submit_sign_in, fresh
):
    home = CommunityFactory(name="Proviso", slug="proviso")
    rosa = member(home, Role.RESIDENT, first_name="Rosa", last_name="Martinez", email=EMAIL)
    rosa.terms_version = "2025-01"  # accepted an older version: asked again at sign-in
    request = HelpRequestFactory(community=home, requester=rosa, street_address="4217 Elmwood Ln")
    db.session.commit()
    audit = PageAudit(page)
    main = page.get_by_role("main")

    page.goto("/terms")
    expect(page.get_by_role("heading", level=1)).to_have_text("Terms of use")
    audit.check("terms")
    main.get_by_role("link", name="the privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    audit.check("privacy")

    page.goto("/account/login?next=/account/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    audit.check("own-data-login")
    submit_sign_in(page, EMAIL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Our terms have changed")
    audit.check("accept-terms")
    main.get_by_role("button", name="Agree and carry on").click()
    expect(page.get_by_role("alert")).to_contain_text("tick the box")
    expect(main.get_by_label("I agree to the terms")).to_have_attribute("aria-invalid", "true")
    audit.check("accept-terms-errors")
    main.get_by_label("I agree to the terms and the privacy notice").check()
    main.get_by_role("button", name="Agree and carry on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    audit.check("profile-after-terms")

    main.get_by_role("link", name="Your data: download it or delete your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    audit.check("my-data")
    with page.expect_download() as download_info:
        main.get_by_role("button", name="Download my data").click()
    download = download_info.value
    assert download.suggested_filename == "neighborly-my-data.json"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == EMAIL
    assert data["help_requests_asked"][0]["street_address"] == "4217 Elmwood Ln"

    main.get_by_role("link", name="What deleting my account does").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete my account")
    expect(main).to_contain_text("This cannot be undone")
    audit.check("delete")
    main.get_by_label("Your password").fill("not my password")
    main.get_by_role("button", name="Delete my account for good").click()
    expect(page.locator("#password-error")).to_have_text("That is not your password.")
    audit.check("delete-wrong-password")
    main.get_by_label("Your password").fill(DEFAULT_PASSWORD)
    main.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your account is deleted. Thank you for being a neighbour."
    )
    expect(page.get_by_role("link", name="My profile")).to_have_count(0)
    audit.check("home-after-delete")

    audit.assert_every_page_checked()
    gone = fresh(User, id=rosa.id)
    assert gone.first_name == "Former neighbour" and gone.email != EMAIL
    assert fresh(HelpRequest, id=request.id).street_address == ""
