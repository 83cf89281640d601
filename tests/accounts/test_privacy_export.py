"""Download my data: one JSON file of everything Neighborly holds about the person, audited."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from neighborly.audit import AuditEvent, record_audit
from neighborly.extensions import db
from neighborly.help_requests.models import Status
from neighborly.mentoring.models import Meeting, PairStatus
from neighborly.resources.models import ResourceSuggestion
from tests.factories.accounts import CommunityFactory, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by


def _download(client) -> tuple[dict, object]:
    response = client.post("/account/my-data/download")
    return json.loads(response.data), response


def test_a_resident_downloads_a_file_with_their_account_and_their_own_address(client, login):
    home = CommunityFactory(name="Proviso")
    rosa = resident(home, first_name="Rosa", email="rosa@example.org", phone="708-555-0101")
    HelpRequestFactory(community=home, requester=rosa, street_address="4217 Elmwood Lane")
    login(rosa)

    data, response = _download(client)

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="neighborly-my-data.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert data["account"]["email"] == "rosa@example.org"
    assert data["account"]["phone"] == "708-555-0101"
    assert data["memberships"] == [
        {"community": "Proviso", "role": "resident", "since": data["memberships"][0]["since"]}
    ]
    (asked,) = data["help_requests_asked"]
    assert asked["street_address"] == "4217 Elmwood Lane"


def test_a_helper_gets_the_requests_they_took_without_the_askers_address(client, login):
    home = CommunityFactory()
    sam = volunteer(home)
    asker = resident(home, first_name="Rosa", last_name="Martinez")
    HelpRequestFactory(
        community=home,
        requester=asker,
        street_address="4217 Elmwood Lane",
        status=Status.CONFIRMED,
        volunteer=sam,
        thank_you_note="Thank you for the steps!",
    )
    login(sam)

    data, response = _download(client)

    (helped,) = data["help_requests_helped"]
    assert helped["asker"] == "Rosa M."
    assert "4217 Elmwood" not in response.text
    assert "street_address" not in helped and "lat" not in helped
    assert data["thank_you_notes"]["received"][0]["note"] == "Thank you for the steps!"
    assert data["volunteer_profiles"][0]["radius_km"] == 5.0


def test_a_mentor_gets_their_enrolment_and_meetings_but_never_a_childs_restricted_fields(
    client, login
):
    program, _coordinator = program_run_by()
    wolf = mentor(program)
    pup = mentee(program, first_name="Pupname")
    pair = active_pair(wolf, pup)
    db.session.add(
        Meeting(
            pairing_id=pair.id,
            program_id=program.id,
            community_id=program.community_id,
            met_on=date(2026, 11, 3),
            minutes=45,
            activity="Board games",
            logged_by_id=wolf.user_id,
        )
    )
    db.session.commit()
    login(wolf.user)

    data, response = _download(client)

    (enrolment,) = data["mentor_enrolments"]
    assert enrolment["motivation"] == wolf.motivation
    assert enrolment["pairs"][0]["mentee"] == "Pupname Q."
    assert enrolment["pairs"][0]["status"] == PairStatus.ACTIVE.value
    assert data["meetings_logged"][0]["activity"] == "Board games"
    for private in (pup.referral_reason, pup.guardian_name, pup.guardian_contact, pup.notes):
        assert private not in response.text
    assert pup.teacher not in response.text


def test_the_file_holds_suggestions_and_audit_events_as_action_and_time_only(client, login):
    home = CommunityFactory()
    rosa = resident(home)
    db.session.add(ResourceSuggestion(title="Soup night", suggested_by_id=rosa.id))
    record_audit(rosa.id, "account.profile_updated", "user", rosa.id, home.id)
    db.session.commit()
    login(rosa)

    data, _response = _download(client)

    assert data["resource_suggestions"][0]["title"] == "Soup night"
    assert {"action": "account.profile_updated", "at": data["audit_events"][0]["at"]} in data[
        "audit_events"
    ]
    assert all(set(event) == {"action", "at"} for event in data["audit_events"])


def test_downloading_is_audited_without_personal_data(client, login):
    rosa = resident(CommunityFactory())
    login(rosa)

    _download(client)

    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "account.data_exported")
    )
    assert (event.actor_id, event.object_type, event.object_id) == (rosa.id, "user", rosa.id)


def test_someone_signed_out_cannot_download_anything(client):
    response = client.post("/account/my-data/download")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_your_data_page_offers_the_download_and_the_way_to_delete(client, login):
    login(resident(CommunityFactory()))
    page = client.get("/account/my-data")
    assert "Download my data" in page.text
    assert 'href="/account/delete"' in page.text
