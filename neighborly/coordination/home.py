"""The console home: the period asked for, what needs the coordinator, and the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from neighborly.accounts.models import Community
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
