"""The peer consultation method every community is offered (practice/consultations.py)."""

from django.db import migrations

from samenspel.practice.consultations import DEFAULT_METHOD


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    method = apps.get_model("practice", "ConsultationMethod")
    if not method.objects.filter(community__isnull=True, name=DEFAULT_METHOD["name"]).exists():
        method.objects.create(community=None, **DEFAULT_METHOD)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    method = apps.get_model("practice", "ConsultationMethod")
    method.objects.filter(community__isnull=True, name=DEFAULT_METHOD["name"]).delete()


class Migration(migrations.Migration):
    dependencies = [("practice", "0008_peer_consultation")]

    operations = [migrations.RunPython(add, remove)]
