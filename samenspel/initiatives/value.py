"""The value a community's initiatives create, ready to show: bar charts per indicator
(drawn by core/charts.py), CO₂ per year with the factor used, and value stories."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from samenspel.communities.models import Community
from samenspel.core.charts import HEIGHT, WIDTH, BarChart, bar_chart
from samenspel.initiatives.choices import IndicatorKind, Review
from samenspel.initiatives.models import EmissionFactor, Indicator, IndicatorValue
from samenspel.initiatives.services import YearTotals, factor_for_year


def translated(text: str) -> str:
    """A default stored as English source text, in the reader's language (as the filter)."""
    return _(text) if text else text


# Units that only count what the name already says: "Leden (leden)" reads as "Leden".
COUNTING_UNITS = {"people", "persons", "members", "households", "initiatives"}


def shown_unit(name: str, unit: str) -> str:
    """The unit beside a name, unless the name says it already."""
    if not unit or unit.lower() in name.lower() or unit.lower() in COUNTING_UNITS:
        return ""
    return translated(unit)


def indicator_charts(
    totals: Sequence[YearTotals],
    indicators: Iterable[Indicator],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> list[tuple[Indicator, BarChart]]:
    """A chart per number indicator that has figures, in catalogue order."""
    charts = []
    for indicator in indicators:
        if indicator.kind != IndicatorKind.NUMBER:
            continue
        series = [(row.year, row.values.get(indicator.code)) for row in totals]
        chart = bar_chart(
            translated(indicator.name),
            shown_unit(indicator.name, indicator.unit),
            series,
            width=width,
            height=height,
        )
        if chart.has_figures:
            charts.append((indicator, chart))
    return charts


def co2_chart(
    totals: Sequence[YearTotals], *, width: int = WIDTH, height: int = HEIGHT
) -> BarChart:
    """In tonnes, as people say it: 454 ton CO₂ rather than 453,900 kg."""
    series = [(row.year, tonnes(row.co2_kg)) for row in totals]
    return bar_chart(_("CO₂ avoided"), _("tonnes"), series, accent=True, width=width, height=height)


def tonnes(kg: Decimal | None) -> Decimal | None:
    return None if kg is None else (kg / 1000).quantize(Decimal("1"))


@dataclass(frozen=True)
class Co2Year:
    year: int
    gas: Decimal | None
    factor: EmissionFactor | None
    co2_kg: Decimal | None

    @property
    def co2_tonnes(self) -> Decimal | None:
        return tonnes(self.co2_kg)


def co2_years(
    totals: Sequence[YearTotals], factors: Sequence[EmissionFactor], gas_code: str
) -> list[Co2Year]:
    """How each year's CO₂ came about: gas saved × the factor of that year."""
    newest_first = sorted(factors, key=lambda f: f.valid_from, reverse=True)
    rows = []
    for row in totals:
        gas = row.values.get(gas_code)
        if gas is None:
            continue
        rows.append(
            Co2Year(
                year=row.year,
                gas=gas,
                factor=factor_for_year(newest_first, row.year),
                co2_kg=row.co2_kg,
            )
        )
    return rows


def factors_used(rows: Iterable[Co2Year]) -> list[EmissionFactor]:
    """The distinct factors behind the CO₂ figures, oldest first."""
    seen: dict[int, EmissionFactor] = {}
    for row in rows:
        if row.factor is not None:
            seen.setdefault(row.factor.pk, row.factor)
    return sorted(seen.values(), key=lambda f: f.valid_from)


def recent_stories(community: Community, *, limit: int = 10) -> list[IndicatorValue]:
    """The newest value stories of the listed initiatives (one query)."""
    return list(
        IndicatorValue.objects.filter(
            indicator__community=community,
            indicator__kind=IndicatorKind.STORY,
            initiative__review=Review.LISTED,
            initiative__archived_at__isnull=True,
        )
        .exclude(text="")
        .select_related("initiative", "indicator")
        .order_by("-year", "-entered_at", "-pk")[:limit]
    )
