"""A coordinator turns on two-step sign-in, signs out, and signs in again with a code.

The code is computed with pyotp from the key the set-up page shows as text, as a person would
type it into an app. Every new page is checked with axe (WCAG 2.2 AA) at 1280 px and 375 px.
"""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import Page, expect

from neighborly.accounts.models import Role, User
from neighborly.extensions import db
from tests.e2e.axe import PageAudit
from tests.factories.accounts import DEFAULT_PASSWORD, CommunityFactory, member


def _code(secret: str, steps_from_now: int = 0) -> str:
    """What the authenticator app shows (now, or a step later)."""
    return pyotp.TOTP(secret).generate_otp(int(time.time() // 30) + steps_from_now)


def test_a_coordinator_turns_on_two_step_sign_in_and_signs_in_with_a_code(
    page: Page, base_url: str, e2e_app, monkeypatch, submit_sign_in, fresh
):
    monkeypatch.setitem(e2e_app.config, "REQUIRE_2FA_FOR_STAFF", True)
    community = CommunityFactory(name="Maywood", slug="maywood")
    coordinator = member(community, Role.COORDINATOR, first_name="Marta", email="marta@example.org")
    db.session.commit()
    dashboard = f"/c/{community.slug}/coordinate"
    audit = PageAudit(page)
    main = page.get_by_role("main")

    page.goto(f"/account/login?next={dashboard}")
    audit.check("2fa-login")
    submit_sign_in(page, coordinator.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    expect(main).to_contain_text("you need two-step sign-in before you continue")
    expect(main.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    audit.check("2fa-setup")

    secret = page.locator("#setup-key").inner_text().replace(" ", "")
    main.get_by_label("The 6-digit code your app shows now").fill("000000")
    main.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    audit.check("2fa-setup-wrong-code")
    main.get_by_label("The 6-digit code your app shows now").fill(_code(secret))
    main.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = main.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery_codes = codes.all_inner_texts()
    audit.check("2fa-recovery-codes")
    main.get_by_role("link", name="I have saved my codes, continue").click()
    expect(page).to_have_url(re.compile(re.escape(dashboard) + "$"))
    expect(
        page.get_by_text(re.compile("If you are away, you will be signed out at"))
    ).to_be_visible()
    audit.check("2fa-dashboard")
    assert fresh(User, id=coordinator.id).has_two_factor

    main.get_by_role("button", name="Stay signed in").click()
    expect(page.get_by_role("status")).to_contain_text("You are still signed in.")
    expect(page).to_have_url(re.compile(re.escape(dashboard) + "$"))
    audit.check("session-extended")
    main.get_by_role("link", name="Why?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you still there?")
    audit.check("session-still-there")
    main.get_by_role("button", name="Keep me signed in").click()
    expect(page.get_by_role("status")).to_contain_text("You are still signed in.")
    audit.check("session-kept")

    page.goto("/account/two-factor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in")
    expect(main).to_contain_text("You have 10 unused recovery codes.")
    audit.check("2fa-settings")
    page.goto("/account/confirm-it-is-you?next=/account/email")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    audit.check("reauth")
    main.get_by_label("Password").fill(DEFAULT_PASSWORD)
    main.get_by_label("Code").fill(recovery_codes[0])
    main.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change my email")
    audit.check("change-email")

    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out")
    audit.check("2fa-signed-out")

    page.goto(f"/account/login?next={dashboard}")
    audit.check("2fa-login-again")
    submit_sign_in(page, coordinator.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    audit.check("2fa-code")
    main.get_by_label("Code").fill("123 456")
    main.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    audit.check("2fa-code-wrong")
    main.get_by_label("Code").fill(_code(secret, 1))
    main.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome back, Marta.")
    expect(page).to_have_url(re.compile(re.escape(dashboard) + "$"))
    audit.check("2fa-signed-in-with-code")
    audit.assert_every_page_checked()
