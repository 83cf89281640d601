"""A mentor hears by email when they are paired, with only what a mentor may know."""

from __future__ import annotations

from neighborly.extensions import db
from neighborly.mentoring.models import PairStatus
from tests.factories.mentoring import mentee, mentor, program_run_by, proposal
from tests.outbox import mail_to


def test_an_approved_proposal_emails_the_mentor_their_pups_first_name_and_their_page(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program)
    pup = mentee(program, first_name="Mia")
    pair = proposal(wolf, pup)
    login(carmen)

    client.post(f"/mentoring/pairs/{pair.id}/approve")

    (message,) = mail_to(wolf.user.email)
    assert message.subject == f"You have a new {program.mentee_label}"
    assert f"You are now the {program.mentor_label} of {pup.display_name}" in message.body
    assert f"/mentoring/programs/{program.id}/me" in message.body
    for restricted in (pup.guardian_name, pup.guardian_contact, pup.referral_reason, pup.notes):
        assert not restricted or restricted not in message.body


def test_pairing_by_hand_emails_the_mentor_too(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program)
    pup = mentee(program)
    login(carmen)
    client.post(
        f"/mentoring/programs/{program.id}/pair-by-hand",
        data={"mentor_id": wolf.id, "mentee_id": pup.id, "confirmed": "y"},
    )
    assert [m.subject for m in mail_to(wolf.user.email)] == [
        f"You have a new {program.mentee_label}"
    ]


def test_a_turned_down_proposal_sends_no_email(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program)
    pair = proposal(wolf, mentee(program))
    login(carmen)
    client.post(f"/mentoring/pairs/{pair.id}/reject", data={"reason": "Schedules clash"})
    db.session.refresh(pair)
    assert pair.status == PairStatus.REJECTED
    assert mail_to(wolf.user.email) == []


def test_a_pair_approved_outside_a_web_request_still_emails_the_mentor(app, monkeypatch):
    from flask import has_request_context

    from neighborly.mentoring import services

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # the language form needs a session
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://neighborly.example.org")
    program, carmen = program_run_by()
    wolf = mentor(program)
    pair = proposal(wolf, mentee(program))
    assert not has_request_context()

    services.approve_pairing(pair.id, carmen)

    (message,) = mail_to(wolf.user.email)
    assert f"https://neighborly.example.org/mentoring/programs/{program.id}/me" in message.body
