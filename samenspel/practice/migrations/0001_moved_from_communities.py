"""Sessions and learning questions move here from the communities app. Only Django's view
of the models moves: the tables keep their names, so no data is copied."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

HISTORY = {
    "ordering": ("-history_date", "-history_id"),
    "get_latest_by": ("history_date", "history_id"),
}


def history_fields():
    return [
        ("history_id", models.AutoField(primary_key=True, serialize=False)),
        ("history_date", models.DateTimeField(db_index=True)),
        ("history_change_reason", models.CharField(max_length=100, null=True)),
        (
            "history_type",
            models.CharField(
                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
            ),
        ),
        (
            "community",
            models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="communities.community",
            ),
        ),
        (
            "history_user",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("communities", "0007_decline_reason"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("date", models.DateField(verbose_name="date")),
                ("notes", models.TextField(blank=True, max_length=20000, verbose_name="notes")),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to="communities.community",
                    ),
                ),
            ],
            options={
                "db_table": "communities_session",
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "ordering": ["-date"],
            },
        ),
        migrations.CreateModel(
            name="LearningQuestion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("question", models.CharField(max_length=300, verbose_name="question")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="learning_questions",
                        to="communities.community",
                    ),
                ),
            ],
            options={
                "db_table": "communities_learningquestion",
                "verbose_name": "learning question",
                "verbose_name_plural": "learning questions",
                "ordering": ["created_at"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSession",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("date", models.DateField(verbose_name="date")),
                ("notes", models.TextField(blank=True, max_length=20000, verbose_name="notes")),
                *history_fields(),
            ],
            options={
                "db_table": "communities_historicalsession",
                "verbose_name": "historical session",
                "verbose_name_plural": "historical sessions",
                **HISTORY,
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalLearningQuestion",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("question", models.CharField(max_length=300, verbose_name="question")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                *history_fields(),
            ],
            options={
                "db_table": "communities_historicallearningquestion",
                "verbose_name": "historical learning question",
                "verbose_name_plural": "historical learning questions",
                **HISTORY,
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
