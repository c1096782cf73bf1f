"""Signals out as CSV, for a report to the council or a spreadsheet: one row per signal of
the list as filtered, with its stage, lead time and what answered it. A fixed number of
queries, however many rows."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from samenspel.communities.models import Community
from samenspel.core.spreadsheets import safe_text, to_csv
from samenspel.initiatives.models import Initiative
from samenspel.learning.models import Adjustment, PolicyObject, Signal, Theme
from samenspel.learning.stats import DAY, as_seconds, first_feedback_events

COLUMNS = [
    "id",
    "title",
    "stage",
    "raised",
    "raised_by",
    "on_behalf_of",
    "initiatives",
    "themes",
    "policy_objects",
    "impact",
    "urgency",
    "policy_owner",
    "days_to_feedback",
    "days_since_raised",
    "outcome",
    "adjustments",
    "url",
]


def _joined(names: Iterable[str]) -> str:
    return safe_text(";".join(names))


def signal_rows(
    community: Community, signals: QuerySet[Signal], base_url: str, now: datetime | None = None
) -> list[list[str]]:
    now = now or timezone.now()
    feedback = first_feedback_events(community)
    leads = dict(feedback.values_list("signal_id", "lead"))  # type: ignore[misc]
    signals = (
        signals.select_related("last_event", "raised_by", "owner", "on_behalf_of")
        .prefetch_related(
            Prefetch("initiatives", queryset=Initiative.objects.only("pk", "name")),
            Prefetch("themes", queryset=Theme.objects.only("pk", "name")),
            Prefetch("policy_objects", queryset=PolicyObject.objects.only("pk", "name")),
            Prefetch("adjustments", queryset=Adjustment.objects.only("pk", "title")),
        )
        .order_by("-raised_at", "-pk")
    )
    rows = []
    for signal in signals:
        last = signal.last_event
        lead = leads.get(signal.pk)
        rows.append(
            [
                str(signal.pk),
                safe_text(signal.title),
                signal.stage,
                timezone.localtime(signal.raised_at).date().isoformat(),
                safe_text(signal.raised_by.name if signal.raised_by else ""),
                safe_text(signal.on_behalf_of.name if signal.on_behalf_of else ""),
                _joined(i.name for i in signal.initiatives.all()),
                _joined(t.name for t in signal.themes.all()),
                _joined(p.name for p in signal.policy_objects.all()),
                signal.impact,
                signal.urgency,
                safe_text(signal.owner.name if signal.owner else ""),
                "" if lead is None else f"{as_seconds(lead) / DAY:.1f}",
                str((now - signal.raised_at).days),
                last.outcome if last else "",
                _joined(a.title for a in signal.adjustments.all()),
                f"{base_url}/c/{community.slug}/signals/{signal.pk}/",
            ]
        )
    return rows


def signals_csv(community: Community, signals: QuerySet[Signal], base_url: str) -> str:
    return to_csv(COLUMNS, signal_rows(community, signals, base_url))
