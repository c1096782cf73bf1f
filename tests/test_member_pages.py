"""Signed-in members' pages: what each request costs, and that what is kept for them in a
cache is never someone else's or out of date."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import client_for
from samenspel.accounts import usercache
from samenspel.communities.models import Membership, Role
from samenspel.learning import services
from samenspel.learning.models import Theme
from tests.factories import MembershipFactory

PAGES = [
    "/en/c/publiek/",
    "/en/c/publiek/members/",
    "/en/c/publiek/loop/",
    "/en/c/publiek/signals/?stage=gemeld",
    "/en/c/publiek/signals/{signal}/",
]


@pytest.fixture
def signal(world):
    Theme.objects.get_or_create(community=world.public, slug="energie", name="Energie")
    return services.raise_signal(
        community=world.public,
        actor=world.initiatief_member,
        title="Vergunning duurt te lang",
        what_happened="De vergunning liet negen maanden op zich wachten.",
    )


def warm_queries(client, path):
    """The queries of a page that this member has seen before (nothing changed since)."""
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("page", PAGES)
def test_a_warm_page_reads_no_membership(world, signal, page):
    queries = warm_queries(client_for(world.gemeente_member), page.format(signal=signal.pk))
    assert not [sql for sql in queries if 'FROM "communities_membership"' in sql]


def test_the_warm_community_home_costs_session_user_and_community(world, django_assert_num_queries):
    client = client_for(world.gemeente_member)
    client.get("/en/c/publiek/")
    with django_assert_num_queries(3):  # session, user, community
        client.get("/en/c/publiek/")


def test_a_new_role_shows_on_the_next_page(world):
    client = client_for(world.gemeente_member)
    assert "Invite people" not in client.get("/en/c/publiek/").content.decode()
    membership = Membership.objects.get(user=world.gemeente_member, community=world.public)
    membership.role = Role.STEWARD
    membership.save()
    assert "Invite people" in client.get("/en/c/publiek/").content.decode()


def test_who_left_is_no_member_on_the_next_page(world):
    client = client_for(world.gemeente_member)
    assert "Leave this community" in client.get("/en/c/publiek/").content.decode()
    membership = Membership.objects.get(user=world.gemeente_member, community=world.public)
    membership.left_at = timezone.now()
    membership.save()
    page = client.get("/en/c/publiek/").content.decode()
    assert "Leave this community" not in page
    assert client.get("/en/c/besloten/").status_code == 200  # still a member there


def test_one_members_copy_is_not_anothers(world):
    steward, member = client_for(world.steward), client_for(world.gemeente_member)
    assert "Invite people" in steward.get("/en/c/publiek/").content.decode()
    assert "Invite people" not in member.get("/en/c/publiek/").content.decode()
    assert "Invite people" in steward.get("/en/c/publiek/").content.decode()


# -- the user from a shared cache (Redis); tests run with one process, so it is shared ----


@pytest.fixture
def shared(monkeypatch):
    monkeypatch.setattr(usercache, "shared_cache", lambda: True)


def test_with_a_shared_cache_the_user_costs_no_query(world, shared):
    queries = warm_queries(client_for(world.gemeente_member), "/en/c/publiek/")
    assert not [sql for sql in queries if 'FROM "accounts_user"' in sql]


def test_without_one_the_user_is_read_each_time(world):
    queries = warm_queries(client_for(world.gemeente_member), "/en/c/publiek/")
    assert [sql for sql in queries if 'FROM "accounts_user"' in sql]


def test_a_deactivated_user_is_logged_out_at_once(world, shared):
    client = client_for(world.gemeente_member)
    assert "/accounts/logout/" in client.get("/en/c/publiek/").content.decode()
    world.gemeente_member.is_active = False
    world.gemeente_member.save()
    assert "/accounts/logout/" not in client.get("/en/c/publiek/").content.decode()


def test_a_new_password_ends_other_sessions(world, shared):
    client = client_for(world.gemeente_member)
    assert "/accounts/logout/" in client.get("/en/c/publiek/").content.decode()
    world.gemeente_member.set_password("een heel ander wachtwoord 123")
    world.gemeente_member.save()
    assert "/accounts/logout/" not in client.get("/en/c/publiek/").content.decode()


def test_a_new_name_shows_at_once(world, shared):
    client = client_for(world.gemeente_member)
    client.get("/en/c/publiek/members/")
    world.gemeente_member.display_name = "Gerda Gemeente-Nieuw"
    world.gemeente_member.save()
    assert "Gerda Gemeente-Nieuw" in client.get("/en/accounts/profile/").content.decode()


def test_the_cached_user_is_the_sessions_own(world, shared):
    first, second = client_for(world.gemeente_member), client_for(world.steward)
    first.get("/en/c/publiek/")
    second.get("/en/c/publiek/")
    assert first.get("/en/accounts/profile/").context["user"] == world.gemeente_member
    assert second.get("/en/accounts/profile/").context["user"] == world.steward


# -- the shared parts of the page shell ------------------------------------------------


def test_the_community_menu_shows_steward_links_to_stewards_only(world):
    steward, member = client_for(world.steward), client_for(world.gemeente_member)
    requests_link = 'href="/en/c/publiek/requests/"'
    assert requests_link in steward.get("/en/c/publiek/members/").content.decode()
    assert requests_link not in member.get("/en/c/publiek/members/").content.decode()
    assert requests_link in steward.get("/en/c/publiek/members/").content.decode()


def test_the_menu_marks_the_page_shown(world):
    client = client_for(world.gemeente_member)
    home = client.get("/en/c/publiek/").content.decode()
    members = client.get("/en/c/publiek/members/").content.decode()
    assert 'href="/en/c/publiek/" aria-current="page"' in home
    assert 'href="/en/c/publiek/members/" aria-current="page"' in members
    assert 'href="/en/c/publiek/" aria-current="page"' not in members


def test_a_renamed_community_shows_its_new_name_at_once(world):
    client = client_for(world.gemeente_member)
    client.get("/en/c/publiek/members/")
    world.public.name = "Publiek Hernoemd"
    world.public.save()
    assert "Publiek Hernoemd</h1>" in client.get("/en/c/publiek/members/").content.decode()


def test_the_footer_follows_the_language(world):
    client = client_for(world.gemeente_member)
    assert "API documentation" in client.get("/en/c/publiek/").content.decode()
    assert "API documentation" not in client.get("/c/publiek/").content.decode()


def test_the_warm_signal_page_reads_the_signal_with_its_community_at_once(
    world, signal, django_assert_num_queries
):
    client = client_for(world.gemeente_member)
    client.get(f"/en/c/publiek/signals/{signal.pk}/")
    with django_assert_num_queries(3):  # session, user, the signal with its community
        client.get(f"/en/c/publiek/signals/{signal.pk}/")


def test_a_signal_is_found_under_its_own_community_only(world, signal):
    client = client_for(world.gemeente_member)
    assert client.get(f"/en/c/besloten/signals/{signal.pk}/").status_code == 404
    assert client.get(f"/en/c/publiek/signals/{signal.pk}/").status_code == 200


def test_the_api_list_of_members_counts_them_once_per_change(world):
    client = client_for(world.gemeente_member)
    queries = warm_queries(client, "/api/v1/communities/publiek/members")
    assert not [sql for sql in queries if "COUNT(" in sql]
    before = client.get("/api/v1/communities/publiek/members").json()["count"]
    MembershipFactory(user=world.outsider, community=world.public)
    assert client.get("/api/v1/communities/publiek/members").json()["count"] == before + 1


def test_a_page_reads_its_community_once(world):
    queries = warm_queries(client_for(world.gemeente_member), "/en/c/publiek/members/")
    assert len([sql for sql in queries if 'FROM "communities_community"' in sql]) == 1


def test_a_community_made_private_is_closed_to_outsiders_at_once(world):
    outsider = client_for(world.outsider)
    assert outsider.get("/en/c/publiek/").status_code == 200
    world.public.is_public = False
    world.public.save()
    assert outsider.get("/en/c/publiek/").status_code == 404
    assert client_for(world.gemeente_member).get("/en/c/publiek/").status_code == 200


def test_an_archived_community_is_gone_at_once(world):
    member = client_for(world.gemeente_member)
    assert member.get("/en/c/publiek/").status_code == 200
    world.public.archived_at = timezone.now()
    world.public.save()
    assert member.get("/en/c/publiek/").status_code == 404


def test_the_warm_signal_list_checks_its_filters_only_when_it_renders_them(
    world, signal, django_assert_num_queries
):
    theme = Theme.objects.get(community=world.public, slug="energie")
    path = f"/en/c/publiek/signals/?theme={theme.pk}&stage=gemeld"
    client = client_for(world.gemeente_member)
    first = client.get(path).content.decode()
    with django_assert_num_queries(3):  # session, user, community
        again = client.get(path).content.decode()
    assert again == first.replace(csrf(first), csrf(again))


def csrf(page):
    """The page's masked CSRF token (new on every request)."""
    return page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_with_a_shared_cache_the_unread_count_comes_with_the_user_and_stays_true(world, shared):
    from samenspel.core.models import Notification
    from samenspel.core.notifications import forget_unread

    client = client_for(world.gemeente_member)
    client.get("/en/c/publiek/")  # the user and their count (none) are cached now
    Notification.objects.create(recipient=world.gemeente_member, title="Er is gereageerd")
    forget_unread([world.gemeente_member.pk])
    badge = '<span class="ss-badge">1<span class="ss-visually-hidden"> unread'
    assert badge in client.get("/en/c/publiek/").content.decode()
    with CaptureQueriesContext(connection) as captured:
        assert badge in client.get("/en/c/publiek/").content.decode()
    assert not [q for q in captured.captured_queries if "core_notification" in q["sql"]]
    client.post("/en/accounts/inbox/read-all/")
    client.get("/en/accounts/inbox/")  # the message is shown
    assert 'ss-visually-hidden"> unread' not in client.get("/en/c/publiek/").content.decode()
