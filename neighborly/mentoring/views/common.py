"""The mentoring blueprint and what its views share: wording for templates, program pages."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from neighborly.mentoring import forms, reports, services, wording
from neighborly.resources import services as resources

bp = Blueprint("mentoring", __name__)


@bp.context_processor
def _words() -> dict:
    """Labels and wording helpers for every mentoring template."""
    return {
        "day": wording.day_text,
        "grade_label": wording.grade_label,
        "slots_text": wording.slots_text,
        "reason_text": wording.reason_text,
        "interests_text": wording.interests_text,
        "languages_text": wording.languages_text,
        "labels": wording,
    }


def related_resources() -> list:
    """Two or three published resources on mentoring and wellbeing for a program page."""
    return resources.related_resources(resources.topics_for_program(), limit=3)


def program_page(template: str, program, status: int = 200, **context) -> tuple[str, int]:
    """Render a program page with the program in context."""
    return render_template(f"mentoring/{template}", program=program, **context), status


def mentor_page(found, meeting_forms: dict | None = None, status: int = 200):
    """Render the mentor's own page (each mentee shown is audited)."""
    page = reports.mentor_page(found.id, current_user)
    today = services.program_today(found)
    meeting_forms = meeting_forms or {}
    for card in page.mentees:
        meeting_forms.setdefault(
            card.pair_id, forms.meeting_form(card.pair_id, met_on=today, formdata=None)
        )
    return program_page(
        "mentor_home.html",
        found,
        status,
        page=page,
        upcoming=services.upcoming_events_for(page.enrollment, today),
        meeting_forms=meeting_forms,
        related=related_resources(),
    )
