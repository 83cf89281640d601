"""Matching: requirements, proposals with reasons, approval, rejection, pairing by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from neighborly.extensions import db
from neighborly.mentoring.models import (
    DoNotPair,
    MenteeStatus,
    Pairing,
    PairSource,
    PairStatus,
)
from tests.factories.mentoring import (
    active_pair,
    mentee,
    mentor,
    program_run_by,
    proposal,
)


def _pairs(status: PairStatus) -> set[tuple[int, int]]:
    """(mentor enrolment, mentee) of every pairing in one status."""
    rows = db.session.execute(
        select(Pairing.mentor_id, Pairing.mentee_id).where(Pairing.status == status)
    ).all()
    return {tuple(row) for row in rows}


def _run(client, program) -> str:
    """Press "Run matching" and return the review page."""
    return client.post(f"/mentoring/programs/{program.id}/matching/run", follow_redirects=True).text


def test_a_minor_without_guardian_consent_or_an_unchecked_adult_is_never_proposed(client, login):
    program, carmen = program_run_by()
    ready = mentor(program, interests="games")
    no_consent = mentor(
        program, guardian_consent_on=None, interests="games,reading,art", capacity=2
    )
    unchecked_adult = mentor(program, grade=None, interests="games,reading,art", capacity=2)
    pups = [mentee(program, interests="games,reading,art") for _ in range(3)]
    login(carmen)

    page = _run(client, program)

    proposed = _pairs(PairStatus.PROPOSED)
    assert len(proposed) == 1 and {mentor_id for mentor_id, _ in proposed} == {ready.id}
    alternatives = [alt[0] for p in db.session.scalars(select(Pairing)) for alt in p.alternatives]
    assert no_consent.id not in alternatives and unchecked_adult.id not in alternatives
    assert "1 pair proposed" in page
    assert page.count("Every suitable mentor is full.") == len(pups) - 1


def test_once_consent_is_recorded_the_minor_is_proposed(client, login):
    program, carmen = program_run_by()
    teen = mentor(program, guardian_consent_on=None)
    pup = mentee(program)
    login(carmen)
    assert "No mentor has finished their requirements yet." in _run(client, program)
    assert _pairs(PairStatus.PROPOSED) == set()

    client.post(
        f"/mentoring/mentors/{teen.id}/screening",
        data={
            "guardian_consent_on": "2025-09-01",
            "training_completed_on": "2025-09-02",
            "capacity": "1",
        },
    )
    _run(client, program)
    assert _pairs(PairStatus.PROPOSED) == {(teen.id, pup.id)}


def test_proposals_explain_themselves_in_plain_words(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program, interests="games,reading", languages="en,es")
    pup = mentee(program, interests="games,reading", languages="es", first_name="Mia")
    login(carmen)
    page = _run(client, program)
    assert f"{wolf.user.display_name} with Mia Q." in page
    assert "Both like Board and card games, Reading and stories" in page
    assert "Both free Tuesday after school (3 pm)" in page
    assert "Lakeview Elementary feeds Algoma High School" in page
    assert "Both speak Spanish" in page
    stored = db.session.scalar(select(Pairing).where(Pairing.mentee_id == pup.id))
    assert stored.score == pytest.approx(2 / 3 + 1 / 3 + 1 + 1)


def test_approving_a_proposal_pairs_them_and_takes_the_mentee_out_of_the_pool(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program)
    pup = mentee(program)
    login(carmen)
    _run(client, program)
    (pair,) = db.session.scalars(select(Pairing)).all()

    page = client.post(f"/mentoring/pairs/{pair.id}/approve", follow_redirects=True)

    assert f"{wolf.user.display_name} and {pup.display_name} are paired." in page.text
    db.session.refresh(pair), db.session.refresh(wolf), db.session.refresh(pup)
    assert pair.status == PairStatus.ACTIVE and pair.started_on is not None
    assert (wolf.active_count, pup.status) == (1, MenteeStatus.PAIRED)
    again = client.post(f"/mentoring/pairs/{pair.id}/approve", follow_redirects=True)
    assert "already decided or replaced" in again.text
    db.session.refresh(wolf)
    assert wolf.active_count == 1


def test_approve_all_stops_at_each_mentors_capacity(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program, capacity=1)
    first, second = mentee(program), mentee(program)
    proposal(wolf, first, score=3.0)
    proposal(wolf, second, score=2.0)
    login(carmen)

    page = client.post(
        f"/mentoring/programs/{program.id}/matching/approve-all", follow_redirects=True
    ).text

    assert "1 pair approved." in page and "1 could not be approved" in page
    assert _pairs(PairStatus.ACTIVE) == {(wolf.id, first.id)}
    assert _pairs(PairStatus.PROPOSED) == {(wolf.id, second.id)}


def test_rejecting_needs_a_reason_and_the_pair_is_not_proposed_again(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program)
    pup = mentee(program)
    login(carmen)
    _run(client, program)
    (pair,) = db.session.scalars(select(Pairing)).all()

    blank = client.post(
        f"/mentoring/pairs/{pair.id}/reject", data={"reason": ""}, follow_redirects=True
    )
    assert "Please say briefly why" in blank.text
    assert _pairs(PairStatus.PROPOSED) == {(wolf.id, pup.id)}
    client.post(f"/mentoring/pairs/{pair.id}/reject", data={"reason": "Cousins; family asked"})
    db.session.refresh(pair)
    assert (pair.status, pair.reject_reason) == (PairStatus.REJECTED, "Cousins; family asked")

    page = _run(client, program)
    assert _pairs(PairStatus.PROPOSED) == set()
    assert "Every suitable mentor is on the do-not-pair list." in page


def test_pairing_by_hand_shows_broken_rules_and_needs_confirmation(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program, availability="mon-12", grade=9)
    pup = mentee(program, availability="tue-15", grade=8)
    login(carmen)
    form = {"mentor_id": wolf.id, "mentee_id": pup.id}

    warned = client.post(f"/mentoring/programs/{program.id}/pair-by-hand", data=form)
    assert warned.status_code == 400
    assert "They have no free time in common." in warned.text
    assert "The mentor is not far enough ahead in school." in warned.text
    assert "I have read the warnings and want to pair them anyway" in warned.text
    assert _pairs(PairStatus.ACTIVE) == set()

    done = client.post(
        f"/mentoring/programs/{program.id}/pair-by-hand",
        data={**form, "confirmed": "y"},
        follow_redirects=True,
    )
    assert "Paired by hand." in done.text and "Paired despite" in done.text
    (pair,) = db.session.scalars(select(Pairing)).all()
    assert (pair.status, pair.source) == (PairStatus.ACTIVE, PairSource.HAND)
    assert pair.warnings == ["shared_time", "grade_gap"]


def test_pairing_by_hand_refuses_the_do_not_pair_list_unfinished_requirements_and_full_mentors(
    client, login
):
    program, carmen = program_run_by()
    listed, unready, full = (
        mentor(program),
        mentor(program, training_completed_on=None),
        mentor(program, capacity=1),
    )
    pup = mentee(program)
    active_pair(full, mentee(program))
    db.session.add(
        DoNotPair(
            program_id=program.id,
            community_id=program.community_id,
            mentor_id=listed.id,
            mentee_id=pup.id,
            reason="siblings",
        )
    )
    db.session.commit()
    login(carmen)
    url = f"/mentoring/programs/{program.id}/pair-by-hand"

    for wolf, message in (
        (listed, "They are on the do-not-pair list."),
        (unready, "The mentor has not finished the program&#39;s requirements."),
        (full, "This mentor cannot take another mentee."),
    ):
        page = client.post(url, data={"mentor_id": wolf.id, "mentee_id": pup.id, "confirmed": "y"})
        assert page.status_code == 400 and message in page.text, message
    assert {mentor_id for mentor_id, _ in _pairs(PairStatus.ACTIVE)} == {full.id}
    db.session.refresh(pup)
    assert pup.status == MenteeStatus.WAITING


def test_the_do_not_pair_list_keeps_two_people_apart_in_matching(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program)
    pup = mentee(program)
    login(carmen)
    added = client.post(
        f"/mentoring/programs/{program.id}/do-not-pair",
        data={"mentor_id": wolf.id, "mentee_id": pup.id, "reason": "Neighbours in a dispute"},
        follow_redirects=True,
    )
    assert "They will not be proposed together." in added.text
    assert "Neighbours in a dispute" in added.text
    _run(client, program)
    assert _pairs(PairStatus.PROPOSED) == set()

    rule = db.session.scalar(select(DoNotPair))
    client.post(f"/mentoring/do-not-pair/{rule.id}/remove")
    _run(client, program)
    assert _pairs(PairStatus.PROPOSED) == {(wolf.id, pup.id)}


def test_running_again_replaces_open_proposals_and_keeps_active_pairs(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program, capacity=2)
    paired = mentee(program)
    pair = active_pair(wolf, paired)
    newcomers = [mentee(program), mentee(program)]
    login(carmen)
    _run(client, program)
    first_round = _pairs(PairStatus.PROPOSED)
    _run(client, program)

    assert len(first_round) == 1 and _pairs(PairStatus.PROPOSED) == first_round
    assert _pairs(PairStatus.SUPERSEDED) == first_round
    assert {m for _, m in first_round} <= {m.id for m in newcomers}
    db.session.refresh(pair)
    assert pair.status == PairStatus.ACTIVE


def test_a_coordinator_can_choose_an_alternative_mentor_instead(client, login):
    program, carmen = program_run_by()
    best = mentor(program, interests="games,reading")
    other = mentor(program, interests="games")
    pup = mentee(program)
    login(carmen)
    page = _run(client, program)
    assert _pairs(PairStatus.PROPOSED) == {(best.id, pup.id)}
    assert f"Pair with {other.user.display_name} instead" in page

    client.post(
        f"/mentoring/programs/{program.id}/pair-by-hand",
        data={"mentor_id": other.id, "mentee_id": pup.id},
    )
    assert _pairs(PairStatus.ACTIVE) == {(other.id, pup.id)}
    assert _pairs(PairStatus.PROPOSED) == set()


def test_matching_with_nobody_to_pair_says_why_instead_of_failing(client, login):
    program, carmen = program_run_by()
    mentee(program)
    login(carmen)
    assert "No mentors are approved yet." in _run(client, program)
    empty, other = program_run_by(program.community)
    login(other)
    assert "0 pairs proposed." in _run(client, empty)


def test_a_mentor_who_steps_back_takes_their_open_proposals_with_them(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program)
    pup = mentee(program)
    pair = proposal(wolf, pup)
    login(wolf.user)
    client.post(f"/mentoring/programs/{program.id}/withdraw")
    login(carmen)
    page = client.post(f"/mentoring/pairs/{pair.id}/approve", follow_redirects=True).text
    assert "This proposal was already decided or replaced." in page
    db.session.refresh(pair), db.session.refresh(pup)
    assert (pair.status, pup.status) == (PairStatus.SUPERSEDED, MenteeStatus.WAITING)
