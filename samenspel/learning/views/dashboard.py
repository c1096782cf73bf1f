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

from samenspel.communities.views import _community_context, community_audience, community_version
from samenspel.core.charts import BarChart, category_chart
from samenspel.core.pagecache import cache_for_members, cache_for_visitors, dated
from samenspel.learning import permissions
from samenspel.learning.models import ExternalDevelopment
from samenspel.learning.stages import POLICY, PRACTICE, Stage
from samenspel.learning.stats import LoopFigures, QuarterLeadTime, StageFigures, loop_figures

# The drawing: a lemniscate of Bernoulli around the crossing (the CoP).
WIDTH, HEIGHT = 800, 500
CX, CY = 400, 250
A = 305  # half the width of the ∞
Y_SCALE = 1.3
RADIUS = 30
AGENDA_SIZE = 10
# Where each stage sits on the curve (parameter t, in units of π), in the direction of the loop:
# out of the crossing into practice (feedback, closed), raised and discussed back to the
# crossing, then round the policy loop and back.
POSITIONS: dict[str, float] = {
    Stage.TERUGGEKOPPELD: 0.78,
    Stage.AFGESLOTEN: 1.0,
    Stage.GEMELD: 1.2,
    Stage.BESPROKEN: 1.36,
    Stage.IN_VERKENNING: 1.66,
    Stage.AANPASSING_VOORGESTELD: 2.0,
    Stage.BESLOTEN: 2.34,
}
# Beside the crossing: the stages that lead back into the loop or out of it.
CROSSING_POSITIONS: dict[str, tuple[int, int]] = {
    Stage.HEROPEND: (CX, 56),
    Stage.NIET_OPGEPAKT: (CX, HEIGHT - 56),
}


def _point(t: float) -> tuple[float, float]:
    denominator = 1 + math.sin(t) ** 2
    x = A * math.cos(t) / denominator
    y = A * math.sin(t) * math.cos(t) / denominator
    return round(CX + x, 1), round(CY + y * Y_SCALE, 1)


@functools.cache
def lemniscate_path(steps: int = 120) -> str:
    points = [_point(2 * math.pi * i / steps) for i in range(steps)]
    return "M " + " L ".join(f"{x} {y}" for x, y in points) + " Z"


@dataclass
class Node:
    figures: StageFigures
    x: float
    y: float
    label_x: float
    anchor: str
    label_y: float
    age_y: float
    href: str
    loop: str

    @property
    def description(self) -> str:
        text = ngettext(
            "%(stage)s: %(count)s signal", "%(stage)s: %(count)s signals", self.figures.count
        ) % {
            "stage": self.figures.label,
            "count": self.figures.count,
        }
        if self.figures.oldest_days is not None:
            text += ", " + ngettext(
                "the oldest open one is there for %(days)s day",
                "the oldest open one is there for %(days)s days",
                self.figures.oldest_days,
            ) % {"days": self.figures.oldest_days}
        return text


def signals_url(slug: str) -> str:
    return reverse("signals", args=[slug])


def nodes(figures: LoopFigures, slug: str) -> list[Node]:
    base = signals_url(slug)
    result = []
    for stage_figures in figures.stages:
        stage = stage_figures.stage
        if stage in POSITIONS:
            x, y = _point(POSITIONS[stage] * math.pi)
        else:
            x, y = CROSSING_POSITIONS[stage]
        above = y < CY
        # Labels sit outside the curve: above the nodes of the upper half, below the others;
        # beside the two nodes at the crossing.
        label_x, anchor = x, "middle"
        label_y = y - RADIUS - 24 if above else y + RADIUS + 18
        if stage in CROSSING_POSITIONS:
            label_x = x + RADIUS + 8 if above else x - RADIUS - 8
            anchor = "start" if above else "end"
            label_y = y - 2
        age_y = label_y + 15
        loop = "practice" if stage in PRACTICE else "policy" if stage in POLICY else "crossing"
        result.append(
            Node(
                figures=stage_figures,
                x=x,
                y=y,
                label_x=label_x,
                anchor=anchor,
                label_y=round(label_y, 1),
                age_y=round(age_y, 1),
                href=f"{base}?stage={stage}",
                loop=loop,
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
            width=WIDTH,
            height=HEIGHT,
            cx=CX,
            cy=CY,
            radius=RADIUS,
            chart=SimpleLazyObject(lambda: lead_time_chart(figures.quarters)),
            signals_url=signals_url(community.slug),
            waiting=SimpleLazyObject(lambda: figures.stage(Stage.GEMELD).count),
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
