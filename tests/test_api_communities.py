"""The communities and members resources of the API."""

import json

import pytest

from conftest import client_for
from samenspel.accounts.models import ApiToken
from samenspel.communities.models import Community, Membership, Role
from tests.factories import CommunityFactory, MembershipFactory


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='test')[1]}"}


def test_anonymous_sees_public_communities_only(world, client):
    body = client.get("/api/v1/communities").json()
    assert body["count"] == 1
    assert body["items"][0]["slug"] == "publiek"
    assert body["items"][0]["memberCount"] == 4
    assert set(body["items"][0]) == {
        "slug",
        "name",
        "municipality",
        "description",
        "isPublic",
        "isExample",
        "memberCount",
        "createdAt",
    }


def test_a_member_sees_their_private_community_by_token(world):
    body = client_for(None).get("/api/v1/communities", **bearer(world.observer)).json()
    assert {item["slug"] for item in body["items"]} == {"publiek", "besloten"}


def test_pagination_pages_through_the_list(db, client):
    for i in range(25):
        CommunityFactory(slug=f"c-{i:02d}", name=f"C {i:02d}")
    first = client.get("/api/v1/communities?page=1&pageSize=10").json()
    third = client.get("/api/v1/communities?page=3&pageSize=10").json()
    assert first["count"] == 25 and len(first["items"]) == 10 and len(third["items"]) == 5


def test_list_queries_do_not_grow_with_the_data(db, client, django_assert_max_num_queries):
    for i in range(40):
        community = CommunityFactory(slug=f"c-{i}")
        MembershipFactory(community=community)
    with django_assert_max_num_queries(3):
        assert client.get("/api/v1/communities?pageSize=50").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/communities/c-1/members").status_code == 200


def test_members_list_shows_emails_to_members_only(world, client):
    anonymous = client.get("/api/v1/communities/publiek/members").json()
    assert anonymous["count"] == 4
    assert all(item["email"] is None for item in anonymous["items"])
    member = client_for(world.observer).get("/api/v1/communities/publiek/members").json()
    assert "steward@example.org" in {item["email"] for item in member["items"]}
    assert {
        "id",
        "name",
        "email",
        "side",
        "role",
        "organisation",
        "organisationConfirmed",
        "joinedAt",
    } == set(member["items"][0])


def test_private_members_are_404_to_outsiders(world):
    response = client_for(None).get(
        "/api/v1/communities/besloten/members", **bearer(world.outsider)
    )
    assert response.status_code == 404


def test_creating_a_community_by_token_makes_you_its_steward(world):
    response = client_for(None).post(
        "/api/v1/communities",
        data=json.dumps(
            {
                "name": "CoP Kampen",
                "slug": "kampen",
                "municipality": "Kampen",
                "isPublic": True,
                "side": "gemeente",
            }
        ),
        content_type="application/json",
        **bearer(world.outsider),
    )
    assert response.status_code == 201
    assert response.json()["slug"] == "kampen" and response.json()["memberCount"] == 1
    community = Community.objects.get(slug="kampen")
    assert Membership.objects.get(community=community).role == Role.STEWARD


def test_creating_a_community_with_a_taken_slug_is_409(world):
    response = client_for(None).post(
        "/api/v1/communities",
        data=json.dumps({"name": "Dubbel", "slug": "publiek", "municipality": "Zwolle"}),
        content_type="application/json",
        **bearer(world.outsider),
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert Community.objects.filter(slug="publiek").count() == 1


def test_session_writes_need_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.outsider)
    response = client.post(
        "/api/v1/communities",
        data=json.dumps({"name": "X", "slug": "xx", "municipality": "X"}),
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert not Community.objects.filter(slug="xx").exists()


@pytest.mark.parametrize(
    "path", ["/api/v1/communities/publiek", "/api/v1/communities/publiek/members"]
)
def test_revoked_tokens_stop_working(world, path):
    token, raw = ApiToken.issue(user=world.observer, name="t")
    token.revoke()
    response = client_for(None).get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
