"""Figures of the loop per community, computed in the database from the loop events.

- how many signals are in each stage, and how long the oldest open one has been there
  (since its newest event) and since it was raised;
- the median lead time from raising a signal to its first feedback (teruggekoppeld or
  niet-opgepakt), per quarter of that feedback;
- per theme: open and closed signals and the median lead time.

Everything is an aggregate over indexed columns; no loop over signals in Python, and
`loop_figures` keeps the aggregates per content version of the community in the cache. The median
is `percentile_cont` on PostgreSQL. SQLite has no such aggregate, so there the lead times
alone are fetched, ordered per group, and the middle is taken (`median_by_fetch`); both give
the same answer (tested).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Min,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.communities.models import Community
from samenspel.learning.models import LoopEvent, Signal, Theme
from samenspel.learning.stages import FEEDBACK_STAGES, Stage

DAY = 86400.0
FIGURES_TIMEOUT = 24 * 60 * 60
# The order in which stages are listed: the practice loop, the policy loop, then the crossing.
STAGE_ORDER = [
    Stage.GEMELD,
    Stage.BESPROKEN,
    Stage.IN_VERKENNING,
    Stage.AANPASSING_VOORGESTELD,
    Stage.BESLOTEN,
    Stage.TERUGGEKOPPELD,
    Stage.AFGESLOTEN,
    Stage.HEROPEND,
    Stage.NIET_OPGEPAKT,
]


class MedianSeconds(Aggregate):
    """PostgreSQL: the median of an interval, in seconds."""

    function = "percentile_cont"
    name = "MedianSeconds"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s))"
    output_field = FloatField()


@dataclass
class StageFigures:
    stage: str
    label: str
    count: int
    open: bool
    # Days since the oldest open signal in this stage got there, and since it was raised.
    oldest_days: int | None
    oldest_raised_days: int | None


@dataclass
class QuarterLeadTime:
    year: int
    quarter: int
    signals: int
    median_days: float

    @property
    def label(self) -> str:
        """In plain words: "4e kwartaal 2026"."""
        return _("quarter %(quarter)s of %(year)s") % {"quarter": self.quarter, "year": self.year}


@dataclass
class ThemeFigures:
    id: int
    name: str
    slug: str
    open: int
    closed: int
    median_days: float | None


@dataclass
class LoopFigures:
    stages: list[StageFigures]
    quarters: list[QuarterLeadTime]
    themes: list[ThemeFigures]
    # Half of all signals got their first answer within this many days (None: none yet).
    median_days: float | None = None

    def stage(self, stage: str) -> StageFigures:
        return next(s for s in self.stages if s.stage == stage)

    @property
    def total(self) -> int:
        return sum(s.count for s in self.stages)


def _days(since: datetime | None, now: datetime) -> int | None:
    return None if since is None else max(0, (now - since).days)


def stage_rows(community: Community) -> dict[str, dict[str, Any]]:
    """Per current stage: how many signals, the oldest time one got there and was raised;
    one grouped query."""
    return {
        row["last_event__to_stage"]: row
        for row in Signal.objects.filter(community=community, last_event__isnull=False)
        .order_by()
        .values("last_event__to_stage")
        .annotate(count=Count("pk"), since=Min("last_event__at"), raised=Min("raised_at"))
    }


def stage_figures(
    community: Community,
    now: datetime | None = None,
    rows: dict[str, dict[str, Any]] | None = None,
) -> list[StageFigures]:
    """Counts and ages per current stage (ages in whole days until `now`)."""
    now = now or timezone.now()
    rows = stage_rows(community) if rows is None else rows
    figures = []
    for stage in STAGE_ORDER:
        row = rows.get(stage, {})
        is_open = stage != Stage.AFGESLOTEN
        figures.append(
            StageFigures(
                stage=stage,
                label=str(Stage(stage).label),
                count=row.get("count", 0),
                open=is_open,
                oldest_days=_days(row.get("since"), now) if is_open else None,
                oldest_raised_days=_days(row.get("raised"), now) if is_open else None,
            )
        )
    return figures


def first_feedback_events(community: Community) -> QuerySet[LoopEvent]:
    """Per signal its first feedback event, with `lead` = its time minus the time raised."""
    feedback = sorted(FEEDBACK_STAGES)
    earlier = LoopEvent.objects.filter(signal=OuterRef("signal"), to_stage__in=feedback).filter(
        Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), pk__lt=OuterRef("pk"))
    )
    return (
        LoopEvent.objects.filter(signal__community=community, to_stage__in=feedback)
        .filter(~Exists(earlier))
        .annotate(
            lead=ExpressionWrapper(F("at") - F("signal__raised_at"), output_field=DurationField())
        )
        .order_by()
    )


def _median(values: list[float]) -> float:
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def as_seconds(value: Any) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) / 1_000_000  # SQLite without conversion: microseconds


def median_by_sql(events: QuerySet[LoopEvent], keys: list[str]) -> dict[tuple, tuple[int, float]]:
    """{group key: (number of signals, median lead time in seconds)}; PostgreSQL only."""
    rows = events.values(*keys).annotate(n=Count("pk"), median=MedianSeconds("lead"))
    return {tuple(row[k] for k in keys): (row["n"], float(row["median"])) for row in rows}


def median_by_fetch(events: QuerySet[LoopEvent], keys: list[str]) -> dict[tuple, tuple[int, float]]:
    """The same as median_by_sql on any database: only the lead times are fetched, ordered."""
    groups: dict[tuple, list[float]] = {}
    for row in events.order_by(*keys, "lead").values_list(*keys, "lead"):
        groups.setdefault(tuple(row[:-1]), []).append(as_seconds(row[-1]))
    return {key: (len(values), _median(values)) for key, values in groups.items()}


def median_lead_times(
    events: QuerySet[LoopEvent], keys: list[str]
) -> dict[tuple, tuple[int, float]]:
    if connection.vendor == "postgresql":
        return median_by_sql(events, keys)
    return median_by_fetch(events, keys)


def quarterly_lead_times(community: Community) -> list[QuarterLeadTime]:
    events = first_feedback_events(community).annotate(
        year=ExtractYear("at"), quarter=ExtractQuarter("at")
    )
    medians = median_lead_times(events, ["year", "quarter"])
    return [
        QuarterLeadTime(year=year, quarter=quarter, signals=n, median_days=round(seconds / DAY, 1))
        for (year, quarter), (n, seconds) in sorted(medians.items())
    ]


def overall_lead_time(community: Community) -> float | None:
    """The median number of days to the first answer, over all signals that got one
    (None when none got one yet)."""
    events = first_feedback_events(community)
    if connection.vendor == "postgresql":
        seconds = events.aggregate(median=MedianSeconds("lead"))["median"]
    else:
        found = median_by_fetch(events, []).get(())
        seconds = found[1] if found else None
    return None if seconds is None else round(float(seconds) / DAY, 1)


def theme_figures(community: Community) -> list[ThemeFigures]:
    closed = Q(signals__last_event__to_stage=Stage.AFGESLOTEN)
    themes = (
        Theme.objects.filter(community=community)
        .annotate(
            closed_count=Count("signals", filter=closed),
            all_count=Count("signals"),
        )
        .order_by("name", "pk")
        .values("pk", "name", "slug", "all_count", "closed_count")
    )
    medians = median_lead_times(
        first_feedback_events(community)
        .filter(signal__themes__isnull=False)
        .annotate(theme=F("signal__themes")),
        ["theme"],
    )
    return [
        ThemeFigures(
            id=theme["pk"],
            name=theme["name"],
            slug=theme["slug"],
            open=theme["all_count"] - theme["closed_count"],
            closed=theme["closed_count"],
            median_days=(
                round(medians[(theme["pk"],)][1] / DAY, 1) if (theme["pk"],) in medians else None
            ),
        )
        for theme in themes
    ]


def loop_figures(community: Community, now: datetime | None = None) -> LoopFigures:
    """All figures of the dashboard. The aggregates are kept in the cache under the
    community's content version, which every move and change raises, so they are computed
    once per change (not per reader) and are never stale; ages are taken at `now`."""
    version = Community.objects.filter(pk=community.pk).values_list("content_version", flat=True)
    key = f"loop-figures-2:{community.pk}:{version.get()}"
    aggregates = cache.get(key)
    if aggregates is None:
        aggregates = (
            stage_rows(community),
            quarterly_lead_times(community),
            theme_figures(community),
            overall_lead_time(community),
        )
        cache.set(key, aggregates, FIGURES_TIMEOUT)
    rows, quarters, themes, median_days = aggregates
    return LoopFigures(
        stages=stage_figures(community, now, rows),
        quarters=quarters,
        themes=themes,
        median_days=median_days,
    )


def as_rows(items: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(item.__dict__) for item in items]
