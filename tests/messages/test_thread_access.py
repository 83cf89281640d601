"""Who reads and writes which thread, across every role (a refused thread answers 404)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from neighborly.accounts.models import Role, User
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status
from neighborly.messages.models import Message
from neighborly.notifications.models import Notification
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by


@dataclass
class Cast:
    """Everyone around one accepted request and one active pair."""

    request: HelpRequest
    pair_id: int
    people: dict[str, User]


def _cast() -> Cast:
    """A request in Proviso taken by a helper; a Wolves and Pups pair in the same community."""
    community, elsewhere = CommunityFactory(slug="proviso"), CommunityFactory(slug="algoma")
    asker = resident(community, first_name="Rosa")
    helper = volunteer(community)
    request = HelpRequestFactory(
        community=community, requester=asker, status=Status.ACCEPTED, volunteer=helper
    )
    program, program_coordinator = program_run_by(community)
    the_mentor = mentor(program)
    other_mentor = mentor(program)
    pair = active_pair(the_mentor, mentee(program))
    db.session.commit()
    people = {
        "resident": asker,
        "accepted helper": helper,
        "another volunteer": volunteer(community),
        "community coordinator": member(community, Role.COORDINATOR),
        "other community's coordinator": member(elsewhere, Role.COORDINATOR),
        "mentor": the_mentor.user,
        "another mentor": other_mentor.user,
        "program coordinator": program_coordinator,
    }
    db.session.commit()
    return Cast(request, pair.id, people)


REQUEST_READERS = {"resident", "accepted helper", "community coordinator", "program coordinator"}
PAIR_READERS = {"mentor", "program coordinator"}
EVERYONE = (
    "resident",
    "accepted helper",
    "another volunteer",
    "community coordinator",
    "other community's coordinator",
    "mentor",
    "another mentor",
    "program coordinator",
)


@pytest.mark.parametrize("who", EVERYONE)
def test_a_request_thread_is_read_and_written_only_by_its_people(client, login, who):
    cast = _cast()
    login(cast.people[who])
    page = client.get(f"/requests/{cast.request.id}/messages")
    sent = client.post(f"/requests/{cast.request.id}/messages", data={"body": f"Hi from {who}"})

    written = db.session.scalar(select(Message.body).where(Message.body == f"Hi from {who}"))
    if who in REQUEST_READERS:
        assert page.status_code == 200 and sent.status_code == 302
        assert written == f"Hi from {who}"
    else:
        assert (page.status_code, sent.status_code) == (404, 404)
        assert written is None


@pytest.mark.parametrize("who", EVERYONE)
def test_a_pair_thread_is_for_the_mentor_and_the_programs_coordinators_only(client, login, who):
    cast = _cast()
    login(cast.people[who])
    page = client.get(f"/mentoring/pairs/{cast.pair_id}/messages")
    sent = client.post(f"/mentoring/pairs/{cast.pair_id}/messages", data={"body": f"Hi {who}"})

    written = db.session.scalar(select(Message.body).where(Message.body == f"Hi {who}"))
    if who in PAIR_READERS:
        assert page.status_code == 200 and sent.status_code == 302
        assert written == f"Hi {who}"
    else:
        assert (page.status_code, sent.status_code) == (404, 404)
        assert written is None


def test_the_request_page_shows_the_thread_to_its_people_and_not_to_another_volunteer(
    client, login
):
    cast = _cast()
    login(cast.people["accepted helper"])
    client.post(f"/requests/{cast.request.id}/messages", data={"body": "The shovel is in my car"})
    assert "The shovel is in my car" in client.get(f"/requests/{cast.request.id}").text
    login(cast.people["resident"])
    assert "The shovel is in my car" in client.get(f"/requests/{cast.request.id}").text
    login(cast.people["another volunteer"])
    page = client.get(f"/requests/{cast.request.id}")
    assert page.status_code == 200 and "The shovel is in my car" not in page.text


def test_a_helper_who_stepped_back_no_longer_reads_the_thread(client, login):
    cast = _cast()
    helper = cast.people["accepted helper"]
    login(helper)
    client.post(f"/requests/{cast.request.id}/withdraw", data={"reason": "Sick today"})
    assert client.get(f"/requests/{cast.request.id}/messages").status_code == 404


def test_a_new_message_tells_the_others_but_not_the_author(client, login):
    cast = _cast()
    login(cast.people["accepted helper"])
    client.post(f"/requests/{cast.request.id}/messages", data={"body": "I'll be there at 7"})

    told = set(
        db.session.scalars(
            select(Notification.user_id).where(Notification.kind == "messages.new_message")
        )
    )
    assert told == {cast.people["resident"].id}
    notice = db.session.scalar(select(Notification).where(Notification.kind.like("messages.%")))
    assert notice.link == f"/requests/{cast.request.id}"


def test_a_residents_first_message_reaches_the_communitys_coordinators(client, login):
    community = CommunityFactory()
    rosa = resident(community)
    coordinator = member(community, Role.COORDINATOR)
    request = HelpRequestFactory(community=community, requester=rosa)
    login(rosa)
    client.post(f"/requests/{request.id}/messages", data={"body": "Is anyone free Tuesday?"})
    told = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "messages.new_message")
    ).all()
    assert told == [coordinator.id]


def test_a_pair_message_tells_the_program_coordinators_and_the_mentor(client, login):
    cast = _cast()
    login(cast.people["mentor"])
    client.post(f"/mentoring/pairs/{cast.pair_id}/messages", data={"body": "We read a book"})
    told = set(
        db.session.scalars(
            select(Notification.user_id).where(Notification.kind == "messages.new_message")
        )
    )
    assert told == {cast.people["program coordinator"].id}


def test_a_coordinator_hides_a_message_which_is_kept_and_audited(client, login):
    cast = _cast()
    login(cast.people["accepted helper"])
    client.post(f"/requests/{cast.request.id}/messages", data={"body": "Something unkind"})
    message = db.session.scalar(select(Message))

    login(cast.people["resident"])
    assert client.post(f"/messages/{message.id}/hide").status_code == 404
    login(cast.people["other community's coordinator"])
    assert client.post(f"/messages/{message.id}/hide").status_code == 404
    login(cast.people["community coordinator"])
    assert client.post(f"/messages/{message.id}/hide").status_code == 302

    kept = db.session.get(Message, message.id)
    assert kept.body == "Something unkind" and kept.hidden_at is not None
    assert kept.hidden_by_id == cast.people["community coordinator"].id
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "message.hidden"))
    assert (audit.object_type, audit.object_id) == ("message", message.id)
    login(cast.people["resident"])
    page = client.get(f"/requests/{cast.request.id}").text
    assert "Something unkind" not in page and "hidden by a coordinator" in page


def test_message_text_is_escaped_and_length_limited(client, login):
    cast = _cast()
    login(cast.people["resident"])
    client.post(f"/requests/{cast.request.id}/messages", data={"body": "<script>alert(1)</script>"})
    page = client.get(f"/requests/{cast.request.id}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page

    too_long = client.post(f"/requests/{cast.request.id}/messages", data={"body": "x" * 1001})
    assert too_long.status_code == 400 and "under 1000 characters" in too_long.text
    empty = client.post(f"/requests/{cast.request.id}/messages", data={"body": "   "})
    assert empty.status_code == 400 and "Please write a message." in empty.text
    assert db.session.scalar(select(Message.id).where(Message.body.like("xxx%"))) is None


def test_a_cancelled_request_keeps_its_thread_readable_but_closed(client, login):
    cast = _cast()
    login(cast.people["resident"])
    client.post(f"/requests/{cast.request.id}/messages", data={"body": "Thanks anyway"})
    client.post(f"/requests/{cast.request.id}/cancel")
    page = client.get(f"/requests/{cast.request.id}/messages")
    assert "Thanks anyway" in page.text and "This conversation is closed." in page.text
    client.post(f"/requests/{cast.request.id}/messages", data={"body": "One more"})
    assert db.session.scalar(select(Message.id).where(Message.body == "One more")) is None
