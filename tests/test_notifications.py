"""Notifications: inbox and email as preferences allow, loop outcomes that always arrive,
the inbox page, and reminders about signals that wait too long."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Membership, Side
from samenspel.communities.services import request_to_join
from samenspel.core.models import Notification, NotificationPreference
from samenspel.core.notifications import notify
from samenspel.learning import services
from samenspel.learning.models import LoopSettings
from samenspel.learning.reminders import send_loop_reminders as send_reminders
from samenspel.learning.services import Move
from samenspel.learning.stages import Stage
from tests.factories import OrganisationFactory, UserFactory
from tests.initiative_factories import InitiativeFactory
from tests.mailbox import clear_outbox, outbox


def switch_everything_off(user):
    NotificationPreference.objects.create(
        user=user, email_enabled=False, community=False, initiatives=False, loop=False
    )


@pytest.fixture
def signal(world):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation
    )
    initiative = InitiativeFactory(community=world.public, organisation=organisation)
    raised = services.raise_signal(
        community=world.public,
        actor=world.initiatief_member,
        title="Vergunning duurt te lang",
        what_happened="De vergunning liet negen maanden op zich wachten.",
        initiatives=[initiative],
    )
    clear_outbox()  # the stewards heard of the new signal; tests look at what follows
    return raised


def walk(signal, actor, to_stage, **extra):
    return services.move_signal(
        signal=signal,
        actor=actor,
        move=Move(to_stage=to_stage, **extra),
        seen_event_id=signal.last_event_id,
    )


# Preferences


def test_an_ordinary_notification_reaches_inbox_and_email_by_default(world):
    applicant = UserFactory(preferred_language="en")
    request_to_join(community=world.public, user=applicant, side=Side.INITIATIEF)
    item = Notification.objects.get(recipient=world.steward)
    assert item.kind == "join-request"
    assert "/c/publiek/" in item.url
    assert item.read_at is None
    assert [m.to for m in outbox()] == [[world.steward.email]]


def test_a_switched_off_group_sends_nothing(world):
    switch_everything_off(world.steward)
    request_to_join(community=world.public, user=UserFactory(), side=Side.INITIATIEF)
    assert not Notification.objects.filter(recipient=world.steward).exists()
    assert outbox() == []


def test_email_off_keeps_the_inbox(world):
    NotificationPreference.objects.create(user=world.steward, email_enabled=False)
    request_to_join(community=world.public, user=UserFactory(), side=Side.INITIATIEF)
    item = Notification.objects.get(recipient=world.steward)
    assert item.emailed is False
    assert outbox() == []


def test_other_groups_stay_on(world):
    NotificationPreference.objects.create(user=world.steward, loop=False, initiatives=False)
    request_to_join(community=world.public, user=UserFactory(), side=Side.INITIATIEF)
    assert Notification.objects.filter(recipient=world.steward, kind="join-request").exists()
    assert len(outbox()) == 1


def test_notify_is_written_in_each_recipients_language(world):
    english = UserFactory(preferred_language="en")
    notify(
        [english],
        subject=lambda: "Hello",
        template="learning/email/new_signal.txt",
        context={"signal": None, "event": None, "site_url": ""},
        kind="general",
        url="/somewhere/",
    )
    item = Notification.objects.get(recipient=english)
    assert item.title == "Hello"
    assert item.url == "http://127.0.0.1:8000/somewhere/"  # SITE_URL outside a request


# Loop outcomes always arrive


def test_loop_outcomes_arrive_with_everything_switched_off(world, signal):
    switch_everything_off(world.initiatief_member)
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Dit ligt bij het Rijk.")
    assert [m.to for m in outbox()] == [[world.initiatief_member.email]]
    item = Notification.objects.get(recipient=world.initiatief_member)
    assert item.kind == "loop-outcome"
    assert item.always is True
    assert item.emailed is True
    assert item.url.endswith(f"/c/publiek/signals/{signal.pk}/")
    assert item.community == world.public
    assert "Rijk" in item.body


# The inbox page


def make_items(user, count, **fields):
    Notification.objects.bulk_create(
        Notification(recipient=user, title=f"Bericht {n}", url="/c/publiek/", **fields)
        for n in range(count)
    )


def test_the_inbox_needs_a_login():
    response = client_for(None).get("/en/accounts/inbox/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_inbox_shows_only_your_own_newest_first(world, django_assert_max_num_queries):
    Notification.objects.create(
        recipient=world.steward, title="Older", created_at=timezone.now() - timedelta(days=2)
    )
    Notification.objects.create(recipient=world.steward, title="Newer")
    Notification.objects.create(recipient=world.outsider, title="Not yours")
    long_ago = timezone.now() - timedelta(days=5)
    make_items(world.steward, 30, created_at=long_ago, read_at=long_ago)
    client = client_for(world.steward)
    with django_assert_max_num_queries(6):
        response = client.get("/en/accounts/inbox/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Newer") < page.index("Older")
    assert "Not yours" not in page
    assert page.count(">Unread<") == 2
    assert len(response.context["items"]) == 25
    assert response.context["page_obj"].paginator.count == 32


def test_the_inbox_query_count_does_not_grow_with_the_page(world, django_assert_max_num_queries):
    make_items(world.steward, 80)
    client = client_for(world.steward)
    with django_assert_max_num_queries(6):
        response = client.get("/en/accounts/inbox/?page=2")
    assert response.status_code == 200


def test_opening_an_item_marks_it_read_and_follows_its_link(world):
    item = Notification.objects.create(recipient=world.steward, title="Kijk", url="/c/publiek/")
    response = client_for(world.steward).get(f"/en/accounts/inbox/{item.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/c/publiek/"
    item.refresh_from_db()
    assert item.read_at is not None


def test_an_item_never_sends_you_off_site(world):
    item = Notification.objects.create(
        recipient=world.steward, title="Kijk", url="https://evil.example.com/"
    )
    response = client_for(world.steward).get(f"/en/accounts/inbox/{item.pk}/")
    assert response["Location"].endswith("/accounts/inbox/")


def test_someone_elses_item_is_not_found(world):
    item = Notification.objects.create(recipient=world.outsider, title="Niet van jou")
    client = client_for(world.steward)
    assert client.post(f"/en/accounts/inbox/{item.pk}/read/").status_code == 404
    assert client.get(f"/en/accounts/inbox/{item.pk}/").status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_read_and_mark_all_read(world):
    make_items(world.steward, 3)
    make_items(world.outsider, 2)
    client = client_for(world.steward)
    first = Notification.objects.filter(recipient=world.steward).first()
    assert client.post(f"/en/accounts/inbox/{first.pk}/read/").status_code == 302
    assert Notification.objects.filter(recipient=world.steward).unread().count() == 2
    assert client.post("/en/accounts/inbox/read-all/").status_code == 302
    assert Notification.objects.filter(recipient=world.steward).unread().count() == 0
    assert Notification.objects.filter(recipient=world.outsider).unread().count() == 2


def test_the_menu_shows_the_unread_count(world):
    client = client_for(world.steward)
    response = client.get("/en/accounts/profile/")
    assert "unread" not in response.content.decode()
    make_items(world.steward, 2)
    notify(
        [world.steward],
        subject=lambda: "Nog een",
        template="learning/email/new_signal.txt",
        context={"signal": None, "event": None, "site_url": ""},
    )
    response = client.get("/en/accounts/profile/")
    # The cache was cleared by notify(); bulk-made items count too on the fresh count.
    assert response.context["unread_notifications"] == 3
    assert '3<span class="ss-visually-hidden"> unread' in response.content.decode()
    client.post("/en/accounts/inbox/read-all/")
    response = client.get("/en/accounts/profile/")
    assert response.context["unread_notifications"] == 0


def test_the_unread_count_costs_no_query_once_cached(world, django_assert_num_queries):
    make_items(world.steward, 1)
    client = client_for(world.steward)
    client.get("/en/accounts/tokens/")
    with django_assert_num_queries(3):  # session, user, tokens
        client.get("/en/accounts/tokens/")


def test_the_preferences_page(world):
    client = client_for(world.steward)
    response = client.get("/en/accounts/notifications/")
    assert response.status_code == 200
    assert "always reaches" in response.content.decode()
    response = client.post("/en/accounts/notifications/", {"community": "on", "loop": "on"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.steward)
    assert (preference.email_enabled, preference.community, preference.initiatives) == (
        False,
        True,
        False,
    )
    assert "/accounts/notifications/" in client.get("/en/accounts/profile/").content.decode()


# Reminders


def test_reminders_only_after_the_waiting_time_and_once_per_stage(world, signal):
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)  # the owner is now gemeente
    assert send_reminders() == 0
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        assert send_reminders() == 0
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert send_reminders() == 1
        assert send_reminders() == 0
        call_command("loop_reminders")
        emailed = [m.to for m in outbox()]  # the worker, as it runs then
    reminders = Notification.objects.filter(kind="loop-reminder")
    assert [n.recipient for n in reminders] == [world.gemeente_member]
    assert reminders[0].ref == f"loop-event:{signal.last_event_id}"
    assert reminders[0].url.endswith(f"/signals/{signal.pk}/")
    assert emailed[-1] == [world.gemeente_member.email]
    # After a move the new stage has its own waiting time, and its own reminder.
    with time_machine.travel(timezone.now() + timedelta(days=16)):
        walk(signal, world.gemeente_member, Stage.AANPASSING_VOORGESTELD)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert send_reminders() == 1
        assert send_reminders() == 0
    assert Notification.objects.filter(kind="loop-reminder").count() == 2


def test_without_an_owner_the_stewards_are_reminded(world, signal):
    LoopSettings.objects.filter(community=world.public).update(remind_after_days=3)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert send_reminders() == 0
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert send_reminders() == 1
    assert [n.recipient for n in Notification.objects.filter(kind="loop-reminder")] == [
        world.steward
    ]


def test_closed_signals_are_not_reminded(world, signal):
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Buiten onze macht.")
    walk(signal, world.initiatief_member, Stage.AFGESLOTEN, outcome="not-solved")
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        assert send_reminders() == 0


def test_the_reminder_query_count_does_not_grow_with_signals(
    world, signal, django_assert_max_num_queries
):
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)
    for n in range(5):
        services.raise_signal(
            community=world.public, actor=world.steward, title=f"Later {n}", what_happened="x"
        )
    later = time_machine.travel(timezone.now() + timedelta(days=5))
    with later, django_assert_max_num_queries(3):
        assert send_reminders() == 0
