"""Visitors share one cached copy of a public page, which is never stale."""

from django.test import Client

from conftest import client_for
from samenspel.communities import services
from samenspel.communities.models import Side


def test_a_visitor_gets_the_cached_copy_until_the_community_changes(world, client):
    first = client.get("/c/publiek/members/")
    assert first["X-Page-Cache"] == "miss"
    assert client.get("/c/publiek/members/")["X-Page-Cache"] == "hit"

    services.request_to_join(community=world.public, user=world.outsider, side=Side.OVERIG)
    join_request = world.public.join_requests.get()
    services.decide_join_request(join_request=join_request, steward=world.steward, approve=True)

    fresh = client.get("/c/publiek/members/")
    assert fresh["X-Page-Cache"] == "miss"
    assert world.outsider.name in fresh.content.decode()


def test_each_language_and_query_has_its_own_copy(world, client):
    client.get("/c/publiek/members/")
    assert client.get("/en/c/publiek/members/")["X-Page-Cache"] == "miss"
    assert client.get("/c/publiek/members/?side=gemeente")["X-Page-Cache"] == "miss"
    english = client.get("/en/c/publiek/members/")
    assert english["X-Page-Cache"] == "hit"
    assert '<html lang="en"' in english.content.decode()


def test_logged_in_people_never_get_the_visitors_copy(world, client):
    client.get("/c/publiek/")
    member = client_for(world.gemeente_member)
    for _ in range(2):  # their own kind of copy (test_member_page_cache.py)
        assert member.get("/c/publiek/")["X-Page-Cache"].startswith("member-")
    steward = client_for(world.steward)
    assert "X-Page-Cache" not in steward.get("/c/besloten/")


def test_a_page_with_a_pending_message_is_not_shared(world):
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in visitor.get("/c/publiek/")


def test_cached_pages_carry_no_csrf_token(world, client):
    html = client.get("/c/publiek/").content.decode()
    assert "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html
    assert "csrftoken" not in client.get("/c/publiek/").cookies


def test_the_home_page_copy_changes_when_any_community_changes(world, client):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    world.private.is_public = True
    world.private.save()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "Besloten" in response.content.decode()


def test_api_lists_are_shared_with_visitors_but_not_with_token_holders(world, client):
    from samenspel.accounts.models import ApiToken

    assert client.get("/api/v1/communities")["X-Page-Cache"] == "miss"
    hit = client.get("/api/v1/communities")
    assert hit["X-Page-Cache"] == "hit" and hit["API-Version"]
    assert hit.json()["count"] == 1
    token = ApiToken.issue(user=world.observer, name="t")[1]
    personal = client.get("/api/v1/communities", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert "X-Page-Cache" not in personal
    assert personal.json()["count"] == 2


def test_api_member_emails_never_leak_into_the_shared_copy(world, client):
    member = client_for(world.observer)
    assert member.get("/api/v1/communities/publiek/members").json()["items"][0]["email"]
    visitor = client.get("/api/v1/communities/publiek/members").json()
    assert all(item["email"] is None for item in visitor["items"])


def test_members_see_changes_at_once_through_the_shared_fragments(world):
    member = client_for(world.observer)
    before = member.get("/c/publiek/").content.decode()
    listing_before = member.get("/c/publiek/members/").content.decode()
    assert "4 leden" in before and world.outsider.name not in listing_before

    services.request_to_join(community=world.public, user=world.outsider, side=Side.OVERIG)
    join_request = world.public.join_requests.get()
    services.decide_join_request(join_request=join_request, steward=world.steward, approve=True)

    after = member.get("/c/publiek/").content.decode()
    assert "5 leden" in after
    assert world.outsider.name in after  # the activity feed
    assert world.outsider.name in member.get("/c/publiek/members/").content.decode()


def test_the_shared_member_list_is_not_shared_between_members_and_visitors(world, client):
    member = client_for(world.observer)
    assert world.steward.email in member.get("/c/publiek/members/").content.decode()
    assert (
        world.steward.email
        not in client_for(world.outsider).get("/c/publiek/members/").content.decode()
    )


def test_pages_with_ages_in_days_get_a_fresh_copy_each_day(world, client):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from samenspel.learning import services as loop

    signal = loop.raise_signal(
        community=world.public, actor=world.steward, title="Wacht", what_happened="Lang."
    )
    page = f"/en/c/publiek/signals/{signal.pk}/"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert "for 0 days" in client.get(page).content.decode()
        assert client.get(page)["X-Page-Cache"] == "hit"
        traveller.shift(timedelta(days=3))
        later = client.get(page)
        assert later["X-Page-Cache"] == "miss"
        assert "for 3 days" in later.content.decode()
        for path in ("/en/c/publiek/loop/", "/api/v1/communities/publiek/loop"):
            client.get(path)
            traveller.shift(timedelta(days=1))
            assert client.get(path)["X-Page-Cache"] == "miss"


def test_a_new_release_never_serves_a_page_of_the_release_before(world, client, monkeypatch):
    # A page kept in Redis names the hashed static files of the release that rendered it;
    # after an upgrade those are gone, so the key carries the release.
    assert client.get("/c/publiek/members/")["X-Page-Cache"] == "miss"
    assert client.get("/c/publiek/members/")["X-Page-Cache"] == "hit"
    monkeypatch.setattr("samenspel.core.pagecache.release", lambda: "the-next-release")
    assert client.get("/c/publiek/members/")["X-Page-Cache"] == "miss"
