"""No input ever yields a 500: every URL, every role, every form field, nasty values.

One world holds a record of every kind. Each signed-in role walks every rule in
`app.url_map` with the world's ids (plus an absurd id and a negative-looking string where
the converter allows them), GETs every page, then POSTs nothing and POSTs every field of
every form it was shown, filled with values people (and scripts) really send.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from flask import Flask, got_request_exception
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.routing import IntegerConverter, Rule

from neighborly.accounts.models import Role, User
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status, VolunteerProfile
from neighborly.mentoring.models import (
    DoNotPair,
    EnrollmentStatus,
    GroupEvent,
    Mentee,
    MenteeStatus,
    Program,
)
from neighborly.messages.models import Message, ThreadKind
from neighborly.notifications.models import Notification
from neighborly.resources.models import Resource, ResourceSuggestion
from neighborly.resources.search import install_search
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import (
    HelpRequestFactory,
    invitation,
    volunteer,
    weekly_series,
)
from tests.factories.mentoring import (
    ProgramFactory,
    active_pair,
    add_coordinator,
    mentee,
    mentor,
    proposal,
)
from tests.factories.resources import make_resource
from tests.factories.snow import snow_day
from tests.url_rules import rule_urls

NASTY = (
    "",
    " ",
    "x" * 10000,
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "０１２",
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "javascript:alert(1)",
    "ﷺ🙂",
)
NUMBERISH = ("-1", "0", "99999999999999999999", "1e309", "NaN", "2026-02-30", "０１２", "")
# Field names that hold a number, a date, a time or a record id.
NUMERIC_NAME = re.compile(
    r"(^|_)(id|ids|minutes|grade|capacity|radius|count|days|gap|max|min|lat|lng|on|date|"
    r"time|at|by|start|end|score|hours|cadence|mentor|mentee|volunteer|number|per)(_|$)"
)
# Per ordinary field, this many nasty values, rotating through the list so all are used.
PER_FIELD = 3
ABSURD_ID = 2**63
ABSURD_STRING = "-1"
# Each role and the fewest forms it must be shown and fill in (so a broken sign-in cannot pass).
ROLES = {"admin": 40, "resident": 12, "volunteer": 11, "mentor": 10, "anonymous": 4}


@dataclass
class World:
    """A community with a record of every kind, and who plays each role."""

    people: dict[str, User | None]
    ids: dict[str, list[object]]


@dataclass
class Form:
    """A POST form seen on a page: where it goes, its field names and starting values."""

    action: str
    method: str = "post"
    names: list[str] = field(default_factory=list)
    defaults: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, value: str | None) -> None:
        """Note a field; None is an unticked box (a name with no starting value)."""
        if name not in self.names:
            self.names.append(name)
        if value is not None:
            self.defaults.setdefault(name, []).append(value)

    def starting_values(self) -> dict[str, list[str]]:
        """What the page would send, with empty boxes filled in plausibly so checks go deeper."""
        values = {}
        for name, sent in self.defaults.items():
            filled = [v if v.strip() else plausible(name) for v in sent]
            values[name] = [v for v in filled if v is not None] or sent
        return values


@dataclass
class Failure:
    """One request that broke the rule."""

    role: str
    method: str
    endpoint: str
    url: str
    payload: str
    status: int
    error: str

    def __str__(self) -> str:
        """One readable line."""
        return (
            f"{self.status} {self.method} {self.url} ({self.endpoint}) as {self.role} "
            f"payload={self.payload} {self.error}"
        )


# Plausible values for fields a page leaves empty, so one nasty field meets otherwise good input.
PLAUSIBLE = {
    "email": "someone.new@example.org",
    "password": "a long enough passphrase",
    "postal_code": "60153",
    "postal_codes": "60153",
    "lat": "41.88",
    "lng": "-87.84",
    "centre_lat": "41.88",
    "centre_lng": "-87.84",
    "timezone": "America/Chicago",
    "slug": "new-place",
    "url": "https://example.org/page",
    "needed_by": "2030-01-02T10:00",
    "phone": "708-555-0100",
    "resident_phone": "708-555-0100",
    "last_initial": "Q",
    "minutes": "45",
    "capacity": "2",
    "radius_km": "5",
    "snowfall": "4",
    "day": "2030-01-02",
    "deadline_hours": "24",
    "snow_capacity": "2",
    "walking_km": "1",
}
PLAUSIBLE_DATE = re.compile(r"(_on|term_start|term_end)$")


def plausible(name: str) -> str | None:
    """A believable value for an empty field, by its name (None: leave it empty)."""
    bare = name.rsplit("-", 1)[-1]
    if bare in PLAUSIBLE:
        return PLAUSIBLE[bare]
    if PLAUSIBLE_DATE.search(bare):
        return (date.today() - timedelta(days=1)).isoformat()
    if re.search(r"name|title|label|reason|details|summary|notes|motivation|activity|place", bare):
        return "Plain words"
    return None


def build_world() -> World:
    """Everything a page could show, with a person for each role."""
    install_search(db.session.connection())
    db.session.commit()
    community = CommunityFactory(slug="maywood")
    admin = member(community, Role.COORDINATOR, is_site_admin=True)
    neighbour = resident(community)
    helper = volunteer(community)
    program = ProgramFactory(community=community)
    add_coordinator(program, admin)
    wolf, spare = mentor(program), mentor(program)
    applicant = mentor(program, status=EnrollmentStatus.APPLIED)
    pup, other_pup = mentee(program), mentee(program)
    waiting = mentee(program, status=MenteeStatus.WAITING)
    pair = active_pair(wolf, pup)
    offer = proposal(spare, other_pup)
    event = GroupEvent(
        program_id=program.id,
        community_id=community.id,
        name="Wolf Den dinner",
        held_on=date.today() + timedelta(days=7),
        minutes=90,
    )
    rule = DoNotPair(
        program_id=program.id,
        community_id=community.id,
        mentor_id=spare.id,
        mentee_id=waiting.id,
        reason="Cousins",
    )
    resource = make_resource()
    suggestion = ResourceSuggestion(title="A walking group", summary="Tuesdays.", source="Me")
    suggestion.suggested_by_id = neighbour.id
    db.session.add_all([event, rule, suggestion])
    db.session.commit()
    requests = [
        HelpRequestFactory(community=community, requester=neighbour),
        HelpRequestFactory(
            community=community,
            requester=neighbour,
            status=Status.ACCEPTED,
            volunteer_id=helper.id,
            accepted_at=utcnow(),
        ),
        HelpRequestFactory(
            community=community,
            requester=neighbour,
            status=Status.COMPLETED,
            volunteer_id=helper.id,
            accepted_at=utcnow(),
            completed_at=utcnow(),
            minutes_spent=30,
        ),
    ]
    notice = Notification(user_id=neighbour.id, kind="help_requests.accepted", title="Hello")
    message = Message(
        thread_kind=ThreadKind.REQUEST,
        thread_id=requests[1].id,
        community_id=community.id,
        author_id=neighbour.id,
        body="See you at 7",
    )
    db.session.add_all([notice, message])
    snow, line = snow_day(requests[0], helper.id)
    asked = invitation(requests[0], helper)
    standing = weekly_series(community, neighbour)
    db.session.commit()
    return World(
        people={
            "admin": admin,
            "resident": neighbour,
            "volunteer": helper,
            "mentor": wolf.user,
            "anonymous": None,
        },
        ids={
            "slug": [community.slug, "social-connection"],
            "token": ["not-a-real-token"],
            "request_id": [r.id for r in requests],
            "profile_id": [db.session.scalar(select(VolunteerProfile.id))],
            "program_id": [program.id],
            "enrollment_id": [wolf.id, applicant.id],
            "mentee_id": [waiting.id],
            "pair_id": [pair.id, offer.id],
            "event_id": [event.id],
            "rule_id": [rule.id],
            "resource_id": [resource.id],
            "suggestion_id": [suggestion.id],
            "notice_id": [notice.id],
            "message_id": [message.id],
            "snow_day_id": [snow.id],
            "snow_line_id": [line.id],
            "invitation_id": [asked.id],
            "series_id": [standing.id],
            "kind": ["requests", "hours", "people", "nonsense"],
            "user_id": [helper.id, neighbour.id],
            "report_id": [_report(community, neighbour, helper)],
        },
    )


def _report(community, reporter, subject) -> int:
    """One open report in the community."""
    from neighborly.accounts.safety_models import Report

    report = Report(
        community_id=community.id, reporter_id=reporter.id, subject_id=subject.id, reason="Late"
    )
    db.session.add(report)
    db.session.commit()
    return report.id


class FormParser(HTMLParser):
    """Collect each form's action, method and its fields' starting values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._chosen: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a form or note a field."""
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            unticked = a.get("type") in ("checkbox", "radio") and "checked" not in a
            self._form.add(a["name"], None if unticked else a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select, self._chosen = a["name"], None
        elif tag == "option" and self._select is not None:
            if self._chosen is None or "selected" in a:
                self._chosen = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""
        elif tag == "button" and a.get("name"):
            self._form.add(a["name"], a.get("value", ""))

    def handle_data(self, data: str) -> None:
        """Keep a textarea's text."""
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        """Close a select, textarea or form."""
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            self._form.add(self._select, self._chosen or "")
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.add(self._textarea, self._text)
            self._textarea = None
        elif tag == "form":
            self._form = None


def page_forms(page: str, page_url: str) -> list[Form]:
    """The forms on a page, each action reduced to a path."""
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        form.action = urlsplit(form.action or page_url).path
        form.names = [n for n in form.names if n != "csrf_token"]
        form.defaults.pop("csrf_token", None)
    return parser.forms


def url_variants(rule: Rule, ids: dict[str, list[object]]) -> Iterator[tuple[str, bool]]:
    """The rule's URLs with the world's ids, then with absurd values: (url, is_world)."""
    for url in rule_urls(rule, ids):
        yield url, True
    if not rule.arguments:
        return
    ints = {n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)}
    absurd = {n: [ABSURD_ID if n in ints else ABSURD_STRING] for n in rule.arguments}
    yield from ((url, False) for url in rule_urls(rule, absurd))


def payloads(form: Form) -> Iterator[dict[str, object]]:
    """Every field at once with each nasty value, then one field at a time on good values."""
    for value in NASTY:
        yield dict.fromkeys(form.names, value)
    good = form.starting_values()
    for position, name in enumerate(form.names):
        if NUMERIC_NAME.search(name.rsplit("-", 1)[-1]):
            chosen = NUMBERISH
        else:
            chosen = [NASTY[(position * PER_FIELD + k) % len(NASTY)] for k in range(PER_FIELD)]
        for value in chosen:
            yield {**good, name: value}


def short(payload: dict[str, object] | None) -> str:
    """A payload small enough to read in a failure message."""
    if payload is None:
        return "-"
    return repr({k: (str(v)[:20] + "…" if len(str(v)) > 20 else v) for k, v in payload.items()})


class Walker:
    """Send requests as one role and remember every one that broke the rule."""

    def __init__(self, app: Flask, client: FlaskClient, role: str) -> None:
        self.app, self.client, self.role = app, client, role
        self.failures: list[Failure] = []
        self.sent = 0
        self.forms_filled: set[str] = set()
        self._error = ""

    def record_error(self, sender, exception: BaseException, **extra) -> None:
        """Keep the exception behind a 500 for the failure message."""
        self._error = f"{type(exception).__name__}: {str(exception)[:200]}"

    def send(self, method: str, endpoint: str, url: str, data: dict | None = None) -> str:
        """Send one request; record it if it is a 5xx or shows a traceback; return its page."""
        self._error = ""
        if method == "GET":
            response = self.client.get(url, query_string=data)
        else:
            response = self.client.post(url, data=data)
        self.sent += 1
        db.session.rollback()
        text = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        if response.status_code >= 500 or "Traceback" in text:
            self.failures.append(
                Failure(
                    self.role,
                    method,
                    endpoint,
                    url[:120],
                    short(data),
                    response.status_code,
                    self._error,
                )
            )
        return text if response.status_code == 200 else ""


def walk(walker: Walker, login, world: World) -> None:
    """GET every page and search, then POST nothing and nasty forms to every POST rule."""
    user = world.people[walker.role]
    rules = [r for r in walker.app.url_map.iter_rules() if r.endpoint != "static"]
    forms: dict[tuple[str, str], list[Form]] = {}
    sign_in(login, user)
    for rule in rules:
        if "GET" not in rule.methods:
            continue
        for url, _is_world in url_variants(rule, world.ids):
            page = walker.send("GET", rule.endpoint, url)
            for form in page_forms(page, url):
                known = forms.setdefault((form.method, form.action), [])
                if all(f.names != form.names for f in known):
                    known.append(form)
    search_with_nasty_values(walker, forms)
    for rule in rules:
        if "POST" not in rule.methods:
            continue
        for url, is_world in url_variants(rule, world.ids):
            sign_in(login, user)
            walker.send("POST", rule.endpoint, url, {})
            if not is_world:
                continue
            for form in forms.get(("post", urlsplit(url).path), []):
                walker.forms_filled.add(url)
                for data in payloads(form):
                    walker.send("POST", rule.endpoint, url, data)


def search_with_nasty_values(walker: Walker, forms: dict[tuple[str, str], list[Form]]) -> None:
    """Send each GET form (searches, filters) with every field set to each nasty value."""
    for (method, action), found in forms.items():
        if method != "get":
            continue
        for form in found:
            for value in NASTY:
                walker.send("GET", f"form {action}", action, dict.fromkeys(form.names, value))


def sign_in(login, user: User | None) -> None:
    """Be this person again (a POST may have signed out or changed the language)."""
    if user is not None:
        login(user)


@pytest.fixture()
def server_errors_visible(app: Flask, monkeypatch) -> None:
    """Let a 500 reach the client as the error page instead of raising in the test."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


@pytest.mark.parametrize("role", ROLES)
def test_no_request_to_any_page_or_form_yields_a_server_error(
    app, client, login, server_errors_visible, role
):
    world = build_world()
    walker = Walker(app, client, role)
    with got_request_exception.connected_to(walker.record_error, app):
        walk(walker, login, world)
    report = "\n".join(str(f) for f in walker.failures[:60])
    assert not walker.failures, (
        f"{len(walker.failures)} of {walker.sent} requests as {role} broke the rule:\n{report}"
    )
    assert len(walker.forms_filled) >= ROLES[role], sorted(walker.forms_filled)


# The most important forms: who fills them in, where, and the table a refusal must leave alone.
IMPORTANT_FORMS = {
    "ask for help": ("resident", "/c/maywood/ask", HelpRequest),
    "volunteer profile": ("volunteer", "/c/maywood/volunteer/profile", VolunteerProfile),
    "mentee": ("admin", "/mentoring/programs/{program_id}/mentees/new", Mentee),
    "program": ("admin", "/c/maywood/mentoring/new", Program),
    "resource": ("admin", "/resources/new", Resource),
}


def table_rows(model) -> list[tuple]:
    """Every row of a model's table, as stored."""
    db.session.expire_all()
    return db.session.execute(select(model.__table__).order_by(model.__table__.c.id)).all()


@pytest.mark.parametrize("name", IMPORTANT_FORMS)
def test_any_text_in_an_important_form_is_saved_or_refused_without_changing_anything(
    app, client, login, server_errors_visible, name
):
    world = build_world()
    role, address, model = IMPORTANT_FORMS[name]
    url = address.format(program_id=world.ids["program_id"][0])
    login(world.people[role])
    (form,) = [f for f in page_forms(client.get(url).text, url) if f.action == url]

    @settings(
        max_examples=30,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.fixed_dictionaries({field_name: st.text() for field_name in form.names}))
    def fill_in(data: dict[str, str]) -> None:
        before = table_rows(model)
        response = client.post(url, data=data)
        db.session.rollback()
        assert response.status_code < 500, (name, data)
        if response.status_code != 302:
            assert table_rows(model) == before, (name, data)

    fill_in()
