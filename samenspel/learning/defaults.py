"""The themes and waiting times a community starts with (themes: those named in the Zwolle
CoP's text). Created once, when the community is created (a receiver connected in
apps.py), and for communities that existed before by migration 0007: never by a page."""

from typing import Any

from django.db import transaction

from samenspel.communities.models import Community
from samenspel.core.slugs import unique_slug
from samenspel.learning.models import LoopSettings, Theme

THEME_SLUG = "thema"  # the short name of a theme whose name has no letters or digits
THEMES = [
    "Gebiedsrecht",
    "Opgroeirecht",
    "Positie van coöperaties in de Transitievisie Warmte 2.0",
    "Ondersteunings- en waarderingskader",
    "Gemeente als garantsteller en investeerder",
    "Warmteschappen",
]


@transaction.atomic
def create_defaults(community: Community) -> None:
    """The default themes (unless it has themes already) and the loop's waiting times."""
    if not Theme.objects.filter(community=community).exists():
        themes: list[Theme] = []
        for name in THEMES:
            slug = unique_slug(name, fallback=THEME_SLUG, taken={theme.slug for theme in themes})
            themes.append(Theme(community=community, name=name, slug=slug))
        Theme.objects.bulk_create(themes)
    LoopSettings.objects.get_or_create(community=community)


def on_community_saved(
    sender: type[Community], instance: Community, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of Community: a new community gets its defaults (not when loading fixtures)."""
    if created and not raw:
        create_defaults(instance)
