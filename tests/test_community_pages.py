"""Community pages over HTTP: home, directory, start, edit, with their privacy rules."""

import pytest
from django.urls import reverse

from conftest import client_for
from samenspel.communities.models import Community, Membership, Role
from tests.factories import CommunityFactory, MembershipFactory, UserFactory


def latest_version(instance):
    return instance.history.order_by("-history_id").first().history_id


def test_the_home_page_lists_public_communities_only(world, client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Publiek" in response.content.decode()
    assert "Besloten" not in response.content.decode()


def test_the_home_page_shows_a_member_their_private_community(world):
    response = client_for(world.gemeente_member).get("/")
    assert "Besloten" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 404), ("outsider", 404), ("observer", 200), ("steward", 200), ("admin", 200)],
)
def test_a_private_community_answers_404_to_outsiders(world, persona, status):
    user = None if persona == "anonymous" else world.persona(persona)
    for name in ("community_home", "members"):
        response = client_for(user).get(reverse(name, args=["besloten"]))
        assert response.status_code == status


def test_the_community_home_shows_the_three_tracks_and_recent_activity(world):
    response = client_for(world.gemeente_member).get("/c/publiek/")
    html = response.content.decode()
    assert html.count('class="ss-track"') == 3
    assert "Beleidsleren" in html
    assert "Recente activiteit" in html


def test_member_emails_are_only_shown_to_members(world):
    outsider_view = client_for(world.outsider).get("/c/publiek/members/").content.decode()
    member_view = client_for(world.observer).get("/c/publiek/members/").content.decode()
    assert "steward@example.org" not in outsider_view
    assert world.steward.name in outsider_view
    assert "steward@example.org" in member_view


def test_the_member_directory_filters_by_side(world):
    html = client_for(world.steward).get("/c/publiek/members/?side=gemeente").content.decode()
    assert world.gemeente_member.name in html
    assert world.initiatief_member.name not in html


def test_list_pages_use_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    community = world.public
    for _ in range(30):
        MembershipFactory(community=community)
    client = client_for(world.steward)
    for url in ("/", "/c/publiek/", "/c/publiek/members/"):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_anyone_logged_in_can_start_a_community_and_becomes_its_steward(db):
    founder = UserFactory()
    response = client_for(founder).post(
        "/c/new/",
        {
            "name": "CoP Deventer",
            "slug": "deventer",
            "municipality": "Deventer",
            "description": "",
            "is_public": "on",
            "side": "initiatief",
        },
    )
    assert response.status_code == 302
    community = Community.objects.get(slug="deventer")
    assert Membership.objects.get(community=community, user=founder).role == Role.STEWARD


def test_starting_a_community_with_a_taken_or_reserved_slug_is_refused(world):
    client = client_for(world.outsider)
    for slug in ("publiek", "new"):
        response = client.post(
            "/c/new/",
            {"name": "X", "slug": slug, "municipality": "X", "side": "overig"},
        )
        assert response.status_code == 200
        assert "Er is al een groep" in response.content.decode()
    assert Community.objects.count() == 2


def test_an_overlong_description_is_refused_with_a_message(world):
    response = client_for(world.steward).post(
        "/c/publiek/edit/",
        {
            "name": "Publiek",
            "municipality": "Zwolle",
            "description": "x" * 4001,
            "is_public": "on",
            "based_on": latest_version(world.public),
        },
    )
    assert response.status_code == 200
    assert "4000" in response.content.decode()
    world.public.refresh_from_db()
    assert world.public.description == ""


@pytest.mark.parametrize("persona", ["outsider", "gemeente_member", "observer"])
def test_only_stewards_reach_the_steward_pages(world, persona):
    client = client_for(world.persona(persona))
    for name in ("invite", "join_requests", "edit_community"):
        assert client.get(reverse(name, args=["publiek"])).status_code == 404


def test_a_steward_edits_the_community_and_history_remembers_it(world):
    response = client_for(world.steward).post(
        "/c/publiek/edit/",
        {
            "name": "Publiek en open",
            "municipality": "Zwolle",
            "description": "Nieuw",
            "is_public": "on",
            "based_on": latest_version(world.public),
        },
    )
    assert response.status_code == 302
    world.public.refresh_from_db()
    assert world.public.name == "Publiek en open"
    latest = world.public.history.first()
    assert latest.history_user == world.steward
    assert latest.prev_record.name == "Publiek"


def test_an_unknown_community_is_404(db, client):
    assert client.get("/c/bestaat-niet/").status_code == 404


def test_an_archived_community_is_gone_for_everyone_but_kept(db):
    community = CommunityFactory(slug="oud")
    from django.utils import timezone

    Community.objects.filter(pk=community.pk).update(archived_at=timezone.now())
    assert client_for(None).get("/c/oud/").status_code == 404
    assert Community.objects.filter(slug="oud").exists()


def test_htmx_filtering_returns_only_the_member_list(world):
    response = client_for(world.steward).get(
        "/c/publiek/members/?side=initiatief", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="member-list">')
    assert "<header" not in html
    assert world.initiatief_member.name in html and world.gemeente_member.name not in html


def test_the_home_page_searches_and_pages_public_communities(db, client):
    for i in range(30):
        CommunityFactory(name=f"CoP {i:02d}", municipality="Deventer" if i == 7 else "Elders")
    first = client.get("/").content.decode()
    assert "CoP 00" in first and "CoP 29" not in first
    assert 'href="?page=2"' in first
    found = client.get("/?q=deventer").content.decode()
    assert "CoP 07" in found and "CoP 08" not in found
    partial = client.get("/?q=nergens", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="community-list">')
    assert "nergens" in partial


def test_organisations_are_listed_and_stewards_add_and_rename_them(world):
    client = client_for(world.steward)
    response = client.post(
        "/c/publiek/organisations/new/",
        {"name": "Energiecoöperatie Zuid", "kind": "initiatief", "website": ""},
    )
    assert response.status_code == 302
    organisation = world.public.organisations.get()
    duplicate = client.post(
        "/c/publiek/organisations/new/", {"name": "energiecoöperatie zuid", "kind": "overig"}
    )
    assert duplicate.status_code == 200 and world.public.organisations.count() == 1
    client.post(
        f"/c/publiek/organisations/{organisation.pk}/",
        {
            "name": "Energiecoöperatie Zuid U.A.",
            "kind": "initiatief",
            "website": "",
            "based_on": latest_version(organisation),
        },
    )
    html = client_for(world.outsider).get("/c/publiek/organisations/").content.decode()
    assert "Energiecoöperatie Zuid U.A." in html
    assert organisation.history.count() == 2
    assert client_for(world.gemeente_member).get("/c/publiek/organisations/new/").status_code == 404


def test_a_member_changes_their_own_side_and_organisation(world):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(community=world.public, name="Wijkteam")
    other = OrganisationFactory(name="Van een andere community")
    client = client_for(world.initiatief_member)
    refused = client.post("/c/publiek/membership/", {"side": "overig", "organisation": other.pk})
    assert refused.status_code == 200
    client.post("/c/publiek/membership/", {"side": "overig", "organisation": organisation.pk})
    membership = Membership.objects.get(user=world.initiatief_member, community=world.public)
    assert membership.side == "overig" and membership.organisation == organisation
    assert client_for(world.outsider).get("/c/publiek/membership/").status_code == 404


def test_two_stewards_editing_at_once_do_not_overwrite_each_other(world):
    second = UserFactory()
    MembershipFactory(user=second, community=world.public, role=Role.STEWARD)
    first_client, second_client = client_for(world.steward), client_for(second)
    import re

    form_html = first_client.get("/c/publiek/edit/").content.decode()
    based_on = re.search(r'name="based_on" value="(\d+)"', form_html).group(1)
    second_form = second_client.get("/c/publiek/edit/").content.decode()
    second_based_on = re.search(r'name="based_on" value="(\d+)"', second_form).group(1)

    saved = first_client.post(
        "/c/publiek/edit/",
        {"name": "Eerste", "municipality": "Zwolle", "is_public": "on", "based_on": based_on},
    )
    assert saved.status_code == 302
    refused = second_client.post(
        "/c/publiek/edit/",
        {
            "name": "Tweede",
            "municipality": "Zwolle",
            "is_public": "on",
            "based_on": second_based_on,
        },
    )
    assert refused.status_code == 200
    assert (
        "terwijl jij" in refused.content.decode() or "niet opgeslagen" in refused.content.decode()
    )
    world.public.refresh_from_db()
    assert world.public.name == "Eerste"


def test_the_activity_page_lists_older_changes_too(world, django_assert_max_num_queries):
    for _ in range(12):
        MembershipFactory(community=world.public)
    client = client_for(world.observer)
    home = client.get("/c/publiek/").content.decode()
    assert home.count("<time") == 8
    with django_assert_max_num_queries(12):
        full = client.get("/c/publiek/activity/").content.decode()
    assert full.count("<time") >= 16
    assert client_for(world.outsider).get("/c/besloten/activity/").status_code == 404
