"""Mentoring forms (the words people read for codes are in `wording`)."""

from __future__ import annotations

from neighborly.mentoring.forms.events import (  # noqa: F401
    AttendanceForm,
    EventForm,
)
from neighborly.mentoring.forms.pairs import (  # noqa: F401
    CheckInForm,
    CloseForm,
    DoNotPairForm,
    HandPairForm,
    MeetingForm,
    MeetingPlanForm,
    RejectForm,
    RenewForm,
    meeting_form,
)
from neighborly.mentoring.forms.people import (  # noqa: F401
    DeclineForm,
    MenteeForm,
    MentorApplicationForm,
    ScreeningForm,
)
from neighborly.mentoring.forms.programs import (  # noqa: F401
    CoordinatorEmailForm,
    NextTermForm,
    ProgramForm,
)
