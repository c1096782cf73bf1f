"""A stored Dutch full-text document per signal (PostgreSQL; NULL on SQLite), with a GIN
index on it in place of the expression index of 0002: search and similar signals no longer
compute to_tsvector per row, and the planner has statistics of the column."""

import django.contrib.postgres.search
from django.db import migrations, models

import samenspel.core.fulltext

OLD_INDEX = "signal_search_dutch"
NEW_INDEX = "signal_search_document"


def use_the_column(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    schema_editor.execute(
        f"CREATE INDEX {NEW_INDEX} ON learning_signal USING gin (search_document)"
    )


def use_the_expression(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    from samenspel.learning.search import document

    schema_editor.execute(f"DROP INDEX IF EXISTS {NEW_INDEX}")
    schema_editor.add_index(
        apps.get_model("learning", "Signal"),
        GinIndex(document(("title", "what_happened")), name=OLD_INDEX),
    )


class Migration(migrations.Migration):
    dependencies = [("learning", "0003_delete_with_the_community")]

    operations = [
        migrations.AddField(
            model_name="signal",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=samenspel.core.fulltext.DutchDocument("title", "what_happened"),
                output_field=django.contrib.postgres.search.SearchVectorField(null=True),
            ),
        ),
        migrations.RunPython(use_the_column, use_the_expression, elidable=False),
    ]
