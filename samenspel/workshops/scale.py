"""manage.py seed_scale, the workshops: one large Komedie played in the largest community
(see samenspel/core/scale.py for the whole).

Shape of the data (deterministic for a given --seed):

- One workshop from the built-in Komedie, being played (its last act, voting open, its
  doors opened an hour before the seeding), with --workshop-participants (150)
  participants — a third from the municipality, half from initiatives, the rest other —
  who wrote --workshop-cards (1,800) cards over its four acts, each act about a quarter.
  Participant n's token is `synthetic-<workshop id>-<n>` (`participant_token`), so the
  bench can read the participant's screen.
- In every act a tenth of the cards are grouped into eight groups; one card in a hundred
  is hidden by the facilitator; every participant used three votes per act (on groups and
  cards, several on one now and then).
- Names and texts say "(synthetic)"; the workshop is marked as example content.

Choices: bulk inserts (the app writes one card at a time, live; here nothing is live) and
re-running replaces: the synthetic communities' workshops go with one cascade.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import CommandError, CommandParser

from samenspel.communities.scale import synthetic_communities
from samenspel.core.scale import ScaleSeeder
from samenspel.workshops.komedie import KOMEDIE
from samenspel.workshops.models import (
    Card,
    Cluster,
    Participant,
    Vote,
    VotingState,
    Workshop,
    WorkshopAct,
    WorkshopStatus,
)
from samenspel.workshops.services import digest

SIDES = {"gemeente": 2, "initiatief": 3, "anders": 1}
GROUPS_PER_ACT = 8
VOTES = 3


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--workshop-participants",
        type=int,
        default=150,
        help="Participants of the largest community's workshop; 0: no workshop (150).",
    )
    parser.add_argument(
        "--workshop-cards",
        type=int,
        default=1_800,
        help="Cards of that workshop, over its four acts (1800).",
    )


def check_options(options: dict[str, Any]) -> None:
    if min(options["workshop_participants"], options["workshop_cards"]) < 0:
        raise CommandError("--workshop-participants and --workshop-cards must be 0 or more.")


def clear_synthetic() -> dict[str, int]:
    Workshop.objects.filter(community__in=synthetic_communities()).delete()
    return {}


def seed(seeder: ScaleSeeder) -> None:
    options = seeder.options
    people, cards = options["workshop_participants"], options["workshop_cards"]
    if not people or not seeder.communities:
        return
    with seeder.timed("workshops"):
        _seed_workshop(seeder, seeder.communities[0], people, cards)
        seeder.counts.update(
            {"workshops": 1, "workshop participants": people, "workshop cards": cards}
        )


def participant_token(workshop: Workshop, number: int) -> str:
    """The token of the synthetic workshop's participant number `number` (from 1)."""
    return f"synthetic-{workshop.pk}-{number}"


def _seed_workshop(seeder: ScaleSeeder, community: Any, people: int, total: int) -> None:
    rng = seeder.rng
    opened = seeder.now - timedelta(hours=1)
    workshop = Workshop.objects.create(
        community=community,
        title="De Komedie (synthetic)",
        template_name=KOMEDIE["name"],
        status=WorkshopStatus.RUNNING,
        opened_at=opened,
        created_at=opened,
        current_position=len(KOMEDIE["acts"]),
        is_example=True,
    )
    acts = WorkshopAct.objects.bulk_create(
        WorkshopAct(
            workshop=workshop,
            position=number,
            title=act["title"],
            story=act["story"],
            instructions=act["instructions"],
            minutes=act["minutes"],
            prompts=act["prompts"],
            revealed=True,
            voting=VotingState.OPEN if number == len(KOMEDIE["acts"]) else VotingState.DONE,
        )
        for number, act in enumerate(KOMEDIE["acts"], start=1)
    )
    sides = [side for side, weight in SIDES.items() for _ in range(weight)]
    participants = Participant.objects.bulk_create(
        Participant(
            workshop=workshop,
            name=f"Deelnemer {number} (synthetic)",
            side=sides[number % len(sides)],
            token_digest=digest(participant_token(workshop, number)),
            joined_at=opened,
        )
        for number in range(1, people + 1)
    )
    revision = 0
    for act in acts:
        clusters = Cluster.objects.bulk_create(
            Cluster(workshop=workshop, act=act, title=f"Groep {n} (synthetic)")
            for n in range(1, GROUPS_PER_ACT + 1)
        )
        rows = []
        for number in range(total // len(acts)):
            author = participants[rng.randrange(len(participants))]
            revision += 1
            rows.append(
                Card(
                    workshop=workshop,
                    act=act,
                    participant=author,
                    side=author.side,
                    text=f"Kaart {number + 1} in akte {act.position} (synthetic)",
                    hidden=rng.random() < 0.01,
                    cluster=clusters[rng.randrange(len(clusters))] if rng.random() < 0.1 else None,
                    revision=revision,
                    created_at=opened + timedelta(minutes=act.position * 10, seconds=number // 4),
                )
            )
        made = Card.objects.bulk_create(rows)
        votes = []
        for voter in participants:
            for _ in range(VOTES):
                if rng.random() < 0.5:
                    votes.append(Vote(participant=voter, act=act, cluster=rng.choice(clusters)))
                else:
                    votes.append(Vote(participant=voter, act=act, card=rng.choice(made)))
        Vote.objects.bulk_create(votes)
        for cluster in clusters:
            cluster.votes = sum(1 for vote in votes if vote.cluster is cluster)
        Cluster.objects.bulk_update(clusters, ["votes"])
        counted: dict[int, int] = {}
        for vote in votes:
            if vote.card is not None:
                counted[vote.card.pk] = counted.get(vote.card.pk, 0) + 1
        for card in made:
            card.votes = counted.get(card.pk, 0)
        Card.objects.bulk_update(made, ["votes"], batch_size=500)
    Workshop.objects.filter(pk=workshop.pk).update(revision=revision)
