"""Blocking: a blocked pair is never matched, invited, assigned or messaged, either way round.

Domains use `is_blocked(a, b)` for one pair, `blocked_pairs(ids)` for a batch, and
`not_blocked(a, b)` inside a query (both may be columns or ids).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, delete, exists, or_, select
from sqlalchemy.exc import IntegrityError

from neighborly.accounts.models import User
from neighborly.accounts.safety_models import Block
from neighborly.audit import record_audit
from neighborly.errors import Conflict, NotFound
from neighborly.extensions import db
from neighborly.timeutil import utcnow


def not_blocked(a, b):
    """SQL: neither of `a` and `b` (user id columns or values) has blocked the other."""
    return ~exists().where(
        or_(
            and_(Block.blocker_id == a, Block.blocked_id == b),
            and_(Block.blocker_id == b, Block.blocked_id == a),
        )
    )


def is_blocked(a: int, b: int) -> bool:
    """Whether either person blocked the other (one query)."""
    return not db.session.scalar(select(not_blocked(a, b)))


def blocked_pairs(user_ids: Iterable[int]) -> set[frozenset[int]]:
    """Every blocked pair among these people, as unordered pairs (one query)."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    rows = db.session.execute(
        select(Block.blocker_id, Block.blocked_id).where(
            Block.blocker_id.in_(ids), Block.blocked_id.in_(ids)
        )
    )
    return {frozenset(row) for row in rows}


def block(
    blocker: User, blocked_id: int, community_id: int | None, now: datetime | None = None
) -> None:
    """Block someone (once; blocking twice changes nothing)."""
    if blocker.id == blocked_id:
        raise Conflict("self")
    now = now or utcnow()
    if db.session.get(User, blocked_id) is None:
        raise Conflict("nobody")
    db.session.add(
        Block(
            blocker_id=blocker.id, blocked_id=blocked_id, community_id=community_id, created_at=now
        )
    )
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return
    record_audit(blocker.id, "person.blocked", "user", blocked_id, community_id, now=now)
    db.session.commit()


def blocked_by(blocker: User) -> list[User]:
    """The people this person has blocked, by name (one query)."""
    people = db.session.scalars(
        select(User).join(Block, Block.blocked_id == User.id).where(Block.blocker_id == blocker.id)
    ).all()
    return sorted(people, key=lambda user: (user.display_name, user.id))


def unblock_person(blocker: User, blocked_id: int) -> None:
    """Take back one's own block of this person; NotFound if there is none."""
    row = db.session.execute(
        select(Block.community_id).where(
            Block.blocker_id == blocker.id, Block.blocked_id == blocked_id
        )
    ).first()
    if row is None:
        raise NotFound(blocked_id)
    unblock(blocker, blocked_id, row.community_id)


def unblock(blocker: User, blocked_id: int, community_id: int | None) -> None:
    """Take a block back."""
    db.session.execute(
        delete(Block).where(Block.blocker_id == blocker.id, Block.blocked_id == blocked_id)
    )
    record_audit(blocker.id, "person.unblocked", "user", blocked_id, community_id)
    db.session.commit()
