"""Trust and safety: reports and their queue, suspending and restoring an account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased

from neighborly.accounts.blocking import block
from neighborly.accounts.models import Community, Membership, User
from neighborly.accounts.safety_models import Report, ReportOutcome, ReportStatus
from neighborly.audit import record_audit
from neighborly.errors import Conflict, NotFound
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest
from neighborly.paging import Key, Page, keyset_page
from neighborly.timeutil import utcnow

PAGE_SIZE = 25


def member_of(community_id: int, user_id: int) -> User:
    """A person holding a role in this community, or NotFound."""
    user = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id == user_id, Membership.community_id == community_id)
        .limit(1)
    )
    if user is None:
        raise NotFound(user_id)
    return user


def request_in(community_id: int, request_id: int) -> HelpRequest:
    """A request of this community, or NotFound."""
    found = db.session.get(HelpRequest, request_id)
    if found is None or found.community_id != community_id:
        raise NotFound(request_id)
    return found


def file_report(
    community: Community,
    reporter: User,
    reason: str,
    subject_id: int | None = None,
    request_id: int | None = None,
    now: datetime | None = None,
) -> Report:
    """Anyone in the community tells its coordinators about a person or a request."""
    now = now or utcnow()
    if subject_id is not None:
        member_of(community.id, subject_id)
    if request_id is not None:
        subject_id = subject_id or request_in(community.id, request_id).requester_id
    report = Report(
        community_id=community.id,
        reporter_id=reporter.id,
        subject_id=subject_id,
        request_id=request_id,
        reason=reason.strip(),
        created_at=now,
    )
    db.session.add(report)
    db.session.flush()
    record_audit(reporter.id, "report.filed", "report", report.id, community.id, now=now)
    db.session.commit()
    return report


@dataclass(frozen=True)
class ReportLine:
    """One report in the queue."""

    id: int
    created_at: datetime
    reason: str
    status: ReportStatus
    outcome: ReportOutcome | None
    request_id: int | None
    subject_id: int | None
    subject_first: str | None
    subject_last: str | None
    reporter_first: str | None
    reporter_last: str | None

    @staticmethod
    def _name(first: str | None, last: str | None) -> str:
        if first is None:
            return ""
        return f"{first} {last[:1]}." if last else first

    @property
    def subject(self) -> str:
        """Who the report is about."""
        return self._name(self.subject_first, self.subject_last)

    @property
    def reporter(self) -> str:
        """Who filed it."""
        return self._name(self.reporter_first, self.reporter_last)


def open_report_count(community_id: int) -> int:
    """Reports nobody has handled yet."""
    return int(
        db.session.scalar(
            select(func.count(Report.id)).where(
                Report.community_id == community_id, Report.status == ReportStatus.OPEN
            )
        )
        or 0
    )


def reports_page(
    community_id: int, status: ReportStatus, after: int | None, before: int | None
) -> Page:
    """The queue: open reports oldest first, or handled ones newest first."""
    subject, reporter = aliased(User), aliased(User)
    statement = (
        select(
            Report.id,
            Report.created_at,
            Report.reason,
            Report.status,
            Report.outcome,
            Report.request_id,
            Report.subject_id,
            subject.first_name,
            subject.last_name,
            reporter.first_name,
            reporter.last_name,
        )
        .outerjoin(subject, subject.id == Report.subject_id)
        .outerjoin(reporter, reporter.id == Report.reporter_id)
        .where(Report.community_id == community_id, Report.status == status)
    )
    newest = status == ReportStatus.HANDLED
    keys = (Key(Report.created_at, descending=newest), Key(Report.id, descending=newest))
    page = keyset_page(
        statement,
        keys,
        after=after,
        before=before,
        size=PAGE_SIZE,
        scalars=False,
        id_of=lambda row: row[0],
    )
    return Page([ReportLine(*row) for row in page], page.next_after, page.prev_before, page.first)


def handle_report(
    community: Community,
    report_id: int,
    coordinator: User,
    outcome: ReportOutcome,
    notes: str,
    now: datetime | None = None,
) -> Report:
    """Close a report with an outcome; blocking or suspending is done in the same step."""
    now = now or utcnow()
    report = db.session.get(Report, report_id)
    if report is None or report.community_id != community.id:
        raise NotFound(report_id)
    changed = db.session.execute(
        update(Report)
        .where(Report.id == report_id, Report.status == ReportStatus.OPEN)
        .values(
            status=ReportStatus.HANDLED,
            outcome=outcome,
            outcome_notes=notes.strip(),
            handled_by_id=coordinator.id,
            handled_at=now,
        )
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise Conflict("handled")
    record_audit(
        coordinator.id,
        f"report.handled.{outcome.value}",
        "report",
        report_id,
        community.id,
        now=now,
    )
    db.session.commit()
    if outcome == ReportOutcome.BLOCKED and report.subject_id and report.reporter_id:
        reporter = db.session.get(User, report.reporter_id)
        block(reporter, report.subject_id, community.id, now=now)
    if outcome == ReportOutcome.SUSPENDED and report.subject_id:
        suspend(community, report.subject_id, coordinator, now=now)
    return db.session.get(Report, report_id)


def suspend(
    community: Community, user_id: int, coordinator: User, now: datetime | None = None
) -> None:
    """Suspend an account: it is signed out everywhere, cannot sign in, and its open requests
    disappear from near me. Its history stays."""
    person = member_of(community.id, user_id)
    if person.id == coordinator.id:
        raise Conflict("self")
    db.session.execute(
        update(User)
        .where(User.id == person.id)
        .values(is_active_account=False, session_version=User.session_version + 1)
    )
    record_audit(coordinator.id, "person.suspended", "user", person.id, community.id, now=now)
    db.session.commit()


def restore(community: Community, user_id: int, coordinator: User) -> None:
    """Lift a suspension."""
    person = member_of(community.id, user_id)
    person.is_active_account = True
    record_audit(coordinator.id, "person.restored", "user", person.id, community.id)
    db.session.commit()
