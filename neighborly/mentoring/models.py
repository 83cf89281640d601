"""Mentoring programs: coordinators, mentors, mentees, pairings, meetings, events, check-ins.

Children's data lives only on `Mentee`; the restricted columns (referral reason, guardian
name, contact and consent date, notes) are read by the program's coordinators and nobody
else. Every community-scoped table carries `community_id`.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from neighborly.accounts.models import Community, User
from neighborly.dbtypes import UTCDateTime, str_enum
from neighborly.extensions import db
from neighborly.timeutil import utcnow


class EnrollmentStatus(enum.StrEnum):
    """Where a mentor's application stands."""

    APPLIED = "applied"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class MenteeStatus(enum.StrEnum):
    """Whether a mentee is waiting for a mentor, paired, or has left the program."""

    WAITING = "waiting"
    PAIRED = "paired"
    EXITED = "exited"


class PairStatus(enum.StrEnum):
    """A pairing's life: proposed, then active or rejected; active ends closed."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"
    CLOSED = "closed"


class PairSource(enum.StrEnum):
    """How a pairing came about."""

    MATCHING = "matching"
    HAND = "hand"


class CloseReason(enum.StrEnum):
    """Why a match ended."""

    SCHOOL_YEAR_ENDED = "school_year_ended"
    GRADUATED = "graduated"
    MOVED = "moved"
    SCHEDULE = "schedule"
    NOT_A_FIT = "not_a_fit"
    OTHER = "other"


class CheckInWith(enum.StrEnum):
    """Who a coordinator checked in with."""

    MENTOR = "mentor"
    MENTEE = "mentee"
    GUARDIAN = "guardian"


def _lines(text: str) -> list[str]:
    """Non-empty stripped lines."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _codes(text: str) -> frozenset[str]:
    """A comma-separated column as a set."""
    return frozenset(code for code in (text or "").split(",") if code)


class _ProfileCodes:
    """Interests, languages and free times (comma-separated columns) of a mentor or a mentee."""

    @property
    def interest_set(self) -> frozenset[str]:
        """Interest codes."""
        return _codes(self.interests)

    @property
    def language_set(self) -> frozenset[str]:
        """Language codes."""
        return _codes(self.languages)

    @property
    def slot_set(self) -> frozenset[str]:
        """Weekly slot codes like "tue-15"."""
        return _codes(self.availability)


class Program(db.Model):
    """A mentoring program such as "Wolves and Pups", run inside one community."""

    __tablename__ = "mentoring_programs"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    mentor_label: Mapped[str] = mapped_column(String(40), default="Mentor")
    mentor_label_plural: Mapped[str] = mapped_column(String(40), default="Mentors")
    mentee_label: Mapped[str] = mapped_column(String(40), default="Mentee")
    mentee_label_plural: Mapped[str] = mapped_column(String(40), default="Mentees")
    schools: Mapped[str] = mapped_column(Text, default="")
    feeder_schools: Mapped[str] = mapped_column(Text, default="")
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    meeting_cadence_days: Mapped[int] = mapped_column(Integer, default=7)
    max_mentees_per_mentor: Mapped[int] = mapped_column(Integer, default=1)
    min_grade_gap: Mapped[int] = mapped_column(Integer, default=2)
    requires_guardian_consent: Mapped[bool] = mapped_column(Boolean, default=True)
    requires_training: Mapped[bool] = mapped_column(Boolean, default=True)
    requires_background_check: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    community: Mapped[Community] = relationship()

    @property
    def school_list(self) -> list[str]:
        """The program's schools, one per line."""
        return _lines(self.schools)

    @property
    def feeder_pairs(self) -> frozenset[tuple[str, str]]:
        """(feeder school, school it feeds) pairs from "A > B" lines."""
        pairs = set()
        for line in _lines(self.feeder_schools):
            feeder, _sep, fed = line.partition(">")
            if feeder.strip() and fed.strip():
                pairs.add((feeder.strip(), fed.strip()))
        return frozenset(pairs)


class ProgramCoordinator(db.Model):
    """A coordinator who runs one program (and so may see its children's records)."""

    __tablename__ = "mentoring_coordinators"
    __table_args__ = (UniqueConstraint("program_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("mentoring_programs.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class MentorEnrollment(_ProfileCodes, db.Model):
    """One person's application to mentor in one program, and their screening.

    `active_count` counts the mentor's active pairings; approvals raise it with
    `UPDATE ... WHERE active_count < capacity`, so concurrent approvals cannot overfill.
    """

    __tablename__ = "mentoring_mentors"
    __table_args__ = (
        UniqueConstraint("program_id", "user_id"),
        CheckConstraint("active_count >= 0", name="active_count_not_negative"),
        CheckConstraint("active_count <= capacity", name="active_count_within_capacity"),
        Index("ix_mentoring_mentors_program_status", "program_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("mentoring_programs.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[EnrollmentStatus] = mapped_column(
        str_enum(EnrollmentStatus, "enrollment_status"), default=EnrollmentStatus.APPLIED
    )
    grade: Mapped[int | None] = mapped_column(Integer)  # None: an adult mentor
    school: Mapped[str] = mapped_column(String(120), default="")
    interests: Mapped[str] = mapped_column(String(400), default="")
    languages: Mapped[str] = mapped_column(String(100), default="")
    availability: Mapped[str] = mapped_column(String(400), default="")
    gender: Mapped[str | None] = mapped_column(String(8))
    gender_preference: Mapped[str | None] = mapped_column(String(8))
    motivation: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    active_count: Mapped[int] = mapped_column(Integer, default=0)
    guardian_consent_on: Mapped[date | None] = mapped_column(Date)
    training_completed_on: Mapped[date | None] = mapped_column(Date)
    background_check_on: Mapped[date | None] = mapped_column(Date)
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decline_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    program: Mapped[Program] = relationship()

    @property
    def is_adult(self) -> bool:
        """Adults enrol without a grade."""
        return self.grade is None


class Mentee(_ProfileCodes, db.Model):
    """A child in a program: a record a coordinator keeps, never an account."""

    __tablename__ = "mentoring_mentees"
    __table_args__ = (
        Index("ix_mentoring_mentees_program_status", "program_id", "status"),
        # The mentee list by name, one keyset page at a time.
        Index("ix_mentoring_mentees_program_name", "program_id", "first_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("mentoring_programs.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[MenteeStatus] = mapped_column(
        str_enum(MenteeStatus, "mentee_status"), default=MenteeStatus.WAITING
    )
    first_name: Mapped[str] = mapped_column(String(60))
    last_initial: Mapped[str] = mapped_column(String(1))
    grade: Mapped[int] = mapped_column(Integer)  # 0 is kindergarten
    school: Mapped[str] = mapped_column(String(120), default="")
    teacher: Mapped[str] = mapped_column(String(120), default="")
    interests: Mapped[str] = mapped_column(String(400), default="")
    languages: Mapped[str] = mapped_column(String(100), default="")
    needed_language: Mapped[str | None] = mapped_column(String(8))
    availability: Mapped[str] = mapped_column(String(400), default="")
    gender: Mapped[str | None] = mapped_column(String(8))
    gender_preference: Mapped[str | None] = mapped_column(String(8))
    # Restricted: the program's coordinators only.
    referral_reason: Mapped[str] = mapped_column(Text, default="")
    guardian_name: Mapped[str] = mapped_column(String(120), default="")
    guardian_contact: Mapped[str] = mapped_column(String(200), default="")
    guardian_consent_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    program: Mapped[Program] = relationship()

    @property
    def display_name(self) -> str:
        """First name and last initial."""
        return f"{self.first_name} {self.last_initial}."


class MatchingRun(db.Model):
    """One run of the pairing: who ran it, what it proposed and who it could not pair."""

    __tablename__ = "mentoring_matching_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE"), index=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposal_count: Mapped[int] = mapped_column(Integer, default=0)
    total_score: Mapped[float] = mapped_column(Float, default=0.0)
    unmatched: Mapped[list] = mapped_column(JSON, default=list)  # [[mentee id, code], ...]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Pairing(db.Model):
    """A mentor and a mentee: proposed, then active or rejected; active pairs end closed."""

    __tablename__ = "mentoring_pairings"
    __table_args__ = (
        Index("ix_mentoring_pairings_program_status", "program_id", "status"),
        Index("ix_mentoring_pairings_mentor_status", "mentor_id", "status"),
        Index("ix_mentoring_pairings_mentee_status", "mentee_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("mentoring_programs.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentoring_mentors.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("mentoring_mentees.id", ondelete="CASCADE"))
    status: Mapped[PairStatus] = mapped_column(str_enum(PairStatus, "pair_status"))
    source: Mapped[PairSource] = mapped_column(str_enum(PairSource, "pair_source"))
    matching_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_matching_runs.id", ondelete="SET NULL")
    )
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list] = mapped_column(JSON, default=list)  # [[criterion, [items]], ...]
    # [[mentor id, score, has room, [[criterion, [items]], ...]], ...] (older rows: no reasons)
    alternatives: Mapped[list] = mapped_column(JSON, default=list)
    warnings: Mapped[list] = mapped_column(JSON, default=list)  # constraint codes broken by hand
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reject_reason: Mapped[str | None] = mapped_column(String(300))
    started_on: Mapped[date | None] = mapped_column(Date)
    meeting_time: Mapped[str] = mapped_column(String(120), default="")
    meeting_place: Mapped[str] = mapped_column(String(120), default="")
    renew_next_term: Mapped[bool] = mapped_column(Boolean, default=False)
    terms: Mapped[int] = mapped_column(Integer, default=1)
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_reason: Mapped[CloseReason | None] = mapped_column(str_enum(CloseReason, "close_reason"))
    exit_notes: Mapped[str] = mapped_column(Text, default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    program: Mapped[Program] = relationship()
    mentor: Mapped[MentorEnrollment] = relationship()
    mentee: Mapped[Mentee] = relationship()


class Meeting(db.Model):
    """One logged meeting of a pair."""

    __tablename__ = "mentoring_meetings"
    __table_args__ = (Index("ix_mentoring_meetings_pairing_met_on", "pairing_id", "met_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("mentoring_pairings.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE"), index=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    met_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    activity: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(Text, default="")
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class GroupEvent(db.Model):
    """A group gathering such as a Wolf Den dinner."""

    __tablename__ = "mentoring_events"
    # The event list, newest first, one keyset page at a time.
    __table_args__ = (Index("ix_mentoring_events_program_held", "program_id", "held_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE"), index=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    held_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(120), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EventAttendance(db.Model):
    """One mentor or one mentee at one group event."""

    __tablename__ = "mentoring_attendance"
    __table_args__ = (
        UniqueConstraint("event_id", "mentor_id"),
        UniqueConstraint("event_id", "mentee_id"),
        CheckConstraint(
            "(mentor_id IS NULL) <> (mentee_id IS NULL)", name="one_mentor_or_one_mentee"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("mentoring_events.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_mentors.id", ondelete="CASCADE"), index=True
    )
    mentee_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentoring_mentees.id", ondelete="CASCADE"), index=True
    )


class CheckIn(db.Model):
    """A coordinator's check-in with a pair's mentor, mentee or guardian."""

    __tablename__ = "mentoring_check_ins"
    __table_args__ = (Index("ix_mentoring_check_ins_pairing_held_on", "pairing_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("mentoring_pairings.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE"), index=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    with_whom: Mapped[CheckInWith] = mapped_column(str_enum(CheckInWith, "check_in_with"))
    held_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DoNotPair(db.Model):
    """A mentor and a mentee who must never be proposed together."""

    __tablename__ = "mentoring_do_not_pair"
    __table_args__ = (UniqueConstraint("mentor_id", "mentee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_programs.id", ondelete="CASCADE"), index=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentoring_mentors.id", ondelete="CASCADE"))
    mentee_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_mentees.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
