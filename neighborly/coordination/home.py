"""The console home: the period asked for, what needs the coordinator, and the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from neighborly.accounts.models import Community
from neighborly.coordination.charts import chart_svg
from neighborly.coordination.connections import Connections, connections_for
from neighborly.coordination.figures import Figures, figures_for
from neighborly.coordination.needs import Needs, needs_for
from neighborly.coordination.period import Period, today_in
from neighborly.timeutil import utcnow


@dataclass(frozen=True)
class ConsoleHome:
    """Everything the console home shows."""

    period: Period
    needs: Needs
    figures: Figures


def console_home(community: Community, period: Period, now: datetime | None = None) -> ConsoleHome:
    """Read the console home for one community and period, in a fixed number of statements."""
    now = now or utcnow()
    today = today_in(community.timezone, now)
    return ConsoleHome(
        period, needs_for(community.id, now, today), figures_for(community.id, period, now)
    )


@dataclass(frozen=True)
class Chart:
    """One chart and the numbers it draws."""

    id: str
    title: str
    svg: Markup
    labels: tuple[str, ...]
    values: tuple


@dataclass(frozen=True)
class ConnectionsPage:
    """The connection metrics page: its period, figures and charts."""

    period: Period
    data: Connections
    charts: tuple[Chart, ...]


def _chart(chart_id: str, title: str, labels: tuple[str, ...], values: tuple, kind: str) -> Chart:
    """Draw one series, described in words for people who cannot see it."""
    if values:
        top = max(range(len(values)), key=lambda i: (values[i], i))
        description = _(
            "From %(first)s (%(start)s) to %(last)s (%(end)s); highest in %(top)s (%(high)s).",
            first=labels[0],
            start=values[0],
            last=labels[-1],
            end=values[-1],
            top=labels[top],
            high=values[top],
        )
    else:
        description = ""
    svg = chart_svg(chart_id, title, description, labels, values, kind)
    return Chart(chart_id, title, svg, labels, values)


def connections_page(
    community: Community, period: Period, now: datetime | None = None
) -> ConnectionsPage:
    """Month-by-month connection metrics and their charts."""
    now = now or utcnow()
    data = connections_for(community.id, period, today_in(community.timezone, now))
    labels = tuple(format_date(m.first, "MMM yyyy") for m in data.months)
    charts = (
        _chart(
            "chart-new-pairs", _("New neighbour-volunteer pairs"), labels, data.new_pairs, "bar"
        ),
        _chart(
            "chart-regular",
            _("Neighbours helped by the same volunteer 3 or more times"),
            labels,
            data.regular_pairs,
            "line",
        ),
        _chart("chart-hours", _("Hours of confirmed help"), labels, data.hours, "bar"),
        _chart("chart-thanks", _("Thank-you notes"), labels, data.thank_yous, "bar"),
        _chart(
            "chart-mentoring",
            _("Mentoring pairs meeting for 6 months or more"),
            labels,
            data.long_mentoring_pairs,
            "line",
        ),
    )
    return ConnectionsPage(period, data, charts)
