"""manage.py seed_scale, the loop's part: every synthetic community's default themes and
waiting times, synthetic themes, and signals with their walk through the loop (see
samenspel/core/scale.py for the whole).

Shape of the data (deterministic for a given --seed):

- Every community gets the loop's defaults (defaults.create_defaults: the default themes
  and the waiting times); bulk inserts send no post_save, so the receiver that gives a new
  community its defaults does not run.
- Signals (200,000 with the defaults) are spread over the communities along the same long
  tail as the members, raised at any time in the history span, with titles and texts from
  a small vocabulary of barriers (so that search and similar signals find something), one
  of five synthetic themes of their community, and a walk through the loop of one to
  2 × --events-per-signal - 1 moves that exist in the loop, the first one raising it.

Choices:

- Speed: signals, their theme links and loop events are written with raw multi-row inserts
  (PostgreSQL: COPY), then every signal's last_event is set in one grouped UPDATE.
- History: none for signals and events (synthetic, nobody's edits).
- Re-running replaces: the signals, their links and events are deleted with raw DELETEs,
  since the ORM would load each of a million rows to cascade; the themes and waiting times
  go with the communities, and their history is deleted here.
"""

from datetime import timedelta
from random import Random
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import connection

from samenspel.communities.scale import synthetic_communities, synthetic_community_history
from samenspel.core.scale import (
    BATCH_SIZE,
    HISTORY_SPAN,
    SIZE_EXPONENT,
    ScaleSeeder,
    allocate,
    insert_rows,
    raw_delete,
)
from samenspel.core.slugs import base_slug
from samenspel.learning.defaults import THEME_SLUG, create_defaults
from samenspel.learning.models import Adjustment, LoopEvent, LoopSettings, Signal, Theme
from samenspel.learning.stages import MOVES, Stage

# A small vocabulary of barriers, so that search and similar signals find something.
SIGNAL_SUBJECTS = [
    ("De subsidieaanvraag", "voor de warmtepomp"),
    ("De omgevingsvergunning", "voor het warmtenet"),
    ("De aansluiting", "op het warmtenet"),
    ("Het bestemmingsplan", "voor de energiecentrale"),
    ("De aanbesteding", "van de collectieve warmte"),
    ("De leges", "voor de bodemenergie"),
    ("Het contract", "met de netbeheerder"),
    ("De isolatieregeling", "voor huurwoningen"),
    ("De lening", "van het energiefonds"),
    ("Het participatieplan", "voor de wijkaanpak"),
]
SIGNAL_PROBLEMS = [
    "duurt te lang",
    "loopt vast bij de gemeente",
    "is onduidelijk voor bewoners",
    "kost te veel voor een coöperatie",
    "past niet bij een kleine buurt",
    "vraagt te veel formulieren",
    "botst met de regels van de provincie",
    "heeft geen vaste contactpersoon",
]
SIGNAL_DETAILS = [
    "Vrijwilligers wachten al maanden op antwoord.",
    "De gemeente en de netbeheerder verwijzen naar elkaar.",
    "Bewoners haken af omdat niemand weet wie beslist.",
    "De termijnen in de regeling passen niet bij de bouwplanning.",
    "Er is geen budget voor procesbegeleiding.",
    "De eisen zijn geschreven voor grote bedrijven, niet voor bewonersinitiatieven.",
]
THEME_NAMES = ["Vergunningen", "Financiering", "Warmtenet", "Participatie", "Regelgeving"]
SIGNAL_LEVELS = ["low", "medium", "high"]


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--signals",
        type=int,
        default=200_000,
        help="Number of signals, spread over the communities like the members (200000).",
    )
    parser.add_argument(
        "--events-per-signal",
        type=int,
        default=5,
        help="Loop events per signal on average, the first one raising it (5).",
    )


def check_options(options: dict[str, Any]) -> None:
    if options["signals"] < 0 or not 1 <= options["events_per_signal"] <= 50:
        raise CommandError("--signals must be 0 or more, --events-per-signal 1 to 50.")


def clear_synthetic() -> dict[str, int]:
    """Raw deletes of the synthetic signals and loop events: through the ORM, the cascade
    would load each of a million rows (simple_history listens for their deletion)."""
    signals = Signal.objects.filter(community__in=synthetic_communities())
    signals.update(last_event=None)
    for queryset in (
        LoopEvent.objects.filter(signal__in=signals),
        Signal.themes.through.objects.filter(signal__in=signals),
        Signal.initiatives.through.objects.filter(signal__in=signals),
        Signal.policy_objects.through.objects.filter(signal__in=signals),
        Adjustment.signals.through.objects.filter(signal__in=signals),
    ):
        raw_delete(queryset)
    raw_delete(signals)
    community_ids = synthetic_community_history().values("id")
    for model in (Theme, LoopSettings):
        model.history.filter(community_id__in=community_ids).delete()  # type: ignore[attr-defined]
    return {}


def seed(seeder: ScaleSeeder) -> None:
    with seeder.timed("loop defaults"):
        for community in seeder.communities:
            create_defaults(community)
    with seeder.timed("signals"):
        seed_signals(seeder)


def _stage_walk(rng: Random, steps: int) -> list[tuple[str, str]]:
    """(from, to) pairs: raised, then `steps - 1` moves that exist in the loop."""
    walk = [("", str(Stage.GEMELD))]
    current = str(Stage.GEMELD)
    for _ in range(steps - 1):
        options = sorted(MOVES.get(current, set()))
        if not options:
            break
        following = str(rng.choice(options))
        walk.append((current, following))
        current = following
    return walk


def seed_signals(seeder: ScaleSeeder) -> None:
    """Signals spread over the communities like the members, each with a walk through the
    loop. Written with raw multi-row inserts (no history: synthetic, nobody's edits), then
    every signal's last_event set in one UPDATE. Themes: five per community, one per signal.
    """
    number = seeder.options.get("signals", 0)
    per_signal = seeder.options.get("events_per_signal", 5)
    if not number:
        return
    rng = seeder.rng
    communities = seeder.communities
    themes = Theme.objects.bulk_create(
        Theme(community=c, name=f"{name} (synthetic)", slug=base_slug(name, fallback=THEME_SLUG))
        for c in communities
        for name in THEME_NAMES
    )
    if any(theme.pk is None for theme in themes):
        themes = list(
            Theme.objects.filter(community__in=communities, name__endswith="(synthetic)").order_by(
                "pk"
            )
        )
    themes_of: dict[int, list[int]] = {}
    for theme in themes:
        themes_of.setdefault(theme.community_id, []).append(theme.pk)
    weights = [(rank + 1) ** -SIZE_EXPONENT for rank in range(len(communities))]
    span = HISTORY_SPAN.total_seconds()
    rows: list[tuple[Any, ...]] = []
    owners: list[int] = []
    serial = 0
    for community, count in zip(communities, allocate(number, weights), strict=True):
        for _ in range(count):
            serial += 1
            subject, what = rng.choice(SIGNAL_SUBJECTS)
            problem = rng.choice(SIGNAL_PROBLEMS)
            details = " ".join(rng.sample(SIGNAL_DETAILS, 2))
            raised = seeder.start + timedelta(seconds=rng.random() * span * 0.9)
            rows.append(
                (
                    community.pk,
                    f"{subject} {what} {problem} ({serial}, synthetic)",
                    f"Synthetic signal for load tests. {subject} {what} {problem}. {details}",
                    rng.choice(SIGNAL_LEVELS),
                    rng.choice(SIGNAL_LEVELS),
                    raised,
                    True,
                )
            )
            owners.append(community.pk)
    fields = ["community_id", "title", "what_happened", "impact", "urgency", "raised_at"]
    insert_rows(Signal, [*fields, "is_example"], rows)
    ids = list(
        Signal.objects.filter(community__in=communities).order_by("pk").values_list("pk", flat=True)
    )
    links = [
        (pk, rng.choice(themes_of[community_id]))
        for pk, community_id in zip(ids, owners, strict=True)
    ]
    insert_rows(Signal.themes.through, ["signal_id", "theme_id"], links)
    events: list[tuple[Any, ...]] = []
    total = 0
    # The other columns (note, outcome, actor, …) get their defaults.
    fields = ["signal_id", "from_stage", "to_stage", "at"]
    for pk, row in zip(ids, rows, strict=True):
        steps = rng.randint(1, 2 * per_signal - 1)
        at = row[5]
        for from_stage, to_stage in _stage_walk(rng, steps):
            events.append((pk, from_stage, to_stage, at))
            at = min(at + timedelta(days=rng.uniform(1, 20)), seeder.now)
        if len(events) >= 50 * BATCH_SIZE:
            insert_rows(LoopEvent, fields, events)
            total += len(events)
            events = []
    insert_rows(LoopEvent, fields, events)
    total += len(events)
    signal_table = Signal._meta.db_table
    event_table = LoopEvent._meta.db_table
    with connection.cursor() as cursor:
        # One grouped pass over the events (a correlated subquery per signal is slow on
        # PostgreSQL before ANALYZE). UPDATE … FROM needs SQLite 3.33 or later.
        cursor.execute(
            f"UPDATE {signal_table} SET last_event_id = newest.id "  # noqa: S608
            f"FROM (SELECT signal_id, MAX(id) AS id FROM {event_table} "
            f"WHERE signal_id >= %s GROUP BY signal_id) AS newest "
            f"WHERE newest.signal_id = {signal_table}.id AND {signal_table}.id >= %s",
            [ids[0] if ids else 0, ids[0] if ids else 0],
        )
    seeder.counts["signals"] = len(ids)
    seeder.counts["loop events"] = total
