"""Factories for the belonging library: its starting topics and resources."""

from __future__ import annotations

import factory
from sqlalchemy import select

from neighborly.extensions import db
from neighborly.resources.library import STARTING_TOPICS
from neighborly.resources.models import Resource, ResourceKind, Topic
from tests.factories.base import BaseFactory


class TopicFactory(BaseFactory):
    """A topic of the library."""

    class Meta:
        model = Topic
        sqlalchemy_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")
    description = ""
    position = factory.Sequence(lambda n: 100 + n)


def topics() -> dict[str, Topic]:
    """The starting topics, created if missing, by slug."""
    for position, start in enumerate(STARTING_TOPICS):
        TopicFactory(
            slug=start.slug, name=start.name, description=start.description, position=position
        )
    db.session.commit()
    return {topic.slug: topic for topic in db.session.scalars(select(Topic))}


class ResourceFactory(BaseFactory):
    """A published guide on social connection (through the ORM, so the search triggers see it)."""

    class Meta:
        model = Resource
        exclude = ("topic_slugs",)

    topic_slugs: tuple[str, ...] = ("social-connection",)
    title = "A guide to good neighbours"
    summary = "Plain advice."
    source = "Neighbourhood Press"
    kind = ResourceKind.GUIDE
    url = "https://example.org/guide"
    published = True
    featured = False
    topics = factory.LazyAttribute(lambda o: [topics()[slug] for slug in o.topic_slugs])


def make_resource(
    title: str = "A guide to good neighbours",
    summary: str = "Plain advice.",
    source: str = "Neighbourhood Press",
    topic_slugs: tuple[str, ...] = ("social-connection",),
    kind: ResourceKind = ResourceKind.GUIDE,
    url: str | None = "https://example.org/guide",
    published: bool = True,
    featured: bool = False,
) -> Resource:
    """Insert one resource and commit."""
    return ResourceFactory(
        title=title,
        summary=summary,
        source=source,
        topic_slugs=topic_slugs,
        kind=kind,
        url=url,
        published=published,
        featured=featured,
    )


def fresh(resource_id: int) -> Resource:
    """Read a resource again from the database."""
    db.session.expire_all()
    return db.session.get(Resource, resource_id)
