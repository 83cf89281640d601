"""A personal calendar feed behind a secret, revocable link; an .ics file for each accepted task."""

from __future__ import annotations

import re
from datetime import date, timedelta

from icalendar import Calendar
from sqlalchemy import select

from neighborly.accounts.models import Role
from neighborly.audit import AuditEvent
from neighborly.calendars.models import CalendarFeed
from neighborly.extensions import db
from neighborly.help_requests.models import Status
from neighborly.mentoring.models import GroupEvent, Meeting
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by


def _link(client) -> str:
    """Make a calendar link on the account page and return its path."""
    page = client.post("/account/calendar/link").text
    found = re.search(r'value="http://localhost(/calendar/[^"]+\.ics)"', page)
    assert found, page
    return found.group(1)


def _events(body: bytes) -> list:
    """The VEVENTs of a calendar file (it must parse)."""
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def _world():
    """Sam helps Rosa with one request; another request nearby is open, another taken by Lee."""
    community = CommunityFactory(slug="proviso")
    rosa = resident(community, first_name="Rosa", last_name="Martinez")
    sam = volunteer(community)
    lee = volunteer(community)
    when = utcnow() + timedelta(days=1)
    mine = HelpRequestFactory(
        community=community,
        requester=rosa,
        title="Roll my bins out",
        status=Status.ACCEPTED,
        volunteer=sam,
        accepted_at=utcnow(),
        needed_by=when,
        estimated_minutes=45,
    )
    open_one = HelpRequestFactory(community=community, title="Walk my dog", needed_by=when)
    lees = HelpRequestFactory(
        community=community,
        title="Fix the gate",
        status=Status.ACCEPTED,
        volunteer=lee,
        accepted_at=utcnow(),
        needed_by=when,
    )
    db.session.commit()
    return community, rosa, sam, mine, open_one, lees


def test_the_feed_parses_and_holds_the_volunteers_accepted_task_with_its_time(client, login):
    _community, _rosa, sam, mine, _open, _lees = _world()
    login(sam)
    path = _link(client)
    answer = client.get(path)

    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    (event,) = _events(answer.data)
    assert str(event["summary"]) == "Help Rosa M.: Roll my bins out"
    assert event.decoded("dtend") == mine.needed_by.replace(microsecond=0)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=45)
    assert str(event["url"]) == f"http://localhost/requests/{mine.id}"


def test_the_feed_never_carries_an_address_of_a_request_the_person_has_not_accepted(client, login):
    _community, _rosa, sam, mine, open_one, lees = _world()
    login(sam)
    body = client.get(_link(client)).data.decode()
    for other in (open_one, lees):
        assert other.street_address not in body and other.title not in body
    assert mine.street_address not in body  # no street address in a feed at all


def test_the_resident_sees_her_request_once_someone_has_taken_it(client, login):
    _community, rosa, _sam, mine, _open, _lees = _world()
    login(rosa)
    (event,) = _events(client.get(_link(client)).data)
    assert "Roll my bins out" in str(event["summary"]) and "comes to help" in str(event["summary"])


def test_a_revoked_link_answers_404_and_a_new_link_replaces_the_old(client, login):
    _community, _rosa, sam, *_ = _world()
    login(sam)
    first = _link(client)
    second = _link(client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200

    client.post("/account/calendar/stop")
    assert client.get(second).status_code == 404
    assert db.session.scalar(select(CalendarFeed)) is None
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("calendar.link_created") == 2 and "calendar.link_revoked" in actions


def test_the_link_is_kept_only_as_a_hash(client, login):
    _community, _rosa, sam, *_ = _world()
    login(sam)
    token = _link(client).removeprefix("/calendar/").removesuffix(".ics")
    stored = db.session.scalar(select(CalendarFeed.token_hash))
    assert token not in stored and len(stored) == 64


def test_an_unknown_link_answers_404(client):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_a_mentor_sees_group_events_and_meetings_but_never_the_childs_name(client, login):
    program, _coordinator = program_run_by(CommunityFactory())
    wolf = mentor(program)
    pup = mentee(program, first_name="Maya")
    pair = active_pair(wolf, pup)
    db.session.add_all(
        [
            GroupEvent(
                program_id=program.id,
                community_id=program.community_id,
                name="Wolf Den dinner",
                held_on=date.today() + timedelta(days=7),
                minutes=90,
                place="Algoma High cafeteria",
            ),
            Meeting(
                pairing_id=pair.id,
                program_id=program.id,
                community_id=program.community_id,
                met_on=date.today() - timedelta(days=2),
                minutes=45,
                activity="Reading",
            ),
        ]
    )
    db.session.commit()
    login(wolf.user)
    body = client.get(_link(client)).data
    summaries = sorted(str(e["summary"]) for e in _events(body))
    assert summaries == [
        f"Mentoring meeting ({program.name})",
        f"Wolf Den dinner ({program.name})",
    ]
    assert b"Maya" not in body


def test_the_helper_downloads_one_task_with_the_address_and_the_reveal_is_audited(client, login):
    _community, _rosa, sam, mine, _open, _lees = _world()
    login(sam)
    page = client.get(f"/requests/{mine.id}").text
    assert f"/requests/{mine.id}/calendar.ics" in page

    answer = client.get(f"/requests/{mine.id}/calendar.ics")
    (event,) = _events(answer.data)
    assert mine.street_address in str(event["location"])
    reveals = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "request.address_revealed")
    ).all()
    assert reveals and reveals[-1].actor_id == sam.id


def test_another_volunteer_cannot_download_someone_elses_task(client, login):
    community, _rosa, _sam, mine, open_one, _lees = _world()
    login(volunteer(community))
    assert client.get(f"/requests/{mine.id}/calendar.ics").status_code == 404
    assert client.get(f"/requests/{open_one.id}/calendar.ics").status_code == 404
    login(member(community, Role.COORDINATOR))
    assert client.get(f"/requests/{mine.id}/calendar.ics").status_code == 404
