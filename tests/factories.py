"""factory-boy factories for the models tests need."""

from __future__ import annotations

from datetime import timedelta

import factory
from argon2 import PasswordHasher

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.availability import format_codes, slot_code
from neighborly.extensions import db
from neighborly.geo.cells import cell_of
from neighborly.help_requests.models import Category, HelpRequest, Status, Urgency, VolunteerProfile
from neighborly.timeutil import utcnow

DEFAULT_PASSWORD = "correct horse battery"
_FAST_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(DEFAULT_PASSWORD)


class BaseFactory(factory.alchemy.SQLAlchemyModelFactory):
    """Commit each object so requests in the test see it."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(BaseFactory):
    """A confirmed person whose password is DEFAULT_PASSWORD."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password_hash = _FAST_HASH
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    phone = factory.Sequence(lambda n: f"708-555-{n:04d}")
    locale = "en"
    email_confirmed_at = factory.LazyFunction(utcnow)


class CommunityFactory(BaseFactory):
    """A community centred on Maywood, Illinois."""

    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    timezone = "America/Chicago"
    centre_lat = 41.8792
    centre_lng = -87.8431
    postal_codes = "60153"


class MembershipFactory(BaseFactory):
    """One role in one community."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = Role.RESIDENT


def member(community: Community, role: Role, **user_fields) -> User:
    """Create a user holding one role in a community."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, community=community, role=role)
    return user


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


def resident(community: Community, **user_fields) -> User:
    """A resident of a community."""
    return member(community, Role.RESIDENT, **user_fields)
