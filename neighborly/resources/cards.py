"""What every reader sees alike in the library: topic lists and resource cards, cached.

Cards are plain frozen facts, never database objects, so they can outlive the request that
loaded them (see neighborly/cache.py); a curator's change forgets them in this process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from neighborly import cache
from neighborly.extensions import db
from neighborly.resources import search as fulltext
from neighborly.resources.models import Resource, ResourceKind, Topic, resource_topics


@dataclass(frozen=True)
class TopicCard:
    """What lists show of a topic (cached for everyone)."""

    id: int
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class ResourceCard:
    """What a resource card shows (cached for everyone; never a database object)."""

    id: int
    library_key: str | None
    title: str
    url: str | None
    summary: str
    kind: ResourceKind
    source: str
    language: str
    featured: bool
    published: bool
    topics: tuple[TopicCard, ...] = ()


def _card(resource: Resource) -> ResourceCard:
    """The plain facts a card shows."""
    return ResourceCard(
        id=resource.id,
        library_key=resource.library_key,
        title=resource.title,
        url=resource.url,
        summary=resource.summary,
        kind=resource.kind,
        source=resource.source,
        language=resource.language,
        featured=resource.featured,
        published=resource.published,
        topics=tuple(_topic_card(t) for t in resource.topics),
    )


def _topic_card(topic: Topic) -> TopicCard:
    """The plain facts of one topic."""
    return TopicCard(topic.id, topic.slug, topic.name, topic.description)


def library_changed() -> None:
    """Forget the cached topic lists and cards in this process (after a curator's change)."""
    for name in ("resources.topics", "resources.featured", "resources.related", "resources.search"):
        cache.forget(name)


def all_topics() -> list[TopicCard]:
    """Every topic, in their chosen order (cached for everyone)."""
    return list(_all_topics())


@cache.shared("resources.topics")
def _all_topics() -> tuple[TopicCard, ...]:
    """Every topic as plain facts, for the cache."""
    return tuple(
        _topic_card(t) for t in db.session.scalars(select(Topic).order_by(Topic.position, Topic.id))
    )


def featured_resources(limit: int = 3) -> list[ResourceCard]:
    """Published, featured resources that have a link, newest change first (cached)."""
    return list(_featured(limit))


@cache.shared("resources.featured")
def _featured(limit: int) -> tuple[ResourceCard, ...]:
    """The featured cards, for the cache."""
    return tuple(
        _card(resource)
        for resource in db.session.scalars(
            select(Resource)
            .options(selectinload(Resource.topics))
            .where(
                Resource.published.is_(True),
                Resource.featured.is_(True),
                Resource.url.is_not(None),
            )
            .order_by(Resource.updated_at.desc(), Resource.id.desc())
            .limit(limit)
        )
    )


def related_resources(topic_slugs: Sequence[str], limit: int = 3) -> list[ResourceCard]:
    """Published resources with a link on these topics: earlier topic first, featured, overlap.

    Resources without a link yet stay in the library only; a page's related list shows what a
    reader can open. `limit` caps the list (pages pass 3).
    """
    slugs = tuple(dict.fromkeys(topic_slugs))
    if not slugs or limit <= 0:
        return []
    return list(_related(slugs, limit))


@cache.shared("resources.related")
def _related(slugs: tuple[str, ...], limit: int) -> tuple[ResourceCard, ...]:
    """The related cards for these topics, for the cache."""
    order = case({slug: position for position, slug in enumerate(slugs)}, value=Topic.slug)
    ranked = (
        select(
            resource_topics.c.resource_id.label("resource_id"),
            func.min(order).label("first_topic"),
            func.count().label("matches"),
        )
        .join(Topic, Topic.id == resource_topics.c.topic_id)
        .where(Topic.slug.in_(slugs))
        .group_by(resource_topics.c.resource_id)
        .subquery()
    )
    statement = (
        select(Resource)
        .options(selectinload(Resource.topics))
        .join(ranked, ranked.c.resource_id == Resource.id)
        .where(Resource.published.is_(True), Resource.url.is_not(None))
        .order_by(
            ranked.c.first_topic,
            Resource.featured.desc(),
            ranked.c.matches.desc(),
            func.lower(Resource.title),
            Resource.id,
        )
        .limit(limit)
    )
    return tuple(_card(resource) for resource in db.session.scalars(statement))


def search_cards(
    terms: Sequence[str], include_unpublished: bool = False
) -> tuple[ResourceCard, ...]:
    """The cards matching these plain words, most relevant first (cached for everyone alike).

    Readers who are not curators all see the same published results for the same words, and
    curators all see the same results with unpublished ones, so the words and that switch are
    the whole key: nothing of the person searching is kept.
    """
    if not terms:
        return ()
    return _search(tuple(terms), bool(include_unpublished))


@cache.shared("resources.search")
def _search(terms: tuple[str, ...], include_unpublished: bool) -> tuple[ResourceCard, ...]:
    """The search's cards, for the cache."""
    ids = fulltext.ranked_ids_for_terms(db.session, terms, include_unpublished)
    if not ids:
        return ()
    found = {
        resource.id: resource
        for resource in db.session.scalars(
            select(Resource).options(selectinload(Resource.topics)).where(Resource.id.in_(ids))
        )
    }
    return tuple(_card(found[i]) for i in ids if i in found)
