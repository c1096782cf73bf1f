"""What a community starts with in track 1: indicators, criteria per phase, support, and the
emission factor of natural gas. Each community may change them afterwards."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_noop

from samenspel.communities.models import Community
from samenspel.initiatives.choices import IndicatorKind, Phase
from samenspel.initiatives.models import EmissionFactor, Indicator, PhaseCriterion, SupportOffer

# Default names are stored as their English source text and shown through the catalogue
# (the `translated` filter), so each reader sees them in their language; names a community
# types itself are shown as typed.
INDICATORS = [
    (
        "households-reached",
        gettext_noop("Households reached"),
        gettext_noop("households"),
        IndicatorKind.NUMBER,
    ),
    (
        "households-connected",
        gettext_noop("Households connected"),
        "households",
        IndicatorKind.NUMBER,
    ),
    ("members", gettext_noop("Members"), gettext_noop("members"), IndicatorKind.NUMBER),
    ("volunteers", gettext_noop("Volunteers"), gettext_noop("people"), IndicatorKind.NUMBER),
    ("gas-saved", gettext_noop("Gas saved"), gettext_noop("m³/year"), IndicatorKind.NUMBER),
    (
        "heat-delivered",
        gettext_noop("Renewable heat delivered"),
        gettext_noop("GJ/year"),
        IndicatorKind.NUMBER,
    ),
    ("local-investment", gettext_noop("Local investment"), "€", IndicatorKind.NUMBER),
    ("value-story", gettext_noop("Value story"), "", IndicatorKind.STORY),
]

# When a group counts as a heat initiative (Lokale Energie Monitor 2023), and beyond.
CRITERIA = [
    (Phase.ORIENTATIE, gettext_noop("The group has its own name")),
    (
        Phase.ORIENTATIE,
        gettext_noop("The group communicates publicly (website, newsletter, meetings)"),
    ),
    (Phase.VERKENNING, gettext_noop("An exploratory study is done or under way")),
    (Phase.VERKENNING, gettext_noop("Several activities have been organised for residents")),
    (Phase.ONTWIKKELING, gettext_noop("A legal form has been chosen")),
    (Phase.ONTWIKKELING, gettext_noop("A business case is ready")),
    (Phase.REALISATIE, gettext_noop("Financing is arranged")),
    (Phase.REALISATIE, gettext_noop("Enough households have signed up")),
    (Phase.EXPLOITATIE, gettext_noop("Heat is delivered to households")),
]

SUPPORT = [
    (
        Phase.ORIENTATIE,
        gettext_noop("Meeting space"),
        gettext_noop("A room for residents' evenings."),
    ),
    (
        Phase.ORIENTATIE,
        gettext_noop("Knowledge"),
        gettext_noop("Contact with experts and other initiatives."),
    ),
    (
        Phase.VERKENNING,
        gettext_noop("Process money"),
        gettext_noop("A contribution to an exploratory study."),
    ),
    (
        Phase.VERKENNING,
        gettext_noop("Civil-servant time"),
        gettext_noop("A civil servant who thinks along."),
    ),
    (
        Phase.ONTWIKKELING,
        gettext_noop("Development loan"),
        gettext_noop("A loan to develop the business case."),
    ),
    (
        Phase.REALISATIE,
        gettext_noop("Municipal guarantee"),
        gettext_noop("The municipality stands surety for a loan."),
    ),
]

NATURAL_GAS = (Decimal("1.780"), "ISSO 82: 1,78 kg CO₂ per m³ aardgas", date(2020, 1, 1))


def ensure_defaults(community: Community) -> None:
    """Give a community the starting catalogue once; later changes are the community's own."""
    # Checked outside a transaction: pages call this on every view, and on SQLite an atomic
    # block takes the write lock (BEGIN IMMEDIATE), which queued concurrent page views.
    if Indicator.objects.filter(community=community).exists():
        return
    _create_defaults(community)


@transaction.atomic
def _create_defaults(community: Community) -> None:
    if Indicator.objects.filter(community=community).exists():
        return
    Indicator.objects.bulk_create(
        Indicator(community=community, code=code, name=name, unit=unit, kind=kind, order=i)
        for i, (code, name, unit, kind) in enumerate(INDICATORS)
    )
    PhaseCriterion.objects.bulk_create(
        PhaseCriterion(community=community, phase=phase, text=text, order=i)
        for i, (phase, text) in enumerate(CRITERIA)
    )
    SupportOffer.objects.bulk_create(
        SupportOffer(community=community, phase=phase, name=name, description=description, order=i)
        for i, (phase, name, description) in enumerate(SUPPORT)
    )
    value, source, valid_from = NATURAL_GAS
    EmissionFactor.objects.create(
        community=community, value=value, source=source, valid_from=valid_from
    )
