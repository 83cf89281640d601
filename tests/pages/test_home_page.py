"""The home page: what Neighborly is, and where a visitor or a member goes next."""

from __future__ import annotations

from neighborly.accounts.models import Role
from tests.factories.accounts import CommunityFactory, member
from tests.factories.resources import make_resource

JOIN = '<a class="button" href="/account/register">Join Neighborly</a>'


def test_home_page_names_itself_and_has_landmarks(client):
    page = client.get("/").text
    assert '<html lang="en">' in page
    assert "<title>Welcome · Neighborly</title>" in page
    assert 'href="#main"' in page and '<main id="main"' in page


def test_an_anonymous_visitor_is_invited_to_join_or_sign_in_and_sees_every_community(client):
    CommunityFactory(name="Proviso Township", slug="proviso")
    CommunityFactory(name="Algoma, Wisconsin", slug="algoma")

    page = client.get("/").text

    assert '<h1 id="home-title">Neighbours helping neighbours</h1>' in page
    assert JOIN in page
    assert 'href="/account/login">Sign in</a>' in page
    assert '<a href="/c/proviso">Proviso Township</a>' in page
    assert '<a href="/c/algoma">Algoma, Wisconsin</a>' in page
    assert "Your communities" not in page


def test_a_signed_in_volunteer_sees_their_own_communities_and_no_invitation(client, login):
    proviso = CommunityFactory(name="Proviso Township", slug="proviso")
    CommunityFactory(name="Algoma, Wisconsin", slug="algoma")
    login(member(proviso, Role.VOLUNTEER))

    page = client.get("/").text

    assert JOIN not in page
    mine = page.split('<h2 id="mine-title">Your communities</h2>', 1)[1]
    mine = mine.split("</section>", 1)[0]
    assert "Proviso Township" in mine and "Algoma" not in mine
    assert '<a href="/c/algoma">Algoma, Wisconsin</a>' in page  # still listed among all


def test_before_any_community_opens_the_home_page_says_so(client):
    page = client.get("/").text
    assert "No communities yet. A site administrator can open the first one." in page


def test_the_home_page_shows_featured_published_resources_only(client):
    make_resource(title="Porch chats that work", featured=True)
    make_resource(title="An ordinary guide", featured=False)
    make_resource(title="A featured draft", featured=True, published=False)

    page = client.get("/").text

    assert "Stories and guides on belonging" in page
    assert "Porch chats that work" in page
    assert "An ordinary guide" not in page and "A featured draft" not in page
