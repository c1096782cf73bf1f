"""manage.py seed_scale, the group's practice: sessions with their agendas, decisions and
action points (see samenspel/core/scale.py for the whole).

Shape of the data (deterministic for a given --seed):

- Sessions (10,000 with the defaults) are spread over the communities along the same long
  tail as the members, held every few weeks over the history span and a few planned ahead;
  each has three agenda items, one decision and one action point (without an owner), and
  short minutes. Titles say "(synthetic)".

Choices:

- Speed: raw multi-row inserts (PostgreSQL: COPY); no history (nobody's edits).
- Re-running replaces: the rows of the synthetic communities are deleted with raw DELETEs
  (before the loop's signals go, which agenda items may point at).
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import CommandError, CommandParser

from samenspel.communities.scale import synthetic_communities
from samenspel.core.scale import SIZE_EXPONENT, ScaleSeeder, allocate, insert_rows, raw_delete
from samenspel.practice.models import ActionPoint, AgendaItem, Session, SessionDecision

TOPICS = [
    "spelregels",
    "leervragen",
    "intervisie",
    "een gezamenlijke taal",
    "de kringloop",
    "het akkoord",
    "de komedie",
    "vergunningen",
]


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--sessions",
        type=int,
        default=10_000,
        help="Number of sessions, spread over the communities like the members (10000).",
    )


def check_options(options: dict[str, Any]) -> None:
    if options["sessions"] < 0:
        raise CommandError("--sessions must be 0 or more.")


def clear_synthetic() -> dict[str, int]:
    sessions = Session.objects.filter(community__in=synthetic_communities())
    for queryset in (
        AgendaItem.objects.filter(session__in=sessions),
        SessionDecision.objects.filter(session__in=sessions),
        ActionPoint.objects.filter(session__in=sessions),
    ):
        raw_delete(queryset)
    raw_delete(sessions)
    return {}


def seed(seeder: ScaleSeeder) -> None:
    with seeder.timed("sessions"):
        seed_sessions(seeder)


def seed_sessions(seeder: ScaleSeeder) -> None:
    rng = seeder.rng
    communities = seeder.communities
    weights = [(rank + 1) ** -SIZE_EXPONENT for rank in range(len(communities))]
    sizes = allocate(seeder.options["sessions"], weights)
    rows = []
    for community, size in zip(communities, sizes, strict=True):
        if not size:
            continue
        # Every few weeks up to now, the last two planned ahead.
        step = (seeder.now - seeder.start) / size
        for number in range(size):
            starts = seeder.start + step * (number + 2)
            starts = starts.replace(minute=0, second=0, microsecond=0)
            topic = TOPICS[rng.randrange(len(TOPICS))]
            rows.append(
                (
                    community.pk,
                    f"Bijeenkomst {number + 1} over {topic} (synthetic)",
                    starts,
                    starts + timedelta(hours=2),
                    "Online",
                    f"Verslag van de bijeenkomst over {topic} (synthetic).",
                    True,
                    seeder.now,
                )
            )
    fields = [
        "community_id",
        "title",
        "starts_at",
        "ends_at",
        "place",
        "minutes",
        "is_example",
        "created_at",
    ]
    insert_rows(Session, fields, rows)
    ids = list(
        Session.objects.filter(community__in=communities).order_by().values_list("pk", flat=True)
    )
    items = [
        (pk, position, f"Agendapunt {position} (synthetic)", "")
        for pk in ids
        for position in (1, 2, 3)
    ]
    insert_rows(AgendaItem, ["session_id", "position", "title", "notes"], items)
    insert_rows(
        SessionDecision,
        ["session_id", "text", "created_at"],
        [(pk, "Besluit (synthetic)", seeder.now) for pk in ids],
    )
    insert_rows(
        ActionPoint,
        ["session_id", "description", "status", "created_at"],
        [(pk, "Actiepunt (synthetic)", "open", seeder.now) for pk in ids],
    )
    seeder.counts["sessions"] = len(ids)
    seeder.counts["agenda items"] = len(items)
