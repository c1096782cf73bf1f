"""What manage.py seed_scale hands to each app's scale.py, and the helpers they share.

seed_scale writes synthetic data at national scale, for `make bench` and load checks. By
default 342 communities (as many as the Netherlands has municipalities), 20,000 members,
2,000 heat initiatives with ten years of their figures, and 200,000 signals with their walk
through the loop, spread over them. Everything is visibly synthetic ("(synthetic)" in every
name, addresses @scale.example, every community, initiative and signal marked as example
content). No real names are presented as facts. Each app documents its own part of the
data in its scale.py: communities (communities, organisations, members), initiatives
(catalogues, initiatives, figures), learning (themes, signals, loop events).

An app takes part by having a `scale.py` with

    def add_arguments(parser: CommandParser) -> None: ...   # its options
    def check_options(options: dict[str, Any]) -> None: ... # optional: CommandError if bad
    def clear_synthetic() -> dict[str, int]: ...            # delete its earlier rows
    def seed(seeder: ScaleSeeder) -> None: ...              # write its rows

The command clears in reverse INSTALLED_APPS order (the apps above first: their rows point
at the ones below), then seeds in INSTALLED_APPS order, all in one transaction.

Choices shared by every part:

- Deterministic for a given --seed: one random.Random on the seeder, drawn from in app
  order, so the same options give the same data.
- Speed: rows are written with bulk_create in batches of BATCH_SIZE, or raw multi-row
  inserts (PostgreSQL: COPY) for the millions; never one save() per row.
- Re-running replaces: each app deletes its earlier synthetic rows, and their history,
  without writing a deletion record per row.

Adding a kind of data later (e.g. accords): give its app a scale.py with its options in
`add_arguments`, its rows in `seed` (reading `seeder.options` and what the apps below made:
`seeder.communities`, `seeder.organisations`), counted in `seeder.counts`, and a
`clear_synthetic` for the rows that the cascade from the synthetic communities and users
would not remove quickly (or at all: protected rows).
"""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import OutputWrapper
from django.db import connection
from django.utils import timezone

BATCH_SIZE = 2000
# Join dates, start dates and signals are spread over this span, up to now.
HISTORY_SPAN = timedelta(days=3 * 365)
# Sizes follow a long tail: the community of rank r weighs (r + 1) ** -SIZE_EXPONENT.
SIZE_EXPONENT = 0.8


@dataclass
class ScaleSeeder:
    """Passed along the apps in order; each reads what the apps below it made."""

    options: dict[str, Any]
    stdout: OutputWrapper | None = None
    rng: random.Random = field(init=False)
    now: datetime = field(init=False)
    # The synthetic Community rows, in order (largest first), and each one's Organisations
    # by community id: written by communities.scale.
    communities: list[Any] = field(default_factory=list)
    organisations: dict[int, list[Any]] = field(default_factory=dict)
    # What was created, by label, for the command's summary (in the order of seeding).
    counts: dict[str, int] = field(default_factory=dict)
    # Seconds per step, also shown as it goes with --verbosity 2.
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.options["seed"])
        self.now = timezone.now()

    @property
    def start(self) -> datetime:
        return self.now - HISTORY_SPAN

    def pick(self, weights: dict[Any, int]) -> Any:
        """One key, drawn with the given weights."""
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    @contextmanager
    def timed(self, label: str) -> Iterator[None]:
        """Time one step: kept in `timings`, and written out with --verbosity 2."""
        started = time.monotonic()
        yield
        self.timings[label] = seconds = time.monotonic() - started
        if self.stdout is not None and self.options.get("verbosity", 1) >= 2:
            self.stdout.write(f"{label}: {seconds:.1f} s")


def spread(total: int, buckets: int, exponent: float) -> list[int]:
    """Split total over buckets along a long tail (rank^-exponent), at least 1 each."""
    weights = [(rank + 1) ** -exponent for rank in range(buckets)]
    extra = total - buckets
    shares = [extra * w / sum(weights) for w in weights]
    sizes = [1 + int(share) for share in shares]
    # Largest remainders get the members that rounding down left over.
    leftover = total - sum(sizes)
    by_remainder = sorted(range(buckets), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in by_remainder[:leftover]:
        sizes[i] += 1
    return sizes


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split total in proportion to the weights (largest remainders); a bucket may get 0."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    shares = [total * w / sum(weights) for w in weights]
    sizes = [int(share) for share in shares]
    leftover = total - sum(sizes)
    by_remainder = sorted(
        range(len(weights)), key=lambda i: shares[i] - int(shares[i]), reverse=True
    )
    for i in by_remainder[:leftover]:
        sizes[i] += 1
    return sizes


def insert_rows(model: Any, fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Multi-row INSERTs (PostgreSQL: COPY) of `model`, far faster than the ORM for a million
    rows. `fields`: the attnames each row gives, in order; every other column gets its
    field's default, so a field added later with a default does not break the seeding."""
    if not rows:
        return
    given = set(fields)
    rest = [
        f
        for f in model._meta.concrete_fields
        if f.attname not in given
        and not f.primary_key
        and not f.null
        and not getattr(f, "generated", False)
        and not f.has_db_default()
    ]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    opts = model._meta
    columns = ", ".join(
        [*(opts.get_field(name).column for name in fields), *(f.column for f in rest)]
    )
    table = opts.db_table
    if defaults:
        rows = [row + defaults for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        width = len(rows[0])
        per_statement = max(1, 900 // width)
        marks = "(" + ", ".join(["%s"] * width) + ")"
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
                + ", ".join([marks] * len(chunk)),
                [value for row in chunk for value in row],
            )


def raw_delete(queryset: Any) -> None:
    """One DELETE, without loading the rows: the ORM's cascade would load each of them
    (simple_history listens for their deletion). Only for rows nothing else points at."""
    queryset._raw_delete(queryset.db)
