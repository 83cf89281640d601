"""Small builders for resource tests (imported by tests/resources and tests/e2e)."""

from __future__ import annotations

from sqlalchemy import select

from neighborly.extensions import db
from neighborly.resources.library import STARTING_TOPICS
from neighborly.resources.models import Resource, ResourceKind, Topic


def topics() -> dict[str, Topic]:
    """The starting topics, created if missing, by slug."""
    existing = {t.slug: t for t in db.session.scalars(select(Topic))}
    for position, start in enumerate(STARTING_TOPICS):
        if start.slug not in existing:
            existing[start.slug] = Topic(
                slug=start.slug, name=start.name, description=start.description, position=position
            )
            db.session.add(existing[start.slug])
    db.session.commit()
    return existing


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
    """Insert one resource (through the ORM, so the search triggers see it) and commit."""
    by_slug = topics()
    resource = Resource(
        title=title,
        summary=summary,
        source=source,
        kind=kind,
        url=url,
        published=published,
        featured=featured,
        topics=[by_slug[slug] for slug in topic_slugs],
    )
    db.session.add(resource)
    db.session.commit()
    return resource


def fresh(resource_id: int) -> Resource:
    """Read a resource again from the database."""
    db.session.expire_all()
    return db.session.get(Resource, resource_id)
