"""Every message arrives, even when mail fails: emails are tasks after commit (principle 10)."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import client_for
from samenspel.core import periodic
from samenspel.core.models import DeliveryStatus, EmailDelivery, Notification, PeriodicRun
from samenspel.core.notifications import notify
from samenspel.core.tasks import MAX_ATTEMPTS, RETRY_WAITS, single_line
from samenspel.learning.models import Signal
from samenspel.learning.stages import Stage
from tests.mailbox import clear_outbox, keep_test_connection, outbox, run_on_commit, run_worker
from tests.test_notifications import signal, walk  # noqa: F401  (the fixture)

FAILING = "tests.test_deliveries.RefusingBackend"


def run_worker_command() -> None:
    with keep_test_connection():
        call_command("worker", once=True)


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def tell(world, subject="Nieuws", **extra):
    return notify(
        [world.gemeente_member],
        subject=lambda: subject,
        template="learning/email/new_signal.txt",
        context={"signal": None, "event": None, "url": "/"},
        community=world.public,
        **extra,
    )


def test_a_failing_mail_server_leaves_the_move_done_and_retries(world, signal, settings):  # noqa: F811
    settings.EMAIL_BACKEND = FAILING
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Dit ligt bij het Rijk.")
    assert outbox() == []
    # The move stands and the inbox has the outcome, whatever the mail server does.
    assert Signal.objects.get(pk=signal.pk).stage == Stage.NIET_OPGEPAKT
    item = Notification.objects.get(recipient=world.initiatief_member, kind="loop-outcome")
    assert item.emailed is False
    delivery = EmailDelivery.objects.get(notification=item)
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert "SMTPServerDisconnected" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + RETRY_WAITS[0] - timedelta(seconds=5)
    # The retry is a task waiting on the queue until its time has come.
    assert DBTaskResult.objects.filter(status="READY").exists()
    # The mail server is back; after the wait the worker sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_worker()
    assert mail.outbox == []  # not before its time
    with time_machine.travel(timezone.now() + RETRY_WAITS[0] + timedelta(seconds=1)):
        assert [m.to for m in outbox()] == [[world.initiatief_member.email]]
    delivery.refresh_from_db()
    item.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert item.emailed is True


def test_a_move_on_the_web_page_succeeds_while_mail_fails(world, signal, settings):  # noqa: F811
    settings.EMAIL_BACKEND = FAILING
    response = client_for(world.steward).post(
        f"/c/publiek/signals/{signal.pk}/move/",
        {
            "to_stage": Stage.NIET_OPGEPAKT,
            "note": "Buiten onze macht.",
            "seen_event": signal.last_event_id,
        },
    )
    assert response.status_code == 302
    run_on_commit()
    run_worker()
    assert Signal.objects.get(pk=signal.pk).stage == Stage.NIET_OPGEPAKT
    assert Notification.objects.filter(recipient=world.initiatief_member).exists()


def test_after_the_last_try_the_delivery_failed_and_stewards_see_it(world, settings):
    settings.EMAIL_BACKEND = FAILING
    tell(world, subject="Uitnodiging voor de sessie")
    now = timezone.now()
    run_on_commit()
    for attempt in range(MAX_ATTEMPTS):
        with time_machine.travel(now + timedelta(days=attempt + 1)):
            run_worker()
    delivery = EmailDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == MAX_ATTEMPTS
    steward = client_for(world.steward)
    page = steward.get("/en/c/publiek/deliveries/").content.decode()
    assert "Uitnodiging voor de sessie" in page and "Send again to" in page
    # Members who are not stewards do not see the page.
    assert client_for(world.gemeente_member).get("/c/publiek/deliveries/").status_code == 404
    # The server works again: the steward sends it again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = steward.post(f"/c/publiek/deliveries/{delivery.pk}/retry/")
    assert response.status_code == 302
    assert [m.subject for m in outbox()] == ["Uitnodiging voor de sessie"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert "Send again to" not in steward.get("/en/c/publiek/deliveries/").content.decode()


def test_a_member_cannot_resend(world, settings):
    tell(world)
    delivery = EmailDelivery.objects.get()
    EmailDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    response = client_for(world.gemeente_member).post(f"/c/publiek/deliveries/{delivery.pk}/retry/")
    assert response.status_code == 404
    assert EmailDelivery.objects.get().status == DeliveryStatus.FAILED


def test_a_rolled_back_change_sends_nothing(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        tell(world)
        raise RuntimeError("the change fails after the notification was written")
    assert outbox() == []
    assert not Notification.objects.exists() and not EmailDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_really_rolled_back_transaction_enqueues_nothing(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        tell(world)
        raise RuntimeError("rolled back")
    assert not DBTaskResult.objects.exists()
    with transaction.atomic():
        tell(world)
    # Committed: the task is on the queue without any help from the test.
    assert DBTaskResult.objects.count() == 1
    run_worker()
    assert [m.to for m in mail.outbox] == [[world.gemeente_member.email]]


def test_a_newline_in_a_title_never_breaks_delivery(world, signal):  # noqa: F811
    Signal.objects.filter(pk=signal.pk).update(title="Vergunning\r\nBcc: iedereen@example.org")
    signal.refresh_from_db()
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Nee.")
    (message,) = outbox()
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.to == [world.initiatief_member.email] and not message.bcc
    assert "Vergunning Bcc:" in message.subject
    item = Notification.objects.get(recipient=world.initiatief_member)
    assert "\n" not in item.title


def test_single_line():
    assert single_line("a\nb\r\n  c\t") == "a b c"
    assert single_line("   ") == "Samenspel"
    assert len(single_line("x" * 400)) == 300


def test_the_sweep_hands_over_a_delivery_whose_task_was_lost(world):
    tell(world)
    connection_callbacks_lost = True  # the process died before the commit hook ran
    from django.db import connection

    if connection_callbacks_lost:
        connection.run_on_commit.clear()
    run_worker()
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        run_worker_command()
        assert [m.to for m in mail.outbox] == [[world.gemeente_member.email]]
    assert EmailDelivery.objects.get().status == DeliveryStatus.SENT


def test_a_delivery_is_sent_once_even_when_enqueued_twice(world):
    tell(world)
    delivery = EmailDelivery.objects.get()
    run_on_commit()
    from samenspel.core.tasks import enqueue_delivery

    enqueue_delivery(delivery.pk)
    run_worker()
    assert len(mail.outbox) == 1


def test_periodic_jobs_are_enqueued_once_per_period(world):
    day = timezone.make_aware(timezone.datetime(2026, 3, 2, 8, 0))
    early = day.replace(hour=5)
    assert "loop-reminders" not in periodic.enqueue_due_jobs(early)
    first = periodic.enqueue_due_jobs(day)
    assert "loop-reminders" in first and "email-sweep" in first
    assert periodic.enqueue_due_jobs(day + timedelta(minutes=1)) == []
    assert "loop-reminders" not in periodic.enqueue_due_jobs(day + timedelta(hours=3))
    assert "loop-reminders" in periodic.enqueue_due_jobs(day + timedelta(days=1))
    assert PeriodicRun.objects.filter(job="loop-reminders").count() == 2


def test_the_worker_runs_the_loop_reminders(world, signal):  # noqa: F811
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)
    clear_outbox()  # who raised it heard of the step
    # After the daily job's hour (07:00), whatever the time the suite runs at.
    later = (timezone.localtime() + timedelta(days=15)).replace(hour=9, minute=0)
    with time_machine.travel(later):
        run_worker_command()  # enqueues the daily job, and works it off
        # (in production the job's transaction commits and the worker sends its email)
        assert [m.to for m in outbox()] == [[world.gemeente_member.email]]
    assert Notification.objects.filter(kind="loop-reminder").count() == 1
