"""Resource tests: the full-text search structures exist, plus curators and neighbours."""

from __future__ import annotations

import pytest

from neighborly.accounts.models import Role, User
from neighborly.extensions import db
from neighborly.resources.search import install_search
from tests.factories.accounts import CommunityFactory, member


@pytest.fixture(autouse=True)
def search_installed(app) -> None:
    """Build the FTS5 table/triggers or the GIN index if missing (idempotent, like migrations)."""
    install_search(db.session.connection())
    db.session.commit()


@pytest.fixture()
def curator(app) -> User:
    """A coordinator of one community: that is enough to curate the site-wide library."""
    return member(CommunityFactory(), Role.COORDINATOR, first_name="Carmen", last_name="Diaz")


@pytest.fixture()
def neighbour(app) -> User:
    """A resident of a community, with no say over the library."""
    return member(CommunityFactory(), Role.RESIDENT, first_name="Rosa", last_name="Martinez")
