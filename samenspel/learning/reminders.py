"""Reminders about signals that wait in one stage longer than their community allows, to
whoever must act next: after feedback or "not taken up", the initiative's side (who raised
it and the confirmed members of its initiatives' organisations) confirms or reopens; in
every other stage its owner (or, without one, the community's stewards) moves it on.

Each wait is reminded once: the reminder records the signal's last loop event, and a
signal is due again only after it has moved. `send_loop_reminders(now)` is what the daily
job (and the `loop_reminders` command) runs.
"""

from datetime import datetime, timedelta
from functools import partial

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Membership
from samenspel.core.models import Notification
from samenspel.core.notifications import notify
from samenspel.core.sites import site_url
from samenspel.learning.feedback import feedback_recipients
from samenspel.learning.models import LoopSettings, Signal
from samenspel.learning.stages import FEEDBACK_STAGES

DEFAULT_REMIND_AFTER_DAYS = 14
KIND = "loop-reminder"


def due_signals(now: datetime) -> QuerySet[Signal]:
    """Open signals whose last event is older than their community's waiting time and that
    have not been reminded of for that event; one query."""
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


def who_acts_next(signal: Signal) -> list[User]:
    """After feedback or "not taken up": the initiative's side; otherwise the owner, or the
    stewards when it has none."""
    if signal.stage in FEEDBACK_STAGES:
        return feedback_recipients(signal)
    if signal.owner is not None:
        return [signal.owner]
    return list(
        User.objects.filter(
            pk__in=Membership.objects.stewards()
            .filter(community=signal.community)
            .values("user_id")
        ).order_by("pk")
    )


def send_loop_reminders(now: datetime | None = None) -> int:
    """Remind whoever must act next on each due signal; returns how many signals."""
    now = now or timezone.now()
    base = site_url()
    reminded = 0
    for signal in due_signals(now):
        settings_row = getattr(signal.community, "loop_settings", None)
        days = settings_row.remind_after_days if settings_row else DEFAULT_REMIND_AFTER_DAYS
        answer = signal.stage in FEEDBACK_STAGES
        notify(
            who_acts_next(signal),
            subject=partial(_subject, signal.title),
            template="learning/email/reminder_answer.txt"
            if answer
            else "core/inbox/loop_reminder.txt",
            context={"signal": signal, "days": days, "site_url": base},
            kind=KIND,
            url=signal.get_absolute_url,
            community=signal.community,
            ref=f"loop-event:{signal.last_event_id}",
        )
        reminded += 1
    return reminded


def _subject(title: str) -> str:
    return _("A signal is waiting for you: %(title)s") % {"title": title}
