"""Bar charts drawn on the server as inline SVG (beside a table with the same figures):
the geometry of the bars, round gridlines and a text summary for screen readers. The
templates draw them; the apps only give a series of (year, figure)."""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

# The drawing area of every chart, in SVG user units; the SVG scales to its container.
WIDTH = 360
HEIGHT = 210
TOP = 22  # room for the value above the highest bar
BOTTOM = 26  # room for the years
RIGHT = 6
TICKS = 4


def format_number(value: Decimal | None) -> str:
    """How a figure reads in chart and table alike: grouped, decimals only when there are."""
    if value is None:
        return "–"
    return str(floatformat(value, "-2g"))


def nice_scale(highest: Decimal) -> tuple[Decimal, int]:
    """A 'round' step (1, 2, 2.5 or 5 × 10ⁿ) and how many steps reach `highest` (at most
    TICKS), so the gridlines read well and the tallest bar nearly fills the chart."""
    if highest <= 0:
        return Decimal(1), 1
    raw = highest / TICKS
    magnitude = Decimal(10) ** raw.adjusted()
    step = next(
        factor * magnitude
        for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
        if raw <= factor * magnitude
    )
    return step, max(1, math.ceil(highest / step))


@dataclass(frozen=True)
class Bar:
    year: int
    value: Decimal | None
    label: str
    x: float
    y: float
    width: float
    height: float
    centre: float

    @property
    def label_y(self) -> float:
        return _round(self.y - 6)


@dataclass(frozen=True)
class Tick:
    label: str
    y: float


@dataclass(frozen=True)
class BarChart:
    """One series of yearly figures, with the geometry of its bars already worked out."""

    title: str
    unit: str
    bars: list[Bar]
    ticks: list[Tick]
    left: float
    baseline: float
    label_size: float
    year_every: int
    summary: str
    accent: bool = False

    width: int = WIDTH
    height: int = HEIGHT

    @property
    def right(self) -> float:
        return self.width - RIGHT

    @property
    def tick_x(self) -> float:
        return _round(self.left - 6)

    @property
    def year_y(self) -> float:
        return _round(self.baseline + 17)

    @property
    def has_figures(self) -> bool:
        return any(bar.value is not None for bar in self.bars)


def _round(number: float) -> float:
    return round(number, 1)


def bar_chart(
    title: str,
    unit: str,
    series: Iterable[tuple[int, Decimal | None]],
    *,
    accent: bool = False,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> BarChart:
    """A bar per year from the first to the last year with a figure; years between without
    one get no bar, so a gap shows as a gap instead of two years side by side."""
    known = {year: value for year, value in series if value is not None}
    years = list(range(min(known), max(known) + 1)) if known else []
    step, steps = nice_scale(max(known.values(), default=Decimal(0)))
    top = step * steps
    ticks_values = [step * i for i in range(steps + 1)]
    tick_labels = [format_number(value) for value in ticks_values]
    left = 14 + 6.6 * max(len(label) for label in tick_labels)
    baseline = height - BOTTOM
    plot_height = baseline - TOP
    slot = (width - RIGHT - left) / max(len(years), 1)
    bar_width = min(slot * 0.62, 56)

    bars = []
    for index, year in enumerate(years):
        value = known.get(year)
        bar_height = float(value / top) * plot_height if value is not None else 0.0
        x = left + index * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                year=year,
                value=value,
                label=format_number(value),
                x=_round(x),
                y=_round(baseline - bar_height),
                width=_round(bar_width),
                height=_round(bar_height),
                centre=_round(x + bar_width / 2),
            )
        )
    longest = max((len(bar.label) for bar in bars), default=1)
    # Labels shrink (down to a readable minimum) so neighbouring values never overlap.
    label_size = _round(max(8.0, min(12.0, slot / (longest * 0.62))))
    # Years are labelled every so many bars when there are too many to fit side by side.
    year_every = math.ceil(32 / slot) if slot < 32 else 1
    ticks = [
        Tick(label=label, y=_round(baseline - plot_height * i / steps))
        for i, label in enumerate(tick_labels)
    ]
    return BarChart(
        title=title,
        unit=unit,
        bars=bars,
        ticks=ticks,
        left=_round(left),
        baseline=baseline,
        label_size=label_size,
        year_every=year_every,
        summary=_summary(title, unit, bars),
        accent=accent,
        width=width,
        height=height,
    )


def _summary(title: str, unit: str, bars: Sequence[Bar]) -> str:
    figures = [bar for bar in bars if bar.value is not None]
    if not figures:
        return _("Bar chart of %(title)s per year: no figures yet.") % {"title": title}
    highest = max(figures, key=lambda bar: bar.value or 0)
    what = f"{title} ({unit})" if unit else title
    return _(
        "Bar chart of %(what)s per year, %(first_year)s to %(last_year)s: from %(first)s to "
        "%(last)s, highest %(highest)s in %(highest_year)s. The table gives every figure."
    ) % {
        "what": what,
        "first_year": figures[0].year,
        "last_year": figures[-1].year,
        "first": figures[0].label,
        "last": figures[-1].label,
        "highest": highest.label,
        "highest_year": highest.year,
    }
