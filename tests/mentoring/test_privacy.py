"""Children's privacy: what a mentor may see, who may open a program at all, and the audit log.

The matrix walks every mentoring endpoint in `app.url_map` with this program's real ids,
so a new page is covered the day it is added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from neighborly.accounts.models import User
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.mentoring.models import (
    DoNotPair,
    GroupEvent,
    Mentee,
    MentorEnrollment,
    Pairing,
    Program,
)
from tests.factories.accounts import CommunityFactory
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by, proposal
from tests.url_rules import rule_url

COMMUNITY_LEVEL = {"mentoring.programs", "mentoring.new_program"}
# The event calendar file names only the event (no child), and mentors attend events.
MENTOR_MAY_USE = {
    "mentoring.mentor_home",
    "mentoring.withdraw",
    "mentoring.apply",
    "mentoring.event_calendar",
}


@dataclass
class World:
    """One program with two pairs, a waiting child, an event and a do-not-pair rule."""

    program: Program
    coordinator: User
    wolf: MentorEnrollment
    pup: Mentee
    pair: Pairing
    other_wolf: MentorEnrollment
    other_pup: Mentee
    other_pair: Pairing
    waiting: Mentee
    event: GroupEvent
    rule: DoNotPair
    proposal: Pairing

    def sample_args(self) -> dict[str, object]:
        """This program's ids for every URL variable a mentoring rule can have."""
        return {
            "slug": self.program.community.slug,
            "program_id": self.program.id,
            "enrollment_id": self.other_wolf.id,
            "mentee_id": self.other_pup.id,
            "pair_id": self.other_pair.id,
            "event_id": self.event.id,
            "rule_id": self.rule.id,
        }


@pytest.fixture()
def world(app) -> World:
    """Wolves and Pups with everything a page could show."""
    program, carmen = program_run_by(CommunityFactory(slug="algoma"))
    wolf, other_wolf, spare = mentor(program), mentor(program), mentor(program)
    pup = mentee(program, first_name="Mia", interests="art,animals", teacher="Mr Zimmer")
    other_pup = mentee(program, first_name="Theo", teacher="Mrs Vandenberg")
    waiting = mentee(program, first_name="Ava")
    pair = active_pair(wolf, pup, meeting_time="Tuesdays 3:15 pm", meeting_place="Library")
    other_pair = active_pair(other_wolf, other_pup, exit_notes="")
    event = GroupEvent(
        program_id=program.id,
        community_id=program.community_id,
        name="Wolf Den dinner",
        held_on=pair.started_on,
        minutes=90,
    )
    rule = DoNotPair(
        program_id=program.id,
        community_id=program.community_id,
        mentor_id=spare.id,
        mentee_id=waiting.id,
        reason="Cousins",
    )
    db.session.add_all([event, rule])
    db.session.commit()
    return World(
        program,
        carmen,
        wolf,
        pup,
        pair,
        other_wolf,
        other_pup,
        other_pair,
        waiting,
        event,
        rule,
        proposal(spare, other_pup),
    )


def _mentoring_rules(app):
    """Every mentoring URL rule."""
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("mentoring.")]


def _private_values(child: Mentee) -> list[str]:
    """What no mentor may ever read about a child."""
    return [
        child.guardian_name,
        child.guardian_contact,
        child.referral_reason,
        child.notes,
        child.teacher,
    ]


def _statuses() -> list:
    """Every pairing's status, to show a refused POST changed nothing."""
    return db.session.scalars(select(Pairing.status).order_by(Pairing.id)).all()


def test_a_mentor_sees_only_their_own_mentees_first_name_grade_interests_and_meeting_plan(
    client, login, world
):
    login(world.wolf.user)
    page = client.get(f"/mentoring/programs/{world.program.id}/me").text

    assert "Mia Q." in page and "Grade 3" in page
    assert "Animals, Art and drawing" in page
    assert "Tuesdays 3:15 pm" in page and "Library" in page
    for secret in _private_values(world.pup):
        assert secret not in page, secret
    assert world.pup.school not in page
    for stranger in (world.other_pup, world.waiting):
        assert stranger.first_name not in page
        for secret in _private_values(stranger):
            assert secret not in page, secret


def test_a_mentor_is_refused_everywhere_but_their_own_page_and_their_own_meeting_log(
    app, client, login, world
):
    login(world.wolf.user)
    before = _statuses()
    checked = 0
    for rule in _mentoring_rules(app):
        if rule.endpoint in COMMUNITY_LEVEL | MENTOR_MAY_USE:
            continue
        url = rule_url(rule, world.sample_args())
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method)
            assert response.status_code == 404, (rule.endpoint, method, response.status_code)
            checked += 1
    assert checked >= 35
    assert _statuses() == before


def test_a_mentor_cannot_log_a_meeting_for_another_pair(client, login, world):
    login(world.wolf.user)
    response = client.post(f"/mentoring/pairs/{world.other_pair.id}/meetings", data={})
    assert response.status_code == 404


@pytest.mark.parametrize("where", ["same community", "other community"])
def test_a_coordinator_of_another_program_is_refused_on_every_page_of_this_one(
    app, client, login, world, where
):
    community = world.program.community if where == "same community" else CommunityFactory()
    _theirs, stranger = program_run_by(community)
    login(stranger)
    before = _statuses()
    checked = 0
    for rule in _mentoring_rules(app):
        if rule.endpoint in COMMUNITY_LEVEL:
            continue
        url = rule_url(rule, world.sample_args())
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method, data={"reason": "x", "renew": "no"})
            assert response.status_code == 404, (rule.endpoint, method, response.status_code)
            checked += 1
    assert checked >= 40
    assert _statuses() == before
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.actor_id == stranger.id)
        )
        == 0
    )


def test_another_programs_coordinator_does_not_even_see_this_program_listed(client, login, world):
    _theirs, stranger = program_run_by(world.program.community)
    login(stranger)
    page = client.get("/c/algoma/mentoring").text
    assert world.program.name not in page
    assert "Mia" not in page


def test_the_programs_own_coordinator_opens_every_page(app, client, login, world):
    login(world.coordinator)
    for rule in _mentoring_rules(app):
        if "GET" not in rule.methods or rule.endpoint == "mentoring.apply":
            continue
        url = rule_url(rule, world.sample_args())
        if rule.endpoint == "mentoring.mentor_home":
            continue
        assert client.get(url).status_code == 200, rule.endpoint


def test_signed_out_visitors_are_sent_to_sign_in(app, client, world):
    for rule in _mentoring_rules(app):
        if "GET" in rule.methods:
            response = client.get(rule_url(rule, world.sample_args()))
            assert response.status_code == 302, rule.endpoint
            assert "/account/login" in response.headers["Location"]


def test_every_view_of_a_childs_record_is_audited_without_personal_data(client, login, world):
    login(world.coordinator)
    client.get(f"/mentoring/mentees/{world.pup.id}")
    client.get(f"/mentoring/mentees/{world.pup.id}/edit")
    client.get(f"/mentoring/pairs/{world.pair.id}")
    login(world.wolf.user)
    client.get(f"/mentoring/programs/{world.program.id}/me")

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "mentee").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.actor_id, e.object_id) for e in events] == [
        ("mentee.viewed", world.coordinator.id, world.pup.id),
        ("mentee.viewed", world.coordinator.id, world.pup.id),
        ("mentee.viewed", world.coordinator.id, world.pup.id),
        ("mentee.viewed_by_mentor", world.wolf.user_id, world.pup.id),
    ]
    stored = " ".join(f"{e.action} {e.object_type} {e.object_id}" for e in events)
    for value in (world.pup.first_name, *_private_values(world.pup)):
        assert value not in stored


def test_coordinators_see_the_full_record_of_their_own_programs_children(client, login, world):
    login(world.coordinator)
    page = client.get(f"/mentoring/mentees/{world.pup.id}").text
    for value in _private_values(world.pup):
        assert value in page, value


def test_no_personal_data_appears_in_any_mentoring_link(client, login, world):
    login(world.coordinator)
    pages = [
        f"/mentoring/programs/{world.program.id}/{section}"
        for section in ("mentees", "mentors", "pairs", "matching", "reports", "do-not-pair")
    ] + [f"/mentoring/pairs/{world.pair.id}", f"/mentoring/mentees/{world.pup.id}"]
    addresses = set()
    for url in pages:
        addresses |= set(re.findall(r'(?:href|action)="([^"]+)"', client.get(url).text))
    mentoring = [a for a in addresses if "mentoring" in a]
    assert mentoring
    for address in mentoring:
        assert re.fullmatch(r"/(c/[a-z0-9-]+/)?mentoring[/a-z0-9.-]*", address), address
