"""A coordinator's morning in a real browser: the console, a narrower date range, verifying a
volunteer with what was checked, a report, a chart and its table, a CSV and a certificate;
in English and in Spanish. Every page is checked with axe at 1280, 375 and 320 px.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from neighborly.accounts.models import Role
from neighborly.accounts.safety_models import Report, ReportStatus
from neighborly.extensions import db
from neighborly.help_requests.models import Status, VolunteerProfile
from neighborly.timeutil import utcnow
from tests.e2e.axe import PageAudit
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import HelpRequestFactory, VolunteerProfileFactory


def _story():
    """Proviso with a coordinator, a volunteer waiting, months of confirmed help and a report."""
    proviso = CommunityFactory(slug="proviso", name="Proviso Township")
    carmen = member(
        proviso, Role.COORDINATOR, first_name="Carmen", last_name="Diaz", email="carmen@example.org"
    )
    newcomer = member(proviso, Role.VOLUNTEER, first_name="Nia", last_name="Brooks")
    VolunteerProfileFactory(user=newcomer, community_id=proviso.id, verified_at=None)
    sam = member(proviso, Role.VOLUNTEER, first_name="Sam", last_name="Lee")
    VolunteerProfileFactory(user=sam, community_id=proviso.id)
    rosa = member(proviso, Role.RESIDENT, first_name="Rosa", last_name="Martinez")
    now = utcnow()
    for weeks in range(1, 20, 2):
        done = now - timedelta(weeks=weeks)
        HelpRequestFactory(
            community=proviso,
            requester=rosa,
            volunteer=sam,
            status=Status.CONFIRMED,
            created_at=done,
            accepted_at=done,
            completed_at=done,
            confirmed_at=done,
            minutes_spent=40,
            thank_you_note="Thank you!" if weeks % 4 == 1 else None,
        )
    HelpRequestFactory(community=proviso, requester=rosa, title="Rake the leaves")
    db.session.add(
        Report(
            community_id=proviso.id,
            reporter_id=rosa.id,
            subject_id=sam.id,
            reason="He came an hour late.",
            created_at=now,
        )
    )
    db.session.commit()
    return proviso, carmen, newcomer, sam


def test_a_coordinator_runs_the_morning_from_the_console(page: Page, sign_in, fresh):
    _proviso, _carmen, newcomer, sam = _story()
    audit = PageAudit(page)
    main = page.get_by_role("main")
    sign_in(page, audit, "console", "carmen@example.org", "/c/proviso/coordinate")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Coordinator console: Proviso Township"
    )
    expect(main).to_contain_text("1 volunteer waiting to be verified")
    expect(main).to_contain_text("1 report waiting")
    audit.check("console-home")

    # Narrow the figures to the last four weeks.
    today = utcnow().date()
    main.get_by_label("From", exact=True).fill((today - timedelta(days=27)).isoformat())
    main.get_by_label("To", exact=True).fill(today.isoformat())
    main.get_by_role("button", name="Show these days").click()
    expect(page).to_have_url(re.compile(r"start="))
    expect(page.locator('[data-figure="posted"]')).to_have_text("3")
    audit.check("console-narrowed")

    # Verify the waiting volunteer, recording what was checked.
    main.get_by_role("link", name="Check and verify Nia B.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Nia B.")
    audit.check("console-verify")
    main.get_by_role("button", name="Verify Nia B.").click()
    expect(main.locator("#id_seen-error")).to_contain_text("Record at least one thing")
    audit.check("console-verify-error")
    main.get_by_label("I saw a photo ID").check()
    main.get_by_label("Background check date").fill("2026-10-02")
    main.get_by_role("button", name="Verify Nia B.").click()
    expect(page.get_by_role("status")).to_contain_text("Nia B. is verified.")
    audit.check("console-verified")
    profile = fresh(VolunteerProfile, user_id=newcomer.id)
    assert profile.verified_at is not None and profile.id_seen

    # Handle the report.
    tools = page.get_by_role("navigation", name="Coordinator tools")
    tools.get_by_role("link", name="Reports").click()
    expect(main).to_contain_text("He came an hour late.")
    audit.check("console-reports")
    main.get_by_label("What did you do?").select_option(label="Spoke with the people involved")
    main.get_by_role("button", name="Close this report").click()
    expect(page.get_by_role("status")).to_contain_text("The report is handled.")
    audit.check("console-report-handled")
    assert fresh(Report, subject_id=sam.id).status == ReportStatus.HANDLED

    # A chart and its table.
    page.get_by_role("link", name="Coordinator console").click()
    audit.check("console-home-again")
    tools.get_by_role("link", name="Connections").click()
    chart = page.get_by_role("img", name=re.compile("Hours of confirmed help"))
    expect(chart).to_be_visible()
    expect(
        page.get_by_role("table", name="Hours of confirmed help, month by month")
    ).to_be_visible()
    audit.check("console-connections")

    # Download a CSV.
    page.get_by_role("link", name="Coordinator console").click()
    audit.check("console-home-third")
    tools.get_by_role("link", name="Download spreadsheets").click()
    audit.check("console-exports")
    with page.expect_download() as download:
        main.get_by_role("link", name="Volunteer hours (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("volunteer_id,volunteer,helps") and "Sam Lee" in text

    # Print a certificate.
    page.get_by_role("link", name="Coordinator console").click()
    audit.check("console-home-fourth")
    tools.get_by_role("link", name="Hours and certificates").click()
    audit.check("console-hours")
    main.get_by_role("link", name="Sam L.").click()
    audit.check("console-ledger")
    main.get_by_role("link", name="Service-hours certificate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate of community service")
    expect(main).to_contain_text("Sam Lee")
    audit.check("console-certificate")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")

    # The same console in Spanish.
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    audit.check("console-certificate-es")
    page.goto("/c/proviso/coordinate")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Consola de coordinación: Proviso Township"
    )
    audit.check("console-home-es")
    page.goto("/c/proviso/coordinate/connections")
    expect(page.get_by_role("img", name=re.compile("Horas de ayuda confirmada"))).to_be_visible()
    audit.check("console-connections-es")
    audit.assert_every_page_checked()
