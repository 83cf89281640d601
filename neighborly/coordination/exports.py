"""CSV exports for coordinators: requests, volunteer hours and people, for one period.

Rows stream from the database a batch at a time and leave as they are written, so an export's
memory does not grow with the community. Cells that a spreadsheet would run as a formula are
prefixed with an apostrophe. Street addresses leave only when asked for, and every export is an
audit event (naming whether addresses were in it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from neighborly.accounts.models import Community, Membership, User
from neighborly.audit import record_audit
from neighborly.coordination.period import Period
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status, VolunteerProfile
from neighborly.timeutil import local_time

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
KINDS = ("requests", "hours", "people")


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_lines(header: tuple[str, ...], rows: Iterable[tuple]) -> Iterator[str]:
    """CSV text, one line at a time."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def _name(first: str | None, last: str | None) -> str:
    """First name and last initial."""
    if first is None:
        return ""
    return f"{first} {last[:1]}." if last else first


def stream_rows(statement):
    """Rows of a statement, fetched while the CSV streams out.

    Not a server-side cursor (yield_per): on PostgreSQL the request's transaction ends while
    the response is still being written, and a named cursor would be gone mid-export.
    """
    return iter(db.session.execute(statement).all())


def audit_export(actor: User, community: Community, kind: str, addresses: bool) -> None:
    """Record who exported what (and whether street addresses were in it)."""
    action = f"export.{kind}" + (".with_addresses" if addresses else "")
    record_audit(actor.id, action, "community", community.id, community.id)
    db.session.commit()


def requests_csv(community: Community, period: Period, addresses: bool) -> Iterator[str]:
    """Requests posted in the period; the street address only when asked for."""
    asker, helper = aliased(User), aliased(User)
    columns = [
        HelpRequest.id,
        HelpRequest.created_at,
        HelpRequest.category,
        HelpRequest.status,
        HelpRequest.postal_code,
        asker.first_name,
        asker.last_name,
        helper.first_name,
        helper.last_name,
        HelpRequest.accepted_at,
        HelpRequest.completed_at,
        HelpRequest.confirmed_at,
        HelpRequest.minutes_spent,
        HelpRequest.title,
    ]
    if addresses:
        columns.append(HelpRequest.street_address)
    statement = (
        select(*columns)
        .join(asker, asker.id == HelpRequest.requester_id)
        .outerjoin(helper, helper.id == HelpRequest.volunteer_id)
        .where(
            HelpRequest.community_id == community.id,
            HelpRequest.created_at >= period.start,
            HelpRequest.created_at < period.end,
        )
        .order_by(HelpRequest.created_at, HelpRequest.id)
    )
    header = (
        "request_id",
        "posted",
        "category",
        "status",
        "zip",
        "for",
        "volunteer",
        "accepted",
        "completed",
        "confirmed",
        "minutes",
        "title",
        *(("street_address",) if addresses else ()),
    )
    zone = community.timezone

    def when(value):
        return local_time(value, zone).isoformat(timespec="minutes") if value else ""

    rows = (
        (
            r[0],
            when(r[1]),
            r[2].value,
            r[3].value,
            r[4],
            _name(r[5], r[6]),
            _name(r[7], r[8]),
            when(r[9]),
            when(r[10]),
            when(r[11]),
            r[12],
            r[13],
            *r[14:],
        )
        for r in stream_rows(statement)
    )
    return csv_lines(header, rows)


def hours_csv(community: Community, period: Period) -> Iterator[str]:
    """Confirmed hours per volunteer in the period."""
    statement = (
        select(
            User.id,
            User.first_name,
            User.last_name,
            func.count(HelpRequest.id),
            func.count(func.distinct(HelpRequest.requester_id)),
            func.sum(HelpRequest.minutes_spent),
        )
        .join(HelpRequest, HelpRequest.volunteer_id == User.id)
        .where(
            HelpRequest.community_id == community.id,
            HelpRequest.status == Status.CONFIRMED,
            HelpRequest.completed_at >= period.start,
            HelpRequest.completed_at < period.end,
        )
        .group_by(User.id, User.first_name, User.last_name)
        .order_by(User.last_name, User.first_name, User.id)
    )
    header = ("volunteer_id", "volunteer", "helps", "neighbours", "minutes", "hours")
    rows = (
        (r[0], f"{r[1]} {r[2]}", r[3], r[4], int(r[5] or 0), round(int(r[5] or 0) / 60, 2))
        for r in stream_rows(statement)
    )
    return csv_lines(header, rows)


def people_csv(community: Community, period: Period) -> Iterator[str]:
    """People who took a role in the community during the period: names, roles, ZIP only."""
    statement = (
        select(
            User.id,
            User.first_name,
            User.last_name,
            Membership.role,
            Membership.created_at,
            VolunteerProfile.home_postal_code,
            VolunteerProfile.verified_at,
        )
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(
            VolunteerProfile,
            (VolunteerProfile.user_id == User.id) & (VolunteerProfile.community_id == community.id),
        )
        .where(
            Membership.community_id == community.id,
            Membership.created_at >= period.start,
            Membership.created_at < period.end,
            User.deleted_at.is_(None),
        )
        .order_by(User.last_name, User.first_name, User.id, Membership.role)
    )
    header = ("person_id", "name", "role", "joined", "volunteer_zip", "verified")
    zone = community.timezone
    rows = (
        (
            r[0],
            _name(r[1], r[2]),
            r[3].value,
            local_time(r[4], zone).date().isoformat(),
            r[5] or "",
            "" if r[5] is None else ("yes" if r[6] else "no"),
        )
        for r in stream_rows(statement)
    )
    return csv_lines(header, rows)
