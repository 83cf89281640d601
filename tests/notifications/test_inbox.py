"""Every event that emails a person also lands in their in-app inbox, with a count in the header."""

from __future__ import annotations

import re

from sqlalchemy import event, func, select

from neighborly.extensions import db
from neighborly.help_requests.models import Category
from neighborly.notifications.inbox import local_path, record_notice
from neighborly.notifications.models import Notification
from tests.factories.accounts import CommunityFactory, UserFactory, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer


def _neighbours():
    """Rosa asks for help with her bins; Sam volunteers nearby."""
    community = CommunityFactory(slug="proviso")
    rosa = resident(community, first_name="Rosa", last_name="Martinez", locale="es")
    sam = volunteer(community)
    db.session.commit()
    request = HelpRequestFactory(
        community=community, requester=rosa, title="Roll my bins out", category=Category.BINS
    )
    return community, rosa, sam, request


def _notices(user) -> list[Notification]:
    """The person's notices, oldest first."""
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def _badge(page_text: str) -> str | None:
    """The number in the header's notification badge, if one shows."""
    found = re.search(r'class="badge">([0-9+]+)<', page_text)
    return found.group(1) if found else None


def test_a_taken_request_lands_in_the_residents_inbox_in_her_language(client, login):
    _community, rosa, sam, request = _neighbours()
    login(sam)
    client.post(f"/requests/{request.id}/accept")

    (notice,) = _notices(rosa)
    assert notice.kind == "help_requests.accepted"
    assert notice.title == "Un vecino le va a ayudar"
    assert notice.link == f"/requests/{request.id}"
    assert notice.read_at is None


def test_the_header_shows_the_unread_count_and_opening_a_notice_marks_it_read(client, login):
    _community, rosa, sam, request = _neighbours()
    login(sam)
    client.post(f"/requests/{request.id}/accept")
    login(rosa)

    page = client.get("/notifications")
    assert _badge(page.text) == "1"
    assert "Un vecino le va a ayudar" in page.text
    (notice,) = _notices(rosa)

    opened = client.post(f"/notifications/{notice.id}/open")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/requests/{request.id}"
    assert db.session.get(Notification, notice.id).read_at is not None
    assert _badge(client.get("/notifications").text) is None


def test_mark_all_read_clears_the_badge(client, login):
    rosa = UserFactory()
    for number in range(3):
        record_notice(rosa, f"Notice {number}", "help_requests.accepted", "/requests/1")
    db.session.commit()
    login(rosa)
    assert _badge(client.get("/notifications").text) == "3"

    client.post("/notifications/read-all")

    assert _badge(client.get("/notifications").text) is None
    unread = select(func.count()).where(Notification.read_at.is_(None))
    assert db.session.scalar(unread.select_from(Notification)) == 0


def test_someone_elses_notice_is_not_found_and_stays_unread(client, login):
    rosa, sam = UserFactory(), UserFactory()
    notice = record_notice(rosa, "Yours", "help_requests.accepted", "/requests/1")
    db.session.commit()
    login(sam)

    assert client.post(f"/notifications/{notice.id}/open").status_code == 404
    assert db.session.get(Notification, notice.id).read_at is None


def test_the_list_is_newest_first_and_paged_by_keyset(client, login):
    rosa = UserFactory()
    for number in range(45):
        record_notice(rosa, f"Notice number {number:02d}", "help_requests.accepted", "/")
    db.session.commit()
    login(rosa)

    first = client.get("/notifications").text
    assert first.index("Notice number 44") < first.index("Notice number 25")
    assert "Notice number 24" not in first
    older = re.search(r'href="(/notifications\?after=\d+)"', first).group(1)
    second = client.get(older).text
    assert "Notice number 24" in second and "Notice number 25" not in second


def test_a_phone_in_resident_without_email_still_gets_notices(app):
    caller = UserFactory(email=None, password_hash=None)
    record_notice(caller, "A neighbour will help you", "help_requests.accepted", "/requests/7")
    db.session.commit()
    assert [n.title for n in _notices(caller)] == ["A neighbour will help you"]


def test_account_mail_with_one_time_links_never_becomes_a_notice(app):
    from neighborly.accounts.services import request_password_reset

    rosa = UserFactory(email="rosa@example.org")
    request_password_reset("rosa@example.org")
    assert _notices(rosa) == []


def test_only_local_paths_are_kept_as_links():
    assert local_path("http://localhost/requests/3?x=1") == "/requests/3?x=1"
    assert local_path("https://evil.example//evil.example/x") == ""
    assert local_path("/\\evil.example") == ""
    assert local_path(None) == ""


def test_the_header_count_costs_one_query_per_page_and_none_signed_out(client, login, app):
    rosa = UserFactory()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if "notifications" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get("/resources")
        assert statements == []
        login(rosa)
        client.get("/resources")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "count" in statements[0].lower()
