"""The events nobody heard before: a cancelled task, a helper stepping back, an expired request."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import Category, Status
from neighborly.notifications.models import Notification
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer
from tests.outbox import mail_to


def _neighbours(phone: str | None = "708-555-0101"):
    """Rosa asks for help with her bins; Sam volunteers nearby."""
    community = CommunityFactory(slug="proviso")
    rosa = resident(community, first_name="Rosa", last_name="Martinez", phone=phone)
    sam = volunteer(community)
    sam.first_name, sam.last_name = "Sam", "Lee"
    db.session.commit()
    request = HelpRequestFactory(
        community=community, requester=rosa, title="Roll my bins out", category=Category.BINS
    )
    return community, rosa, sam, request


def _kinds(user) -> list[str]:
    """The kinds of the person's notices, oldest first."""
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def test_the_volunteer_hears_when_the_resident_cancels_an_accepted_request(client, login):
    _community, rosa, sam, request = _neighbours()
    login(sam)
    client.post(f"/requests/{request.id}/accept")
    login(rosa)
    client.post(f"/requests/{request.id}/cancel")

    (to_sam,) = mail_to(sam.email)
    assert to_sam.subject == "A request you took was called off"
    assert 'Rosa M. no longer needs help with "Roll my bins out"' in to_sam.body
    assert _kinds(sam) == ["help_requests.cancelled"]


def test_cancelling_an_open_request_tells_no_volunteer(client, login):
    _community, rosa, sam, request = _neighbours()
    login(rosa)
    client.post(f"/requests/{request.id}/cancel")
    assert mail_to(sam.email) == [] and _kinds(sam) == []


def test_the_resident_reads_the_helpers_reason_kindly_on_the_page_and_in_the_notice(client, login):
    _community, rosa, sam, request = _neighbours()
    login(sam)
    client.post(f"/requests/{request.id}/accept")
    client.post(f"/requests/{request.id}/withdraw", data={"reason": "My car broke down"})
    login(rosa)

    page = client.get(f"/requests/{request.id}").text
    assert "Sam L. had to step back" in page and "My car broke down" in page
    assert "it is nothing you did" in page
    withdrawn = mail_to(rosa.email)[-1]
    assert "My car broke down" in withdrawn.body and "it is nothing you did" in withdrawn.body
    assert _kinds(rosa)[-1] == "help_requests.withdrawn"
    inbox = client.get("/notifications").text
    assert "They told us why: My car broke down" in inbox


def test_another_volunteer_does_not_see_why_the_helper_stepped_back(client, login):
    community, _rosa, sam, request = _neighbours()
    login(sam)
    client.post(f"/requests/{request.id}/accept")
    client.post(f"/requests/{request.id}/withdraw", data={"reason": "My car broke down"})
    login(volunteer(community))
    assert "My car broke down" not in client.get(f"/requests/{request.id}").text


def test_an_expired_request_tells_its_resident_once_with_an_ask_again_link(client, login):
    community, rosa, _sam, _request = _neighbours()
    overdue = HelpRequestFactory(
        community=community, requester=rosa, needed_by=utcnow() - timedelta(hours=1)
    )

    assert services.expire_overdue() == 1
    assert services.expire_overdue() == 0  # idempotent: a second run changes and tells nothing

    assert db.session.get(type(overdue), overdue.id).status == Status.EXPIRED
    (told,) = mail_to(rosa.email)
    assert told.subject == "Nobody could take your request in time"
    assert "http://localhost/c/proviso/ask" in told.body
    assert _kinds(rosa) == ["help_requests.expired"]
    login(rosa)
    page = client.get(f"/requests/{overdue.id}").text
    assert "Ask again" in page and 'href="/c/proviso/ask"' in page


def test_the_expire_requests_command_reports_what_it_did(app):
    community, rosa, _sam, _request = _neighbours()
    HelpRequestFactory(community=community, requester=rosa, needed_by=utcnow() - timedelta(days=1))
    runner = app.test_cli_runner()
    assert "Expired 1 request(s)." in runner.invoke(args=["expire-requests"]).output
    assert "Expired 0 request(s)." in runner.invoke(args=["expire-requests"]).output


def test_a_coordinators_assignment_says_a_coordinator_asked_not_that_they_said_yes(client, login):
    community, _rosa, sam, request = _neighbours()
    login(member(community, Role.COORDINATOR))
    client.post(f"/requests/{request.id}/assign", data={"volunteer_id": sam.id})

    (to_sam,) = mail_to(sam.email)
    assert "A coordinator has asked you to help Rosa M." in to_sam.body
    assert "saying yes" not in to_sam.body
    assert _kinds(sam) == ["help_requests.assigned"]


def test_the_phone_is_mentioned_only_when_one_is_on_file(client, login):
    _community, rosa, sam, request = _neighbours(phone=None)
    login(sam)
    client.post(f"/requests/{request.id}/accept")
    (told,) = mail_to(rosa.email)
    assert "They can now see your address so they can come by." in told.body
    assert "phone" not in told.body


def test_with_a_phone_on_file_the_resident_is_told_the_helper_sees_it(client, login):
    _community, rosa, sam, request = _neighbours()
    login(sam)
    client.post(f"/requests/{request.id}/accept")
    (told,) = mail_to(rosa.email)
    assert "your address and phone number" in told.body
