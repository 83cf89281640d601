"""Trust and safety: reports and their queue, blocking, suspending."""

from __future__ import annotations

from neighborly.accounts.blocking import blocked_pairs, is_blocked
from neighborly.accounts.models import Role, User
from neighborly.accounts.safety_models import Report, ReportOutcome, ReportStatus
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import HelpRequestFactory, volunteer


def test_a_resident_reports_a_request_and_a_coordinator_closes_it(client, login):
    proviso = CommunityFactory(slug="proviso")
    rosa = member(proviso, Role.RESIDENT)
    asker = member(proviso, Role.RESIDENT, first_name="Max", last_name="Payne")
    request = HelpRequestFactory(community=proviso, requester=asker, title="Odd request")
    login(rosa)

    client.post(f"/c/proviso/report/request/{request.id}", data={"reason": "Asked me for money"})

    report = db.session.scalar(db.select(Report))
    assert (report.reporter_id, report.subject_id, report.request_id) == (
        rosa.id,
        asker.id,
        request.id,
    )
    coordinator = member(proviso, Role.COORDINATOR)
    login(coordinator)
    assert "1 report waiting" in client.get("/c/proviso/coordinate").text
    queue = client.get("/c/proviso/coordinate/reports").text
    assert "About Max P." in queue and "Asked me for money" in queue

    client.post(f"/c/proviso/coordinate/reports/{report.id}", data={"outcome": "blocked"})

    stored = db.session.get(Report, report.id)
    assert stored.status == ReportStatus.HANDLED and stored.outcome == ReportOutcome.BLOCKED
    assert is_blocked(asker.id, rosa.id) and blocked_pairs([rosa.id, asker.id, 99]) == {
        frozenset((rosa.id, asker.id))
    }
    assert (
        "Block them from each other"
        in client.get("/c/proviso/coordinate/reports?status=handled").text
    )


def test_a_blocked_pair_never_meets_in_near_me_or_the_assign_list(client, login):
    proviso = CommunityFactory(slug="proviso")
    helper = volunteer(proviso)
    asker = member(proviso, Role.RESIDENT)
    request = HelpRequestFactory(community=proviso, requester=asker, title="Bins please")
    login(helper)
    assert "Bins please" in client.get("/c/proviso/near-me").text
    login(asker)
    client.post(f"/c/proviso/report/person/{helper.id}", data={"reason": "Rude", "block": "y"})

    login(helper)
    assert "Bins please" not in client.get("/c/proviso/near-me").text
    login(member(proviso, Role.COORDINATOR))
    assert f'<option value="{helper.id}"' not in client.get(f"/requests/{request.id}").text


def test_a_suspended_account_is_signed_out_and_its_requests_leave_near_me(client, login):
    proviso = CommunityFactory(slug="proviso")
    helper = volunteer(proviso)
    asker = member(proviso, Role.RESIDENT)
    HelpRequestFactory(community=proviso, requester=asker, title="Bins please")
    login(asker)
    assert client.get("/c/proviso/my-requests").status_code == 200
    coordinator = member(proviso, Role.COORDINATOR)
    login(coordinator)

    client.post(f"/c/proviso/coordinate/people/{asker.id}/suspend")

    stored = db.session.get(User, asker.id)
    assert not stored.is_active_account
    assert db.session.scalar(db.select(HelpRequest.title)) == "Bins please"  # history kept
    login(asker)  # the old session cookie carries the old session version
    with client.session_transaction() as session:
        session["_user_id"] = f"{asker.id}:{stored.session_version - 1}"
    assert client.get("/c/proviso/my-requests").status_code == 302
    login(helper)
    assert "Bins please" not in client.get("/c/proviso/near-me").text
    login(coordinator)
    assert "Suspended" in client.get("/c/proviso/coordinate/people").text


def test_nobody_reports_or_suspends_across_communities(client, login):
    proviso = CommunityFactory(slug="proviso")
    stranger = member(CommunityFactory(slug="algoma"), Role.RESIDENT)
    login(member(proviso, Role.COORDINATOR))

    assert client.get(f"/c/proviso/report/person/{stranger.id}").status_code == 404
    assert client.post(f"/c/proviso/coordinate/people/{stranger.id}/suspend").status_code == 404
    assert db.session.get(User, stranger.id).is_active_account
    assert client.get("/c/algoma/coordinate/reports").status_code == 403


def test_it_was_not_done_reopens_the_request_and_records_a_no_show(client, login):
    from neighborly.help_requests.models import NoShow, Status
    from neighborly.help_requests.services.not_done import no_show_count

    proviso = CommunityFactory(slug="proviso")
    helper = volunteer(proviso)
    asker = member(proviso, Role.RESIDENT)
    request = HelpRequestFactory(
        community=proviso,
        requester=asker,
        volunteer=helper,
        status=Status.COMPLETED,
        minutes_spent=30,
    )
    login(asker)
    assert "No, it was not done" in client.get(f"/requests/{request.id}").text

    client.post(f"/requests/{request.id}/not-done")

    stored = db.session.get(HelpRequest, request.id)
    assert stored.status == Status.OPEN and stored.volunteer_id is None
    assert stored.minutes_spent is None
    assert no_show_count(helper.id, proviso.id) == 1
    assert db.session.scalar(db.select(NoShow.reported_by_id)) == asker.id
    login(member(proviso, Role.RESIDENT))
    client.post(f"/requests/{request.id}/not-done")
    assert no_show_count(helper.id, proviso.id) == 1
