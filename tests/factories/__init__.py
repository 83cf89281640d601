"""factory-boy factories, one module per domain (accounts, help_requests, mentoring, resources).

Each module also keeps the thin helpers tests read best (`member`, `volunteer`, `mentor`,
`make_resource`, ...). The people and places almost every test needs are re-exported here.
"""

from tests.factories.accounts import (
    DEFAULT_PASSWORD,
    CommunityFactory,
    MembershipFactory,
    UserFactory,
    member,
    resident,
)
from tests.factories.base import BaseFactory

__all__ = [
    "DEFAULT_PASSWORD",
    "BaseFactory",
    "CommunityFactory",
    "MembershipFactory",
    "UserFactory",
    "member",
    "resident",
]
