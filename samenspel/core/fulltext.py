"""The Dutch full-text document of a row, as a stored column.

`DutchDocument("title", "what_happened")` is `to_tsvector('dutch', title || ' ' || text)` on
PostgreSQL and NULL elsewhere (SQLite searches with icontains, see learning/search.py). Used
as the expression of a stored `GeneratedField`, the database keeps the document up to date
on every insert and update, and a query on it needs no `to_tsvector` per row: the planner
can then walk an ordinary index newest-first and stop at the first matches, or take the
GIN index when few rows match, whichever its statistics of the column say is cheaper.
"""

from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat

CONFIG = "dutch"


class DutchDocument(SearchVector):
    def __init__(self, first: str, second: str, **extra: Any) -> None:
        super().__init__(
            Concat(F(first), Value(" "), F(second), output_field=TextField()),
            config=CONFIG,
            **extra,
        )
        self._fields = (first, second)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        return ("samenspel.core.fulltext.DutchDocument", self._fields, {})

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return "NULL", []
