"""Programs, their coordinators, and mentors applying, being screened and approved."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.mentoring import services
from neighborly.mentoring.models import (
    EnrollmentStatus,
    Mentee,
    MenteeStatus,
    MentorEnrollment,
    Program,
    ProgramCoordinator,
)
from tests.factories.accounts import CommunityFactory, UserFactory, member
from tests.factories.mentoring import HIGH, LAKEVIEW, active_pair, mentee, mentor, program_run_by

PROGRAM_FORM = {
    "name": "Wolves and Pups",
    "mentor_label": "Wolf",
    "mentor_label_plural": "Wolves",
    "mentee_label": "Pup",
    "mentee_label_plural": "Pups",
    "schools": f"{HIGH}\n{LAKEVIEW}",
    "feeder_schools": f"{LAKEVIEW} > {HIGH}",
    "term_start": "2025-09-02",
    "term_end": "2026-06-05",
    "meeting_cadence_days": "7",
    "max_mentees_per_mentor": "2",
    "min_grade_gap": "2",
    "requires_guardian_consent": "y",
    "requires_training": "y",
    "requires_background_check": "y",
}
APPLICATION = {
    "grade": "10",
    "school": HIGH,
    "interests": ["reading", "games"],
    "languages": ["en", "es"],
    "availability": ["tue-15", "thu-15"],
    "gender": "",
    "gender_preference": "",
    "motivation": "A high-school mentor helped me with reading.",
}


def test_a_community_coordinator_starts_a_program_and_runs_it(client, login):
    community = CommunityFactory(slug="algoma")
    carmen = member(community, Role.COORDINATOR, first_name="Carmen")
    login(carmen)

    page = client.post("/c/algoma/mentoring/new", data=PROGRAM_FORM, follow_redirects=True)

    assert "Wolves and Pups is ready" in page.text
    program = db.session.scalar(select(Program))
    assert (program.mentor_label, program.mentee_label_plural) == ("Wolf", "Pups")
    assert program.feeder_pairs == {(LAKEVIEW, HIGH)}
    assert program.term_end == date(2026, 6, 5)
    runs = db.session.scalars(select(ProgramCoordinator.user_id)).all()
    assert runs == [carmen.id]
    assert "Wolves and Pups" in client.get("/c/algoma/mentoring").text


def test_program_form_explains_mistakes_beside_the_fields(client, login):
    community = CommunityFactory(slug="algoma")
    login(member(community, Role.COORDINATOR))
    page = client.post(
        "/c/algoma/mentoring/new",
        data={**PROGRAM_FORM, "term_end": "2025-01-01", "feeder_schools": "Nowhere > Elsewhere"},
    )
    assert page.status_code == 200
    assert "The term must end after it starts." in page.text
    assert "Write each pair as two schools from the list" in page.text
    assert db.session.scalar(select(Program)) is None


def test_only_community_coordinators_start_programs(client, login):
    community = CommunityFactory(slug="algoma")
    login(member(community, Role.VOLUNTEER))
    assert client.post("/c/algoma/mentoring/new", data=PROGRAM_FORM).status_code == 403
    assert db.session.scalar(select(Program)) is None


def test_a_program_coordinator_adds_another_community_coordinator(client, login):
    program, carmen = program_run_by()
    dana = member(program.community, Role.COORDINATOR, email="dana@example.org")
    outsider = UserFactory(email="outsider@example.org")
    login(carmen)

    refused = client.post(
        f"/mentoring/programs/{program.id}/coordinators", data={"email": outsider.email}
    )
    assert "No coordinator of this community uses this email" in refused.text
    added = client.post(
        f"/mentoring/programs/{program.id}/coordinators",
        data={"email": "dana@example.org"},
        follow_redirects=True,
    )
    assert f"{dana.display_name} now runs this program too." in added.text
    login(dana)
    assert client.get(f"/mentoring/programs/{program.id}").status_code == 200


def test_a_teen_applies_and_the_coordinator_screens_and_approves(client, login):
    program, carmen = program_run_by()
    kaylee = member(program.community, Role.VOLUNTEER, first_name="Kaylee", last_name="Delfosse")
    login(kaylee)

    applied = client.post(
        f"/mentoring/programs/{program.id}/apply", data=APPLICATION, follow_redirects=True
    )
    assert "Thank you for applying!" in applied.text
    assert "Parent or guardian consent" in applied.text and "Mentor training" in applied.text
    enrollment = db.session.scalar(select(MentorEnrollment))
    assert enrollment.status == EnrollmentStatus.APPLIED
    assert enrollment.slot_set == {"tue-15", "thu-15"} and enrollment.language_set == {"en", "es"}

    login(carmen)
    listing = client.get(f"/mentoring/programs/{program.id}/mentors").text
    assert "Kaylee D." in listing and "Applied, waiting for a coordinator" in listing
    client.post(
        f"/mentoring/mentors/{enrollment.id}/screening",
        data={
            "guardian_consent_on": "2025-09-10",
            "training_completed_on": "2025-09-12",
            "capacity": "2",
        },
    )
    approved = client.post(f"/mentoring/mentors/{enrollment.id}/approve", follow_redirects=True)
    assert "Kaylee D. is approved." in approved.text
    assert "Every requirement is complete." in approved.text
    db.session.refresh(enrollment)
    assert enrollment.status == EnrollmentStatus.APPROVED and enrollment.capacity == 2
    assert enrollment.guardian_consent_on == date(2025, 9, 10)

    login(kaylee)
    home = client.get(f"/mentoring/programs/{program.id}/me").text
    assert "You are ready." in home


def test_capacity_cannot_exceed_the_program_maximum_or_drop_below_current_mentees(client, login):
    program, carmen = program_run_by(max_mentees_per_mentor=2)
    wolf = mentor(program, capacity=2, active_count=2)
    login(carmen)
    too_many = client.post(f"/mentoring/mentors/{wolf.id}/screening", data={"capacity": "3"})
    assert too_many.status_code == 400 and "Enter between 1 and 2." in too_many.text
    too_few = client.post(f"/mentoring/mentors/{wolf.id}/screening", data={"capacity": "1"})
    assert too_few.status_code == 400
    assert "This mentor already has more mentees than that." in too_few.text
    db.session.refresh(wolf)
    assert wolf.capacity == 2


def test_the_screening_service_itself_refuses_a_capacity_over_the_program_maximum(app):
    program, carmen = program_run_by(max_mentees_per_mentor=2)
    wolf = mentor(program, capacity=1)
    over = services.Screening(None, None, None, capacity=5)
    with pytest.raises(services.CapacityOutOfRange):
        services.record_screening(wolf.id, carmen, over)
    db.session.refresh(wolf)
    assert wolf.capacity == 1


def test_a_coordinator_declines_with_a_reason_and_the_mentor_can_apply_again(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program, status=EnrollmentStatus.APPLIED)
    login(carmen)
    client.post(f"/mentoring/mentors/{wolf.id}/decline", data={"reason": "Schedule is full"})
    db.session.refresh(wolf)
    assert (wolf.status, wolf.decline_reason) == (EnrollmentStatus.DECLINED, "Schedule is full")

    login(wolf.user)
    client.post(f"/mentoring/programs/{program.id}/apply", data=APPLICATION)
    db.session.refresh(wolf)
    assert wolf.status == EnrollmentStatus.APPLIED


def test_a_mentor_withdraws_but_not_while_they_have_a_mentee(client, login):
    program, _carmen = program_run_by()
    busy = mentor(program, capacity=1)
    active_pair(busy, mentee(program))
    login(busy.user)
    refused = client.post(f"/mentoring/programs/{program.id}/withdraw", follow_redirects=True)
    assert "you still have a mentee" in refused.text
    db.session.refresh(busy)
    assert busy.status == EnrollmentStatus.APPROVED

    free = mentor(program)
    login(free.user)
    client.post(f"/mentoring/programs/{program.id}/withdraw")
    db.session.refresh(free)
    assert free.status == EnrollmentStatus.WITHDRAWN


def test_coordinators_do_not_apply_to_mentor_where_they_approve_mentors(client, login):
    program, carmen = program_run_by()
    login(carmen)
    assert client.get(f"/mentoring/programs/{program.id}/apply").status_code == 404
    refused = client.post(f"/mentoring/programs/{program.id}/apply", data=APPLICATION)
    assert refused.status_code == 404
    assert db.session.scalar(select(MentorEnrollment)) is None


def test_members_see_programs_to_join_and_coordinators_only_their_own(client, login):
    community = CommunityFactory(slug="algoma")
    mine, carmen = program_run_by(community, name="Wolves and Pups")
    theirs, _dana = program_run_by(community, name="Reading Buddies")
    login(carmen)
    page = client.get("/c/algoma/mentoring").text
    assert "Wolves and Pups" in page and "Reading Buddies" not in page

    login(member(community, Role.RESIDENT))
    page = client.get("/c/algoma/mentoring").text
    assert "Apply to be a Wolf" in page and "Reading Buddies" in page
    assert mine.id != theirs.id


def test_the_program_overview_counts_what_needs_doing(client, login):
    program, carmen = program_run_by()
    mentor(program, status=EnrollmentStatus.APPLIED)
    mentor(program)
    mentee(program)
    login(carmen)
    page = client.get(f"/mentoring/programs/{program.id}").text
    assert "1 application to review" in page
    assert "Pups waiting for a mentor" in page


def test_settings_are_saved(client, login):
    program, carmen = program_run_by()
    login(carmen)
    form = client.get(f"/mentoring/programs/{program.id}/settings").text
    assert program.name in form and "Lakeview Elementary &gt; Algoma High School" in form
    client.post(
        f"/mentoring/programs/{program.id}/settings",
        data={**PROGRAM_FORM, "meeting_cadence_days": "14", "requires_training": ""},
    )
    db.session.refresh(program)
    assert program.meeting_cadence_days == 14 and program.requires_training is False
    assert program.term_start == date(2025, 9, 2)


MENTEE_FORM = {
    "first_name": "Mia",
    "last_initial": "r",
    "grade": "3",
    "school": LAKEVIEW,
    "teacher": "Ms Okafor",
    "interests": ["reading"],
    "languages": ["en", "es"],
    "needed_language": "es",
    "availability": ["tue-15"],
    "gender": "",
    "gender_preference": "",
    "referral_reason": "Quiet in class",
    "guardian_name": "Rosa Delgado",
    "guardian_contact": "920-555-0142",
    "guardian_consent_on": "2025-09-05",
    "notes": "",
}


def test_a_coordinator_enters_a_child_and_corrects_the_record(client, login):
    program, carmen = program_run_by()
    login(carmen)
    added = client.post(
        f"/mentoring/programs/{program.id}/mentees/new", data=MENTEE_FORM, follow_redirects=True
    )
    assert "Mia R. is on the waiting list." in added.text
    child = db.session.scalar(select(Mentee))
    assert (child.status, child.last_initial, child.needed_language) == (
        MenteeStatus.WAITING,
        "R",
        "es",
    )
    form = client.get(f"/mentoring/mentees/{child.id}/edit").text
    assert 'value="Rosa Delgado"' in form
    assert _checked(form, "tue-15") and _checked(form, "reading") and not _checked(form, "art")
    client.post(
        f"/mentoring/mentees/{child.id}/edit",
        data={**MENTEE_FORM, "notes": "Loves dinosaurs", "interests": []},
    )
    db.session.refresh(child)
    assert (child.notes, child.interests) == ("Loves dinosaurs", "")


def test_a_consent_date_is_required_for_every_child(client, login):
    program, carmen = program_run_by()
    login(carmen)
    page = client.post(
        f"/mentoring/programs/{program.id}/mentees/new",
        data={**MENTEE_FORM, "guardian_consent_on": ""},
    )
    assert "Enter the date on the signed consent form." in page.text
    assert db.session.scalar(select(Mentee)) is None


def test_an_earlier_application_is_shown_to_change(client, login):
    program, _carmen = program_run_by()
    wolf = mentor(program, interests="art", availability="thu-15")
    login(wolf.user)
    page = client.get(f"/mentoring/programs/{program.id}/apply").text
    assert "You have already applied." in page
    assert _checked(page, "art") and _checked(page, "thu-15") and not _checked(page, "music")


def _checked(page: str, value: str) -> bool:
    """Whether the checkbox with this value is ticked."""
    tag = re.search(rf'<input[^>]*value="{value}"[^>]*>', page)
    return bool(tag) and "checked" in tag.group(0)
