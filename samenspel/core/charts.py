"""Bar charts drawn on the server as inline SVG (beside a table with the same figures):
the geometry of the bars, round gridlines and a text summary for screen readers. One
template draws them all (core/_bar_chart.html); the apps only give a series: of (year,
figure) for `bar_chart`, of (name, figure) for `category_chart` (quarters, themes, …)."""

import math
from collections.abc import Callable, Iterable, Sequence
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
    name: str  # under the bar: the year, the quarter, …
    year: int | None
    value: Decimal | None
    label: str  # above the bar: the figure
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
    label_format: Callable[[Decimal], str] = format_number,
) -> BarChart:
    """A bar per year from the first to the last year with a figure; years between without
    one get no bar, so a gap shows as a gap instead of two years side by side."""
    known = {year: value for year, value in series if value is not None}
    years = list(range(min(known), max(known) + 1)) if known else []
    slots = [(str(year), year, known.get(year)) for year in years]
    return _chart(
        title, unit, slots, accent=accent, width=width, height=height, label_format=label_format
    )


def category_chart(
    title: str,
    unit: str,
    series: Iterable[tuple[str, Decimal]],
    *,
    summary: str,
    accent: bool = False,
    width: int = WIDTH,
    height: int = HEIGHT,
    label_format: Callable[[Decimal], str] = format_number,
) -> BarChart:
    """A bar per named category, in the order given (quarters, themes); `summary` is the
    chart's text for screen readers, which only the caller can word."""
    slots = [(name, None, value) for name, value in series]
    return _chart(
        title,
        unit,
        slots,
        accent=accent,
        width=width,
        height=height,
        label_format=label_format,
        summary=summary,
    )


def _chart(
    title: str,
    unit: str,
    slots: Sequence[tuple[str, int | None, Decimal | None]],
    *,
    accent: bool,
    width: int,
    height: int,
    label_format: Callable[[Decimal], str],
    summary: str | None = None,
) -> BarChart:
    """The geometry shared by every bar chart: one slot per (name, year, figure)."""
    values = [value for _name, _year, value in slots if value is not None]
    step, steps = nice_scale(max(values, default=Decimal(0)))
    top = step * steps
    ticks_values = [step * i for i in range(steps + 1)]
    tick_labels = [format_number(value) for value in ticks_values]
    left = 14 + 6.6 * max(len(label) for label in tick_labels)
    baseline = height - BOTTOM
    plot_height = baseline - TOP
    slot = (width - RIGHT - left) / max(len(slots), 1)
    bar_width = min(slot * 0.62, 56)

    bars = []
    for index, (name, year, value) in enumerate(slots):
        bar_height = float(value / top) * plot_height if value is not None else 0.0
        x = left + index * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                name=name,
                year=year,
                value=value,
                label=label_format(value) if value is not None else format_number(None),
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
    # Names are labelled every so many bars when there are too many to fit side by side
    # (a year needs 32 units; a longer name, such as a quarter, more).
    room = max(32.0, 7.0 * max((len(bar.name) for bar in bars), default=0))
    year_every = math.ceil(room / slot) if slot < room else 1
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
        summary=_summary(title, unit, bars) if summary is None else summary,
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
        "first_year": figures[0].name,
        "last_year": figures[-1].name,
        "first": figures[0].label,
        "last": figures[-1].label,
        "highest": highest.label,
        "highest_year": highest.name,
    }
