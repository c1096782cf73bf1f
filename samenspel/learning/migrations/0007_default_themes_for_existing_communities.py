"""Communities created before the defaults came with the community get them now (themes
only when they have none; the loop's waiting times when missing)."""

from django.db import migrations
from django.utils.text import slugify

# As they were when this migration was written (defaults.THEMES may change later).
THEMES = [
    "Gebiedsrecht",
    "Opgroeirecht",
    "Positie van coöperaties in de Transitievisie Warmte 2.0",
    "Ondersteunings- en waarderingskader",
    "Gemeente als garantsteller en investeerder",
    "Warmteschappen",
]


def create_defaults(apps, schema_editor):  # type: ignore[no-untyped-def]
    Community = apps.get_model("communities", "Community")
    Theme = apps.get_model("learning", "Theme")
    LoopSettings = apps.get_model("learning", "LoopSettings")
    with_themes = set(Theme.objects.values_list("community_id", flat=True).distinct())
    with_settings = set(LoopSettings.objects.values_list("community_id", flat=True))
    themes, settings = [], []
    for community_id in Community.objects.values_list("pk", flat=True).iterator():
        if community_id not in with_themes:
            themes.extend(
                Theme(community_id=community_id, name=name, slug=slugify(name)[:80])
                for name in THEMES
            )
        if community_id not in with_settings:
            settings.append(LoopSettings(community_id=community_id))
    Theme.objects.bulk_create(themes, batch_size=1000)
    LoopSettings.objects.bulk_create(settings, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0006_decision_basis"),
        ("communities", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
