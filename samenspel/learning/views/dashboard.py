"""The loop dashboard: the lemniscate drawn from the figures of each stage, lead times per
quarter and figures per theme, with a table that carries the same numbers."""

import functools
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samenspel.communities.models import Community
from samenspel.communities.views import _community_context, community_audience, community_version
from samenspel.core.charts import BarChart, category_chart
from samenspel.core.pagecache import cache_for_members, cache_for_visitors, dated
from samenspel.learning import permissions, targets
from samenspel.learning.models import ExternalDevelopment, Signal
from samenspel.learning.stages import (
    LOOP_ORDER,
    POLICY,
    PRACTICE,
    SIDE_PATHS,
    STAGE_MEANING,
    Stage,
)
from samenspel.learning.stats import LoopFigures, QuarterLeadTime, StageFigures, loop_figures

# The drawing: a lemniscate of Bernoulli around the crossing (where the two sides meet).
WIDTH, HEIGHT = 900, 600
CX, CY = 450, 300
A = 305  # half the width of the ∞
Y_SCALE = 1.3
RADIUS = 30
AGENDA_SIZE = 10
# Where each stage sits on the curve (parameter t, in units of π), in the direction of the
# loop (t grows): raised and discussed on the practice side, through the crossing round the
# policy side, back through the crossing to the answer and the close.
POSITIONS: dict[str, float] = {
    Stage.GEMELD: 1.2,
    Stage.BESPROKEN: 1.36,
    Stage.IN_VERKENNING: 1.66,
    Stage.AANPASSING_VOORGESTELD: 2.0,
    Stage.BESLOTEN: 2.34,
    Stage.TERUGGEKOPPELD: 2.78,
    Stage.AFGESLOTEN: 3.0,
}
# The two side paths sit above and below the crossing, their labels to the right.
CROSSING_POSITIONS: dict[str, tuple[int, int]] = {
    Stage.HEROPEND: (CX, 42),
    Stage.NIET_OPGEPAKT: (CX, HEIGHT - 42),
}
# Labels that go left of their node, clear of the step below them.
LABELS_LEFT = {Stage.BESPROKEN}
# Arrows along the curve show the direction, between the steps (t in units of π).
ARROWS = [1.1, 1.28, 1.58, 1.83, 2.17, 2.42, 2.62, 2.89]


def _point(t: float) -> tuple[float, float]:
    denominator = 1 + math.sin(t) ** 2
    x = A * math.cos(t) / denominator
    y = A * math.sin(t) * math.cos(t) / denominator
    return round(CX + x, 1), round(CY + y * Y_SCALE, 1)


@functools.cache
def lemniscate_path(steps: int = 120) -> str:
    points = [_point(2 * math.pi * i / steps) for i in range(steps)]
    return "M " + " L ".join(f"{x} {y}" for x, y in points) + " Z"


@dataclass(frozen=True)
class Arrow:
    x: float
    y: float
    angle: float


@functools.cache
def arrows() -> list[Arrow]:
    """Small arrow heads on the curve, pointing the way the loop runs."""
    found = []
    for t in ARROWS:
        x, y = _point(t * math.pi)
        ahead_x, ahead_y = _point(t * math.pi + 0.01)
        angle = math.degrees(math.atan2(ahead_y - y, ahead_x - x))
        found.append(Arrow(x=x, y=y, angle=round(angle, 1)))
    return found


@dataclass
class Node:
    figures: StageFigures
    number: int | None
    x: float
    y: float
    label_x: float
    anchor: str
    label_y: float
    age_y: float
    href: str
    loop: str
    meaning: str

    @property
    def title(self) -> str:
        """The step's name with its number: "1. Gemeld" (side paths have none)."""
        if self.number is None:
            return str(self.figures.label)
        return f"{self.number}. {self.figures.label}"

    @property
    def description(self) -> str:
        text = ngettext(
            "%(stage)s: %(count)s signal", "%(stage)s: %(count)s signals", self.figures.count
        ) % {
            "stage": self.title,
            "count": self.figures.count,
        }
        if self.figures.oldest_days is not None:
            text += ", " + ngettext(
                "the oldest open one is there for %(days)s day",
                "the oldest open one is there for %(days)s days",
                self.figures.oldest_days,
            ) % {"days": self.figures.oldest_days}
        return text


WEIGHTY = 5


def late_count(community: Community) -> int:
    """Signals waiting longer than the promised answer time of their stage."""
    days = targets.target_days(community.pk)
    return Signal.objects.filter(community=community).filter(targets.overdue_filter(days)).count()


def signals_url(slug: str) -> str:
    return reverse("signals", args=[slug])


def nodes(figures: LoopFigures, slug: str) -> list[Node]:
    """The steps in the loop's order, then the side paths."""
    base = signals_url(slug)
    result = []
    for stage in [*LOOP_ORDER, *SIDE_PATHS]:
        stage_figures = figures.stage(stage)
        if stage in POSITIONS:
            x, y = _point(POSITIONS[stage] * math.pi)
        else:
            x, y = CROSSING_POSITIONS[stage]
        # Labels sit outside the curve: above the nodes of the upper half, below the
        # others; beside the two side paths.
        label_x, anchor = x, "middle"
        label_y = y - RADIUS - 26 if y < CY else y + RADIUS + 20
        if stage in CROSSING_POSITIONS:
            label_x, anchor, label_y = x + RADIUS + 10, "start", y - 2
        elif stage in LABELS_LEFT:
            label_x, anchor, label_y = x - RADIUS - 8, "end", y - 10
        loop = "practice" if stage in PRACTICE else "policy" if stage in POLICY else "crossing"
        result.append(
            Node(
                figures=stage_figures,
                number=LOOP_ORDER.index(stage) + 1 if stage in LOOP_ORDER else None,
                x=x,
                y=y,
                label_x=label_x,
                anchor=anchor,
                label_y=round(label_y, 1),
                age_y=round(label_y + 16, 1),
                href=f"{base}?stage={stage}",
                loop=loop,
                meaning=str(STAGE_MEANING[stage]),
            )
        )
    return result


def lead_time_chart(quarters: list[QuarterLeadTime]) -> BarChart:
    """The median days to feedback per quarter, drawn like every bar chart (core/charts.py);
    each figure reads as in the table beside it."""
    summary = _("Median days from raised to feedback, per quarter: %(values)s.") % {
        "values": "; ".join(f"{q.label}: {localize(q.median_days)}" for q in quarters)
    }
    return category_chart(
        _("Median days to feedback"),
        _("days"),
        [(q.label, Decimal(str(q.median_days))) for q in quarters],
        summary=summary,
        label_format=lambda value: str(localize(float(value))),
        width=420,
        height=220,
    )


@cache_for_visitors(dated(community_version))
@cache_for_members(dated(community_audience))
def loop_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    # Lazy: all of it is only computed when the shared fragment is not in the cache.
    figures = cast(LoopFigures, SimpleLazyObject(lambda: loop_figures(community)))
    return render(
        request,
        "learning/dashboard/loop.html",
        _community_context(
            request,
            community,
            figures=figures,
            nodes=SimpleLazyObject(lambda: nodes(figures, community.slug)),
            curve=SimpleLazyObject(lemniscate_path),
            arrows=SimpleLazyObject(arrows),
            width=WIDTH,
            height=HEIGHT,
            cx=CX,
            cy=CY,
            radius=RADIUS,
            chart=SimpleLazyObject(lambda: lead_time_chart(figures.quarters)),
            signals_url=signals_url(community.slug),
            waiting=SimpleLazyObject(lambda: figures.stage(Stage.GEMELD).count),
            late=SimpleLazyObject(lambda: late_count(community)),
            weighty=SimpleLazyObject(
                lambda: list(
                    Signal.objects.filter(community=community, support_count__gt=0)
                    .only("title", "support_count", "community")
                    .select_related("community")
                    .order_by("-support_count", "-raised_at")[:WEIGHTY]
                )
            ),
            waiting_url=f"{signals_url(community.slug)}?stage={Stage.GEMELD.value}",
            agenda=ExternalDevelopment.objects.filter(community=community, on_agenda=True)
            .prefetch_related("themes")
            .order_by("-happened_on", "-pk")[:AGENDA_SIZE],
            today=timezone.localdate(),
            page="loop",
        ),
    )


urlpatterns: list[URLPattern] = [
    path("loop/", loop_dashboard, name="loop_dashboard"),
]
