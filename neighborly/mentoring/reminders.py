"""A gentle nudge to a mentor whose pair has not met for longer than the program's rhythm.

One email per quiet stretch: notifications/once.py keys it by the pair and the day they last
met (or started), so the command can run every few minutes and never nags; a meeting logged
starts a new stretch. Only during the program's term. The coordinator sees the same pairs as
overdue on the program page and follows up there; the email names the child as a mentor sees
them (first name and last initial), nothing more.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from neighborly.extensions import db
from neighborly.mentoring import services
from neighborly.mentoring.models import Pairing, PairStatus, Program
from neighborly.mentoring.reports import PairHealth, health_of
from neighborly.notifications.links import absolute_url
from neighborly.notifications.once import first_time
from neighborly.notifications.services import event_kind, notify
from neighborly.timeutil import utcnow

TEMPLATE = "mentoring/email/not_met.txt"
KIND = event_kind(TEMPLATE)  # "mentoring.not_met": what preferences and SentOnce call it


def send_meeting_reminders(now: datetime | None = None) -> int:
    """Nudge each mentor whose active pair is overdue to meet, once a stretch; how many."""
    now = now or utcnow()
    sent = 0
    for program_id in _programs_with_active_pairs():
        program = services.get_program(program_id)
        today = services.program_today(program, now)
        if not program.term_start <= today <= program.term_end:
            continue
        pairs = services.pairings_of(program_id, PairStatus.ACTIVE)
        for health in health_of(pairs, program.meeting_cadence_days, today):
            if health.overdue and _first_nudge(health, now):
                _nudge(health, program, now)
                sent += 1
        db.session.commit()
    return sent


def _programs_with_active_pairs() -> list[int]:
    """The programs that have any active pair (a handful per community)."""
    return list(
        db.session.scalars(
            select(Pairing.program_id)
            .where(Pairing.status == PairStatus.ACTIVE)
            .distinct()
            .order_by(Pairing.program_id)
        )
    )


def _first_nudge(health: PairHealth, now: datetime) -> bool:
    """Record this stretch's nudge (in the caller's transaction); False if it was sent."""
    pair = health.pair
    since = health.last_met_on or pair.started_on or now.date()
    return first_time(pair.mentor.user_id, KIND, f"pairing:{pair.id}", since, now=now)


def _nudge(health: PairHealth, program: Program, now: datetime) -> None:
    """Queue the mentor's email: how long since they met, and where to log a meeting."""
    pair = health.pair
    link = absolute_url("mentoring.mentor_home", program_id=program.id)
    subject = _l("Time to meet your %(label)s?", label=program.mentee_label)
    notify(
        pair.mentor.user,
        subject,
        TEMPLATE,
        now=now,
        pair=pair,
        program=program,
        days=health.days_since,
        met_before=health.last_met_on is not None,
        link=link,
    )
