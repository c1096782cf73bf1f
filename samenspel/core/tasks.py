"""Emails as tasks (ARCHITECTURE principle 10).

An email is first an `EmailDelivery` row, written in the same transaction as the change
it tells about; once that transaction commits, a task sends it. A rolled-back change so
sends nothing; a failing mail server never undoes a change. A failed attempt is retried
with a growing wait; after the last one the delivery is marked failed, and the stewards of
its community see it (and can try again). A periodic sweep re-enqueues deliveries whose
task was lost, so a delivery that was written is always attempted.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from samenspel.core.models import DeliveryStatus, EmailDelivery, Notification

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd, … failed attempt; after the last one the delivery has failed.
RETRY_WAITS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
]
MAX_ATTEMPTS = len(RETRY_WAITS) + 1
# While one worker sends, others leave the delivery alone for this long.
SENDING_LEASE = timedelta(minutes=10)
# The sweep re-enqueues a pending delivery this long past its due time (its task was lost).
LOST_AFTER = timedelta(minutes=5)


def single_line(text: str, limit: int = 300) -> str:
    """A subject or title on one line: any run of whitespace (newlines too) becomes one
    space, so no text can break an email header."""
    line = " ".join(str(text).split())
    return line[:limit] or "Samenspel"


def queue_email(
    *,
    to: str,
    subject: str,
    body: str,
    html_body: str = "",
    from_email: str = "",
    recipient_id: int | None = None,
    community_id: int | None = None,
    notification: Notification | None = None,
    kind: str = "general",
) -> EmailDelivery:
    """Write the email as a delivery and send it once the current transaction commits."""
    (delivery,) = queue_deliveries(
        [
            EmailDelivery(
                to=to,
                subject=subject,
                body=body,
                html_body=html_body,
                from_email=from_email,
                recipient_id=recipient_id,
                community_id=community_id,
                notification=notification,
                kind=kind,
            )
        ]
    )
    return delivery


def queue_deliveries(deliveries: list[EmailDelivery]) -> list[EmailDelivery]:
    """Write several deliveries at once; each is sent after the transaction commits."""
    if not deliveries:
        return []
    for delivery in deliveries:
        delivery.subject = single_line(delivery.subject)
    created = EmailDelivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in created]

    def enqueue_all() -> None:
        for pk in ids:
            enqueue_delivery(pk)

    transaction.on_commit(enqueue_all)
    return created


def enqueue_delivery(delivery_id: int, run_after: datetime | None = None) -> None:
    """Hand a delivery to the task queue. Should the queue itself be unreachable, the
    delivery stays pending and the sweep hands it over later."""
    try:
        if run_after is None:
            deliver_email.enqueue(delivery_id)
        else:
            deliver_email.using(run_after=run_after).enqueue(delivery_id)
    except Exception:
        logger.exception("Could not enqueue email delivery %s; the sweep will retry", delivery_id)


@task()
def deliver_email(delivery_id: int) -> str:
    """Send one delivery, if it is still due; on failure, plan the next attempt."""
    now = timezone.now()
    # Claim it: only one worker sends a delivery, also when its task was enqueued twice.
    claimed = EmailDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + SENDING_LEASE)
    if not claimed:
        return "skipped"
    delivery = EmailDelivery.objects.get(pk=delivery_id)
    message = EmailMultiAlternatives(
        subject=single_line(delivery.subject),
        body=delivery.body,
        from_email=delivery.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[delivery.to],
    )
    if delivery.html_body:
        message.attach_alternative(delivery.html_body, "text/html")
    delivery.attempts += 1
    try:
        message.send()
    except Exception as error:
        delivery.last_error = f"{type(error).__name__}: {error}"[:500]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.save(update_fields=["attempts", "last_error", "status"])
            logger.error("Email delivery %s failed for good: %s", delivery.pk, delivery.last_error)
            return "failed"
        delivery.next_attempt_at = timezone.now() + RETRY_WAITS[delivery.attempts - 1]
        delivery.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        enqueue_delivery(delivery.pk, run_after=delivery.next_attempt_at)
        return "retry"
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["attempts", "status", "sent_at"])
    if delivery.notification_id:
        Notification.objects.filter(pk=delivery.notification_id).update(emailed=True)
    return "sent"


def retry_delivery(delivery: EmailDelivery) -> None:
    """Try a failed delivery again from the start (its attempts begin anew)."""
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    transaction.on_commit(partial(enqueue_delivery, delivery.pk))


@task()
def sweep_deliveries() -> int:
    """Re-enqueue pending deliveries that are well past their due time (their task was
    lost: the queue was down, or a worker died while sending)."""
    due = EmailDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now() - LOST_AFTER
    ).values_list("pk", flat=True)[:1000]
    ids = list(due)
    for pk in ids:
        enqueue_delivery(pk)
    return len(ids)


@task()
def prune_task_results() -> None:
    """Finished task results of the database queue are kept a week."""
    from django.core.management import call_command

    if "django_tasks_db" in settings.INSTALLED_APPS:
        call_command("prune_db_task_results", min_age_days=7, verbosity=0)
