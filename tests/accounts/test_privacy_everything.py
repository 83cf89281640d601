"""The download holds every kind of thing kept about the person, and deleting reaches it all.

Invitations, stepping back, no-shows, standing requests, notification choices, blocks and
reports: the person's own side of each, never another person's address, nor who blocked or
reported them.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from neighborly.accounts.blocking import block
from neighborly.accounts.safety_models import Report
from neighborly.extensions import db
from neighborly.geo.cells import cell_centre
from neighborly.help_requests import services as help
from neighborly.help_requests.models import (
    HelpRequest,
    NoShow,
    RequestSeries,
    SeriesStatus,
    Status,
)
from neighborly.help_requests.services.series import generate_occurrences
from neighborly.my_data import services
from neighborly.notifications.preference_models import (
    NotificationPreference,
    NotificationSettings,
)
from neighborly.notifications.preferences import Choices, save_choices
from neighborly.timeutil import utcnow
from tests.factories.accounts import DEFAULT_PASSWORD, CommunityFactory, resident
from tests.factories.help_requests import (
    MAYWOOD,
    HelpRequestFactory,
    invitation,
    volunteer,
    weekly_series,
)
from tests.outbox import last_mail_to, mail_to


def _download(client) -> dict:
    return json.loads(client.post("/account/my-data/download").data)


def test_a_volunteer_gets_their_invitations_step_backs_and_no_shows_without_addresses(
    client, login
):
    home = CommunityFactory(name="Proviso")
    sam = volunteer(home)
    asker = resident(home)
    invited = HelpRequestFactory(
        community=home, requester=asker, title="Rake the leaves", street_address="9 Oak Court"
    )
    invitation(invited, sam)
    taken = HelpRequestFactory(community=home, requester=asker, title="Carry the groceries")
    help.accept_request(taken.id, sam)
    help.withdraw_request(taken.id, sam, "My car broke down")
    missed = HelpRequestFactory(community=home, requester=asker, title="Walk the dog")
    db.session.add(NoShow(request_id=missed.id, community_id=home.id, volunteer_id=sam.id,
                          reported_by_id=asker.id))  # fmt: skip
    db.session.commit()
    login(sam)

    data = _download(client)

    (asked,) = data["invitations_received"]
    assert (asked["community"], asked["request"], asked["status"]) == (
        "Proviso", "Rake the leaves", "invited"
    )  # fmt: skip
    assert asked["reasons"] == "near" and asked["round"] == 1
    assert data["stepped_back"] == [
        {"request": "Carry the groceries", "reason": "My car broke down",
         "at": data["stepped_back"][0]["at"]}
    ]  # fmt: skip
    assert [n["request"] for n in data["no_shows_recorded"]] == ["Walk the dog"]
    assert "reported_by" not in json.dumps(data["no_shows_recorded"])
    assert "9 Oak Court" not in json.dumps(data)


def test_the_file_holds_notification_choices_texts_and_two_step_sign_in(client, login):
    rosa = resident(CommunityFactory(), phone="708-555-0101", sms_consent=True)
    save_choices(
        rosa.id,
        Choices(
            email_kinds=frozenset({"help_requests.accepted"}),
            sms_kinds=frozenset(),
            no_email=False,
            quiet_start=22 * 60,
            quiet_end=7 * 60 + 30,
        ),
    )
    login(rosa)

    data = _download(client)

    choices = data["notification_choices"]
    assert (choices["quiet_from"], choices["quiet_until"]) == ("22:00", "07:30")
    assert choices["texts_agreed"] is True and choices["no_email"] is False
    by_kind = {k["kind"]: k for k in choices["by_kind"]}
    assert by_kind["help_requests.accepted"] == {
        "kind": "help_requests.accepted", "email": True, "text": False
    }  # fmt: skip
    assert by_kind["help_requests.thanked"]["email"] is False
    assert data["account"]["texts_agreed"] is True
    assert data["account"]["two_step_sign_in"] is False


def test_the_file_holds_standing_requests_blocks_and_reports_made_but_not_those_about_them(
    client, login
):
    home = CommunityFactory(name="Proviso")
    rosa = resident(home, first_name="Rosa")
    weekly_series(home, rosa, street_address="12 Elm Street")
    pest = resident(home, first_name="Pat", last_name="Jones")
    block(rosa, pest.id, home.id)
    block(pest, rosa.id, home.id)
    db.session.add_all([
        Report(community_id=home.id, reporter_id=rosa.id, subject_id=pest.id,
               reason="Rude messages"),
        Report(community_id=home.id, reporter_id=pest.id, subject_id=rosa.id,
               reason="Said something unkind about me"),
    ])  # fmt: skip
    db.session.commit()
    login(rosa)

    data = _download(client)

    (standing,) = data["standing_requests"]
    assert standing["street_address"] == "12 Elm Street"
    assert (standing["weekday"], standing["starts_at"]) == ("tuesday", "19:00")
    assert [b["name"] for b in data["people_blocked"]] == ["Pat J."]
    assert [r["reason"] for r in data["reports_made"]] == ["Rude messages"]
    assert "Said something unkind" not in json.dumps(data)


def test_deleting_ends_standing_requests_and_forgets_their_address(app):
    home = CommunityFactory()
    rosa = resident(home)
    series = weekly_series(home, rosa, street_address="12 Elm Street")
    db.session.commit()
    generate_occurrences()
    made = db.session.scalars(select(HelpRequest.id).where(HelpRequest.series_id == series.id))
    assert made.all()

    services.delete_my_account(rosa, DEFAULT_PASSWORD)

    db.session.expire_all()
    ended = db.session.get(RequestSeries, series.id)
    assert ended.status == SeriesStatus.ENDED
    assert ended.street_address == ""
    assert (ended.lat, ended.lng) == cell_centre(ended.cell) != MAYWOOD
    assert generate_occurrences() == 0
    statuses = db.session.scalars(
        select(HelpRequest.status).where(HelpRequest.series_id == series.id)
    )
    assert set(statuses) == {Status.CANCELLED}


def test_deleting_a_helper_tells_each_asker_and_leaves_no_regular_arrangement(app):
    home = CommunityFactory()
    sam = volunteer(home)
    rosa = resident(home, first_name="Rosa", email="rosa@example.org")
    taken = HelpRequestFactory(community=home, requester=rosa, title="Carry the groceries")
    help.accept_request(taken.id, sam)
    series = weekly_series(home, rosa, regular_id=sam.id, regular_since=utcnow(),
                           backup_id=sam.id)  # fmt: skip
    db.session.commit()

    services.delete_my_account(sam, DEFAULT_PASSWORD)

    db.session.expire_all()
    assert db.session.get(HelpRequest, taken.id).status == Status.OPEN
    mail = last_mail_to("rosa@example.org")
    assert "Your request is open again" in mail.subject
    assert "Carry the groceries" in mail.body
    arrangement = db.session.get(RequestSeries, series.id)
    assert (arrangement.regular_id, arrangement.backup_id) == (None, None)
    assert arrangement.status == SeriesStatus.ACTIVE


def test_deleting_forgets_the_notification_choices(app):
    rosa = resident(CommunityFactory())
    save_choices(rosa.id, Choices(frozenset(), frozenset(), True, 21 * 60, 8 * 60))
    services.delete_my_account(rosa, DEFAULT_PASSWORD)

    assert db.session.get(NotificationSettings, rosa.id) is None
    left = db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == rosa.id)
    )
    assert left.all() == []


def test_a_regulars_coming_weeks_reopen_with_one_message_to_the_resident(app):
    home = CommunityFactory()
    sam = volunteer(home)
    rosa = resident(home, email="rosa@example.org")
    series = weekly_series(home, rosa, regular_id=sam.id, regular_since=utcnow())
    db.session.commit()
    generate_occurrences()
    weeks = db.session.scalars(select(HelpRequest).where(HelpRequest.series_id == series.id))
    weeks = weeks.all()
    assert len(weeks) >= 2
    for week in weeks:
        week.status, week.volunteer_id, week.accepted_at = Status.ACCEPTED, sam.id, utcnow()
    db.session.commit()

    services.delete_my_account(sam, DEFAULT_PASSWORD)

    reopened = db.session.scalars(
        select(HelpRequest.status).where(HelpRequest.series_id == series.id)
    )
    assert set(reopened) == {Status.OPEN}
    assert [m.subject for m in mail_to("rosa@example.org")] == ["Your request is open again"]
