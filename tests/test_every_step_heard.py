"""Every step heard (issue 9 §2): who raised a signal and its initiative hear every step;
followers of a signal hear its steps, followers of a theme or policy object and the
stewards hear of new signals; digests; links absolute to the site that sent them."""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from conftest import client_for
from samenspel.communities.models import Membership
from samenspel.communities.services import CommunityError
from samenspel.core.digests import send_digests
from samenspel.core.models import EmailFrequency, Notification, NotificationPreference
from samenspel.learning import following, services
from samenspel.learning.catalogue import save_theme
from samenspel.learning.models import Follow, PolicyObject
from samenspel.learning.services import Move
from samenspel.learning.stages import Stage
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.initiative_factories import InitiativeFactory
from tests.mailbox import outbox


@pytest.fixture
def setting(world):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation
    )
    colleague = UserFactory(email="collega@example.org")
    MembershipFactory(user=colleague, community=world.public, organisation=organisation)
    initiative = InitiativeFactory(community=world.public, organisation=organisation)
    theme = save_theme(
        actor=world.steward,
        community=world.public,
        theme=None,
        name="Vergunningen",
        description="",
    )
    return {"initiative": initiative, "theme": theme, "colleague": colleague}


def raise_it(world, setting, **extra):
    return services.raise_signal(
        community=world.public,
        actor=world.initiatief_member,
        title="Vergunning duurt te lang",
        what_happened="De vergunning liet negen maanden op zich wachten.",
        initiatives=[setting["initiative"]],
        themes=[setting["theme"]],
        **extra,
    )


def walk(signal, actor, to_stage, **extra):
    return services.move_signal(
        signal=signal, actor=actor, move=Move(to_stage=to_stage, **extra), seen_event_id=None
    )


def titles(user, kind=None):
    items = Notification.objects.filter(recipient=user)
    if kind:
        items = items.filter(kind=kind)
    return [item.title for item in items.order_by("pk")]


# New signals


def test_the_steward_hears_of_every_new_signal_and_the_raiser_does_not(world, setting):
    raise_it(world, setting)
    assert titles(world.steward, "signal-new") == ["Nieuw signaal: Vergunning duurt te lang"]
    assert titles(world.initiatief_member) == []
    assert titles(world.gemeente_member) == []  # follows nothing


def test_who_follows_a_theme_hears_of_new_signals_in_it(world, setting):
    following.follow(actor=world.gemeente_member, subject=setting["theme"])
    raise_it(world, setting)
    assert titles(world.gemeente_member, "signal-new") == [
        "Nieuw signaal: Vergunning duurt te lang"
    ]
    mails = [m for m in outbox() if m.to == [world.gemeente_member.email]]
    assert len(mails) == 1
    assert "http://127.0.0.1:8000/c/publiek/signals/" in mails[0].body


def test_who_follows_a_policy_object_hears_of_new_signals_about_it(world, setting):
    rule = PolicyObject.objects.create(community=world.public, kind="regel", name="Bouwbesluit")
    following.follow(actor=world.gemeente_member, subject=rule)
    raise_it(world, setting, policy_objects=[rule])
    assert len(titles(world.gemeente_member, "signal-new")) == 1


def test_a_follower_who_left_hears_nothing(world, setting):
    following.follow(actor=world.gemeente_member, subject=setting["theme"])
    Membership.objects.filter(user=world.gemeente_member, community=world.public).update(
        left_at=timezone.now()
    )
    raise_it(world, setting)
    assert titles(world.gemeente_member) == []


def test_a_steward_can_switch_new_signals_off(world, setting):
    NotificationPreference.objects.create(user=world.steward, new_signals=False)
    raise_it(world, setting)
    assert titles(world.steward) == []


def test_an_outsider_cannot_follow(world, setting):
    with pytest.raises(CommunityError) as refused:
        following.follow(actor=world.outsider, subject=setting["theme"])
    assert refused.value.status == 403
    assert not Follow.objects.exists()


def test_following_twice_is_once_and_unfollowing_stops_it(world, setting):
    following.follow(actor=world.gemeente_member, subject=setting["theme"])
    following.follow(actor=world.gemeente_member, subject=setting["theme"])
    assert Follow.objects.count() == 1
    assert following.unfollow(actor=world.gemeente_member, subject=setting["theme"])
    raise_it(world, setting)
    assert titles(world.gemeente_member) == []


# Every step


def test_the_raiser_and_the_initiative_hear_every_step_and_the_actor_does_not(world, setting):
    signal = raise_it(world, setting)
    walk(signal, world.steward, Stage.BESPROKEN)
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)
    walk(signal, world.gemeente_member, Stage.TERUGGEKOPPELD, note="De termijn wordt korter.")
    expected = [
        "Besproken in de groep: Vergunning duurt te lang",
        f"{world.gemeente_member.name} pakt dit op: Vergunning duurt te lang",
        "De gemeente heeft gereageerd op: Vergunning duurt te lang",
    ]
    assert titles(world.initiatief_member) == expected
    assert titles(setting["colleague"]) == expected
    # The owner made the last two steps; they hear of the first only... as the step before
    # they owned it was not theirs to hear. The steward heard of the new signal only.
    assert titles(world.gemeente_member) == []
    assert titles(world.steward) == ["Nieuw signaal: Vergunning duurt te lang"]
    kinds = list(
        Notification.objects.filter(recipient=world.initiatief_member)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == ["loop-step", "loop-step", "loop-outcome"]


def test_the_owner_hears_when_the_initiative_closes_or_reopens(world, setting):
    signal = raise_it(world, setting)
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)
    walk(signal, world.gemeente_member, Stage.TERUGGEKOPPELD, note="Opgelost.")
    walk(signal, world.initiatief_member, Stage.HEROPEND)
    assert titles(world.gemeente_member) == ["Weer geopend: Vergunning duurt te lang"]


def test_who_follows_a_signal_hears_its_steps(world, setting):
    signal = raise_it(world, setting)
    following.follow(actor=world.observer, subject=signal)
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Dit ligt bij het Rijk.")
    assert titles(world.observer, "loop-step") == [
        "Niet opgepakt, met de reden: Vergunning duurt te lang"
    ]


def test_steps_respect_the_loop_switch_but_outcomes_always_arrive(world, setting):
    NotificationPreference.objects.create(user=world.initiatief_member, loop=False)
    signal = raise_it(world, setting)
    walk(signal, world.steward, Stage.BESPROKEN)
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Dit ligt bij het Rijk.")
    assert titles(world.initiatief_member) == [
        "Niet opgepakt, met de reden: Vergunning duurt te lang"
    ]


def test_a_step_message_says_what_happens_next_in_the_recipients_language(world, setting):
    world.initiatief_member.preferred_language = "en"
    world.initiatief_member.save()
    signal = raise_it(world, setting)
    walk(signal, world.steward, Stage.BESPROKEN)
    item = Notification.objects.get(recipient=world.initiatief_member)
    assert item.title == "Discussed in the group: Vergunning duurt te lang"
    assert "Next, someone takes it up" in item.body
    assert item.url == f"http://127.0.0.1:8000/en/c/publiek/signals/{signal.pk}/"


# Links


def test_links_point_at_the_server_the_change_was_made_on(world, setting):
    signal = raise_it(world, setting)
    client = client_for(world.steward)
    response = client.post(
        f"/c/publiek/signals/{signal.pk}/move/",
        {"to_stage": Stage.BESPROKEN, "seen_event": signal.last_event_id},
        HTTP_HOST="localhost:8123",
    )
    assert response.status_code == 302
    item = Notification.objects.get(recipient=world.initiatief_member, kind="loop-step")
    assert item.url == f"http://localhost:8123/c/publiek/signals/{signal.pk}/"
    (mail,) = [m for m in outbox() if m.to == [world.initiatief_member.email]]
    assert f"http://localhost:8123/c/publiek/signals/{signal.pk}/" in mail.body
    # Opening it from the inbox under yet another address still leads to the signal.
    opened = client_for(world.initiatief_member).get(
        f"/accounts/inbox/{item.pk}/", HTTP_HOST="127.0.0.1:9000"
    )
    assert opened["Location"] == f"/c/publiek/signals/{signal.pk}/"


def test_the_inbox_makes_links_in_a_message_clickable(world, setting):
    signal = raise_it(world, setting)
    walk(signal, world.steward, Stage.BESPROKEN)
    page = client_for(world.initiatief_member).get("/accounts/inbox/").content.decode()
    assert f'<a href="http://127.0.0.1:8000/c/publiek/signals/{signal.pk}/"' in page


# Digests


def test_a_daily_digest_holds_the_emails_and_sends_them_in_one(world, setting):
    NotificationPreference.objects.create(
        user=world.initiatief_member, frequency=EmailFrequency.DAILY
    )
    signal = raise_it(world, setting)
    walk(signal, world.steward, Stage.BESPROKEN)
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)
    assert [m for m in outbox() if m.to == [world.initiatief_member.email]] == []
    assert len(titles(world.initiatief_member)) == 2  # the inbox has them at once

    assert send_digests() == 1
    (digest,) = [m for m in outbox() if m.to == [world.initiatief_member.email]]
    assert digest.subject == "Je overzicht van Samenspel: 2 nieuwe berichten"
    assert "Besproken in de groep: Vergunning duurt te lang" in digest.body
    assert f"http://127.0.0.1:8000/c/publiek/signals/{signal.pk}/" in digest.body
    assert send_digests() == 0  # each item goes in one digest only


def test_an_outcome_does_not_wait_for_the_digest(world, setting):
    NotificationPreference.objects.create(
        user=world.initiatief_member, frequency=EmailFrequency.WEEKLY
    )
    signal = raise_it(world, setting)
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Dit ligt bij het Rijk.")
    mails = [m for m in outbox() if m.to == [world.initiatief_member.email]]
    assert [m.subject for m in mails] == ["Niet opgepakt, met de reden: Vergunning duurt te lang"]


def test_a_weekly_digest_goes_on_monday_only(world, setting):
    NotificationPreference.objects.create(
        user=world.initiatief_member, frequency=EmailFrequency.WEEKLY
    )
    signal = raise_it(world, setting)
    walk(signal, world.steward, Stage.BESPROKEN)
    tz = timezone.get_current_timezone()
    with time_machine.travel(datetime(2027, 1, 5, 8, tzinfo=tz)):  # a Tuesday
        assert send_digests() == 0
    with time_machine.travel(datetime(2027, 1, 11, 8, tzinfo=tz)):  # a Monday
        assert send_digests() == 1


def test_the_preferences_page_offers_the_digest(world):
    client = client_for(world.steward)
    with translation.override("nl"):
        page = client.get("/accounts/notifications/").content.decode()
    assert "Eén overzicht per dag" in page
    response = client.post(
        "/accounts/notifications/",
        {"email_enabled": "on", "frequency": "weekly", "loop": "on", "new_signals": "on"},
    )
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=world.steward).frequency == "weekly"


def test_following_from_the_theme_page(world, setting):
    client = client_for(world.gemeente_member)
    page = client.get("/c/publiek/themes/").content.decode()
    assert f"/c/publiek/follow/theme/{setting['theme'].pk}/" in page
    response = client.post(
        f"/c/publiek/follow/theme/{setting['theme'].pk}/", {"next": "/c/publiek/themes/"}
    )
    assert response["Location"] == "/c/publiek/themes/"
    assert Follow.objects.filter(user=world.gemeente_member, theme=setting["theme"]).exists()
    client.post(f"/c/publiek/follow/theme/{setting['theme'].pk}/", {"stop": "1"})
    assert not Follow.objects.exists()


def test_following_a_signal_from_its_page(world, setting):
    signal = raise_it(world, setting)
    client = client_for(world.observer)
    url = f"/c/publiek/follow/signal/{signal.pk}/"
    assert url in client.get(signal.get_absolute_url()).content.decode()
    client.post(url)
    page = client.get(signal.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in page  # the shared copy knows who follows
    assert (
        client_for(world.gemeente_member)
        .get(signal.get_absolute_url())
        .content.decode()
        .count('aria-pressed="false"')
        == 1
    )


def test_who_raised_a_signal_is_told_they_hear_every_step_instead_of_a_follow_button(
    world, setting
):
    signal = raise_it(world, setting)
    url = f"/c/publiek/follow/signal/{signal.pk}/"
    raiser_page = client_for(world.initiatief_member).get(signal.get_absolute_url())
    assert 'id="hears-every-step"' in raiser_page.content.decode()
    assert url not in raiser_page.content.decode()
    other_page = client_for(world.gemeente_member).get(signal.get_absolute_url())
    assert 'id="hears-every-step"' not in other_page.content.decode()
    assert url in other_page.content.decode()


def test_an_outsider_cannot_follow_through_the_page(world, setting):
    signal = raise_it(world, setting)
    client_for(world.outsider).post(f"/c/publiek/follow/signal/{signal.pk}/")
    client_for(world.outsider).post(f"/c/besloten/follow/theme/{setting['theme'].pk}/")
    assert not Follow.objects.exists()
