"""Remind owners of signals that wait in one stage longer than their community allows.

Run it daily (cron or a systemd timer). Each wait is reminded once: the reminder records the
signal's last loop event, and a signal is due again only after it has moved.
"""

from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from samenspel.accounts.models import User
from samenspel.communities.models import Membership
from samenspel.core.models import Notification
from samenspel.core.notifications import notify
from samenspel.learning.models import LoopSettings, Signal

DEFAULT_REMIND_AFTER_DAYS = 14
KIND = "loop-reminder"


def due_signals() -> Any:
    """Open signals whose last event is older than their community's waiting time and that
    have not been reminded of for that event; one query."""
    now = timezone.now()
    waits = set(LoopSettings.objects.values_list("remind_after_days", flat=True).distinct())
    waits.add(DEFAULT_REMIND_AFTER_DAYS)
    overdue = Q()
    for days in sorted(waits):
        community = Q(community__loop_settings__remind_after_days=days)
        if days == DEFAULT_REMIND_AFTER_DAYS:
            community |= Q(community__loop_settings__isnull=True)
        overdue |= community & Q(last_event__at__lte=now - timedelta(days=days))
    reminded = Notification.objects.filter(
        kind=KIND,
        ref=Concat(
            Value("loop-event:"),
            Cast(OuterRef("last_event_id"), CharField()),
            output_field=CharField(),
        ),
    )
    return (
        Signal.objects.open()
        .filter(last_event__isnull=False)
        .filter(overdue)
        .exclude(Exists(reminded))
        .select_related("community", "community__loop_settings", "last_event", "owner")
        .order_by("pk")
    )


def send_reminders() -> int:
    """Remind each due signal's owner (or, without one, the community's stewards)."""
    site_url = settings.SITE_URL.rstrip("/")
    reminded = 0
    for signal in due_signals():
        settings_row = getattr(signal.community, "loop_settings", None)
        days = settings_row.remind_after_days if settings_row else DEFAULT_REMIND_AFTER_DAYS
        if signal.owner is not None:
            recipients: list[User] = [signal.owner]
        else:
            recipients = list(
                User.objects.filter(
                    pk__in=Membership.objects.stewards()
                    .filter(community=signal.community)
                    .values("user_id")
                ).order_by("pk")
            )
        notify(
            recipients,
            subject=partial(_subject, signal.title),
            template="core/inbox/loop_reminder.txt",
            context={"signal": signal, "days": days, "site_url": site_url},
            kind=KIND,
            url=signal.get_absolute_url,
            community=signal.community,
            ref=f"loop-event:{signal.last_event_id}",
        )
        reminded += 1
    return reminded


def _subject(title: str) -> str:
    from django.utils.translation import gettext as _

    return _("A signal is waiting for you: %(title)s") % {"title": title}


class Command(BaseCommand):
    help = "Remind owners of signals that wait in one stage longer than their community allows."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_reminders()
        self.stdout.write(f"{count} signal(s) reminded.")
