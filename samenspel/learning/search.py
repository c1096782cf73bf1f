"""Full-text search over signals and adjustments.

PostgreSQL: the Dutch text-search configuration (stemming, Dutch stop words) over title and
text, a `websearch` query (quotes, `or`, `-word` work as in a search engine), ranked.
Signals keep that document in a stored column with a GIN index (migration 0004);
adjustments, far fewer, match the expression of the GIN index of migration 0002.
SQLite (development, tests): every word must occur in title or text (icontains, AND), newest
first; no stemming, no ranking.

`search_signals(queryset, text)` and `search_adjustments(queryset, text)` narrow a queryset
the caller already limited to what the person may see; an empty text returns it unchanged.
"""

import re
from typing import TypeVar

from django.db import connection
from django.db.models import F, Model, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat

from samenspel.learning.models import Adjustment, Signal

M = TypeVar("M", bound=Model)

CONFIG = "dutch"
MAX_WORDS = 12
# Signal: title || ' ' || what_happened; adjustment: title || ' ' || proposed.
SIGNAL_FIELDS = ("title", "what_happened")
ADJUSTMENT_FIELDS = ("title", "proposed")


def words(text: str) -> list[str]:
    """The words of a search text, at most MAX_WORDS, without punctuation."""
    return re.findall(r"\w+", text.lower())[:MAX_WORDS]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def document(fields: tuple[str, str]) -> object:
    """to_tsvector('dutch', a || ' ' || b): the same expression as the GIN index."""
    from django.contrib.postgres.search import SearchVector

    first, second = fields
    return SearchVector(
        Concat(F(first), Value(" "), F(second), output_field=TextField()), config=CONFIG
    )


def _search(queryset: QuerySet[M], text: str, fields: tuple[str, str]) -> QuerySet[M]:
    text = text.strip()
    if not text or not words(text):
        return queryset
    if is_postgresql():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        stored = any(f.name == "search_document" for f in queryset.model._meta.get_fields())
        if not stored:  # signals and lessons store their document (a generated column)
            queryset = queryset.annotate(search_document=document(fields))
        return (
            queryset.filter(search_document=query)
            .annotate(search_rank=SearchRank(F("search_document"), query))
            .order_by("-search_rank", "-pk")
        )
    condition = Q()
    for word in words(text):
        condition &= Q(**{f"{fields[0]}__icontains": word}) | Q(**{f"{fields[1]}__icontains": word})
    return queryset.filter(condition).order_by("-pk")


def search_signals(queryset: QuerySet[Signal], text: str) -> QuerySet[Signal]:
    """Signals of `queryset` that match `text`, best match first (PostgreSQL) or newest first."""
    return _search(queryset, text, SIGNAL_FIELDS)


def search_in(queryset: QuerySet[M], text: str, fields: tuple[str, str]) -> QuerySet[M]:
    """Rows of `queryset` whose two text `fields` match `text` (as signals are searched):
    for models above the loop that keep their own Dutch document, such as lessons."""
    return _search(queryset, text, fields)


def search_adjustments(queryset: QuerySet[Adjustment], text: str) -> QuerySet[Adjustment]:
    """Adjustments of `queryset` whose title or proposal match `text`."""
    return _search(queryset, text, ADJUSTMENT_FIELDS)
