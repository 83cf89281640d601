"""The matching page in plain words: what the score means, why alternatives, what to do next."""

from __future__ import annotations

import html

from tests.factories.mentoring import mentee, mentor, program_run_by


def _run(client, program) -> str:
    """Press "Run matching" and return the review page, unescaped."""
    page = client.post(f"/mentoring/programs/{program.id}/matching/run", follow_redirects=True)
    return html.unescape(page.text)


def test_the_score_is_explained_and_alternatives_show_their_reasons(client, login):
    program, carmen = program_run_by()
    mentor(program, interests="games,reading")
    other = mentor(program, interests="art", availability="tue-15")
    mentee(program, interests="games,reading,art")
    login(carmen)

    page = _run(client, program)

    assert "What does the score mean?" in page
    assert "up to 1 point for each of four things" in page
    alternatives = page.split("Other mentors for", 1)[1].split("Turn this pair down", 1)[0]
    assert other.user.display_name in alternatives
    assert "Both like Art" in alternatives  # a reason, not only a score


def test_each_unmatched_child_gets_a_next_step_from_their_own_times(client, login):
    program, carmen = program_run_by()
    mentor(program, availability="mon-15")
    mentee(program, first_name="Ana", last_initial="R", availability="tue-15")
    mentee(program, first_name="Ben", last_initial="S", availability="thu-15")
    login(carmen)

    page = _run(client, program)

    assert "Not matched in the last run" in page
    assert (
        "No mentor is free when Ana R. is (Tuesday after school (3 pm)): recruit a mentor" in page
    )
    assert "No mentor is free when Ben S. is (Thursday after school (3 pm))" in page
    assert "or ask the family to widen the times." in page


def test_a_child_who_needs_a_language_is_told_to_recruit_a_speaker(client, login):
    program, carmen = program_run_by()
    mentor(program, languages="en")
    mentee(program, needed_language="es", languages="es")
    login(carmen)

    page = _run(client, program)

    assert "Recruit a mentor who speaks Spanish." in page
