"""Factories for help requests and volunteer profiles."""

from __future__ import annotations

from datetime import timedelta

import factory

from neighborly.accounts.models import Community, Role, User
from neighborly.availability import format_codes, slot_code
from neighborly.extensions import db
from neighborly.geo.cells import cell_of
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    Invitation,
    RequestSeries,
    SeriesKind,
    Status,
    Urgency,
    VolunteerProfile,
)
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, UserFactory, member
from tests.factories.base import BaseFactory

MAYWOOD = (41.8793, -87.8433)


class HelpRequestFactory(BaseFactory):
    """An open snow request in Maywood with a distinctive private address."""

    class Meta:
        model = HelpRequest

    community = factory.SubFactory(CommunityFactory)
    requester = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("requester")
    category = Category.SNOW
    title = "Shovel the front steps"
    details = "The side path too, if there is time."
    street_address = factory.Sequence(lambda n: f"{100 + n} Elmwood Lane")
    postal_code = "60153"
    lat = MAYWOOD[0] + 0.00123
    lng = MAYWOOD[1] - 0.00234
    cell = factory.LazyAttribute(lambda o: cell_of(o.lat, o.lng))
    needed_by = factory.LazyFunction(lambda: utcnow() + timedelta(days=1))
    estimated_minutes = 30
    urgency = Urgency.SOON
    status = Status.OPEN


class VolunteerProfileFactory(BaseFactory):
    """A verified volunteer living in Maywood who does every kind of help."""

    class Meta:
        model = VolunteerProfile

    user = factory.SubFactory(UserFactory)
    community_id = factory.LazyAttribute(lambda o: CommunityFactory().id)
    home_postal_code = "60153"
    home_lat = MAYWOOD[0]
    home_lng = MAYWOOD[1]
    radius_km = 5.0
    categories = ",".join(c.value for c in Category)
    availability = format_codes(slot_code(d, h) for d in range(7) for h in range(8, 21))
    capacity = 3
    verified_at = factory.LazyFunction(utcnow)


def volunteer(community: Community, **profile_fields) -> User:
    """A verified volunteer of a community with a profile."""
    user = member(community, Role.VOLUNTEER)
    VolunteerProfileFactory(user=user, community_id=community.id, **profile_fields)
    return user


def open_request(community: Community, now, **fields) -> HelpRequest:
    """An open request whose first invitation round is due at `now`."""
    fields.setdefault("needed_by", now + timedelta(days=2))
    fields.setdefault("next_round_at", now)
    return HelpRequestFactory(community=community, created_at=now, invitation_round=0, **fields)


def invitation(request: HelpRequest, volunteer_user: User, round_number: int = 1) -> Invitation:
    """An invitation waiting for this volunteer's answer."""
    made = Invitation(
        community_id=request.community_id,
        request_id=request.id,
        volunteer_id=volunteer_user.id,
        round=round_number,
        score=50.0,
        reasons="near",
    )
    db.session.add(made)
    db.session.flush()
    return made


def weekly_series(community: Community, requester: User, **fields) -> RequestSeries:
    """A weekly bins series (Tuesdays 7 pm) at the factory's Maywood point, no occurrences."""
    values = dict(
        community_id=community.id,
        requester_id=requester.id,
        kind=SeriesKind.WEEKLY,
        category=Category.BINS,
        title="Bins to the curb",
        street_address="12 Elm Street",
        postal_code="60153",
        lat=MAYWOOD[0],
        lng=MAYWOOD[1],
        cell=cell_of(*MAYWOOD),
        weekday=1,
        start_minute=19 * 60,
        starts_on=utcnow().date(),
    )
    values.update(fields)
    series = RequestSeries(**values)
    db.session.add(series)
    db.session.flush()
    return series
