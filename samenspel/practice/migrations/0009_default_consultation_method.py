"""Every existing community gets its own copy of the default peer consultation method
(new ones get it when they are created: practice/consultations.py)."""

from django.db import migrations

NAME = "Intervisie: de incidentmethode"
DESCRIPTION = (
    "Een deelnemer brengt een lastige situatie uit de praktijk in, met een vraag. De groep "
    "helpt in vier rondes om er anders naar te kijken."
)
ROUNDS = [
    {"title": "Verhelderende vragen", "prompt": "Alleen vragen, nog geen oordeel of advies."},
    {"title": "Analyse", "prompt": "Wat zien we? Wat speelt er, bij wie?"},
    {"title": "Advies", "prompt": "Wat zou jij doen? Eén advies per persoon."},
    {"title": "Reflectie van de inbrenger", "prompt": "Wat neem je mee? Wat ga je anders doen?"},
]


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    method = apps.get_model("practice", "ConsultationMethod")
    community = apps.get_model("communities", "Community")
    have = set(method.objects.filter(name=NAME).values_list("community_id", flat=True))
    method.objects.bulk_create(
        method(community_id=pk, name=NAME, description=DESCRIPTION, rounds=ROUNDS)
        for pk in community.objects.values_list("pk", flat=True)
        if pk not in have
    )


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0008_peer_consultation"),
        ("communities", "0008_sessions_to_practice"),
    ]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
