"""Whom a coordinator may assign: volunteers with room, nearest first, with their load."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, literal, select

from neighborly.accounts.blocking import not_blocked
from neighborly.accounts.models import User
from neighborly.extensions import db
from neighborly.geo.cells import haversine_km
from neighborly.help_requests.models import HelpRequest, Status, VolunteerProfile
from neighborly.mentoring.models import EnrollmentStatus, MentorEnrollment

SHOWN = 20


@dataclass(frozen=True)
class Candidate:
    """A volunteer who could take a request now."""

    user_id: int
    name: str
    km: float
    load: int
    capacity: int
    teen_mentor: bool


def assign_candidates(request: HelpRequest, limit: int = SHOWN) -> list[Candidate]:
    """Volunteers who do this kind of help and have room, nearest first (exact distances:
    for coordinators only, who may see the address). One statement, at most `limit` rows."""
    load = (
        select(func.count(HelpRequest.id))
        .where(HelpRequest.volunteer_id == User.id, HelpRequest.status == Status.ACCEPTED)
        .scalar_subquery()
    )
    teen = exists().where(
        MentorEnrollment.user_id == User.id,
        MentorEnrollment.community_id == request.community_id,
        MentorEnrollment.status == EnrollmentStatus.APPROVED,
        MentorEnrollment.grade.is_not(None),
    )
    squash = math.cos(math.radians(request.lat))
    near = (VolunteerProfile.home_lat - request.lat) * (VolunteerProfile.home_lat - request.lat) + (
        (VolunteerProfile.home_lng - request.lng) * squash
    ) * ((VolunteerProfile.home_lng - request.lng) * squash)
    conditions = [
        VolunteerProfile.community_id == request.community_id,
        User.id != request.requester_id,
        User.is_active_account.is_(True),
        (literal(",") + VolunteerProfile.categories + literal(",")).like(
            f"%,{request.category.value},%"
        ),
        load < VolunteerProfile.capacity,
        not_blocked(User.id, request.requester_id),
    ]
    if request.community.require_verified_volunteers:
        conditions.append(VolunteerProfile.verified_at.is_not(None))
    rows = db.session.execute(
        select(User, VolunteerProfile, load, teen)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(and_(*conditions))
        .order_by(near, User.id)
        .limit(limit)
    ).all()
    return [
        Candidate(
            user.id,
            user.display_name,
            haversine_km(profile.home_lat, profile.home_lng, request.lat, request.lng),
            int(count),
            profile.capacity,
            bool(is_teen),
        )
        for user, profile, count, is_teen in rows
    ]
