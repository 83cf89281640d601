"""The library's rules: finding, curating, suggesting, reviewing, and counting opens.

Unpublished resources are visible only to curators (coordinators of any community and
site administrators): every reader-facing function here filters them out for anyone else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from neighborly.accounts.models import Membership, Role, User
from neighborly.audit import record_audit
from neighborly.errors import Conflict, DomainError, NotFound
from neighborly.extensions import db
from neighborly.paging import PAGE_SIZE, Key, Page, keyset_page
from neighborly.records import load_record
from neighborly.resources import search as fulltext
from neighborly.resources.cards import (  # noqa: F401
    ResourceCard,
    TopicCard,
    all_topics,
    featured_resources,
    library_changed,
    related_resources,
    search_cards,
)
from neighborly.resources.models import (
    Resource,
    ResourceKind,
    ResourceSuggestion,
    SuggestionStatus,
    Topic,
    is_safe_link,
    resource_topics,
)
from neighborly.timeutil import utcnow

# Help categories point at the topics whose reading fits the help just given.
CATEGORY_TOPICS: dict[str, tuple[str, ...]] = {
    "snow": ("belonging-civic-muscle", "social-connection"),
    "bins": ("belonging-civic-muscle", "social-connection"),
    "yard": ("belonging-civic-muscle", "social-connection"),
    "repair": ("belonging-civic-muscle", "social-connection"),
    "errands": ("social-connection", "belonging-civic-muscle"),
    "ride": ("social-connection", "belonging-civic-muscle"),
    "visit": ("social-connection", "mental-behavioral-health"),
    "pets": ("social-connection", "mental-behavioral-health"),
    "tech": ("social-connection",),
    "other": ("social-connection",),
}
DEFAULT_TOPICS = ("social-connection",)
PROGRAM_TOPICS = ("mentoring", "mental-behavioral-health")
COORDINATOR_TOPICS = ("belonging-civic-muscle", "vital-conditions", "social-connection")
MAX_LINK_CHARS = 500


class UnsafeLink(DomainError):
    """A link that is not a plain http(s) web address."""


class AlreadyReviewed(Conflict):
    """Another coordinator already approved or rejected this suggestion."""


@dataclass(frozen=True)
class ResourceDraft:
    """What a coordinator fills in for a resource."""

    title: str
    url: str | None
    summary: str
    kind: ResourceKind
    source: str = ""
    topic_slugs: tuple[str, ...] = ()
    language: str = "en"
    published: bool = False
    featured: bool = False


@dataclass(frozen=True)
class SuggestionDraft:
    """What a neighbour fills in to suggest a resource."""

    title: str
    url: str | None
    summary: str
    source: str = ""
    topic_slugs: tuple[str, ...] = ()


# --- who curates -------------------------------------------------------------------------


def is_curator(user: Any) -> bool:
    """Coordinators of any community and site administrators curate the site-wide library."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_site_admin:
        return True
    found = db.session.scalar(
        select(Membership.id)
        .where(Membership.user_id == user.id, Membership.role == Role.COORDINATOR)
        .limit(1)
    )
    return found is not None


# --- reading -----------------------------------------------------------------------------


def topic_by_slug(slug: str) -> Topic:
    """A topic by its address name, or NotFound."""
    topic = db.session.scalar(select(Topic).where(Topic.slug == slug))
    if topic is None:
        raise NotFound(slug)
    return topic


def _readable(statement, viewer: Any):
    """Limit a resource query to what this viewer may read."""
    if is_curator(viewer):
        return statement
    return statement.where(Resource.published.is_(True))


def visible_resource(resource_id: int, viewer: Any) -> Resource:
    """One resource this viewer may read, or NotFound (unpublished counts as not found)."""
    resource = db.session.get(Resource, resource_id)
    if resource is None or not (resource.published or is_curator(viewer)):
        raise NotFound(resource_id)
    return resource


LIBRARY_ORDER = (
    Key(Resource.featured, descending=True),
    Key(func.lower(Resource.title)),
    Key(Resource.id),
)


def browse(
    viewer: Any,
    kind: ResourceKind | None = None,
    after: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of the library (optionally one kind), featured first, then by title."""
    statement = select(Resource)
    if kind is not None:
        statement = statement.where(Resource.kind == kind)
    return keyset_page(
        _readable(statement, viewer), LIBRARY_ORDER, after=after, before=before, size=size
    )


def on_topic(
    topic: Topic,
    viewer: Any,
    after: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of the resources about one topic, featured first, then by title."""
    statement = (
        select(Resource)
        .join(resource_topics, resource_topics.c.resource_id == Resource.id)
        .where(resource_topics.c.topic_id == topic.id)
    )
    return keyset_page(
        _readable(statement, viewer), LIBRARY_ORDER, after=after, before=before, size=size
    )


def search(viewer: Any, query: str, kind: ResourceKind | None = None) -> list[ResourceCard]:
    """Resources matching the words typed, most relevant first (a title match beats a summary)."""
    terms = fulltext.search_terms(query)
    if not terms:
        return []
    found = search_cards(terms, include_unpublished=is_curator(viewer))
    return [card for card in found if kind is None or card.kind == kind]


def topics_for_help_category(category: str) -> list[str]:
    """Topic slugs whose resources fit a kind of help (e.g. a check-in visit)."""
    return list(CATEGORY_TOPICS.get(str(category), DEFAULT_TOPICS))


def topics_for_help_categories(categories: Iterable[str]) -> list[str]:
    """Topic slugs for several kinds of help (a volunteer's), most fitting first, no repeats."""
    firsts = [topics_for_help_category(c)[:1] for c in categories]
    rests = [topics_for_help_category(c)[1:] for c in categories]
    ordered = [slug for group in firsts + rests for slug in group]
    return list(dict.fromkeys(ordered)) or list(DEFAULT_TOPICS)


def topics_for_program() -> list[str]:
    """Topic slugs whose resources fit a mentoring program."""
    return list(PROGRAM_TOPICS)


def topics_for_coordinators() -> list[str]:
    """Topic slugs for a coordinator's dashboard: civic muscle and the vital conditions."""
    return list(COORDINATOR_TOPICS)


# --- opening a link ----------------------------------------------------------------------


def record_open(resource_id: int, viewer: Any, count: bool = True) -> str:
    """Add one to a published resource's open count and return its (safe) web address."""
    resource = visible_resource(resource_id, viewer)
    url = resource.url
    if not url or not is_safe_link(url):
        raise NotFound(resource_id)
    if count and resource.published:
        db.session.execute(
            update(Resource)
            .where(Resource.id == resource_id)
            .values(clicks=Resource.clicks + 1)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return url


# --- curating ----------------------------------------------------------------------------


def checked_link(url: str | None) -> str | None:
    """An http(s) link, None for no link, or UnsafeLink."""
    url = (url or "").strip() or None
    if url is not None and (len(url) > MAX_LINK_CHARS or not is_safe_link(url)):
        raise UnsafeLink(url)
    return url


def _topics(slugs: Iterable[str]) -> list[Topic]:
    """The topics with these slugs (unknown slugs are ignored)."""
    wanted = list(dict.fromkeys(slugs))
    if not wanted:
        return []
    return list(
        db.session.scalars(select(Topic).where(Topic.slug.in_(wanted)).order_by(Topic.position))
    )


def _apply(resource: Resource, draft: ResourceDraft) -> None:
    """Copy a checked draft onto a resource."""
    resource.title = draft.title.strip()
    resource.url = checked_link(draft.url)
    resource.summary = draft.summary.strip()
    resource.kind = draft.kind
    resource.source = draft.source.strip()
    resource.language = draft.language
    resource.published = draft.published
    resource.featured = draft.featured
    resource.topics = _topics(draft.topic_slugs)
    resource.updated_at = utcnow()


def add_resource(draft: ResourceDraft, curator: User) -> Resource:
    """A curator adds a resource to the library."""
    checked_link(draft.url)
    resource = Resource(created_by_id=curator.id)
    _apply(resource, draft)
    db.session.add(resource)
    db.session.flush()
    record_audit(curator.id, "resource.added", "resource", resource.id)
    library_changed()
    db.session.commit()
    return resource


def edit_resource(resource_id: int, draft: ResourceDraft, curator: User) -> Resource:
    """A curator changes a resource."""
    checked_link(draft.url)
    resource = load_record(Resource, resource_id)
    _apply(resource, draft)
    record_audit(curator.id, "resource.edited", "resource", resource.id)
    library_changed()
    db.session.commit()
    return resource


def _switch(resource_id: int, column: str, value: bool, curator: User, action: str) -> bool:
    """Set published/featured with one conditional UPDATE; False when it already was so."""
    target = getattr(Resource, column)
    changed = db.session.execute(
        update(Resource)
        .where(Resource.id == resource_id, target != value)
        .values({column: value, "updated_at": utcnow()})
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        if db.session.get(Resource, resource_id) is None:
            raise NotFound(resource_id)
        return False
    record_audit(curator.id, action, "resource", resource_id)
    library_changed()
    db.session.commit()
    return True


def set_published(resource_id: int, published: bool, curator: User) -> bool:
    """Publish or unpublish a resource; False when nothing changed."""
    action = "resource.published" if published else "resource.unpublished"
    return _switch(resource_id, "published", published, curator, action)


def set_featured(resource_id: int, featured: bool, curator: User) -> bool:
    """Feature a resource on the home page, or stop; False when nothing changed."""
    action = "resource.featured" if featured else "resource.unfeatured"
    return _switch(resource_id, "featured", featured, curator, action)


def resource_count() -> int:
    """How many resources the library holds, published or not (a curated, small table)."""
    return db.session.scalar(select(func.count(Resource.id))) or 0


def all_resources(
    after: int | None = None, before: int | None = None, size: int = PAGE_SIZE
) -> Page:
    """One page of every resource, published or not, by title (for curators)."""
    return keyset_page(
        select(Resource),
        (Key(func.lower(Resource.title)), Key(Resource.id)),
        after=after,
        before=before,
        size=size,
    )


# --- suggestions -------------------------------------------------------------------------


def suggest_resource(draft: SuggestionDraft, neighbour: User) -> ResourceSuggestion:
    """A signed-in neighbour suggests a resource; it waits for a curator."""
    suggestion = ResourceSuggestion(
        title=draft.title.strip(),
        url=checked_link(draft.url),
        summary=draft.summary.strip(),
        source=draft.source.strip(),
        topic_slugs=",".join(t.slug for t in _topics(draft.topic_slugs)),
        suggested_by_id=neighbour.id,
    )
    db.session.add(suggestion)
    db.session.flush()
    record_audit(neighbour.id, "resource.suggested", "resource_suggestion", suggestion.id)
    db.session.commit()
    return suggestion


def suggestions_by(neighbour: User, limit: int = PAGE_SIZE) -> list[ResourceSuggestion]:
    """What one neighbour has suggested, newest first (the latest `limit`)."""
    return list(
        db.session.scalars(
            select(ResourceSuggestion)
            .where(ResourceSuggestion.suggested_by_id == neighbour.id)
            .order_by(ResourceSuggestion.created_at.desc(), ResourceSuggestion.id.desc())
            .limit(limit)
        )
    )


def pending_suggestions(
    after: int | None = None, before: int | None = None, size: int = PAGE_SIZE
) -> Page:
    """One page of the review queue, oldest first."""
    return keyset_page(
        select(ResourceSuggestion)
        .options(joinedload(ResourceSuggestion.suggested_by))
        .where(ResourceSuggestion.status == SuggestionStatus.PENDING),
        (Key(ResourceSuggestion.created_at), Key(ResourceSuggestion.id)),
        after=after,
        before=before,
        size=size,
    )


def pending_count() -> int:
    """How many suggestions wait for review."""
    return db.session.scalar(
        select(func.count(ResourceSuggestion.id)).where(
            ResourceSuggestion.status == SuggestionStatus.PENDING
        )
    )


def get_suggestion(suggestion_id: int) -> ResourceSuggestion:
    """One suggestion, or NotFound."""
    return load_record(ResourceSuggestion, suggestion_id)


def _close_suggestion(suggestion_id: int, curator: User, **values) -> None:
    """Move a pending suggestion on with one conditional UPDATE, or raise AlreadyReviewed."""
    changed = db.session.execute(
        update(ResourceSuggestion)
        .where(
            ResourceSuggestion.id == suggestion_id,
            ResourceSuggestion.status == SuggestionStatus.PENDING,
        )
        .values(reviewed_by_id=curator.id, reviewed_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        get_suggestion(suggestion_id)
        raise AlreadyReviewed(suggestion_id)


def approve_suggestion(suggestion_id: int, draft: ResourceDraft, curator: User) -> Resource:
    """Turn a suggestion into a resource, published or not as the curator chose."""
    checked_link(draft.url)
    _close_suggestion(suggestion_id, curator, status=SuggestionStatus.APPROVED)
    resource = Resource(created_by_id=curator.id)
    _apply(resource, draft)
    db.session.add(resource)
    db.session.flush()
    db.session.execute(
        update(ResourceSuggestion)
        .where(ResourceSuggestion.id == suggestion_id)
        .values(resource_id=resource.id)
        .execution_options(synchronize_session=False)
    )
    record_audit(curator.id, "resource.suggestion_approved", "resource_suggestion", suggestion_id)
    library_changed()
    db.session.commit()
    return resource


def reject_suggestion(suggestion_id: int, reason: str, curator: User) -> None:
    """Turn a suggestion down with a reason the neighbour will read."""
    _close_suggestion(
        suggestion_id, curator, status=SuggestionStatus.REJECTED, reject_reason=reason.strip()
    )
    record_audit(curator.id, "resource.suggestion_rejected", "resource_suggestion", suggestion_id)
    db.session.commit()
