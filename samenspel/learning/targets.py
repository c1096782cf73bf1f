"""Promised answer times: how long each stage may take before the answer is late.

The stewards set a number of days per stage (StageTarget); stages without a row use the
defaults below. A signal's answer is due its stage's days after its newest loop event; the
raiser reads it as "antwoord uiterlijk 12 januari", and a late one stands out for its
owner, the stewards and on the dashboard. Stages where the initiative answers (after
feedback or "not taken up") and a closed loop promise nothing."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
from samenspel.learning import permissions
from samenspel.learning.models import Signal, StageTarget
from samenspel.learning.stages import Stage

DEFAULT_TARGET_DAYS: dict[str, int] = {
    Stage.GEMELD: 14,
    Stage.HEROPEND: 14,
    Stage.BESPROKEN: 14,
    Stage.IN_VERKENNING: 42,
    Stage.AANPASSING_VOORGESTELD: 56,
    Stage.BESLOTEN: 14,
}
TARGET_STAGES = list(DEFAULT_TARGET_DAYS)


def target_days(community_id: int) -> dict[str, int]:
    """Days per stage for this community: its own where set, else the defaults."""
    days = dict(DEFAULT_TARGET_DAYS)
    days.update(
        StageTarget.objects.filter(community_id=community_id, stage__in=TARGET_STAGES)
        .order_by()
        .values_list("stage", "days")
    )
    return days


def target_days_by_community(community_ids: list[int]) -> dict[int, dict[str, int]]:
    """The same for several communities at once (one query); a community without its own
    answer times is left out: use DEFAULT_TARGET_DAYS for it."""
    found: dict[int, dict[str, int]] = {}
    for community_id, stage, days in StageTarget.objects.filter(
        community_id__in=community_ids, stage__in=TARGET_STAGES
    ).values_list("community_id", "stage", "days"):
        found.setdefault(community_id, dict(DEFAULT_TARGET_DAYS))[stage] = days
    return found


def answer_due(signal: Signal, days: dict[str, int]) -> date | None:
    """The day by which the next answer is promised, or None when none is promised."""
    event = signal.last_event
    stage_days = days.get(signal.stage)
    if event is None or stage_days is None:
        return None
    return timezone.localdate(event.at + timedelta(days=stage_days))


def is_overdue(signal: Signal, days: dict[str, int], now: datetime | None = None) -> bool:
    due = answer_due(signal, days)
    return due is not None and due < timezone.localdate(now or timezone.now())


def overdue_filter(days: dict[str, int], now: datetime | None = None) -> Q:
    """Signals whose promised answer is late, as a filter on Signal (one community)."""
    today = timezone.localtime(now or timezone.now()).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    late = Q(pk__in=[])
    for stage, stage_days in days.items():
        late |= Q(last_event__to_stage=stage, last_event__at__lt=today - timedelta(days=stage_days))
    return late


@transaction.atomic
def set_stage_targets(*, actor: User, community: Community, days: dict[str, int]) -> None:
    """The stewards set the answer times (days per stage, 1–365)."""
    if not permissions.can_set_waiting_times(actor, community):
        raise CommunityError(
            _("Only facilitators set the answer times."), code="not_allowed", status=403
        )
    unknown = set(days) - set(TARGET_STAGES)
    if unknown or any(not 1 <= int(value) <= 365 for value in days.values()):
        raise CommunityError(
            _("Give a number of days between 1 and 365 for each step."),
            code="invalid_days",
            status=400,
        )
    for stage, value in days.items():
        StageTarget.objects.update_or_create(
            community=community, stage=stage, defaults={"days": int(value)}
        )
