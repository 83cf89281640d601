"""Matching runs, proposals, approval and hand-made pairs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.errors import Conflict, NotFound
from neighborly.extensions import db
from neighborly.mentoring import pairing
from neighborly.mentoring.errors import (
    MenteeTaken,
    MentorFull,
    MentorNotApproved,
    NeedsConfirmation,
    NotProposed,
    PairingForbidden,
)
from neighborly.mentoring.models import (
    CloseReason,
    DoNotPair,
    EnrollmentStatus,
    MatchingRun,
    Mentee,
    MenteeStatus,
    MentorEnrollment,
    Pairing,
    PairSource,
    PairStatus,
    Program,
)
from neighborly.mentoring.services.common import (
    HARD_CONSTRAINTS,
    WITH_PEOPLE,
    active_pairs,
    get_pairing,
    get_program,
    program_today,
    require_coordinator,
    supersede_proposals,
)
from neighborly.mentoring.services.mentees import get_mentee, mentees_of
from neighborly.mentoring.services.mentors import get_enrollment, mentors_of, requirements_missing
from neighborly.notifications.services import absolute_url, deliver_pending, notify
from neighborly.timeutil import utcnow


def _mentor_candidate(enrollment: MentorEnrollment, program: Program) -> pairing.MentorCandidate:
    """A mentor enrolment as the pairing sees it."""
    return pairing.MentorCandidate(
        id=enrollment.id,
        grade=enrollment.grade,
        school=enrollment.school or None,
        interests=enrollment.interest_set,
        languages=enrollment.language_set,
        slots=enrollment.slot_set,
        gender=enrollment.gender,
        gender_preference=enrollment.gender_preference,
        capacity=max(enrollment.capacity, enrollment.active_count),
        requirements_complete=not requirements_missing(enrollment, program),
    )


def _mentee_candidate(mentee: Mentee) -> pairing.MenteeCandidate:
    """A mentee record as the pairing sees it."""
    return pairing.MenteeCandidate(
        id=mentee.id,
        grade=mentee.grade,
        school=mentee.school or None,
        interests=mentee.interest_set,
        languages=mentee.language_set,
        needed_language=mentee.needed_language,
        slots=mentee.slot_set,
        gender=mentee.gender,
        gender_preference=mentee.gender_preference,
    )


def _do_not_pair(program_id: int, with_rejected: bool) -> frozenset[tuple[int, int]]:
    """The do-not-pair list; for runs also rejected proposals and matches closed as no fit."""
    pairs = set(
        tuple(row)
        for row in db.session.execute(
            select(DoNotPair.mentor_id, DoNotPair.mentee_id).where(
                DoNotPair.program_id == program_id
            )
        ).all()
    )
    if with_rejected:
        pairs |= set(
            tuple(row)
            for row in db.session.execute(
                select(Pairing.mentor_id, Pairing.mentee_id).where(
                    Pairing.program_id == program_id,
                    or_(
                        Pairing.status == PairStatus.REJECTED,
                        Pairing.close_reason == CloseReason.NOT_A_FIT,
                    ),
                )
            ).all()
        )
    return frozenset(pairs)


def _rules(
    program: Program, fixed: Iterable[tuple[int, int]] = (), with_rejected: bool = True
) -> pairing.PairingRules:
    """The program's pairing rules."""
    return pairing.PairingRules(
        min_grade_gap=program.min_grade_gap,
        do_not_pair=_do_not_pair(program.id, with_rejected),
        feeder_schools=program.feeder_pairs,
        fixed=tuple(fixed),
    )


def _approved_mentors(program_id: int) -> list[MentorEnrollment]:
    """Approved mentors of a program."""
    return list(
        db.session.scalars(
            select(MentorEnrollment).where(
                MentorEnrollment.program_id == program_id,
                MentorEnrollment.status == EnrollmentStatus.APPROVED,
            )
        )
    )


def _matching_input(program: Program) -> tuple[list, list, pairing.PairingRules]:
    """Approved mentors, waiting and actively paired mentees, and rules with active pairs fixed."""
    mentors = _approved_mentors(program.id)
    mentor_ids = {m.id for m in mentors}
    active = active_pairs(program.id)
    fixed = [(p.mentor_id, p.mentee_id) for p in active if p.mentor_id in mentor_ids]
    fixed_mentees = {mentee_id for _, mentee_id in fixed}
    mentees = [
        m
        for m in mentees_of(program.id)
        if m.status == MenteeStatus.WAITING or m.id in fixed_mentees
    ]
    return (
        [_mentor_candidate(m, program) for m in mentors],
        [_mentee_candidate(m) for m in mentees],
        _rules(program, fixed),
    )


def _stored_reasons(reasons: Iterable[pairing.Reason]) -> list:
    """Reasons as JSON: [[criterion, [items]], ...]."""
    return [[reason.criterion, list(reason.items)] for reason in reasons]


def run_matching(program_id: int, coordinator: User, *, now: datetime | None = None) -> MatchingRun:
    """Propose pairs for every waiting mentee; earlier open proposals are replaced."""
    require_coordinator(coordinator, program_id)
    program = get_program(program_id)
    now = now or utcnow()
    mentors, mentees, rules = _matching_input(program)
    plan = pairing.propose_pairings(mentors, mentees, rules)
    supersede_proposals(program_id)
    run = MatchingRun(
        program_id=program_id,
        community_id=program.community_id,
        run_by_id=coordinator.id,
        proposal_count=len(plan.proposals),
        total_score=plan.total_score,
        unmatched=[[u.mentee_id, u.blocked_by] for u in plan.unmatched],
        created_at=now,
    )
    db.session.add(run)
    db.session.flush()
    for proposal in plan.proposals:
        db.session.add(_proposal_row(program, run, coordinator, proposal, plan))
    record_audit(
        coordinator.id, "matching.run", "matching_run", run.id, program.community_id, now=now
    )
    db.session.commit()
    return run


def _proposal_row(program, run, coordinator, proposal, plan) -> Pairing:
    """A proposed Pairing from one of the plan's proposals."""
    alternatives = plan.alternatives.get(proposal.mentee_id, ())
    return Pairing(
        program_id=program.id,
        community_id=program.community_id,
        mentor_id=proposal.mentor_id,
        mentee_id=proposal.mentee_id,
        status=PairStatus.PROPOSED,
        source=PairSource.MATCHING,
        matching_run_id=run.id,
        score=proposal.score,
        reasons=_stored_reasons(proposal.reasons),
        alternatives=[
            [a.mentor_id, round(a.score, 3), a.has_room, _stored_reasons(a.reasons)]
            for a in alternatives
        ],
        warnings=[],
        proposed_by_id=coordinator.id,
        created_at=run.created_at,
    )


def mentors_who_may_be_paired(program_id: int) -> list[MentorEnrollment]:
    """The program's approved mentors, the only ones a coordinator may pair by hand."""
    return [e for e in mentors_of(program_id) if e.status == EnrollmentStatus.APPROVED]


def mentees_who_may_be_paired(program_id: int) -> list[Mentee]:
    """The program's mentees still waiting for a mentor."""
    return mentees_of(program_id, MenteeStatus.WAITING)


def latest_run(program_id: int) -> MatchingRun | None:
    """The program's most recent matching run."""
    return db.session.scalar(
        select(MatchingRun)
        .where(MatchingRun.program_id == program_id)
        .order_by(MatchingRun.id.desc())
        .limit(1)
    )


def pairings_of(program_id: int, status: PairStatus) -> list[Pairing]:
    """A program's pairings in one status, best score first, with mentor and mentee."""
    return list(
        db.session.scalars(
            select(Pairing)
            .join(Mentee, Mentee.id == Pairing.mentee_id)
            .where(Pairing.program_id == program_id, Pairing.status == status)
            .order_by(Pairing.score.desc(), Mentee.first_name, Pairing.id)
            .options(*WITH_PEOPLE)
        )
    )


def _take_seat(mentor_id: int) -> None:
    """Raise the mentor's count only while below capacity, or raise MentorFull."""
    seated = db.session.execute(
        update(MentorEnrollment)
        .where(
            MentorEnrollment.id == mentor_id,
            MentorEnrollment.status == EnrollmentStatus.APPROVED,
            MentorEnrollment.active_count < MentorEnrollment.capacity,
        )
        .values(active_count=MentorEnrollment.active_count + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if seated != 1:
        db.session.rollback()
        raise MentorFull(mentor_id)


def _take_mentee(mentee_id: int) -> None:
    """Move the mentee out of the waiting pool, or raise MenteeTaken."""
    taken = db.session.execute(
        update(Mentee)
        .where(Mentee.id == mentee_id, Mentee.status == MenteeStatus.WAITING)
        .values(status=MenteeStatus.PAIRED)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        db.session.rollback()
        raise MenteeTaken(mentee_id)


def approve_pairing(pair_id: int, coordinator: User, *, now: datetime | None = None) -> Pairing:
    """Make a proposal active: pairing, then mentor seat, then mentee, all or nothing."""
    proposal = get_pairing(pair_id)
    require_coordinator(coordinator, proposal.program_id)
    now = now or utcnow()
    today = program_today(proposal.program, now)
    changed = db.session.execute(
        update(Pairing)
        .where(Pairing.id == pair_id, Pairing.status == PairStatus.PROPOSED)
        .values(
            status=PairStatus.ACTIVE,
            decided_by_id=coordinator.id,
            decided_at=now,
            started_on=today,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise NotProposed(pair_id)
    _take_seat(proposal.mentor_id)
    _take_mentee(proposal.mentee_id)
    record_audit(
        coordinator.id, "pairing.approved", "pairing", pair_id, proposal.community_id, now=now
    )
    _tell_mentor_about_pair(proposal, now)
    db.session.commit()
    deliver_pending(now=now)
    return get_pairing(pair_id)


def _tell_mentor_about_pair(pair: Pairing, now: datetime) -> None:
    """Queue the mentor's email: who their mentee is and where their page is."""
    link = absolute_url("mentoring.mentor_home", program_id=pair.program_id)
    subject = _l("You have a new %(label)s", label=pair.program.mentee_label)
    template = "mentoring/email/paired.txt"
    mentor, program = pair.mentor.user, pair.program
    notify(mentor, subject, template, now=now, pair=pair, program=program, link=link)


@dataclass(frozen=True)
class ApproveAllResult:
    """How many proposals became pairs, and how many could not."""

    approved: int
    skipped: int


def approve_all(
    program_id: int, coordinator: User, *, now: datetime | None = None
) -> ApproveAllResult:
    """Approve every open proposal, best first; each in its own transaction."""
    require_coordinator(coordinator, program_id)
    approved = skipped = 0
    for proposal_id in [p.id for p in pairings_of(program_id, PairStatus.PROPOSED)]:
        try:
            approve_pairing(proposal_id, coordinator, now=now)
        except Conflict:
            skipped += 1
        else:
            approved += 1
    return ApproveAllResult(approved, skipped)


def reject_pairing(
    pair_id: int, coordinator: User, reason: str, *, now: datetime | None = None
) -> None:
    """Turn a proposal down with a reason; later runs will not propose it again."""
    proposal = get_pairing(pair_id)
    require_coordinator(coordinator, proposal.program_id)
    changed = db.session.execute(
        update(Pairing)
        .where(Pairing.id == pair_id, Pairing.status == PairStatus.PROPOSED)
        .values(
            status=PairStatus.REJECTED,
            reject_reason=reason.strip(),
            decided_by_id=coordinator.id,
            decided_at=now or utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise NotProposed(pair_id)
    record_audit(
        coordinator.id, "pairing.rejected", "pairing", pair_id, proposal.community_id, now=now
    )
    db.session.commit()


def _pair_people(
    program_id: int, mentor_id: int, mentee_id: int
) -> tuple[Program, MentorEnrollment, Mentee]:
    """The program, mentor and mentee of a hand-made pair, all of one program."""
    program, mentor, mentee = (
        get_program(program_id),
        get_enrollment(mentor_id),
        get_mentee(mentee_id),
    )
    if mentor.program_id != program_id or mentee.program_id != program_id:
        raise NotFound("pair")
    return program, mentor, mentee


def _check_free(mentor: MentorEnrollment, mentee: Mentee) -> None:
    """Early, friendly refusals (the conditional UPDATEs still decide under concurrency)."""
    if mentor.status != EnrollmentStatus.APPROVED:
        raise MentorNotApproved(mentor.id)
    if mentor.active_count >= mentor.capacity:
        raise MentorFull(mentor.id)
    if mentee.status != MenteeStatus.WAITING:
        raise MenteeTaken(mentee.id)


def pair_by_hand(
    program_id: int,
    coordinator: User,
    mentor_id: int,
    mentee_id: int,
    confirmed: bool = False,
    *,
    now: datetime | None = None,
) -> Pairing:
    """Pair a mentor and mentee directly; soft constraints need `confirmed`, hard ones stop it."""
    require_coordinator(coordinator, program_id)
    program, mentor, mentee = _pair_people(program_id, mentor_id, mentee_id)
    _check_free(mentor, mentee)
    people = (_mentor_candidate(mentor, program), _mentee_candidate(mentee))
    rules = _rules(program, with_rejected=False)
    broken = pairing.blocking_constraints(*people, rules)
    if hard := tuple(code for code in broken if code in HARD_CONSTRAINTS):
        raise PairingForbidden(hard)
    if broken and not confirmed:
        raise NeedsConfirmation(broken)
    now = now or utcnow()
    pair = Pairing(
        program_id=program_id,
        community_id=program.community_id,
        mentor_id=mentor_id,
        mentee_id=mentee_id,
        status=PairStatus.ACTIVE,
        source=PairSource.HAND,
        reasons=_stored_reasons(pairing.score_pair(*people, rules).reasons),
        warnings=list(broken),
        proposed_by_id=coordinator.id,
        decided_by_id=coordinator.id,
        decided_at=now,
        started_on=program_today(program, now),
        created_at=now,
    )
    db.session.add(pair)
    db.session.flush()
    _take_seat(mentor_id)
    _take_mentee(mentee_id)
    supersede_proposals(program_id, mentee_id=mentee_id)
    record_audit(
        coordinator.id, "pairing.made_by_hand", "pairing", pair.id, program.community_id, now=now
    )
    _tell_mentor_about_pair(pair, now)
    db.session.commit()
    deliver_pending(now=now)
    return pair
