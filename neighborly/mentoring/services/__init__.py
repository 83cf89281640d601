"""Mentoring rules: programs, enrolment and screening, matching, approval, meetings, closure.

Capacity under concurrency: each mentor enrolment keeps `active_count`, raised only by
`UPDATE mentoring_mentors SET active_count = active_count + 1
 WHERE id = :mentor AND status = 'approved' AND active_count < capacity`
in the same transaction that moves the pairing from proposed to active. On PostgreSQL
(READ COMMITTED) the second of two concurrent UPDATEs waits for the first's row lock and
then re-checks its WHERE against the committed row, so it sees the raised count and
matches no row. On SQLite writers are serialised by the database lock. Either way, the
loser's rowcount is 0, it rolls back, and the mentor is never overfilled. (A guard such as
`INSERT ... WHERE (SELECT count(*) ...) < capacity` is *not* safe under READ COMMITTED:
both transactions count from snapshots that miss the other's uncommitted row.) Every
transition locks rows in the same order (pairing, mentor, mentee), so they cannot deadlock.
"""

from __future__ import annotations

from neighborly.mentoring.errors import (  # noqa: F401
    CapacityBelowActive,
    CapacityOutOfRange,
    DuplicateName,
    HasActivePairs,
    InvalidDate,
    MenteeTaken,
    MentorFull,
    MentorNotApproved,
    NeedsConfirmation,
    NotACoordinator,
    NotActive,
    NotEligible,
    NotProposed,
    PairingForbidden,
)
from neighborly.mentoring.services.common import (  # noqa: F401
    HARD_CONSTRAINTS,
    WITH_PEOPLE,
    get_pairing,
    get_program,
    is_program_coordinator,
    local_today,
    program_today,
)
from neighborly.mentoring.services.do_not_pair import (  # noqa: F401
    add_do_not_pair,
    do_not_pair_of,
    get_do_not_pair,
    remove_do_not_pair,
)
from neighborly.mentoring.services.events import (  # noqa: F401
    EventDraft,
    attendance_of,
    create_event,
    events_of,
    get_event,
    may_see_event,
    mentors_who_may_attend,
    record_attendance,
    upcoming_events,
    upcoming_events_for,
)
from neighborly.mentoring.services.lists import (  # noqa: F401
    event_page,
    mentee_page,
    mentor_page,
    program_counts,
    program_figures,
    program_overview,
)
from neighborly.mentoring.services.mentees import (  # noqa: F401
    MenteeDraft,
    add_mentee,
    get_mentee,
    mentees_of,
    pairings_of_mentee,
    update_mentee,
    view_mentee,
)
from neighborly.mentoring.services.mentors import (  # noqa: F401
    MentorApplication,
    Screening,
    apply_to_mentor,
    approve_mentor,
    decline_mentor,
    enrollment_for,
    get_enrollment,
    may_apply,
    mentors_of,
    record_screening,
    requirements_missing,
    withdraw_enrollment,
)
from neighborly.mentoring.services.pairs import (  # noqa: F401
    MeetingDraft,
    NextTermResult,
    check_ins_of,
    close_pairing,
    is_pair_mentor,
    log_check_in,
    log_meeting,
    meetings_of,
    set_meeting_plan,
    set_renewal,
    start_next_term,
    view_pair,
)
from neighborly.mentoring.services.programs import (  # noqa: F401
    ProgramDraft,
    add_program_coordinator,
    create_program,
    enrollments_of,
    program_coordinators,
    programs_coordinated,
    programs_in,
    update_program,
)
from neighborly.mentoring.services.proposals import (  # noqa: F401
    ApproveAllResult,
    approve_all,
    approve_pairing,
    latest_run,
    mentees_who_may_be_paired,
    mentors_who_may_be_paired,
    pair_by_hand,
    pairings_of,
    reject_pairing,
    run_matching,
)
