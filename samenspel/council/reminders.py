"""The council's reminders, run once a day by the worker (core.periodic): a commitment past
its date reminds its owner, once and then once a week while it stays open."""

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.core.notifications import notify
from samenspel.council.models import Commitment

REMIND_AGAIN_DAYS = 7


def _past_its_date(commitment: Commitment) -> Callable[[], str]:
    what = commitment.description
    return lambda: _("Past its date: %(what)s") % {"what": what}


def remind_overdue_commitments() -> int:
    today = timezone.localdate()
    again = today - timedelta(days=REMIND_AGAIN_DAYS)
    due = (
        Commitment.objects.overdue()
        .filter(owner__isnull=False, advice__community__archived_at__isnull=True)
        .exclude(reminded_on__gt=again)
        .select_related("owner", "advice__community")
    )
    count = 0
    for commitment in due:
        with transaction.atomic():
            claimed = (
                Commitment.objects.filter(pk=commitment.pk)
                .exclude(reminded_on__gt=again)
                .update(reminded_on=today)
            )
            if not claimed:
                continue
            assert commitment.owner is not None  # filtered above
            advice = commitment.advice
            notify(
                [commitment.owner],
                subject=_past_its_date(commitment),
                template="council/email/commitment_overdue.txt",
                context={"commitment": commitment, "advice": advice},
                kind="council",
                url=advice.get_absolute_url,
                community=advice.community,
                ref=f"commitment:{commitment.pk}",
            )
            count += 1
    return count
