"""The themes a community starts with: those named in the Zwolle CoP's text."""

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
def ensure_defaults(community: Community) -> None:
    if Theme.objects.filter(community=community).exists():
        return
    Theme.objects.bulk_create(
        Theme(community=community, name=name, slug=slugify(name)[:80]) for name in THEMES
    )
    LoopSettings.objects.get_or_create(community=community)
