"""Whether a request's ZIP code is one the community serves."""

from __future__ import annotations

from neighborly.accounts.models import Community
from neighborly.errors import DomainError


class OutsideServiceArea(DomainError):
    """The community does not serve this ZIP code."""

    def __init__(self, served: list[str]) -> None:
        super().__init__(", ".join(served))
        self.served = served


def require_served(community: Community, postal_code: str) -> None:
    """Refuse a ZIP code outside the community's list (an empty list serves everyone)."""
    served = community.postal_code_list
    if served and postal_code.strip() not in served:
        raise OutsideServiceArea(served)
