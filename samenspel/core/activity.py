"""A community's activity feed, read from the history every shared-content model keeps.

Apps register a source per model; the feed takes the newest records of each source (one
query per source, whatever the size of the community) and merges them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Activity:
    when: datetime
    actor: Any
    text: str
    url: str | None = None


@dataclass(frozen=True)
class ActivitySource:
    records: Callable[[int], QuerySet[Any]]  # community id -> historical records
    describe: Callable[[Any], Activity | None]


_sources: list[ActivitySource] = []


def register(source: ActivitySource) -> None:
    _sources.append(source)


def feed(community_id: int, *, limit: int = 20) -> list[Activity]:
    items: list[Activity] = []
    for source in _sources:
        for record in source.records(community_id).order_by("-history_date")[: limit * 2]:
            activity = source.describe(record)
            if activity is not None:
                items.append(activity)
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]
