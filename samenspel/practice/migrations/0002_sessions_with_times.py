"""A session gets a start and an end (in place of a date: existing ones start at 19:30,
Dutch time, and last two hours), a place, an online link, what it is about and minutes
(the former notes)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import migrations, models

EVENING = time(19, 30)
LENGTH = timedelta(hours=2)


def times_from_dates(apps, schema_editor):
    zone = ZoneInfo("Europe/Amsterdam")
    for name in ("Session", "HistoricalSession"):
        model = apps.get_model("practice", name)
        for row in model.objects.all().only("pk", "date"):
            starts = datetime.combine(row.date, EVENING, tzinfo=zone)
            model.objects.filter(pk=row.pk).update(starts_at=starts, ends_at=starts + LENGTH)


class Migration(migrations.Migration):
    dependencies = [("practice", "0001_moved_from_communities")]

    operations = [
        migrations.RenameField("session", "notes", "minutes"),
        migrations.RenameField("historicalsession", "notes", "minutes"),
        migrations.AlterField(
            "session",
            "minutes",
            models.TextField(blank=True, max_length=20000, verbose_name="minutes"),
        ),
        migrations.AlterField(
            "historicalsession",
            "minutes",
            models.TextField(blank=True, max_length=20000, verbose_name="minutes"),
        ),
        *[
            migrations.AddField(
                model, field, models.DateTimeField(null=True, verbose_name=label)
            )
            for model in ("session", "historicalsession")
            for field, label in (("starts_at", "starts at"), ("ends_at", "ends at"))
        ],
        migrations.RunPython(times_from_dates, migrations.RunPython.noop),
        *[
            migrations.AlterField(model, field, models.DateTimeField(verbose_name=label))
            for model in ("session", "historicalsession")
            for field, label in (("starts_at", "starts at"), ("ends_at", "ends at"))
        ],
        migrations.AlterModelOptions(
            name="session",
            options={
                "ordering": ["-starts_at", "-pk"],
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
            },
        ),
        migrations.RemoveField("session", "date"),
        migrations.RemoveField("historicalsession", "date"),
    ]
