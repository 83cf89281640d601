"""Related resources beside help requests and programs come from mapped topics."""

from __future__ import annotations

from neighborly.help_requests.models import Category, Status
from neighborly.resources import services
from neighborly.resources.library import STARTING_TOPICS, load_starting_library
from tests.factories.help_requests import HelpRequestFactory
from tests.factories.mentoring import mentor, program_run_by
from tests.factories.resources import make_resource


def test_a_completed_check_in_visit_offers_reading_on_connection_and_mental_health(app):
    request = HelpRequestFactory(category=Category.VISIT, status=Status.COMPLETED)
    make_resource(title="Mentoring how-to", topic_slugs=("mentoring",))
    make_resource(title="Feeling alone", topic_slugs=("mental-behavioral-health",))
    make_resource(title="Knowing your neighbours", topic_slugs=("social-connection",))
    slugs = services.topics_for_help_category(request.category)
    assert slugs == ["social-connection", "mental-behavioral-health"]
    related = [r.title for r in services.related_resources(slugs)]
    assert related == ["Knowing your neighbours", "Feeling alone"]


def test_snow_and_bins_point_at_belonging_and_civic_muscle(app):
    assert services.topics_for_help_category(Category.SNOW)[0] == "belonging-civic-muscle"
    assert services.topics_for_help_category("bins")[0] == "belonging-civic-muscle"
    assert services.topics_for_help_category("something-new") == ["social-connection"]


def test_every_help_category_maps_to_topics_that_exist():
    known = {topic.slug for topic in STARTING_TOPICS}
    for category in Category:
        slugs = services.topics_for_help_category(category)
        assert slugs and set(slugs) <= known, category
    assert set(services.topics_for_program()) <= known


def test_related_resources_show_only_what_a_reader_can_open(app):
    make_resource(title="Wolves and Pups, the story", topic_slugs=("mentoring",), url=None)
    make_resource(title="How to be a good mentor", topic_slugs=("mentoring",))
    related = services.related_resources(services.topics_for_program(), limit=3)
    assert [r.title for r in related] == ["How to be a good mentor"]


def test_the_starting_library_beside_programs_has_only_openable_resources(app):
    load_starting_library()
    related = services.related_resources(services.topics_for_program(), limit=3)
    assert len(related) <= 3
    assert all(r.url for r in related)
    assert all({t.slug for t in r.topics} & set(services.topics_for_program()) for r in related)


def test_related_resources_prefer_more_matching_topics_and_keep_to_the_limit(app):
    make_resource(title="Only connection", topic_slugs=("social-connection",))
    make_resource(
        title="Connection and health",
        topic_slugs=("social-connection", "mental-behavioral-health"),
    )
    make_resource(title="Also connection", topic_slugs=("social-connection",))
    related = services.related_resources(["social-connection", "mental-behavioral-health"], 2)
    assert [r.title for r in related] == ["Connection and health", "Also connection"]
    assert services.related_resources([]) == []


def test_a_volunteers_kinds_of_help_give_their_most_fitting_topics_first():
    slugs = services.topics_for_help_categories(["visit", "snow"])
    assert slugs == ["social-connection", "belonging-civic-muscle", "mental-behavioral-health"]
    assert services.topics_for_help_categories([]) == ["social-connection"]


def test_the_coordinator_dashboard_offers_civic_muscle_first(app):
    load_starting_library()
    slugs = services.topics_for_coordinators()
    assert slugs[0] == "belonging-civic-muscle"
    related = services.related_resources(slugs)
    assert related and all("belonging-civic-muscle" in {t.slug for t in r.topics} for r in related)


def test_a_program_page_and_its_mentors_page_show_reading_on_mentoring(client, login):
    make_resource(title="How to be a good mentor", topic_slugs=("mentoring",))
    make_resource(title="Snow and civic muscle", topic_slugs=("belonging-civic-muscle",))
    program, coordinator = program_run_by()
    wolf = mentor(program)
    login(coordinator)
    overview = client.get(f"/mentoring/programs/{program.id}").get_data(as_text=True)
    assert "How to be a good mentor" in overview
    assert "Snow and civic muscle" not in overview
    login(wolf.user)
    mine = client.get(f"/mentoring/programs/{program.id}/me").get_data(as_text=True)
    assert "How to be a good mentor" in mine
