"""Mentoring programs: enrolment, screening, matching, pairs, meetings, events and reports.

One blueprint (`bp`, in common.py); each module adds the views of one part of a program."""

from neighborly.mentoring.views import (  # noqa: F401  (each import registers its views)
    events,
    matching,
    mentees,
    mentors,
    pairs,
    programs,
    reports,
)
from neighborly.mentoring.views.common import bp

__all__ = ["bp"]
