"""The base every factory shares: objects are committed so requests in the test see them."""

from __future__ import annotations

import factory

from neighborly.extensions import db


class BaseFactory(factory.alchemy.SQLAlchemyModelFactory):
    """Commit each object so requests in the test see it."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"
