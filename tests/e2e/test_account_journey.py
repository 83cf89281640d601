"""A person joins, confirms, signs in and out, resets a forgotten password: in a real browser.

Every page the browser lands on is checked with axe (WCAG 2.2 AA) at 1280 px and 375 px.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect
from sqlalchemy import select

from neighborly.accounts.models import User
from neighborly.extensions import db
from neighborly.notifications.models import OutboxMessage
from tests.e2e.axe import PageAudit
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory

EMAIL = "rosa@example.org"
FIRST_PASSWORD = "plenty long password"
NEW_PASSWORD = "a brand new sentence"


def emailed_link(to: str, base_url: str, path_prefix: str) -> str:
    """The link in the newest email to `to`, pointed at the live server."""
    db.session.rollback()  # end any open read so the server's commits are visible
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_address == to)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, f"no email to {to} in the outbox"
    found = re.search(r"https?://\S+", message.body)
    assert found, f"no link in the email to {to}:\n{message.body}"
    path = urlsplit(found.group(0)).path
    assert path.startswith(path_prefix), f"expected a {path_prefix} link, got {path}"
    return base_url + path


def test_account_journey_from_joining_to_a_new_password(page: Page, base_url: str, submit_sign_in):
    audit = PageAudit(page)
    main = page.get_by_role("main")

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neighbours helping neighbours")
    audit.check("home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Neighborly")
    audit.check("register")

    main.get_by_role("button", name="Create my account").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("Please check the form")
    expect(summary.get_by_role("link", name="First name: Enter your first name.")).to_be_visible()
    expect(main.get_by_label("First name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#first_name-error")).to_have_text("Enter your first name.")
    audit.check("register-errors")

    main.get_by_label("First name").fill("Rosa")
    main.get_by_label("Last name").fill("Martinez")
    main.get_by_label("Email address").fill(EMAIL)
    main.get_by_label("Password").fill(FIRST_PASSWORD)
    main.get_by_label("Language").select_option("en")
    main.get_by_label("I agree to the terms and the privacy notice").check()
    main.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    audit.check("check-email-register")

    page.goto(emailed_link(EMAIL, base_url, "/account/confirm/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email")
    audit.check("confirm")
    main.get_by_role("button", name="Confirm my email").click()
    expect(page).to_have_url(f"{base_url}/account/login")
    expect(page.get_by_role("status")).to_contain_text("Your email is confirmed")
    audit.check("login-confirmed")

    submit_sign_in(page, EMAIL, FIRST_PASSWORD)
    expect(page.get_by_role("status")).to_have_text("Welcome, Rosa.")  # her very first time
    audit.check("home-signed-in")

    page.get_by_role("link", name="My profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    expect(main.get_by_text("Neighbours see you as")).to_have_text("Neighbours see you as Rosa M.")
    expect(main.get_by_label("First name")).to_have_value("Rosa")
    audit.check("profile")
    main.get_by_label("Phone (optional)").fill("708-555-0100")
    main.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_role("status")).to_have_text("Your profile is saved.")
    expect(main.get_by_label("Phone (optional)")).to_have_value("708-555-0100")
    audit.check("profile-saved")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out")
    expect(page.get_by_role("link", name="My profile")).to_have_count(0)
    audit.check("home-signed-out")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    audit.check("login")
    main.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    audit.check("forgot")
    main.get_by_label("Email address").fill(EMAIL)
    main.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(main).to_contain_text("we have sent a link to reset the password")
    audit.check("check-email-reset")

    page.goto(emailed_link(EMAIL, base_url, "/account/reset/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    audit.check("reset")
    main.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    main.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    main.get_by_role("button", name="Save my new password").click()
    expect(page).to_have_url(f"{base_url}/account/login")
    expect(page.get_by_role("status")).to_contain_text("Your password is changed")
    audit.check("login-after-reset")

    submit_sign_in(page, EMAIL, FIRST_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text(
        "That email and password do not match an account."
    )
    audit.check("login-old-password")

    submit_sign_in(page, EMAIL, NEW_PASSWORD)
    expect(page.get_by_role("status")).to_have_text("Welcome back, Rosa.")
    audit.check("home-after-reset")

    audit.assert_every_page_checked()
    db.session.rollback()
    rosa = db.session.scalars(select(User).where(User.email == EMAIL)).one()
    assert rosa.email_confirmed_at is not None
    assert rosa.phone == "708-555-0100"


def test_signing_in_and_out_works_without_javascript(
    no_js_page: Page, base_url: str, submit_sign_in
):
    page = no_js_page
    UserFactory(email="ada@example.org", first_name="Ada")
    page.set_content('<p id="probe">off</p><script>probe.textContent = "on"</script>')
    expect(page.locator("#probe")).to_have_text("off")  # scripts really are off

    page.goto("/account/login")

    submit_sign_in(page, "ada@example.org", DEFAULT_PASSWORD)
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_role("status")).to_have_text("Welcome, Ada.")

    page.get_by_role("link", name="My profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out")
    page.goto("/account/profile")
    expect(page).to_have_url(re.compile(r"/account/login"))
