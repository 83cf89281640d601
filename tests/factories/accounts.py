"""Factories for people, communities and memberships."""

from __future__ import annotations

import factory
from argon2 import PasswordHasher
from flask import current_app

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.timeutil import utcnow
from tests.factories.base import BaseFactory

DEFAULT_PASSWORD = "correct horse battery"
_FAST_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(DEFAULT_PASSWORD)


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
    terms_version = factory.LazyFunction(lambda: current_app.config["TERMS_VERSION"])
    terms_accepted_at = factory.LazyFunction(utcnow)


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
    # Kilometres, as the tests were written; miles are tested by asking for distance_unit="mi".
    distance_unit = "km"


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


def resident(community: Community, **user_fields) -> User:
    """A resident of a community."""
    return member(community, Role.RESIDENT, **user_fields)
