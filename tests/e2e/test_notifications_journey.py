"""A phone-in resident hears by text, in their language; a volunteer chooses what they hear
and stops a digest: in a real browser, every page checked with axe at 1280 px and 375 px,
in English and Spanish."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import Page, expect

from neighborly.accounts.models import Role, User
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest
from neighborly.help_requests.services.reminders import send_weekly_digest
from neighborly.notifications.preference_models import NotificationPreference
from tests.clocks import midday_zone
from tests.e2e.axe import PageAudit
from tests.e2e.conftest import _page_in_new_context, submit_sign_in_form
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer
from tests.notifications.servers import sms_server
from tests.outbox import last_mail_to


def _named(user: User, first: str, last: str, email: str, locale: str = "en") -> User:
    """Give a factory-made person a name, an email and a language."""
    user.first_name, user.last_name, user.email, user.locale = first, last, email, locale
    db.session.commit()
    return user


def _sign_in(page: Page, audit: PageAudit, shot: str, email: str, then: str) -> None:
    """Sign in through the form (in the browser's English), then land on `then`."""
    page.goto(f"/account/login?next={then}")
    audit.check(f"{shot}-login")
    submit_sign_in_form(page, email)
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))


@pytest.mark.parametrize("locale", ["en", "es"])
def test_a_phone_in_resident_hears_by_text_that_help_is_coming(
    page: Page, person, fresh, monkeypatch, e2e_app, locale
):
    def say(text: str, **values) -> str:
        with force_locale(locale):
            return gettext(text, **values)

    # Texts wait out quiet hours (21:00-08:00): put Proviso where it is midday now.
    community = CommunityFactory(slug="proviso", name="Proviso Township", timezone=midday_zone())
    member(
        community, Role.COORDINATOR, first_name="Carmen", email="carmen@example.org", locale=locale
    )
    _named(volunteer(community), "Sam", "Lee", "sam@example.org", locale=locale)
    if locale == "es":
        # Dolores, who speaks Spanish, called before: the same phone finds the same person,
        # and her texts come in her language.
        resident(
            community,
            first_name="Dolores",
            last_name="Vega",
            email=None,
            password_hash=None,
            phone="708-555-0199",
            locale="es",
        )
        db.session.commit()
    audit = PageAudit(page)
    main = page.get_by_role("main")
    shot = f"texts-{locale}"

    with sms_server() as (received, base_url):
        for key, value in {
            "SMS_BACKEND": "twilio",
            "SMS_BASE_URL": base_url,
            "SMS_ACCOUNT_SID": "ACtest",
            "SMS_AUTH_TOKEN": "token",
            "SMS_FROM_NUMBER": "+17085550100",
        }.items():
            monkeypatch.setitem(e2e_app.config, key, value)

        phone_in = "/c/proviso/coordinate/phone-in"
        _sign_in(page, audit, f"{shot}-coordinator", "carmen@example.org", phone_in)
        audit.check(f"{shot}-phone-in")
        main.get_by_label(say("Resident's first name")).fill("Dolores")
        main.get_by_label(say("Resident's last name")).fill("Vega")
        main.get_by_label(say("Resident's phone")).fill("708-555-0199")
        main.get_by_label(
            say("The resident agrees to short texts at this number about their request")
        ).check()
        main.get_by_label(say("What kind of help?")).select_option(
            label=say("Trash and recycling bins")
        )
        main.get_by_label(say("In a few words")).fill("Bins to the curb on Tuesday")
        main.get_by_label(say("Caller's street address")).fill("12 Oak Street")
        main.get_by_label(say("ZIP code"), exact=True).fill("60153")
        main.get_by_role("button", name=say("Post the request")).click()
        expect(page.get_by_role("status")).to_contain_text(
            say("The request for %(name)s is posted.", name="Dolores V.")
        )
        audit.check(f"{shot}-phone-in-posted")
        audit.assert_every_page_checked()
        request_id = fresh(HelpRequest, title="Bins to the curb on Tuesday").id

        with person() as sam_page:
            sam = PageAudit(sam_page)
            sam_main = sam_page.get_by_role("main")
            _sign_in(sam_page, sam, f"{shot}-sam", "sam@example.org", f"/requests/{request_id}")
            sam.check(f"{shot}-detail-open")
            sam_main.get_by_role("button", name=say("I will help with this")).click()
            expect(sam_page.get_by_role("status")).to_have_text(
                say("Thank you! The address is now on the request page.")
            )
            sam.check(f"{shot}-detail-accepted")
            sam_main.get_by_role("button", name=say("I'm on my way")).click()
            expect(sam_page.get_by_role("status")).to_have_text(
                say("We told your neighbour you are on your way.")
            )
            sam.check(f"{shot}-on-my-way")
            sam.assert_every_page_checked()

        # No worker here: each text leaves right after the response that queued it.
        bodies = _wait_for(received, 2)

    # Dolores's texts are in her language, whatever language the coordinator's pages were in.
    def text(msgid: str) -> str:
        with force_locale(locale):
            return gettext(msgid, helper="Sam L.", title="Bins to the curb on Tuesday")

    assert [sent["form"]["To"] for sent in bodies] == ["708-555-0199", "708-555-0199"]
    assert [sent["form"]["Body"] for sent in bodies] == [
        text('Neighborly: %(helper)s will help with "%(title)s". They may call you to arrange it.'),
        text('Neighborly: %(helper)s is on the way to help with "%(title)s".'),
    ]
    assert all("12 Oak Street" not in sent["form"]["Body"] for sent in bodies)


def _wait_for(received: list, count: int, seconds: float = 10.0) -> list:
    """The provider's messages once `count` have arrived (delivery runs after the response)."""
    import time

    deadline = time.monotonic() + seconds
    while len(received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return list(received)


def test_a_volunteer_chooses_what_they_hear_and_a_spanish_reader_stops_the_digest(
    page: Page, browser, base_url, sign_in, fresh
):
    community = CommunityFactory(slug="proviso", name="Proviso Township")
    sam = _named(volunteer(community), "Sam", "Lee", "sam@example.org")
    rosa = _named(volunteer(community), "Rosa", "Vega", "rosa@example.org", locale="es")
    audit = PageAudit(page)
    main = page.get_by_role("main")

    sign_in(page, audit, "choices-sam", "sam@example.org", "/account/profile")
    audit.check("choices-profile")
    main.get_by_role("link", name="What Neighborly tells me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What Neighborly tells me")
    audit.check("choices-page")
    main.get_by_label("A neighbour thanked you").uncheck()
    main.get_by_label("Quiet hours start at").select_option(label="22:00")
    main.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_role("status")).to_have_text("Your choices are saved.")
    expect(main.get_by_label("A neighbour thanked you")).not_to_be_checked()
    audit.check("choices-saved")
    audit.assert_every_page_checked()
    thanked = fresh(NotificationPreference, user_id=sam.id, kind="help_requests.thanked")
    assert thanked.email is False

    # Rosa, whose browser speaks Spanish, opens the link at the foot of her weekly digest,
    # without signing in.
    HelpRequestFactory(community=community, title="Bins to the curb")
    send_weekly_digest()
    digest = last_mail_to("rosa@example.org")
    assert "1 vecino cerca de usted pidió ayuda esta semana." in digest.body
    link = re.search(r"http://localhost(/notifications/unsubscribe/\S+)", digest.body)
    spanish = {"Accept-Language": "es-ES,es;q=0.9"}
    with _page_in_new_context(browser, base_url, extra_http_headers=spanish) as rosa_page:
        rosa_audit = PageAudit(rosa_page)
        rosa_main = rosa_page.get_by_role("main")
        rosa_page.goto(link.group(1))
        heading = rosa_page.get_by_role("heading", level=1)
        expect(heading).to_have_text("Dejar de recibir estos correos")
        expect(rosa_main).to_contain_text("Lista semanal de vecinos cerca de usted")
        rosa_audit.check("unsubscribe-page-es")
        rosa_main.get_by_role("button", name="Sí, no quiero recibirlos").click()
        expect(heading).to_have_text("Hecho: no recibirá más estos correos")
        rosa_audit.check("unsubscribe-done-es")
        rosa_audit.assert_every_page_checked()
    stopped = fresh(NotificationPreference, user_id=rosa.id, kind="help_requests.digest")
    assert stopped.email is False
