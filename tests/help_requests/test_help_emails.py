"""Neighbours hear by email when their request is taken, dropped, done or thanked."""

from __future__ import annotations

from sqlalchemy import select

from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.help_requests.models import Category
from neighborly.notifications.models import OutboxMessage
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer
from tests.outbox import mail_to


def _neighbours():
    """Rosa asks for help with her bins; Sam volunteers nearby."""
    community = CommunityFactory(slug="proviso")
    rosa = resident(community, first_name="Rosa", last_name="Martinez")
    sam = volunteer(community)
    sam.first_name, sam.last_name = "Sam", "Lee"
    db.session.commit()
    request = HelpRequestFactory(
        community=community, requester=rosa, title="Roll my bins out", category=Category.BINS
    )
    return community, rosa, sam, request


def test_the_resident_hears_when_a_neighbour_takes_finishes_and_the_helper_hears_thanks(
    client, login
):
    _community, rosa, sam, request = _neighbours()
    login(sam)
    client.post(f"/requests/{request.id}/accept")
    client.post(f"/requests/{request.id}/complete", data={"minutes": "15"})
    login(rosa)
    client.post(f"/requests/{request.id}/confirm", data={"thank_you": "Thank you, Sam!"})

    to_rosa = mail_to(rosa.email)
    assert [m.subject for m in to_rosa] == ["A neighbour will help you", "Did it go well?"]
    assert 'Sam L. will help with your request "Roll my bins out"' in to_rosa[0].body
    assert f"/requests/{request.id}" in to_rosa[0].body
    assert 'Sam L. says "Roll my bins out" is done.' in to_rosa[1].body
    (to_sam,) = mail_to(sam.email)
    assert to_sam.subject == "Thank you from your neighbour"
    assert "Rosa M. confirmed your help" in to_sam.body and "Thank you, Sam!" in to_sam.body


def test_no_email_carries_the_street_address(client, login):
    _community, rosa, sam, request = _neighbours()
    login(sam)
    client.post(f"/requests/{request.id}/accept")
    client.post(f"/requests/{request.id}/complete", data={"minutes": "15"})
    bodies = " ".join(m.body for m in db.session.scalars(select(OutboxMessage)))
    assert request.street_address not in bodies and bodies


def test_the_resident_hears_when_the_helper_steps_back(client, login):
    _community, rosa, sam, request = _neighbours()
    login(sam)
    client.post(f"/requests/{request.id}/accept")
    client.post(f"/requests/{request.id}/withdraw", data={"reason": "My car broke down"})
    assert mail_to(rosa.email)[-1].subject == "Your request is open again"
    assert "Sam L. can no longer help" in mail_to(rosa.email)[-1].body


def test_a_volunteer_assigned_by_a_coordinator_is_told_and_asked_to_sign_in(client, login):
    community, rosa, sam, request = _neighbours()
    login(member(community, Role.COORDINATOR))
    client.post(f"/requests/{request.id}/assign", data={"volunteer_id": sam.id})
    (to_sam,) = mail_to(sam.email)
    assert to_sam.subject == "A coordinator asked you to help"
    assert 'help Rosa M. with "Roll my bins out"' in to_sam.body
    assert mail_to(rosa.email)[0].subject == "A neighbour will help you"


def test_phone_in_residents_without_email_get_no_email_and_nothing_breaks(client, login):
    community = CommunityFactory(slug="proviso")
    caller = member(community, Role.RESIDENT, email=None)
    sam = volunteer(community)
    request = HelpRequestFactory(community=community, requester=caller)
    login(sam)
    accepted = client.post(f"/requests/{request.id}/accept", follow_redirects=True)
    assert accepted.status_code == 200
    assert [m.to_address for m in db.session.scalars(select(OutboxMessage))] == []
