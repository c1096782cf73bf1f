"""The themes and waiting times a community starts with (themes: those named in the Zwolle
CoP's text). Created once, when the community is created (a receiver connected in
apps.py), and for communities that existed before by migration 0007: never by a page."""

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from samenspel.communities.models import Community
from samenspel.learning.models import LoopSettings, Theme

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
        Theme.objects.bulk_create(
            Theme(community=community, name=name, slug=slugify(name)[:80]) for name in THEMES
        )
    LoopSettings.objects.get_or_create(community=community)


def on_community_saved(
    sender: type[Community], instance: Community, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of Community: a new community gets its defaults (not when loading fixtures)."""
    if created and not raw:
        create_defaults(instance)
