"""A person without a display name is shown by a neutral name, never by a part of their email
address: not to visitors, not in the API, not in CSV exports, not in the activity feed."""

import pytest
from django.utils import translation

from conftest import client_for
from samenspel.learning import services as loop_services
from samenspel.learning.services import Move
from samenspel.learning.stages import Stage
from tests.factories import MembershipFactory, UserFactory

LOCAL_PART = "verborgen.naam"


@pytest.fixture
def nameless(world):
    user = UserFactory(email=f"{LOCAL_PART}@example.org", display_name="")
    MembershipFactory(user=user, community=world.public)
    return user


@pytest.fixture
def signal(world, nameless):
    signal = loop_services.raise_signal(
        community=world.public,
        actor=nameless,
        title="Vergunning duurt te lang",
        what_happened="Negen maanden wachten.",
    )
    # A steward names them owner too (who raised it does not take it up themselves).
    loop_services.move_signal(
        signal=signal,
        actor=world.steward,
        move=Move(to_stage=Stage.IN_VERKENNING, owner=nameless),
        seen_event_id=signal.last_event_id,
    )
    signal.refresh_from_db()
    return signal


def test_the_name_of_a_person_without_display_name_is_neutral(nameless):
    with translation.override("en"):
        assert nameless.name == "Member without a name"
        assert str(nameless) == "Member without a name"
    assert LOCAL_PART not in nameless.get_full_name()
    assert LOCAL_PART not in nameless.get_short_name()


def test_a_visitor_of_a_public_signal_page_never_sees_the_email(world, signal):
    for language in ("", "/en"):
        html = client_for(None).get(f"{language}/c/publiek/signals/{signal.pk}/").content.decode()
        assert signal.title in html
        assert LOCAL_PART not in html


def test_the_api_never_shows_the_email_to_visitors(world, signal):
    client = client_for(None)
    for url in (
        f"/api/v1/signals/{signal.pk}",
        "/api/v1/communities/publiek/signals",
        "/api/v1/communities/publiek/members?pageSize=200",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert LOCAL_PART not in response.content.decode(), url


def test_the_csv_export_never_shows_the_email(world, signal):
    for user in (None, world.outsider):
        response = client_for(user).get("/en/c/publiek/signals/export.csv")
        assert response.status_code == 200
        content = response.content.decode("utf-8-sig")
        assert signal.title in content
        assert LOCAL_PART not in content
        assert "Member without a name" in content


def test_the_activity_feed_never_shows_the_email(world, nameless, signal):
    for url in ("/en/c/publiek/activity/", "/en/c/publiek/", "/en/c/publiek/members/"):
        html = client_for(None).get(url).content.decode()
        assert LOCAL_PART not in html, url
    assert (
        "Member without a name" in client_for(None).get("/en/c/publiek/activity/").content.decode()
    )


def test_members_see_the_email_only_where_it_is_shown_on_purpose(world, nameless):
    html = client_for(world.observer).get("/en/c/publiek/members/").content.decode()
    # The directory shows members each other's address as a contact link, not as a name.
    assert f"mailto:{LOCAL_PART}@example.org" in html
    assert f">{LOCAL_PART}<" not in html
