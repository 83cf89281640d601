"""A guessed id tells nothing: a refused record and a missing one answer alike (finding 7)."""

from __future__ import annotations

from datetime import date

import pytest

from neighborly.accounts.models import Role
from neighborly.accounts.safety_models import Report
from neighborly.extensions import db
from neighborly.mentoring.models import DoNotPair, GroupEvent
from neighborly.messages.models import Message, ThreadKind
from neighborly.notifications.models import Notification
from neighborly.resources.models import ResourceSuggestion
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import (
    HelpRequestFactory,
    VolunteerProfileFactory,
    invitation,
    weekly_series,
)
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by
from tests.factories.resources import make_resource
from tests.factories.snow import snow_day
from tests.url_rules import rule_url

MISSING = 1_000_000  # added to every real id: no such record


@pytest.fixture()
def records(app) -> dict[str, object]:
    """One record of every kind a URL can name, all in the Proviso community."""
    proviso = CommunityFactory(slug="proviso")
    request = HelpRequestFactory(community=proviso, requester=member(proviso, Role.RESIDENT))
    helper = member(proviso, Role.VOLUNTEER)
    profile = VolunteerProfileFactory(community_id=proviso.id, user=helper, verified_at=None)
    program, _carmen = program_run_by(proviso)
    wolf, pup = mentor(program), mentee(program)
    pair = active_pair(wolf, pup)
    event = GroupEvent(
        program_id=program.id,
        community_id=proviso.id,
        name="Dinner",
        held_on=date.today(),
        minutes=60,
    )
    rule = DoNotPair(
        program_id=program.id,
        community_id=proviso.id,
        mentor_id=wolf.id,
        mentee_id=mentee(program).id,
    )
    draft = make_resource(title="A draft", published=False)
    suggestion = ResourceSuggestion(title="A good read", suggested_by_id=request.requester_id)
    notice = Notification(user_id=request.requester_id, kind="help_requests.accepted", title="Hi")
    message = Message(
        thread_kind=ThreadKind.REQUEST,
        thread_id=request.id,
        community_id=proviso.id,
        author_id=request.requester_id,
        body="Hello",
    )
    report = Report(community_id=proviso.id, subject_id=request.requester_id, reason="Late")
    db.session.add_all([event, rule, suggestion, notice, message, report])
    snow, line = snow_day(request)
    asked = invitation(request, helper)
    standing = weekly_series(proviso, request.requester)
    db.session.commit()
    return {
        "user_id": request.requester_id,
        "report_id": report.id,
        "slug": "proviso",
        "request_id": request.id,
        "profile_id": profile.id,
        "program_id": program.id,
        "enrollment_id": wolf.id,
        "mentee_id": pup.id,
        "pair_id": pair.id,
        "event_id": event.id,
        "rule_id": rule.id,
        "resource_id": draft.id,
        "suggestion_id": suggestion.id,
        "notice_id": notice.id,
        "message_id": message.id,
        "snow_day_id": snow.id,
        "snow_line_id": line.id,
        "invitation_id": asked.id,
        "series_id": standing.id,
    }


def _id_rules(app):
    """Every URL rule that names a record by id."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(name.endswith("_id") for name in rule.arguments)
    ]


def _missing(args: dict[str, object]) -> dict[str, object]:
    """The same URL values with every id moved past the last record."""
    return {k: v + MISSING if isinstance(v, int) else v for k, v in args.items()}


def _answers(client, app, args) -> dict[tuple[str, str], int]:
    """(endpoint, method) -> status for every id URL built from these values."""
    answers = {}
    for rule in _id_rules(app):
        url = rule_url(rule, args)
        for method in sorted(rule.methods & {"GET", "POST"}):
            answers[(rule.endpoint, method)] = client.open(url, method=method).status_code
    return answers


# Coordinators of any community curate the one shared resource library, on purpose.
SHARED_WITH_EVERY_COORDINATOR = "resources."


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.VOLUNTEER, Role.COORDINATOR])
def test_an_outsider_is_told_not_found_whether_or_not_the_record_exists(
    app, client, login, records, role
):
    login(member(CommunityFactory(slug="algoma"), role))
    real = _answers(client, app, records)
    missing = _answers(client, app, _missing(records))

    assert len(real) >= 50
    if role == Role.COORDINATOR:
        real = {k: v for k, v in real.items() if not k[0].startswith(SHARED_WITH_EVERY_COORDINATOR)}
    differing = {key: (real[key], missing[key]) for key in real if real[key] != missing[key]}
    assert differing == {}
    assert all(missing[key] == 404 for key in real), missing


def test_a_signed_out_visitor_is_sent_to_sign_in_whether_or_not_the_record_exists(
    app, client, records
):
    real = _answers(client, app, records)
    missing = _answers(client, app, _missing(records))

    refused_real = {key for key, status in real.items() if status == 302}
    assert len(refused_real) >= 40
    assert all(missing[key] == 302 for key in refused_real), {
        key: missing[key] for key in refused_real if missing[key] != 302
    }
