"""Delivering a loop outcome to the people who raised the signal (always, whatever their
notification settings)."""

from django.conf import settings
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Membership
from samenspel.core.notifications import notify
from samenspel.learning.models import LoopEvent, Signal
from samenspel.learning.permissions import initiative_organisations


def feedback_recipients(signal: Signal) -> list[User]:
    """Who raised it, and the contributing members of the initiatives it was raised for
    (members whose organisation is confirmed: only they speak for it)."""
    organisations = initiative_organisations(signal)
    users = {
        m.user
        for m in Membership.objects.active()
        .filter(
            community=signal.community,
            organisation_id__in=organisations,
            organisation_confirmed_at__isnull=False,
        )
        .exclude(role="waarnemer")
        .select_related("user")
    }
    if signal.raised_by is not None:
        users.add(signal.raised_by)
    return sorted(users, key=lambda user: user.pk)


def deliver_feedback(*, signal: Signal, event: LoopEvent) -> None:
    notify(
        feedback_recipients(signal),
        subject=lambda: _("What happened to your signal: %(title)s") % {"title": signal.title},
        template="learning/email/feedback.txt",
        context={"signal": signal, "event": event, "site_url": settings.SITE_URL.rstrip("/")},
        kind="loop-outcome",
        url=signal.get_absolute_url,
        community=signal.community,
        # The answer always goes back to whoever asked: no preference switches this off.
        always=True,
        ref=f"loop-event:{event.pk}",
    )
