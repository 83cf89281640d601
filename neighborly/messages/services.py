"""Who may read, write and hide in a thread; posting, hiding and telling the others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from neighborly.accounts.blocking import is_blocked
from neighborly.accounts.models import Membership, Role, User
from neighborly.audit import record_audit
from neighborly.errors import DomainError, NotAllowed, NotFound
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status
from neighborly.help_requests.services import is_coordinator
from neighborly.mentoring.models import Pairing, PairStatus, ProgramCoordinator
from neighborly.mentoring.services import is_pair_mentor, is_program_coordinator
from neighborly.messages.models import MAX_LENGTH, Message, ThreadKind
from neighborly.notifications.services import absolute_url, deliver_pending, notify
from neighborly.records import load_record
from neighborly.timeutil import utcnow

PAGE_SIZE = 30
CLOSED_REQUEST = (Status.CANCELLED, Status.EXPIRED)
PAIR_SEEN_BY_MENTOR = (PairStatus.ACTIVE, PairStatus.CLOSED)


class EmptyMessage(DomainError):
    """Nothing was written, or too much."""


@dataclass(frozen=True)
class Access:
    """What one person may do in one thread."""

    read: bool = False
    post: bool = False
    moderate: bool = False


NONE = Access()


@dataclass(frozen=True)
class Thread:
    """A thread as one reader sees it: its messages (oldest first on the page) and rights."""

    kind: ThreadKind
    object_id: int
    community_id: int
    access: Access
    messages: tuple[Message, ...]
    older_before: int | None


def request_access(request: HelpRequest, user: Any) -> Access:
    """The resident, the accepted helper and the community's coordinators; nobody else.

    If the resident and the helper are a blocked pair, neither may post (coordinators still can).
    """
    if not getattr(user, "is_authenticated", False):
        return NONE
    open_ = request.status not in CLOSED_REQUEST
    if is_coordinator(user, request.community_id):
        return Access(read=True, post=open_, moderate=True)
    if user.id in (request.requester_id, request.volunteer_id):
        blocked = request.volunteer_id is not None and is_blocked(
            request.requester_id, request.volunteer_id
        )
        return Access(read=True, post=open_ and not blocked)
    return NONE


def pair_access(pair: Pairing, user: Any) -> Access:
    """The pair's mentor and the program's coordinators; never the mentee's family or others."""
    if not getattr(user, "is_authenticated", False):
        return NONE
    active = pair.status == PairStatus.ACTIVE
    if is_program_coordinator(user, pair.program_id):
        return Access(read=True, post=active, moderate=True)
    if pair.status in PAIR_SEEN_BY_MENTOR and is_pair_mentor(user, pair):
        return Access(read=True, post=active)
    return NONE


def thread_owner(kind: ThreadKind, object_id: int) -> HelpRequest | Pairing:
    """The request or pair a thread belongs to, or NotFound."""
    model = HelpRequest if kind == ThreadKind.REQUEST else Pairing
    return load_record(model, object_id)


def access_to(kind: ThreadKind, object_id: int, user: Any) -> Access:
    """What this person may do in this thread (NotFound when its request or pair is missing)."""
    return owner_access(kind, thread_owner(kind, object_id), user)


def owner_access(kind: ThreadKind, owner: HelpRequest | Pairing, user: Any) -> Access:
    """What this person may do in the thread of this request or pair."""
    if kind == ThreadKind.REQUEST:
        return request_access(owner, user)
    return pair_access(owner, user)


def thread_for(
    kind: ThreadKind, owner: HelpRequest | Pairing, user: Any, before: int | None = None
):
    """The thread as this person may see it (newest PAGE_SIZE messages), or None."""
    access = owner_access(kind, owner, user)
    if not access.read:
        return None
    query = select(Message).where(Message.thread_kind == kind, Message.thread_id == owner.id)
    if before:
        query = query.where(Message.id < before)
    rows = db.session.scalars(query.order_by(Message.id.desc()).limit(PAGE_SIZE + 1)).all()
    shown = rows[:PAGE_SIZE]
    _load_authors(shown)
    older = shown[-1].id if len(rows) > PAGE_SIZE else None
    return Thread(kind, owner.id, owner.community_id, access, tuple(reversed(shown)), older)


def _load_authors(messages: list[Message]) -> None:
    """Load every author in one query rather than one per message."""
    ids = {m.author_id for m in messages if m.author_id is not None}
    if ids:
        db.session.scalars(select(User).where(User.id.in_(ids))).all()


def post_message(
    kind: ThreadKind, object_id: int, author: User, body: str, now: datetime | None = None
) -> Message:
    """Add a plain-text message to a thread and tell the others in it."""
    owner = thread_owner(kind, object_id)
    access = (
        request_access(owner, author) if kind == ThreadKind.REQUEST else pair_access(owner, author)
    )
    if not access.post:
        raise NotAllowed("post")
    text = (body or "").strip()
    if not text or len(text) > MAX_LENGTH:
        raise EmptyMessage(len(text))
    now = now or utcnow()
    message = Message(
        thread_kind=kind,
        thread_id=owner.id,
        community_id=owner.community_id,
        author_id=author.id,
        body=text,
        created_at=now,
    )
    db.session.add(message)
    for person in _others(kind, owner, author):
        _tell(person, kind, owner, author, now)
    db.session.commit()
    deliver_pending(now=now)
    return message


def _others(kind: ThreadKind, owner: HelpRequest | Pairing, author: User) -> list[User]:
    """Who hears about a new message: everyone in the thread but its author."""
    if kind == ThreadKind.PAIR:
        ids = set(
            db.session.scalars(
                select(ProgramCoordinator.user_id).where(
                    ProgramCoordinator.program_id == owner.program_id
                )
            )
        )
        ids.add(owner.mentor.user_id)
    else:
        ids = {owner.requester_id, owner.volunteer_id} | _coordinators_who_wrote(owner)
        ids.discard(None)
        if not ids - {author.id}:  # nobody else yet: the community's coordinators hear it
            ids |= _community_coordinators(owner.community_id)
    ids.discard(author.id)
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


def _coordinators_who_wrote(request: HelpRequest) -> set[int]:
    """Coordinators of the community who have written in this request's thread."""
    writers = select(Message.author_id).where(
        Message.thread_kind == ThreadKind.REQUEST, Message.thread_id == request.id
    )
    return set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.community_id == request.community_id,
                Membership.role == Role.COORDINATOR,
                Membership.user_id.in_(writers),
            )
        )
    )


def _community_coordinators(community_id: int) -> set[int]:
    """Every coordinator of a community."""
    return set(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.community_id == community_id, Membership.role == Role.COORDINATOR
            )
        )
    )


def thread_link(kind: ThreadKind, object_id: int) -> str:
    """The full link to a thread, for email and notices."""
    if kind == ThreadKind.REQUEST:
        return absolute_url("help_requests.detail", request_id=object_id)
    return absolute_url("messages.pair_thread", pair_id=object_id)


def _tell(person: User, kind, owner, author: User, now: datetime) -> None:
    """Queue one notice (and email) that a message is waiting; the text stays in the app."""
    subject = _l("New message from %(name)s", name=author.display_name)
    link = thread_link(kind, owner.id)
    notify(person, subject, "messages/email/new_message.txt", now=now, author=author, link=link)


def hide_message(message_id: int, coordinator: User, now: datetime | None = None) -> Message:
    """A coordinator hides a message: the text stays in the database, the hiding is audited."""
    message = load_record(Message, message_id)
    if not access_to(message.thread_kind, message.thread_id, coordinator).moderate:
        raise NotAllowed("moderate")
    now = now or utcnow()
    changed = db.session.execute(
        update(Message)
        .where(Message.id == message_id, Message.hidden_at.is_(None))
        .values(hidden_at=now, hidden_by_id=coordinator.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed == 1:
        record_audit(
            coordinator.id, "message.hidden", "message", message_id, message.community_id, now=now
        )
    db.session.commit()
    return load_record(Message, message_id, fresh=True)


def message_thread_of(message_id: int) -> tuple[ThreadKind, int]:
    """Which thread a message is in, or NotFound."""
    message = db.session.get(Message, message_id)
    if message is None:
        raise NotFound(message_id)
    return message.thread_kind, message.thread_id
