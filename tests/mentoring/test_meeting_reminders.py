"""A mentor whose pair has not met for longer than the program's rhythm gets one gentle nudge."""

from __future__ import annotations

from datetime import date, timedelta

from neighborly.extensions import db
from neighborly.mentoring.models import PairStatus
from neighborly.mentoring.reminders import send_meeting_reminders
from neighborly.mentoring.services.pairs import MeetingDraft, log_meeting
from neighborly.notifications.preferences import CHOOSABLE_KINDS, Choices, save_choices
from neighborly.timeutil import utcnow
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by
from tests.outbox import mail_to


def _quiet_pair(days: int = 10, **program_fields):
    """A weekly program's active pair that started `days` ago and has logged no meeting."""
    program, _coordinator = program_run_by(**program_fields)
    wolf = mentor(program)
    pup = mentee(program, first_name="Mia")
    pair = active_pair(wolf, pup, started_on=date.today() - timedelta(days=days))
    db.session.commit()
    return program, wolf, pup, pair


def test_a_pair_quiet_past_the_rhythm_nudges_the_mentor_once(app):
    program, wolf, pup, _pair = _quiet_pair(days=10)

    assert send_meeting_reminders() == 1
    assert send_meeting_reminders() == 0

    (message,) = mail_to(wolf.user.email)
    assert message.subject == "Time to meet your Pup?"
    assert f"You and {pup.display_name} were paired 10 days ago in {program.name}" in message.body
    assert "no meeting is logged yet" in message.body
    assert f"/mentoring/programs/{program.id}/me" in message.body
    for restricted in (pup.guardian_name, pup.guardian_contact, pup.referral_reason, pup.notes):
        assert not restricted or restricted not in message.body


def test_a_pair_that_met_within_the_rhythm_hears_nothing_and_a_new_quiet_stretch_is_nudged(app):
    program, wolf, _pup, pair = _quiet_pair(days=20)
    met = date.today() - timedelta(days=3)
    log_meeting(pair.id, wolf.user, MeetingDraft(met, 45, "Reading", ""))

    assert send_meeting_reminders() == 0

    later = utcnow() + timedelta(days=6)  # nine days after they met
    assert send_meeting_reminders(now=later) == 1
    assert send_meeting_reminders(now=later + timedelta(days=2)) == 0
    (message,) = mail_to(wolf.user.email)
    assert "last met 9 days ago" in message.body


def test_no_nudge_outside_the_term_or_for_a_closed_pair(app):
    _program, wolf, _pup, _pair = _quiet_pair(
        days=30, term_end=date.today() - timedelta(days=1)
    )
    _program2, other, _pup2, closed = _quiet_pair(days=30)
    closed.status = PairStatus.CLOSED
    db.session.commit()

    assert send_meeting_reminders() == 0
    assert mail_to(wolf.user.email) == [] and mail_to(other.user.email) == []


def test_a_mentor_who_turned_the_reminder_off_gets_no_email(app):
    assert "mentoring.not_met" in CHOOSABLE_KINDS
    _program, wolf, _pup, _pair = _quiet_pair(days=10)
    wanted = frozenset(CHOOSABLE_KINDS) - {"mentoring.not_met"}
    save_choices(wolf.user_id, Choices(wanted, frozenset(), False, 21 * 60, 8 * 60))

    send_meeting_reminders()

    assert mail_to(wolf.user.email) == []
