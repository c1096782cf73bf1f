"""The value charts as a template tag, so an initiative's page draws its own figures."""

from collections.abc import Iterable, Sequence

from django import template

from samenspel.initiatives import value
from samenspel.initiatives.models import Indicator
from samenspel.initiatives.services import YearTotals

register = template.Library()

# Small multiples: a narrower drawing, so the text stays readable at half the page width.
WIDTH, HEIGHT = 300, 180


@register.simple_tag
def value_charts(totals: Sequence[YearTotals], indicators: Iterable[Indicator]) -> list:
    """A chart per number indicator with figures, then CO₂ avoided when there is any."""
    charts = [
        chart
        for _indicator, chart in value.indicator_charts(
            totals, indicators, width=WIDTH, height=HEIGHT
        )
    ]
    co2 = value.co2_chart(totals, width=WIDTH, height=HEIGHT)
    if co2.has_figures:
        charts.append(co2)
    return charts


@register.filter
def unit_suffix(indicator: Indicator) -> str:
    """ " (m³/jaar)" after an indicator's name, unless the name says it already."""
    from samenspel.initiatives.value import shown_unit

    unit = shown_unit(indicator.name, indicator.unit)
    return f" ({unit})" if unit else ""
