"""GIN indexes for the Dutch full-text search of search.py, on PostgreSQL only.

The indexed expression is built by the same code that search.py queries with, so the two
cannot drift apart. On SQLite (development, tests) this migration does nothing: search
there is a plain icontains filter.
"""

from django.db import migrations

INDEXES = (
    ("Signal", ("title", "what_happened"), "signal_search_dutch"),
    ("Adjustment", ("title", "proposed"), "adjustment_search_dutch"),
)


def _index(fields: tuple[str, str], name: str):  # type: ignore[no-untyped-def]
    from django.contrib.postgres.indexes import GinIndex

    from samenspel.learning.search import document

    return GinIndex(document(fields), name=name)


def add_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, fields, name in INDEXES:
        schema_editor.add_index(apps.get_model("learning", model_name), _index(fields, name))


def remove_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, fields, name in INDEXES:
        schema_editor.remove_index(apps.get_model("learning", model_name), _index(fields, name))


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(add_indexes, remove_indexes, elidable=False)]
