"""Demo data: communities, one account per role, residents and volunteers, re-runs, the CLI."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.demo import (
    ALGOMA,
    DEMO_ACCOUNTS,
    PROVISO,
    RESIDENT,
    TEEN,
    VOLUNTEER,
    demo_people,
    existing_people,
    load_demo,
    new_password,
    split_counts,
)
from neighborly.extensions import db
from neighborly.geo.cells import haversine_km

MAYWOOD = (41.8793, -87.8433)
ALGOMA_TOWN = (44.6089, -87.4326)
PROVISO_ZIPS = ["60153", "60104", "60160", "60155", "60130", "60162", "60154"]
PASSWORD = re.compile(r"\b[a-z]+-[a-z]+-[a-z]+-\d{4}\b")


def _community(slug: str) -> Community:
    return db.session.scalar(select(Community).where(Community.slug == slug))


def _role_count(slug: str, role: Role) -> int:
    return db.session.scalar(
        select(func.count(Membership.id))
        .join(Community, Community.id == Membership.community_id)
        .where(Community.slug == slug, Membership.role == role)
    )


def _sign_in(app, email: str, password: str):
    client = app.test_client()
    return client, client.post("/account/login", data={"email": email, "password": password})


def test_demo_creates_both_communities_on_their_real_zip_codes(app):
    load_demo(residents=6, volunteers=6, seed=1)

    proviso, algoma = _community("proviso"), _community("algoma")
    assert proviso.name == "Proviso Township, Illinois"
    assert proviso.postal_code_list == PROVISO_ZIPS
    assert proviso.timezone == "America/Chicago"
    assert haversine_km(proviso.centre_lat, proviso.centre_lng, *MAYWOOD) < 4
    assert algoma.name == "Algoma, Wisconsin"
    assert algoma.postal_code_list == ["54201"]
    assert algoma.timezone == "America/Chicago"
    assert haversine_km(algoma.centre_lat, algoma.centre_lng, *ALGOMA_TOWN) < 4
    assert haversine_km(proviso.centre_lat, proviso.centre_lng, *ALGOMA_TOWN) > 250


def test_every_demo_account_signs_in_with_its_printed_password(app):
    accounts = load_demo(residents=2, volunteers=2, seed=1)

    assert [label for label, _email, _pw in accounts] == [
        "site admin", "coordinator", "resident", "volunteer", "coordinator", "mentor",
    ]
    assert len({password for _label, _email, password in accounts}) == len(accounts)
    for _label, email, password in accounts:
        assert email.endswith(".example")
        client, response = _sign_in(app, email, password)
        assert response.status_code == 302, email
        assert "/account/login" not in response.headers["Location"]
        assert client.get("/account/profile").status_code == 200
        _other, refused = _sign_in(app, email, password + "x")
        assert "do not match an account" in refused.text

    admin_email, admin_password = accounts[0][1], accounts[0][2]
    welcomed = app.test_client().post(
        "/account/login",
        data={"email": admin_email, "password": admin_password},
        follow_redirects=True,
    )
    assert "Welcome back, Dana." in welcomed.text


def test_each_demo_account_holds_its_role(app):
    load_demo(residents=0, volunteers=0, seed=1)

    users = {a.email: db.session.scalar(select(User).where(User.email == a.email))
             for a in DEMO_ACCOUNTS}
    proviso, algoma = _community("proviso"), _community("algoma")
    admin = users["admin@neighborly.example"]
    assert admin.is_site_admin
    assert [u.email for u in users.values() if u.is_site_admin] == [admin.email]
    assert users["coordinator@proviso.neighborly.example"].roles_in(proviso.id) == {
        Role.COORDINATOR}
    assert users["resident@proviso.neighborly.example"].roles_in(proviso.id) == {Role.RESIDENT}
    assert users["volunteer@proviso.neighborly.example"].roles_in(proviso.id) == {
        Role.VOLUNTEER}
    assert users["coordinator@algoma.neighborly.example"].roles_in(algoma.id) == {
        Role.COORDINATOR}
    assert users["mentor@algoma.neighborly.example"].roles_in(algoma.id) == {Role.VOLUNTEER}
    assert users["mentor@algoma.neighborly.example"].roles_in(proviso.id) == set()


def test_demo_creates_the_requested_residents_and_volunteers(app):
    load_demo(residents=12, volunteers=7, seed=3)

    assert len(existing_people(PROVISO, RESIDENT)) == split_counts(12)["proviso"] == 10
    assert len(existing_people(ALGOMA, RESIDENT)) == split_counts(12)["algoma"] == 2
    assert len(existing_people(PROVISO, VOLUNTEER)) == split_counts(7)["proviso"] == 6
    assert len(existing_people(ALGOMA, VOLUNTEER)) == split_counts(7)["algoma"] == 1
    # every volunteer volunteers; only the role accounts add to these counts
    assert _role_count("proviso", Role.VOLUNTEER) == 6 + 1
    assert _role_count("algoma", Role.VOLUNTEER) == 1 + 1
    assert _role_count("proviso", Role.COORDINATOR) == 1
    people = db.session.scalars(select(User).where(User.email.like("%.r0%"))).all()
    assert all(user.email_confirmed_at is not None for user in people)
    # the bulk people share one unusable hash, so loading them costs a single hash
    assert len({user.password_hash for user in people}) == 1


def test_bulk_people_cannot_sign_in(app):
    load_demo(residents=2, volunteers=0, seed=1)
    person = existing_people(PROVISO, RESIDENT)[0]
    for guess in ("", "password", new_password()):
        _client, response = _sign_in(app, person.email, guess)
        assert response.status_code != 302


def test_volunteers_spread_over_several_proviso_zip_codes(app):
    load_demo(residents=0, volunteers=24, seed=7)
    volunteers = demo_people(PROVISO, VOLUNTEER, count=split_counts(24)["proviso"], seed=7)
    loaded = existing_people(PROVISO, VOLUNTEER)
    assert sorted(u.email for u in loaded.values()) == sorted(p.email for p in volunteers)
    codes = Counter(person.postal_code for person in volunteers)
    assert set(codes) <= set(PROVISO_ZIPS)
    assert len(codes) >= 4
    assert max(codes.values()) <= 10


def test_people_reflect_the_communities():
    residents = demo_people(PROVISO, RESIDENT, count=400, seed=7)
    spanish = sum(person.locale == "es" for person in residents) / len(residents)
    older = sum(person.age_group == "older" for person in residents) / len(residents)
    melrose = [p for p in residents if p.postal_code == "60160"]
    assert 0.12 < spanish < 0.45
    assert older > 0.45
    assert sum(p.locale == "es" for p in melrose) / len(melrose) > spanish
    algoma_volunteers = demo_people(ALGOMA, VOLUNTEER, count=100, seed=7)
    assert {p.postal_code for p in algoma_volunteers} == {"54201"}
    assert sum(p.age_group == TEEN for p in algoma_volunteers) > 50
    assert any(p.also_resident for p in demo_people(PROVISO, VOLUNTEER, count=40, seed=7))


def test_people_are_repeatable_for_a_seed_and_differ_between_seeds():
    first = demo_people(PROVISO, RESIDENT, count=30, seed=7)
    assert first == demo_people(PROVISO, RESIDENT, count=30, seed=7)
    assert first[:10] == demo_people(PROVISO, RESIDENT, count=10, seed=7)
    assert first != demo_people(PROVISO, RESIDENT, count=30, seed=8)
    assert len({person.email for person in first}) == 30
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+\.r\d{4}@proviso\.neighborly\.example", p.email)
               for p in first)


def test_running_twice_does_not_duplicate_and_new_passwords_work(app):
    first = load_demo(residents=6, volunteers=4, seed=5)
    counts = (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Membership.id))),
        db.session.scalar(select(func.count(Community.id))),
    )
    second = load_demo(residents=6, volunteers=4, seed=5)

    assert db.session.scalar(select(func.count(User.id))) == counts[0]
    assert db.session.scalar(select(func.count(Membership.id))) == counts[1]
    assert db.session.scalar(select(func.count(Community.id))) == counts[2] == 2
    assert [a[:2] for a in first] == [a[:2] for a in second]
    _client, old = _sign_in(app, first[0][1], first[0][2])
    assert old.status_code != 302
    _client, new = _sign_in(app, second[0][1], second[0][2])
    assert new.status_code == 302


def test_running_again_with_larger_counts_tops_up(app):
    load_demo(residents=6, volunteers=0, seed=5)
    before = {u.email for u in existing_people(PROVISO, RESIDENT).values()}
    load_demo(residents=12, volunteers=0, seed=5)

    after = existing_people(PROVISO, RESIDENT)
    assert len(after) == split_counts(12)["proviso"]
    assert before <= {u.email for u in after.values()}
    fresh = [p.email for p in demo_people(PROVISO, RESIDENT, split_counts(12)["proviso"], 5)]
    assert sorted(fresh) == sorted(u.email for u in after.values())


def test_progress_is_reported(app):
    lines: list[str] = []
    load_demo(residents=60, volunteers=0, seed=2, echo=lines.append)
    assert "Creating residents in Proviso Township, Illinois ... 50/50" in lines
    assert "Creating residents in Algoma, Wisconsin ... 10/10" in lines
    lines.clear()
    load_demo(residents=60, volunteers=0, seed=2, echo=lines.append)
    assert "Proviso Township, Illinois exists already: topping it up." in lines
    assert not any(line.startswith("Creating") for line in lines)


def _cli_accounts(output: str) -> dict[str, str]:
    """email -> the rest of its line, from the command's account table."""
    found = {}
    for line in output.splitlines():
        match = re.match(r"\s+\S.*?\s(\S+@\S+)\s+(.*)$", line)
        if match:
            found[match[1]] = match[2]
    return found


@pytest.mark.parametrize("show", [True, False])
def test_cli_demo_prints_passwords_only_when_configured(app, monkeypatch, show):
    monkeypatch.setitem(app.config, "SHOW_DEMO_PASSWORDS", show)
    result = app.test_cli_runner().invoke(
        args=["demo", "--residents", "3", "--volunteers", "2", "--seed", "4"]
    )

    assert result.exit_code == 0, result.output
    assert "Creating residents in Proviso Township, Illinois" in result.output
    shown = _cli_accounts(result.output)
    assert set(shown) == {account.email for account in DEMO_ACCOUNTS}
    if show:
        password = shown["admin@neighborly.example"]
        assert PASSWORD.fullmatch(password)
        client, response = _sign_in(app, "admin@neighborly.example", password)
        assert response.status_code == 302
    else:
        assert set(shown.values()) == {"(hidden outside development)"}
        assert not PASSWORD.search(result.output)
    assert db.session.scalar(select(func.count(Community.id))) == 2
