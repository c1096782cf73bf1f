"""Communities created before the catalogue came with the community (it used to be made
when one of its pages was first read) get it now: indicators, criteria per phase, support
offers and the emission factor of natural gas, for each community that has no indicators."""

from django.db import migrations


def add_catalogue(apps, schema_editor):  # type: ignore[no-untyped-def]
    from samenspel.initiatives.defaults import add_missing_defaults

    add_missing_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0001_initial"),
        ("communities", "0005_membership_organisation_confirmed"),
    ]

    operations = [migrations.RunPython(add_catalogue, migrations.RunPython.noop)]
