"""manage.py seed_scale, the group's practice: sessions with their agendas, decisions and
action points (see samenspel/core/scale.py for the whole).

Shape of the data (deterministic for a given --seed):

- Sessions (10,000 with the defaults) are spread over the communities along the same long
  tail as the members, held every few weeks over the history span and a few planned ahead;
  each has three agenda items, one decision and one action point (without an owner), and
  short minutes. Titles say "(synthetic)".
- Glossary terms (5,000) and lessons (20,000) are spread the same way; every other term is
  agreed; lessons are written from a small vocabulary so that search finds some.
- Pulses (100,000), the anonymous answers after a session, go to the sessions that are
  over: about ten each (some sessions draw more answers than others), the sides mixed as
  the members' are (communities/scale.py), each session with a mood of its own around
  which the scores of 1 to 5 vary; one answer in six has a comment. No receipts (who
  answered) are written: nobody in the synthetic data answered, the answers just exist.

Choices:

- Speed: raw multi-row inserts (PostgreSQL: COPY); no history (nobody's edits).
- Re-running replaces: the rows of the synthetic communities are deleted with raw DELETEs
  (before the loop's signals go, which agenda items may point at; a session's pulses
  before the session).
- Pulses are drawn after everything else, so adding them left the other rows of a given
  --seed as they were.
"""

import uuid
from datetime import timedelta
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import connection

from samenspel.communities.scale import SIDE_WEIGHTS, synthetic_communities
from samenspel.core.scale import SIZE_EXPONENT, ScaleSeeder, allocate, insert_rows, raw_delete
from samenspel.practice.models import (
    ActionPoint,
    AgendaItem,
    GlossaryTerm,
    Lesson,
    PulseReceipt,
    PulseResponse,
    Session,
    SessionDecision,
    TermStatus,
)

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

    parser.add_argument(
        "--glossary-terms",
        type=int,
        default=5_000,
        help="Number of glossary terms, spread like the members (5000).",
    )
    parser.add_argument(
        "--lessons",
        type=int,
        default=20_000,
        help="Number of lessons, spread like the members (20000).",
    )
    parser.add_argument(
        "--pulses",
        type=int,
        default=100_000,
        help="Number of anonymous pulse answers, about ten per session that is over (100000).",
    )


def check_options(options: dict[str, Any]) -> None:
    counts = ("sessions", "glossary_terms", "lessons", "pulses")
    if min(options[name] for name in counts) < 0:
        raise CommandError(
            "--sessions, --glossary-terms, --lessons and --pulses must be 0 or more."
        )


def clear_synthetic() -> dict[str, int]:
    sessions = Session.objects.filter(community__in=synthetic_communities())
    for queryset in (
        AgendaItem.objects.filter(session__in=sessions),
        SessionDecision.objects.filter(session__in=sessions),
        ActionPoint.objects.filter(session__in=sessions),
        PulseResponse.objects.filter(session__in=sessions),
        # None are seeded; a receipt of someone who answered a synthetic session goes too.
        PulseReceipt.objects.filter(session__in=sessions),
    ):
        raw_delete(queryset)
    raw_delete(sessions)
    for model in (GlossaryTerm, Lesson):
        raw_delete(model.objects.filter(community__in=synthetic_communities()))
    return {}


def seed(seeder: ScaleSeeder) -> None:
    with seeder.timed("sessions"):
        seed_sessions(seeder)
    with seeder.timed("glossary and lessons"):
        seed_glossary_and_lessons(seeder)
    with seeder.timed("pulses"):
        seed_pulses(seeder)


LESSON_SUBJECTS = [
    "de vergunning",
    "de subsidie",
    "het warmtenet",
    "de ledenvergadering",
    "de aanbesteding",
    "de netbeheerder",
    "de buurtkrant",
    "de garantstelling",
]


def _sizes(seeder: ScaleSeeder, total: int) -> list[int]:
    weights = [(rank + 1) ** -SIZE_EXPONENT for rank in range(len(seeder.communities))]
    return allocate(total, weights)


def seed_glossary_and_lessons(seeder: ScaleSeeder) -> None:
    rng = seeder.rng
    terms = []
    lessons = []
    for community, size in zip(
        seeder.communities, _sizes(seeder, seeder.options["glossary_terms"]), strict=True
    ):
        for number in range(size):
            word = f"term{number + 1}"
            terms.append(
                (
                    community.pk,
                    f"{word} (synthetic)",
                    word,
                    f"Zo begrijpt de gemeente {word} (synthetic).",
                    f"Zo begrijpen de initiatieven {word} (synthetic).",
                    f"Wat we afspraken over {word} (synthetic)." if number % 2 else "",
                    TermStatus.AGREED if number % 2 else TermStatus.IN_DISCUSSION,
                    word,
                    True,
                )
            )
    insert_rows(
        GlossaryTerm,
        [
            "community_id",
            "term",
            "variants",
            "municipality_view",
            "initiatives_view",
            "definition",
            "status",
            "slug",
            "is_example",
        ],
        terms,
    )
    for community, size in zip(
        seeder.communities, _sizes(seeder, seeder.options["lessons"]), strict=True
    ):
        for number in range(size):
            subject = LESSON_SUBJECTS[rng.randrange(len(LESSON_SUBJECTS))]
            lessons.append(
                (
                    community.pk,
                    f"Les {number + 1} over {subject} (synthetic)",
                    f"Wat we leerden over {subject} in de praktijk (synthetic).",
                    False,
                    seeder.now - timedelta(days=rng.randrange(3 * 365)),
                    True,
                )
            )
    insert_rows(
        Lesson,
        ["community_id", "title", "text", "is_public", "created_at", "is_example"],
        lessons,
    )
    seeder.counts["glossary terms"] = len(terms)
    seeder.counts["lessons"] = len(lessons)


def seed_sessions(seeder: ScaleSeeder) -> None:
    rng = seeder.rng
    communities = seeder.communities
    sizes = _sizes(seeder, seeder.options["sessions"])
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


PULSE_COMMENTS = [
    "Goed gesprek, we begrijpen elkaar beter (synthetic).",
    "Te weinig tijd voor het laatste agendapunt (synthetic).",
    "Fijn dat de gemeente meedacht (synthetic).",
    "Graag de volgende keer eerder de stukken (synthetic).",
]


def _score(rng: Any, mood: float) -> int:
    return min(5, max(1, round(rng.gauss(mood, 0.9))))


def seed_pulses(seeder: ScaleSeeder) -> None:
    """About ten anonymous answers per session that is over (see the module's docstring)."""
    rng = seeder.rng
    past = list(
        Session.objects.filter(community__in=seeder.communities, ends_at__lt=seeder.now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sizes = allocate(seeder.options["pulses"], [rng.uniform(0.5, 1.5) for _pk in past])
    sides = [str(side.value) for side in SIDE_WEIGHTS]
    side_weights = list(SIDE_WEIGHTS.values())
    # A UUID as the database takes it (SQLite: 32 hex digits, PostgreSQL: a uuid).
    to_db = PulseResponse._meta.pk.get_db_prep_value  # type: ignore[union-attr]
    rows = []
    for pk, size in zip(past, sizes, strict=True):
        moods = [rng.uniform(2.6, 4.4) for _question in range(3)]
        for side in rng.choices(sides, weights=side_weights, k=size):
            comment = PULSE_COMMENTS[rng.randrange(len(PULSE_COMMENTS))]
            rows.append(
                (
                    to_db(uuid.UUID(int=rng.getrandbits(128), version=4), connection),
                    pk,
                    side,
                    *(_score(rng, mood) for mood in moods),
                    comment if rng.random() < 1 / 6 else "",
                )
            )
    insert_rows(
        PulseResponse,
        ["id", "session_id", "side", "trust", "understanding", "usefulness", "comment"],
        rows,
    )
    seeder.counts["pulses"] = len(rows)
