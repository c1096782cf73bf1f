"""Members share rendered pages per audience (core/pagecache.cache_for_members): what a
member is served from a shared copy is exactly what would have been rendered for them
alone, with their own CSRF token and unread count, and never another kind of member's."""

import re

import pytest
from django.test import Client, override_settings

from conftest import client_for
from samenspel.communities.models import Membership, Role, Side
from samenspel.core.models import Notification
from samenspel.core.notifications import forget_unread
from samenspel.core.pagecache import CSRF_PLACEHOLDER, UNREAD_PLACEHOLDER
from samenspel.learning import services
from samenspel.learning.models import Theme
from samenspel.learning.stages import Stage
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.initiative_factories import InitiativeFactory

PAGES = [
    "/en/c/publiek/",
    "/c/publiek/members/",
    "/en/c/publiek/loop/",
    "/en/c/publiek/signals/?stage=in-verkenning",
    "/en/c/publiek/signals/{signal}/",
    "/c/besloten/",  # private: shared among its members too
    "/api/v1/communities/publiek/members",
    "/api/v1/communities/publiek/loop",
]
TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


@pytest.fixture
def cast(world):
    """Members of several kinds, and a signal that some of them raised or own."""
    organisation = OrganisationFactory(community=world.public, name="Energie Coöperatie")
    initiative = InitiativeFactory(community=world.public, organisation=organisation)
    confirmed = UserFactory(email="bevestigd@example.org", display_name="Bea Bevestigd")
    waiting = UserFactory(email="wachtend@example.org", display_name="Wim Wachtend")
    colleague = UserFactory(email="collega@example.org", display_name="Cor Collega")
    # Of the same kind as the raiser and the owner, without raising or owning it.
    neighbour = UserFactory(email="buur@example.org", display_name="Ilse Initiatief")
    civil_servant = UserFactory(email="ambtenaar@example.org", display_name="Ad Ambtenaar")
    MembershipFactory(user=neighbour, community=world.public, side=Side.INITIATIEF)
    # Confirmed for another organisation: no rights on this initiative's signal.
    other = UserFactory(email="ander@example.org", display_name="Otto Ander")
    MembershipFactory(
        user=other,
        community=world.public,
        side=Side.INITIATIEF,
        organisation=OrganisationFactory(community=world.public, name="Zon Zuid"),
    )
    MembershipFactory(user=civil_servant, community=world.public, side=Side.GEMEENTE)
    for user in (confirmed, colleague):
        MembershipFactory(
            user=user, community=world.public, side=Side.INITIATIEF, organisation=organisation
        )
    MembershipFactory(
        user=waiting,
        community=world.public,
        side=Side.INITIATIEF,
        organisation=organisation,
        organisation_confirmed_at=None,
    )
    Theme.objects.get_or_create(community=world.public, slug="energie", name="Energie")
    signal = services.raise_signal(
        community=world.public,
        actor=world.initiatief_member,
        title="Vergunning duurt te lang",
        what_happened="De vergunning liet negen maanden op zich wachten.",
        initiatives=[initiative],
    )
    services.move_signal(
        actor=world.gemeente_member,
        signal=signal,
        move=services.Move(to_stage=Stage.IN_VERKENNING),
        seen_event_id=signal.last_event_id,
    )
    return {
        "signal": signal,
        "people": [
            world.gemeente_member,  # owns the signal
            world.initiatief_member,  # raised it
            world.observer,
            confirmed,  # of the initiative's organisation: on the raiser's side
            colleague,
            waiting,  # chose that organisation, not yet confirmed
            neighbour,
            civil_servant,
            other,
        ],
    }


def normalised(response) -> str:
    return TOKEN.sub(r"\1TOKEN", response.content.decode())


def test_two_members_of_the_same_kind_share_one_copy(world, cast):
    first, second = cast["people"][3], cast["people"][4]  # both confirmed, same organisation
    assert client_for(first).get("/en/c/publiek/")["X-Page-Cache"] == "member-miss"
    assert client_for(second).get("/en/c/publiek/")["X-Page-Cache"] == "member-hit"


@pytest.mark.parametrize("page", PAGES)
def test_a_shared_copy_is_what_the_member_would_have_been_shown_alone(world, cast, page):
    path = page.format(signal=cast["signal"].pk)
    people = cast["people"]
    # Everyone has a different number of unread items: the badge is personal.
    for count, person in enumerate(people):
        for n in range(count):
            Notification.objects.create(recipient=person, title=f"Bericht {n}")
    forget_unread([p.pk for p in people])
    clients = {person.pk: client_for(person) for person in people}
    for person in people:  # every kind of member leaves their copy in the cache first
        clients[person.pk].get(path)
    shown = 0
    for person in people:
        shared = clients[person.pk].get(path)
        with override_settings(SHARED_MEMBER_PAGES=False):
            alone = clients[person.pk].get(path)
        assert "X-Page-Cache" not in alone
        assert shared.status_code == alone.status_code, person
        if alone.status_code == 200:  # the private community: its members only
            shown += 1
            assert shared["X-Page-Cache"] == "member-hit", person
            assert normalised(shared) == normalised(alone), person
    assert shown >= 3


def test_the_signal_page_differs_for_who_raised_it_and_who_owns_it(world, cast):
    path = f"/en/c/publiek/signals/{cast['signal'].pk}/"
    owner, raiser, observer, confirmed, colleague, waiting, neighbour, civil_servant, other = cast[
        "people"
    ]
    pages = {p.pk: client_for(p).get(path).content.decode() for p in cast["people"]}
    assert "Change the signal" in pages[raiser.pk]
    assert "Change the signal" in pages[confirmed.pk]  # the initiative's organisation
    assert "Change the signal" not in pages[waiting.pk]  # not confirmed: no rights
    assert "Change the signal" not in pages[owner.pk]
    assert 'id="move-aanpassing-voorgesteld"' in pages[owner.pk]
    assert 'id="move-aanpassing-voorgesteld"' not in pages[colleague.pk]
    assert "Move it on" not in pages[observer.pk]
    assert "Change the signal" not in pages[neighbour.pk]
    assert "Change the signal" not in pages[other.pk]  # another organisation's
    assert 'id="move-aanpassing-voorgesteld"' not in pages[civil_servant.pk]


def test_the_csrf_token_in_a_shared_copy_is_the_readers_own(world, cast):
    path = f"/en/c/publiek/signals/{cast['signal'].pk}/"
    client_for(world.gemeente_member).get(path)  # someone else's copy... of another kind
    owner = Client(enforce_csrf_checks=True)
    owner.force_login(world.gemeente_member)
    page = owner.get(path)
    assert page["X-Page-Cache"] == "member-hit"
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    moved = owner.post(
        f"/en/c/publiek/signals/{cast['signal'].pk}/move/",
        {
            "to_stage": Stage.NIET_OPGEPAKT,
            "seen_event": cast["signal"].last_event_id,
            "note": "Dit past niet in het beleid van dit jaar.",
            "csrfmiddlewaretoken": token,
        },
    )
    assert moved.status_code == 302
    cast["signal"].refresh_from_db()
    assert cast["signal"].stage == Stage.NIET_OPGEPAKT


def test_no_placeholder_ever_reaches_a_reader(world, cast):
    for person in cast["people"]:
        for page in PAGES:
            body = client_for(person).get(page.format(signal=cast["signal"].pk)).content
            assert str(CSRF_PLACEHOLDER).encode() not in body
            assert str(UNREAD_PLACEHOLDER).encode() not in body


def test_the_unread_badge_is_the_readers_own(world, cast):
    confirmed, colleague = cast["people"][3], cast["people"][4]
    # Start from empty inboxes (the cast's signal told its initiative of its steps).
    Notification.objects.filter(recipient__in=[confirmed, colleague]).delete()
    forget_unread([confirmed.pk])
    Notification.objects.create(recipient=colleague, title="Nieuw antwoord")
    Notification.objects.create(recipient=colleague, title="Nog een antwoord")
    forget_unread([colleague.pk])
    assert client_for(confirmed).get("/en/c/publiek/")["X-Page-Cache"] == "member-miss"
    mine = client_for(colleague).get("/en/c/publiek/")
    assert mine["X-Page-Cache"] == "member-hit"
    assert '<span class="ss-badge">2<span class="ss-visually-hidden"> unread' in (
        mine.content.decode()
    )
    theirs = client_for(confirmed).get("/en/c/publiek/").content.decode()
    assert 'ss-visually-hidden"> unread' not in theirs


def test_a_page_with_a_message_waiting_is_rendered_for_its_reader(world, cast):
    client = client_for(world.observer)
    client.get("/en/c/publiek/")
    client.post("/en/accounts/inbox/read-all/")  # an action that leaves a message
    page = client.get("/en/c/publiek/")
    assert "X-Page-Cache" not in page
    assert "All notifications are marked as read." in page.content.decode()
    assert client.get("/en/c/publiek/")["X-Page-Cache"] == "member-hit"  # shown once


def test_stewards_admins_and_outsiders_get_pages_of_their_own(world, cast):
    for person in (world.steward, world.admin, world.outsider):
        client = client_for(person)
        for _ in range(2):
            assert "X-Page-Cache" not in client.get("/en/c/publiek/")


def test_a_change_in_membership_changes_the_copy_at_once(world, cast):
    waiting = cast["people"][5]
    path = f"/en/c/publiek/signals/{cast['signal'].pk}/"
    client = client_for(waiting)
    assert "Change the signal" not in client.get(path).content.decode()
    membership = Membership.objects.get(user=waiting, community=world.public)
    membership.organisation_confirmed_at = membership.joined_at
    membership.save()
    assert "Change the signal" in client.get(path).content.decode()
    membership.role = Role.WAARNEMER
    membership.save()
    assert "Move it on" not in client.get(path).content.decode()


def test_token_holders_of_the_api_are_answered_alone(world, cast):
    from samenspel.accounts.models import ApiToken

    token = ApiToken.issue(user=world.observer, name="t")[1]
    client = Client()
    for _ in range(2):
        response = client.get(
            "/api/v1/communities/publiek/members", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert response.status_code == 200
        assert "X-Page-Cache" not in response
