"""The starting library (from the project's reference context) and its idempotent loader.

A link is stored only when its address is known for certain. Every other item is kept
without one and shows as "link coming" until a coordinator adds the real address.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from neighborly.extensions import db
from neighborly.resources.cards import library_changed
from neighborly.resources.models import Resource, ResourceKind, Topic, is_safe_link


@dataclass(frozen=True)
class StartingTopic:
    """A topic every installation starts with (English; shown names are translated)."""

    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class StartingResource:
    """One item of the starting library; `key` keeps loading idempotent."""

    key: str
    title: str
    kind: ResourceKind
    source: str
    summary: str
    topics: tuple[str, ...]
    url: str | None = None
    featured: bool = False


STARTING_TOPICS = (
    StartingTopic(
        "vital-conditions",
        "Seven Vital Conditions for Health and Well-Being",
        "What every person and every place needs to be healthy and well. "
        "Belonging and Civic Muscle is one of the seven.",
    ),
    StartingTopic(
        "belonging-civic-muscle",
        "Belonging and Civic Muscle",
        "A sense of belonging, and the power to shape the policies, practices and programs "
        "of your community.",
    ),
    StartingTopic(
        "mental-behavioral-health",
        "Mental and Behavioral Health",
        "How feeling connected, or feeling alone, affects the mind.",
    ),
    StartingTopic(
        "social-connection",
        "Social Connection",
        "Why small, regular contact between neighbours matters for everyone's health.",
    ),
    StartingTopic(
        "mentoring",
        "Mentoring",
        "Older students and adults spending steady time with younger ones.",
    ),
)

STARTING_RESOURCES = (
    StartingResource(
        key="win-pacesetter-proviso",
        title="WIN Pacesetter Story: Advancing Intergenerational Well-Being in Proviso, Illinois",
        kind=ResourceKind.STORY_ORIGINAL,
        source="Community Commons",
        summary="A Pacesetter story about advancing the well-being of young and old together "
        "in Proviso Township, Illinois.",
        topics=("vital-conditions", "belonging-civic-muscle", "social-connection"),
    ),
    StartingResource(
        key="action-guide",
        title="Action Guide for Building Socially Connected Communities",
        kind=ResourceKind.GUIDE,
        source="Foundation for Social Connection",
        summary="A practical guide for building socially connected communities: what local "
        "groups, leaders and neighbours can do together.",
        topics=("social-connection", "belonging-civic-muscle"),
        url="https://www.social-connection.org/action-guide/",
        featured=True,
    ),
    StartingResource(
        key="belonging-mental-health",
        title="How Does Our Sense of Belonging Shape our Mental Health?",
        kind=ResourceKind.STORY_ORIGINAL,
        source="Community Commons",
        summary="A story about how feeling that we belong, or feeling left out, shapes our "
        "mental health.",
        topics=("mental-behavioral-health", "belonging-civic-muscle"),
    ),
    StartingResource(
        key="student-mental-health",
        title="To Improve Student Health and Well-Being Focus on Mental Health",
        kind=ResourceKind.STORY_ORIGINAL,
        source="Community Commons",
        summary="A story about improving students' health and well-being by paying attention "
        "to their mental health.",
        topics=("mental-behavioral-health", "mentoring"),
    ),
    StartingResource(
        key="belonging-creates-and-undoes-us",
        title="Belonging Creates and Undoes Us",
        kind=ResourceKind.STORY_AUDIO,
        source="On Being (podcast)",
        summary="An audio conversation from the On Being podcast about belonging: how it "
        "makes us, and how it can undo us.",
        topics=("belonging-civic-muscle", "social-connection"),
    ),
    StartingResource(
        key="active-design-community-groups",
        title="Active Design for Community Groups",
        kind=ResourceKind.GUIDE,
        source="New York State",
        summary="A guide for community groups on active design: shaping the places people "
        "share so that being active together is part of everyday life.",
        topics=("vital-conditions", "belonging-civic-muscle"),
    ),
    StartingResource(
        key="proviso-love",
        title='Why "love" is part of the Proviso Partners for Health vision statement',
        kind=ResourceKind.STORY_ORIGINAL,
        source="Community Commons",
        summary='Why Proviso Partners for Health put the word "love" in its vision statement.',
        topics=("belonging-civic-muscle", "vital-conditions"),
        featured=True,
    ),
    StartingResource(
        key="wolves-and-pups",
        title="Algoma High School's Wolves (student mentors) and Pups (elementary students)",
        kind=ResourceKind.STORY_ORIGINAL,
        source="Community Commons",
        summary="How high-school sophomores and juniors in Algoma, Wisconsin became mentors "
        '("Wolves") for elementary students ("Pups"), starting from a student\'s survey in 2017.',
        topics=("mentoring", "social-connection"),
        featured=True,
    ),
    StartingResource(
        key="well-being-trust-isolation",
        title="The Well Being Trust's work to reduce isolation within communities",
        kind=ResourceKind.STORY_ORIGINAL,
        source="Community Commons",
        summary="How the Well Being Trust works with communities to reduce isolation.",
        topics=("social-connection", "mental-behavioral-health"),
    ),
)


def _ensure_topics() -> dict[str, Topic]:
    """Add the starting topics that are missing; return every topic by slug."""
    topics = {topic.slug: topic for topic in db.session.scalars(select(Topic))}
    for position, start in enumerate(STARTING_TOPICS):
        if start.slug not in topics:
            topics[start.slug] = Topic(
                slug=start.slug, name=start.name, description=start.description, position=position
            )
            db.session.add(topics[start.slug])
    return topics


def _new_resource(item: StartingResource, topics: dict[str, Topic]) -> Resource:
    """A published resource for one starting item (its link only if known and safe)."""
    if item.url is not None and not is_safe_link(item.url):
        raise ValueError(f"starting item {item.key} has an unsafe link")
    return Resource(
        library_key=item.key,
        title=item.title,
        url=item.url,
        summary=item.summary,
        kind=item.kind,
        source=item.source,
        language="en",
        featured=item.featured,
        published=True,
        topics=[topics[slug] for slug in item.topics],
    )


def load_starting_library() -> int:
    """Add whatever of the starting library is missing; return how many resources were added.

    Idempotent: items already loaded (even if a coordinator has since edited them) are
    left exactly as they are.
    """
    topics = _ensure_topics()
    loaded = set(
        db.session.scalars(select(Resource.library_key).where(Resource.library_key.is_not(None)))
    )
    added = [_new_resource(item, topics) for item in STARTING_RESOURCES if item.key not in loaded]
    db.session.add_all(added)
    library_changed()
    db.session.commit()
    return len(added)
