"""What a community starts with in track 1: indicators, criteria per phase, support, and the
emission factor of natural gas. Each community may change them afterwards."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.db import transaction
from django.utils.translation import gettext_noop

from samenspel.communities.models import Community
from samenspel.initiatives.choices import IndicatorKind, Phase

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
    """Give a community the starting catalogue once; later changes are the community's own.
    Runs when a community is created (signals.py) and in the data migration for the
    communities from before, never when a page is read."""
    add_defaults(community.pk)


@transaction.atomic
def add_defaults(community_id: int, models: Any = None) -> bool:
    """The catalogue for one community, unless it already has indicators. `models` is the
    app registry of a migration (historical models); the current models otherwise."""
    get = models.get_model if models is not None else django_apps.get_model
    indicator = get("initiatives", "Indicator")
    if indicator.objects.filter(community_id=community_id).exists():
        return False
    indicator.objects.bulk_create(
        indicator(community_id=community_id, code=code, name=name, unit=unit, kind=kind, order=i)
        for i, (code, name, unit, kind) in enumerate(INDICATORS)
    )
    criterion = get("initiatives", "PhaseCriterion")
    criterion.objects.bulk_create(
        criterion(community_id=community_id, phase=phase, text=text, order=i)
        for i, (phase, text) in enumerate(CRITERIA)
    )
    offer = get("initiatives", "SupportOffer")
    offer.objects.bulk_create(
        offer(community_id=community_id, phase=phase, name=name, description=description, order=i)
        for i, (phase, name, description) in enumerate(SUPPORT)
    )
    value, source, valid_from = NATURAL_GAS
    get("initiatives", "EmissionFactor").objects.create(
        community_id=community_id, value=value, source=source, valid_from=valid_from
    )
    return True


def add_missing_defaults(models: Any = None) -> int:
    """The catalogue for every community that has none yet (the data migration)."""
    get = models.get_model if models is not None else django_apps.get_model
    community_ids = get("communities", "Community").objects.values_list("pk", flat=True)
    return sum(add_defaults(pk, models) for pk in community_ids)


def give_new_community_defaults(
    sender: type[Community], instance: Community, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of Community: a new community starts with the catalogue (fixtures, loaded
    raw, bring their own)."""
    if created and not raw:
        add_defaults(instance.pk)
