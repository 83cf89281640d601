"""Who may use the mentoring views.

A program's pages are for that program's coordinators (ProgramCoordinator rows), not for
every coordinator of the community, so coordinators of another program get 403. Mentors
reach only their own page and the meeting log of their own pair.
"""

from __future__ import annotations

from typing import Any

from neighborly.accounts.policies import coordinator_of_community, member_of_community
from neighborly.mentoring import services
from neighborly.mentoring.models import (
    DoNotPair,
    GroupEvent,
    Mentee,
    MentorEnrollment,
    Pairing,
    Program,
)
from neighborly.records import load_record

__all__ = ["coordinator_of_community", "member_of_community"]


def _program_id(model: type, view_args: dict[str, Any], key: str) -> int:
    """The program of the object named in the URL, or 404.

    A program's own id is taken as it is, unread: a missing program has no coordinators and
    no mentors, so every check on it says no, which answers 404 as a missing record does.
    """
    if model is Program:
        return int(view_args.get(key) or 0)
    return load_record(model, view_args.get(key)).program_id


def _coordinates(model: type, key: str):
    """A check: the user coordinates the program that owns the object in the URL."""

    def check(user: Any, view_args: dict[str, Any]) -> bool:
        return services.is_program_coordinator(user, _program_id(model, view_args, key))

    check.__doc__ = f"Coordinators of the program that owns the {key} in the URL."
    return check


program_coordinator = _coordinates(Program, "program_id")
enrollment_coordinator = _coordinates(MentorEnrollment, "enrollment_id")
mentee_coordinator = _coordinates(Mentee, "mentee_id")
pair_coordinator = _coordinates(Pairing, "pair_id")
event_coordinator = _coordinates(GroupEvent, "event_id")
rule_coordinator = _coordinates(DoNotPair, "rule_id")


def program_mentor(user: Any, view_args: dict[str, Any]) -> bool:
    """People enrolled (in any status) as mentors of the program in the URL."""
    program_id = _program_id(Program, view_args, "program_id")
    return bool(user.is_authenticated and services.enrollment_for(user, program_id))


def may_apply(user: Any, view_args: dict[str, Any]) -> bool:
    """Members of the program's community who are not coordinators there."""
    program = load_record(Program, view_args.get("program_id"))
    return services.may_apply(user, program.community_id)


def pair_mentor_or_coordinator(user: Any, view_args: dict[str, Any]) -> bool:
    """The pair's own mentor, or the program's coordinators."""
    pair = load_record(Pairing, view_args.get("pair_id"))
    return services.is_pair_mentor(user, pair) or services.is_program_coordinator(
        user, pair.program_id
    )


def event_mentor_or_coordinator(user: Any, view_args: dict[str, Any]) -> bool:
    """The program's approved mentors and its coordinators."""
    event = load_record(GroupEvent, view_args.get("event_id"))
    return bool(user.is_authenticated and services.may_see_event(user, event))
