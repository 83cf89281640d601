"""A signed-in person's home: one section per role they hold, loaded in a fixed number of queries.

Each section answers "what do I do next?": a resident's requests and what happens next, a
volunteer's tasks, best matches near them and hours, a coordinator's counts of what needs
them today, a mentor's Pup and their next meeting. Lists are capped (the home is a summary
with links to the full pages), so the work never grows with the community.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.audit import record_audit
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status, VolunteerProfile
from neighborly.help_requests.services import AGEING_AFTER, NearbyRequest, near_me
from neighborly.mentoring.models import (
    EnrollmentStatus,
    Meeting,
    Mentee,
    MentorEnrollment,
    Pairing,
    PairStatus,
    Program,
)
from neighborly.timeutil import local_time, utcnow

SHOWN_REQUESTS = 5  # a resident's latest requests on the home; the rest on "My requests"
SHOWN_TASKS = 5  # a volunteer's accepted tasks
SHOWN_MATCHES = 3  # the best open requests near a volunteer


@dataclass(frozen=True)
class RequestLine:
    """One of the person's own requests, with its status and who helps."""

    id: int
    title: str
    status: Status
    community: Community
    helper_name: str | None


@dataclass(frozen=True)
class TaskLine:
    """A request this volunteer said they would help with."""

    id: int
    title: str
    requester_name: str
    needed_by: datetime | None
    community: Community


@dataclass(frozen=True)
class CoordinatorToday:
    """What needs one community's coordinator today."""

    community: Community
    open_requests: int
    ageing_requests: int
    volunteers_to_verify: int
    applications_to_review: int


@dataclass(frozen=True)
class MentorLine:
    """A mentor's active pair: their mentee's first name and initial, and when they meet."""

    program: Program
    pair_id: int
    mentee_name: str
    meeting_time: str
    meeting_place: str
    last_met: date | None
    next_due: date  # a meeting cadence after the last one, never before today


@dataclass(frozen=True)
class VolunteerState:
    """Where a volunteer stands in one community (profile set up? verified?)."""

    community: Community
    has_profile: bool
    verified: bool
    needs_verification: bool


@dataclass
class Home:
    """Everything the signed-in home shows."""

    communities: list[Community] = field(default_factory=list)
    roles: dict[int, set[Role]] = field(default_factory=dict)  # community id -> roles
    requests: list[RequestLine] = field(default_factory=list)
    more_requests: bool = False
    tasks: list[TaskLine] = field(default_factory=list)
    volunteering: list[VolunteerState] = field(default_factory=list)
    matches: list[NearbyRequest] = field(default_factory=list)
    match_community: Community | None = None
    minutes_given: int = 0
    times_helped: int = 0
    coordinating: list[CoordinatorToday] = field(default_factory=list)
    mentoring: list[MentorLine] = field(default_factory=list)
    applications: list[tuple[Program, EnrollmentStatus]] = field(default_factory=list)

    def holds(self, role: Role) -> bool:
        """Whether the person holds this role in any community."""
        return any(role in held for held in self.roles.values())

    @property
    def is_mentor(self) -> bool:
        """Enrolled (approved or applied) as a mentor somewhere."""
        return bool(self.mentoring or self.applications)

    def communities_with(self, role: Role) -> list[Community]:
        """The person's communities where they hold this role."""
        return [c for c in self.communities if role in self.roles.get(c.id, set())]


def home_for(user: User, now: datetime | None = None) -> Home:
    """Load the signed-in home for this person (a fixed number of statements)."""
    now = now or utcnow()
    home = Home()
    _memberships(home, user)
    if not home.communities:
        return home
    by_id = {c.id: c for c in home.communities}
    _own_requests(home, user, by_id)
    if home.holds(Role.VOLUNTEER):
        _volunteering(home, user, by_id, now)
    coordinated = [c.id for c in home.communities_with(Role.COORDINATOR)]
    if coordinated:
        _coordinating(home, coordinated, by_id, now)
    _mentoring(home, user, now)
    return home


def _memberships(home: Home, user: User) -> None:
    """The person's communities and roles (one query)."""
    rows = db.session.execute(
        select(Membership.role, Community)
        .join(Community, Community.id == Membership.community_id)
        .where(Membership.user_id == user.id)
        .order_by(Community.name, Community.id)
    ).all()
    for role, community in rows:
        if community.id not in home.roles:
            home.communities.append(community)
        home.roles.setdefault(community.id, set()).add(role)


def _own_requests(home: Home, user: User, by_id: dict[int, Community]) -> None:
    """The person's latest requests and who helps with each (one query)."""
    helper = aliased(User)
    rows = db.session.execute(
        select(
            HelpRequest.id,
            HelpRequest.title,
            HelpRequest.status,
            HelpRequest.community_id,
            helper.first_name,
            helper.last_name,
        )
        .outerjoin(helper, helper.id == HelpRequest.volunteer_id)
        .where(HelpRequest.requester_id == user.id, HelpRequest.community_id.in_(by_id))
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())
        .limit(SHOWN_REQUESTS + 1)
    ).all()
    home.more_requests = len(rows) > SHOWN_REQUESTS
    home.requests = [
        RequestLine(
            row.id,
            row.title,
            row.status,
            by_id[row.community_id],
            _name(row.first_name, row.last_name),
        )
        for row in rows[:SHOWN_REQUESTS]
    ]


def _volunteering(home: Home, user: User, by_id: dict[int, Community], now: datetime) -> None:
    """Accepted tasks, profiles, the best matches in one community and hours (five queries)."""
    requester = aliased(User)
    tasks = db.session.execute(
        select(
            HelpRequest.id,
            HelpRequest.title,
            HelpRequest.needed_by,
            HelpRequest.community_id,
            requester.first_name,
            requester.last_name,
        )
        .join(requester, requester.id == HelpRequest.requester_id)
        .where(HelpRequest.volunteer_id == user.id, HelpRequest.status == Status.ACCEPTED)
        .order_by(HelpRequest.needed_by.is_(None), HelpRequest.needed_by, HelpRequest.id)
        .limit(SHOWN_TASKS)
    ).all()
    home.tasks = [
        TaskLine(
            row.id,
            row.title,
            _name(row.first_name, row.last_name) or "",
            row.needed_by,
            by_id[row.community_id],
        )
        for row in tasks
        if row.community_id in by_id
    ]
    profiles = {
        profile.community_id: profile
        for profile in db.session.scalars(
            select(VolunteerProfile).where(VolunteerProfile.user_id == user.id)
        )
    }
    for community in home.communities_with(Role.VOLUNTEER):
        profile = profiles.get(community.id)
        home.volunteering.append(
            VolunteerState(
                community=community,
                has_profile=profile is not None,
                verified=profile is not None and profile.verified_at is not None,
                needs_verification=community.require_verified_volunteers,
            )
        )
    ready = [state.community for state in home.volunteering if state.has_profile]
    if ready:
        # Matches for the first community with a profile only: the home stays bounded.
        home.match_community = ready[0]
        home.matches = near_me(user, ready[0], now=now, limit=SHOWN_MATCHES)
    minutes, times = db.session.execute(
        select(
            func.coalesce(func.sum(HelpRequest.minutes_spent), 0), func.count(HelpRequest.id)
        ).where(
            HelpRequest.volunteer_id == user.id,
            HelpRequest.status.in_((Status.COMPLETED, Status.CONFIRMED)),
        )
    ).one()
    home.minutes_given, home.times_helped = int(minutes), int(times)


def _coordinating(
    home: Home, community_ids: list[int], by_id: dict[int, Community], now: datetime
) -> None:
    """Counts of what needs each coordinated community today (three grouped queries)."""
    ageing = or_(
        HelpRequest.created_at <= now - AGEING_AFTER,
        and_(HelpRequest.needed_by.is_not(None), HelpRequest.needed_by < now + AGEING_AFTER),
    )
    open_counts = {
        row.community_id: (row.total, row.ageing)
        for row in db.session.execute(
            select(
                HelpRequest.community_id,
                func.count(HelpRequest.id).label("total"),
                func.sum(case((ageing, 1), else_=0)).label("ageing"),
            )
            .where(HelpRequest.community_id.in_(community_ids), HelpRequest.status == Status.OPEN)
            .group_by(HelpRequest.community_id)
        )
    }
    to_verify = dict(
        db.session.execute(
            select(VolunteerProfile.community_id, func.count(VolunteerProfile.id))
            .where(
                VolunteerProfile.community_id.in_(community_ids),
                VolunteerProfile.verified_at.is_(None),
            )
            .group_by(VolunteerProfile.community_id)
        ).all()
    )
    applications = dict(
        db.session.execute(
            select(MentorEnrollment.community_id, func.count(MentorEnrollment.id))
            .where(
                MentorEnrollment.community_id.in_(community_ids),
                MentorEnrollment.status == EnrollmentStatus.APPLIED,
            )
            .group_by(MentorEnrollment.community_id)
        ).all()
    )
    for community_id in community_ids:
        total, ageing_count = open_counts.get(community_id, (0, 0))
        home.coordinating.append(
            CoordinatorToday(
                community=by_id[community_id],
                open_requests=int(total or 0),
                ageing_requests=int(ageing_count or 0),
                volunteers_to_verify=int(to_verify.get(community_id, 0)),
                applications_to_review=int(applications.get(community_id, 0)),
            )
        )


def _mentoring(home: Home, user: User, now: datetime) -> None:
    """The person's mentor enrolments, active pairs and last meetings (two or three queries).

    Showing a mentee's first name to their mentor is a view of a child's record, so each
    pair shown is an audit event, as on the mentor's own page.
    """
    rows = db.session.execute(
        select(MentorEnrollment, Program, Pairing, Mentee)
        .join(Program, Program.id == MentorEnrollment.program_id)
        .outerjoin(
            Pairing,
            and_(Pairing.mentor_id == MentorEnrollment.id, Pairing.status == PairStatus.ACTIVE),
        )
        .outerjoin(Mentee, Mentee.id == Pairing.mentee_id)
        .where(
            MentorEnrollment.user_id == user.id,
            MentorEnrollment.status.in_((EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED)),
        )
        .order_by(Program.name, Pairing.id)
    ).all()
    pairs = [(program, pair, mentee) for _e, program, pair, mentee in rows if pair is not None]
    seen: set[int] = set()
    for enrollment, program, _pair, _mentee in rows:
        if enrollment.id not in seen:
            seen.add(enrollment.id)
            home.applications.append((program, enrollment.status))
    if not pairs:
        return
    last_met = dict(
        db.session.execute(
            select(Meeting.pairing_id, func.max(Meeting.met_on))
            .where(Meeting.pairing_id.in_([pair.id for _p, pair, _m in pairs]))
            .group_by(Meeting.pairing_id)
        ).all()
    )
    for program, pair, mentee in pairs:
        today = local_time(now, program.community.timezone).date()
        home.mentoring.append(
            MentorLine(
                program=program,
                pair_id=pair.id,
                mentee_name=f"{mentee.first_name} {mentee.last_initial}.",
                meeting_time=pair.meeting_time,
                meeting_place=pair.meeting_place,
                last_met=last_met.get(pair.id),
                next_due=next_meeting_due(
                    last_met.get(pair.id), program.meeting_cadence_days, today
                ),
            )
        )
        record_audit(user.id, "mentee.viewed_by_mentor", "mentee", mentee.id, pair.community_id)
    db.session.commit()


def _name(first: str | None, last: str | None) -> str | None:
    """First name and last initial, as neighbours see each other."""
    if first is None:
        return None
    return f"{first} {last[:1]}." if last else first


def next_meeting_due(last_met: date | None, cadence_days: int, today: date) -> date:
    """When the pair should next meet: a cadence after the last meeting, never before today."""
    if last_met is None:
        return today
    return max(today, last_met + timedelta(days=cadence_days))
