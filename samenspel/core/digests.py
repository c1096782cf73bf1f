"""Daily and weekly digests: one email with the messages whose email waited for it.

Who chose a summary gets their inbox items at once, and their emails collected here: each
day from the job's hour for a daily summary, on Mondays for a weekly one. Each item goes
into one digest only (its `digest_pending` mark is cleared in the same transaction that
queues the email)."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext
from django_tasks import task

from samenspel.accounts.models import User
from samenspel.core.models import EmailFrequency, Notification, NotificationPreference
from samenspel.core.sites import absolute, site_url
from samenspel.core.tasks import queue_email

# A digest lists at most this many items; the rest are in the inbox (its link is given).
DIGEST_ITEMS = 50


def frequencies_due(now: datetime) -> list[str]:
    """Daily summaries every day; weekly ones on Monday."""
    due = [EmailFrequency.DAILY.value]
    if timezone.localtime(now).weekday() == 0:
        due.append(EmailFrequency.WEEKLY.value)
    return due


def send_digests(now: datetime | None = None) -> int:
    """Queue one digest email per person with waiting items; returns how many."""
    now = now or timezone.now()
    user_ids = (
        NotificationPreference.objects.filter(frequency__in=frequencies_due(now))
        .filter(user__notifications__digest_pending=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk"):
        sent += send_digest(user)
    return sent


@transaction.atomic
def send_digest(user: User) -> int:
    """One person's digest: queue it and clear the items it holds. 0 if nothing waits."""
    pending = Notification.objects.select_for_update().filter(recipient=user, digest_pending=True)
    items = list(pending.order_by("created_at", "pk"))
    if not items:
        return 0
    Notification.objects.filter(pk__in=[item.pk for item in items]).update(digest_pending=False)
    if not user.email:
        return 0
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = ngettext(
            "Your Samenspel summary: %(count)d new message",
            "Your Samenspel summary: %(count)d new messages",
            len(items),
        ) % {"count": len(items)}
        body = render_to_string(
            "core/inbox/digest.txt",
            {
                "recipient": user,
                "items": [(item, absolute(item.url)) for item in items[:DIGEST_ITEMS]],
                "more": max(0, len(items) - DIGEST_ITEMS),
                "site_url": site_url(),
            },
        )
    queue_email(to=user.email, subject=subject, body=body, recipient_id=user.pk, kind="digest")
    return 1


@task()
def digests() -> int:
    """The daily job: daily summaries, and on Mondays the weekly ones."""
    return send_digests()
