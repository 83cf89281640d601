"""The help loop's rules: ask, match nearby, accept, complete, thank; address privacy.

A package split by what it does; callers write `services.accept_request(...)`."""

from __future__ import annotations

from neighborly.help_requests.errors import (  # noqa: F401
    AlreadyTaken,
    AtCapacity,
    LocationNotFound,
    NeedsVerification,
    NotAvailable,
    NotOpen,
    TooManyAreaChanges,
)
from neighborly.help_requests.services.access import (  # noqa: F401
    ADDRESS_VISIBLE_AFTER_COMPLETION,
    StepBack,
    can_see_address,
    last_step_back,
    reveal_address,
)
from neighborly.help_requests.services.asking import (  # noqa: F401
    PhoneInResident,
    cancel_request,
    edit_request,
    post_for_phone_in_resident,
    post_request,
)
from neighborly.help_requests.services.common import (  # noqa: F401
    RequestDraft,
    get_request,
    is_coordinator,
    locate,
    public_point,
    request_with_people,
    volunteer_profile,
)
from neighborly.help_requests.services.invitations import (  # noqa: F401
    ROUNDS,
    YesOutcome,
    advance_request,
    invitation_for,
    say_no,
    say_yes,
    send_invitations,
    waiting_invitations,
)
from neighborly.help_requests.services.near_me import (  # noqa: F401
    NearbyRequest,
    near_me,
    near_me_page,
    nearest_open,
)
from neighborly.help_requests.services.pages import (  # noqa: F401
    AGEING_AFTER,
    HelperSummary,
    RequestActions,
    actions_for,
    assigned_to,
    editable_request,
    is_ageing,
    requests_of,
    unclaimed,
    volunteer_summary,
    volunteers_awaiting_verification,
    volunteers_for,
)
from neighborly.help_requests.services.preview import (  # noqa: F401
    NeighbourView,
    neighbour_view,
    why_it_suits,
)
from neighborly.help_requests.services.regulars import (  # noqa: F401
    agree_regular,
    backup_choices,
    can_become_regular,
    end_regular,
    may_view,
    not_this_week,
    regular_candidates,
    set_backup,
    standing_for,
)
from neighborly.help_requests.services.series import (  # noqa: F401
    SeriesDraft,
    Upcoming,
    create_series,
    generate_occurrences,
    get_series,
    open_snow_occurrences,
    series_of,
    set_series_status,
    shift_date,
    skip_date,
    upcoming,
)
from neighborly.help_requests.services.transitions import (  # noqa: F401
    accept_request,
    assign_request,
    complete_request,
    confirm_request,
    expire_overdue,
    withdraw_request,
)
from neighborly.help_requests.services.volunteers import (  # noqa: F401
    AREA_CHANGE_WINDOW,
    AREA_CHANGED,
    AREA_CHANGES_PER_DAY,
    ProfileDraft,
    save_volunteer_profile,
    verify_volunteer,
)
