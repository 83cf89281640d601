"""Weekly bins told as standing requests: a series, its evenings, and a regular helper.

`Stories.weekly_bins` plans each neighbour's weeks; this module tells them through the same
services people use, each call given its moment in the story: the series is set up, each
evening's occurrence is made ahead, taken, done and confirmed; after the second good turn
both sides make it regular, and from then on the evening goes to the regular helper first.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from neighborly.accounts.models import User
from neighborly.demo.accounts import Echo
from neighborly.extensions import db
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    RequestSeries,
    SeriesKind,
    Status,
)
from neighborly.help_requests.services import (
    SeriesDraft,
    accept_request,
    advance_request,
    agree_regular,
    complete_request,
    confirm_request,
    create_series,
)
from neighborly.help_requests.services.series import generate_for

EVENING = 18 * 60  # bins go out from 6 pm, within three hours
WINDOW = 180


def tell_standing(cast, plans: list[dict], say: Echo) -> list[tuple[int, dict]]:
    """Every planned weekly-bins series' past weeks, told in time; returns what is left.

    This week's evenings are given afterwards by `give_this_weeks`, once every finished
    story is told, so a helper's capacity counts only what they hold now.
    """
    told = [(_tell_one(cast, plan), plan) for plan in plans]
    if plans:
        regulars = sum(
            db.session.get(RequestSeries, series_id).regular_id is not None
            for series_id, _ in told
        )
        say(
            f"{cast.area.name}: {len(plans)} standing bin requests, "
            f"{regulars} with a regular helper."
        )
    return told


def give_this_weeks(cast, told: list[tuple[int, dict]]) -> None:
    """This week's evening goes to the series' helper when they have room."""
    for series_id, plan in told:
        helper = db.session.get(User, plan["helper"].user_id)
        this_week = _occurrence(series_id, plan["this_week"], cast.now - timedelta(hours=2))
        if plan["takes_this_week"] and this_week is not None and this_week.status == Status.OPEN:
            due = this_week.next_round_at
            moment = due if due is not None and due < cast.now else cast.now - timedelta(hours=1)
            _give(series_id, this_week, helper, moment)


def _tell_one(cast, plan: dict) -> int:
    """One neighbour's series and its past weeks; returns the series id."""
    asker: User = plan["asker"].user
    helper = db.session.get(User, plan["helper"].user_id)
    draft = plan["draft"]
    series = create_series(
        cast.community,
        asker,
        SeriesDraft(
            kind=SeriesKind.WEEKLY,
            category=Category.BINS,
            title=draft.title,
            details=draft.details,
            street_address=draft.street_address,
            postal_code=draft.postal_code,
            estimated_minutes=draft.estimated_minutes,
            weekday=plan["weekday"],
            start_minute=EVENING,
            window_minutes=WINDOW,
            lat=draft.lat,
            lng=draft.lng,
        ),
        now=plan["started"],
    )
    helped = 0
    for week in plan["weeks"]:
        occurrence = _occurrence(series.id, week["evening"], week["done_at"] - timedelta(days=4))
        if occurrence is None or occurrence.status != Status.OPEN:
            continue
        _give(series.id, occurrence, helper, occurrence.needed_from - timedelta(days=2))
        complete_request(occurrence.id, helper, week["minutes"], now=week["done_at"])
        last = week["done_at"]
        if week["status"] == Status.CONFIRMED:
            confirm_request(occurrence.id, asker, week["note"], now=week["confirmed_at"])
            last = week["confirmed_at"]
        helped += 1
        if helped == 2:
            agree_regular(series.id, helper, helper.id, now=last + timedelta(hours=1))
            agree_regular(series.id, asker, helper.id, now=last + timedelta(hours=2))
    return series.id


def _occurrence(series_id: int, evening, made_at: datetime) -> HelpRequest | None:
    """The series' occurrence for an evening, made ahead at `made_at` if not made yet."""
    generate_for(db.session.get(RequestSeries, series_id), made_at)
    return db.session.scalar(
        select(HelpRequest).where(
            HelpRequest.series_id == series_id, HelpRequest.occurrence_date == evening
        )
    )


def _give(series_id: int, occurrence: HelpRequest, helper: User, moment: datetime) -> None:
    """The regular helper gets it first when there is one; before that the helper says yes."""
    series = db.session.get(RequestSeries, series_id)
    due = occurrence.next_round_at
    if series.regular_id == helper.id and due is not None and due <= moment:
        advance_request(occurrence.id, now=due)
    else:
        accept_request(occurrence.id, helper, now=max(moment, occurrence.created_at))
