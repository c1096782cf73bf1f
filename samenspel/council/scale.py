"""manage.py seed_scale, the council's route: advice dossiers with their authors, moves,
endorsements and decisions, the commitments that follow, council meetings with the dossiers
on their agendas, and the register (see samenspel/core/scale.py for the whole).

Shape of the data (deterministic for a given --seed):

- Advice dossiers (20,000 with the defaults) are spread over the communities along the same
  long tail as the members, started at any time in the history span, at every stage of the
  route (a quarter drafts, about half decided). Each has one author, a member of its
  community who takes part (no observer), and an AdviceEvent for every step from concept
  up to its stage, a few days to weeks apart; those offered say to whom, when and how.
  Titles say "(synthetic)".
- Every dossier past concept has two endorsements with a confirmed side, by two different
  members: one of the municipality and one of the initiatives (of that side where the
  community has such a member; otherwise another member who takes part stands for it). The
  side is confirmed by the member's organisation when it is of that side, otherwise by the
  community's steward. A community with a single member has drafts only.
- Dossiers at besluit, opvolging or afgerond have a CouncilDecision on the day of their
  besluit event, mostly adopted; follow-up only comes after an adoption (a rejected one
  goes straight to afgerond).
- Commitments (50,000) are spread over the adopted dossiers in follow-up or completed
  (some draw more than others): those in follow-up are mostly still open — many of them
  past their date, so they are overdue — and those completed done or dropped. Open
  commitments have no owner, so the daily reminder mails nobody; the others are owned by a
  member of the community.
- Council meetings (1,000) are spread like the dossiers, every few weeks over the history
  span, the last ones still to come; every dossier that went on the agenda (geagendeerd or
  later) is an item of its community's first meeting after that step (or of its last one).
- The register (2,000 arrangements) records what adopted decisions established, on the
  day of the decision; about one in ten is no longer in force.
- In the largest community the first dossier is completed and links 50 of that
  community's synthetic signals (from learning/scale.py), so the bench can time its PDF.

Choices:

- Speed: raw multi-row inserts (PostgreSQL: COPY); no history (nobody's edits).
- Re-running replaces: the rows of the synthetic communities are deleted with raw DELETEs,
  what points at a row before the row itself, and before the loop's signals and adjustments
  go (the apps above clear first), which the dossiers link to; their history, if anyone
  edited them, goes too.
"""

import bisect
from datetime import date, datetime, timedelta
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from samenspel.communities.models import Membership, OrganisationKind, Role, Side
from samenspel.communities.scale import synthetic_communities, synthetic_community_history
from samenspel.core.scale import (
    HISTORY_SPAN,
    SIZE_EXPONENT,
    ScaleSeeder,
    allocate,
    insert_rows,
    raw_delete,
)
from samenspel.council.models import (
    ADOPTED,
    AdviceEvent,
    AdviceStage,
    Arrangement,
    Commitment,
    CommitmentStatus,
    CouncilAdvice,
    CouncilDecision,
    CouncilMeeting,
    Endorsement,
    Instrument,
    MeetingBody,
    MeetingItem,
    OfferedTo,
    Outcome,
)
from samenspel.learning.models import Signal

# The route in order; a dossier has an event for every step up to its stage.
ROUTE = [
    AdviceStage.CONCEPT,
    AdviceStage.ONDERSCHREVEN,
    AdviceStage.AANGEBODEN,
    AdviceStage.GEAGENDEERD,
    AdviceStage.BESLUIT,
    AdviceStage.OPVOLGING,
    AdviceStage.AFGEROND,
]
STAGE_WEIGHTS = {
    AdviceStage.CONCEPT: 25,
    AdviceStage.ONDERSCHREVEN: 10,
    AdviceStage.AANGEBODEN: 10,
    AdviceStage.GEAGENDEERD: 10,
    AdviceStage.BESLUIT: 10,
    AdviceStage.OPVOLGING: 20,
    AdviceStage.AFGEROND: 15,
}
DECIDED = {AdviceStage.BESLUIT, AdviceStage.OPVOLGING, AdviceStage.AFGEROND}
ON_THE_AGENDA = {AdviceStage.GEAGENDEERD, *DECIDED}
OUTCOME_WEIGHTS = {
    Outcome.VASTGESTELD: 70,
    Outcome.GEAMENDEERD: 15,
    Outcome.VERWORPEN: 10,
    Outcome.INGETROKKEN: 5,
}
INSTRUMENT_WEIGHTS = {
    Instrument.RAADSVOORSTEL: 50,
    Instrument.MOTIE: 20,
    Instrument.AMENDEMENT: 10,
    Instrument.RAADSINFORMATIEBRIEF: 10,
    Instrument.COLLEGEBESLUIT: 10,
}
OFFERED_TO_WEIGHTS = {OfferedTo.RAAD: 50, OfferedTo.COMMISSIE: 30, OfferedTo.COLLEGE: 20}
BODY_WEIGHTS = {
    MeetingBody.RAAD: 40,
    MeetingBody.COMMISSIE: 40,
    MeetingBody.RONDETAFEL: 15,
    MeetingBody.INFORMATIE: 5,
}
# Commitments of a dossier in follow-up and of a completed one.
FOLLOW_UP_STATUS = {
    CommitmentStatus.OPEN: 60,
    CommitmentStatus.DONE: 30,
    CommitmentStatus.DROPPED: 10,
}
COMPLETED_STATUS = {CommitmentStatus.DONE: 85, CommitmentStatus.DROPPED: 15}
# The organisations that confirm a side (as council/services.py's SIDE_OF_KIND).
CONFIRMS = {
    Side.GEMEENTE: OrganisationKind.GEMEENTE_AFDELING,
    Side.INITIATIEF: OrganisationKind.INITIATIEF,
}
SUBJECTS = [
    "een garantstelling voor warmtenetten",
    "de leges voor bodemenergie",
    "een vast aanspreekpunt voor initiatieven",
    "de subsidieregeling voor collectieve warmte",
    "de participatie in de wijkaanpak",
    "het grondbeleid voor energiecentrales",
    "de aanbesteding van het warmtenet",
    "een revolverend energiefonds",
]
CHANNELS = [
    "per brief aan de griffie",
    "bij een rondetafelgesprek",
    "in de commissievergadering",
    "per e-mail aan het college",
]
SIGNALS_OF_THE_FIRST = 50


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--advices",
        type=int,
        default=20_000,
        help="Number of advice dossiers, spread over the communities like the members (20000).",
    )
    parser.add_argument(
        "--commitments",
        type=int,
        default=50_000,
        help="Number of commitments, over the adopted dossiers in follow-up or done (50000).",
    )
    parser.add_argument(
        "--council-meetings",
        type=int,
        default=1_000,
        help="Number of council meetings, spread like the dossiers (1000).",
    )
    parser.add_argument(
        "--arrangements",
        type=int,
        default=2_000,
        help="Number of register entries, at most one per adopted decision (2000).",
    )


def check_options(options: dict[str, Any]) -> None:
    counts = ("advices", "commitments", "council_meetings", "arrangements")
    if min(options[name] for name in counts) < 0:
        raise CommandError(
            "--advices, --commitments, --council-meetings and --arrangements must be 0 or more."
        )


def clear_synthetic() -> dict[str, int]:
    """Raw deletes, what points at a row first: through the ORM, the cascade would load
    every row (simple_history listens for their deletion)."""
    communities = synthetic_communities()
    advices = CouncilAdvice.objects.filter(community__in=communities)
    meetings = CouncilMeeting.objects.filter(community__in=communities)
    decisions = CouncilDecision.objects.filter(advice__in=advices)
    for queryset in (
        MeetingItem.objects.filter(meeting__in=meetings),
        MeetingItem.objects.filter(advice__in=advices),
        Arrangement.objects.filter(community__in=communities),
        Arrangement.objects.filter(decision__in=decisions),
        Commitment.objects.filter(advice__in=advices),
        Endorsement.objects.filter(advice__in=advices),
        AdviceEvent.objects.filter(advice__in=advices),
        CouncilAdvice.authors.through.objects.filter(counciladvice__in=advices),
        CouncilAdvice.adjustments.through.objects.filter(counciladvice__in=advices),
        CouncilAdvice.signals.through.objects.filter(counciladvice__in=advices),
        CouncilAdvice.themes.through.objects.filter(counciladvice__in=advices),
        decisions,
        meetings,
        advices,
    ):
        raw_delete(queryset)
    # None is written; what someone edited in a synthetic community goes too.
    community_ids = synthetic_community_history().values("id")
    advice_ids = CouncilAdvice.history.filter(community_id__in=community_ids).values("id")
    for of_advice in (CouncilDecision, Commitment):
        of_advice.history.filter(advice_id__in=advice_ids).delete()  # type: ignore[attr-defined]
    for of_community in (CouncilAdvice, CouncilMeeting, Arrangement):
        of_community.history.filter(community_id__in=community_ids).delete()  # type: ignore[attr-defined]
    return {}


def seed(seeder: ScaleSeeder) -> None:
    with seeder.timed("advice dossiers"):
        members = _members(seeder)
        dossiers = seed_advices(seeder, members)
    with seeder.timed("commitments"):
        seed_commitments(seeder, dossiers, members)
    with seeder.timed("council meetings and register"):
        seed_meetings(seeder, dossiers)
        seed_register(seeder, dossiers)


class Members:
    """The active members of one community who take part, by side, with what confirms
    their side: (user id, side, confirming organisation kind or "", organisation id)."""

    def __init__(self) -> None:
        self.all: list[tuple[int, str, str, int | None]] = []
        self.steward: int | None = None

    def of_side(self, side: str) -> list[tuple[int, str, str, int | None]]:
        return [m for m in self.all if m[1] == side]


def _members(seeder: ScaleSeeder) -> dict[int, Members]:
    found: dict[int, Members] = {c.pk: Members() for c in seeder.communities}
    rows = (
        Membership.objects.active()
        .filter(community__in=seeder.communities)
        .exclude(role=Role.WAARNEMER)
        .order_by("pk")
        .values_list(
            "community_id",
            "user_id",
            "side",
            "role",
            "organisation_id",
            "organisation__kind",
            "organisation_confirmed_at",
        )
    )
    for community_id, user_id, side, role, organisation_id, kind, confirmed_at in rows:
        members = found[community_id]
        confirmed = organisation_id is not None and confirmed_at is not None
        members.all.append(
            (user_id, side, kind if confirmed else "", organisation_id if confirmed else None)
        )
        if role == Role.STEWARD and members.steward is None:
            members.steward = user_id
    return found


class Dossier:
    """What the later steps need to know of a seeded dossier."""

    __slots__ = (
        "adopted",
        "author",
        "community_id",
        "decided_on",
        "number",
        "pk",
        "route",
        "stage",
        "times",
    )

    def __init__(
        self, community_id: int, author: int, stage: str, adopted: bool, times: list[datetime]
    ) -> None:
        self.community_id = community_id
        self.author = author
        self.stage = stage
        self.adopted = adopted
        # The steps of the route it took, from concept on, and when it took each.
        self.route = _route_to(stage, adopted)
        self.times = times
        self.decided_on: date | None = None
        self.pk = 0
        # As its title numbers it (its pk differs from run to run).
        self.number = 0

    def at(self, stage: str) -> datetime:
        return self.times[self.route.index(stage)]


def _sizes(seeder: ScaleSeeder, total: int) -> list[int]:
    weights = [(rank + 1) ** -SIZE_EXPONENT for rank in range(len(seeder.communities))]
    return allocate(total, weights)


def _route_to(stage: str, adopted: bool) -> list[str]:
    """The steps from concept to `stage`: follow-up only after an adoption."""
    steps = ROUTE[: ROUTE.index(AdviceStage(stage)) + 1]
    if stage == AdviceStage.AFGEROND and not adopted:
        steps.remove(AdviceStage.OPVOLGING)
    return [str(step) for step in steps]


def seed_advices(seeder: ScaleSeeder, members: dict[int, Members]) -> list[Dossier]:
    rng = seeder.rng
    span = HISTORY_SPAN.total_seconds()
    dossiers: list[Dossier] = []
    rows: list[tuple[Any, ...]] = []
    outcomes: list[str] = []
    serial = 0
    for rank, (community, size) in enumerate(
        zip(seeder.communities, _sizes(seeder, seeder.options["advices"]), strict=True)
    ):
        people = members[community.pk]
        if not people.all:
            continue
        for number in range(size):
            serial += 1
            stage = str(seeder.pick(STAGE_WEIGHTS))
            if rank == 0 and number == 0:
                stage = AdviceStage.AFGEROND  # the bench's PDF: the whole route
            if len(people.all) < 2:
                stage = AdviceStage.CONCEPT  # nobody to endorse it with
            outcome = str(seeder.pick(OUTCOME_WEIGHTS)) if stage in DECIDED else ""
            if stage == AdviceStage.OPVOLGING or (rank == 0 and number == 0):
                outcome = Outcome.VASTGESTELD
            at = seeder.start + timedelta(seconds=rng.random() * span * 0.8)
            times = []
            for _step in _route_to(stage, outcome in ADOPTED):
                times.append(min(at, seeder.now))
                at += timedelta(days=rng.uniform(3, 40), hours=rng.uniform(0, 8))
            author = rng.choice(people.all)[0]
            dossier = Dossier(community.pk, author, stage, outcome in ADOPTED, times)
            dossier.number = serial
            dossiers.append(dossier)
            outcomes.append(outcome)
            subject = SUBJECTS[rng.randrange(len(SUBJECTS))]
            offered = stage not in (AdviceStage.CONCEPT, AdviceStage.ONDERSCHREVEN)
            rows.append(
                (
                    community.pk,
                    f"Advies {serial} over {subject} (synthetic)",
                    f"Wat besluit de raad over {subject}? (synthetic)",
                    f"De groep adviseert over {subject} (synthetic).\n\n"
                    "Gemeente en initiatieven schreven dit advies samen; het berust op de "
                    "signalen uit de praktijk die eraan gekoppeld zijn.",
                    stage,
                    str(seeder.pick(OFFERED_TO_WEIGHTS)) if offered else "",
                    dossier.at(AdviceStage.AANGEBODEN).date() if offered else None,
                    CHANNELS[rng.randrange(len(CHANNELS))] if offered else "",
                    author,
                    times[0],
                    True,
                )
            )
    fields = ["community_id", "title", "question", "advice", "stage", "offered_to"]
    fields += ["offered_on", "channel", "created_by_id", "created_at", "is_example"]
    insert_rows(CouncilAdvice, fields, rows)
    ids = list(
        CouncilAdvice.objects.filter(community__in=seeder.communities)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for dossier, pk in zip(dossiers, ids, strict=True):
        dossier.pk = pk
    insert_rows(
        CouncilAdvice.authors.through,
        ["counciladvice_id", "user_id"],
        [(d.pk, d.author) for d in dossiers],
    )
    _seed_events(seeder, dossiers, outcomes)
    _seed_endorsements(seeder, dossiers, members)
    _seed_decisions(seeder, dossiers, outcomes)
    _link_signals(seeder, dossiers)
    seeder.counts["advice dossiers"] = len(dossiers)
    return dossiers


def _seed_events(seeder: ScaleSeeder, dossiers: list[Dossier], outcomes: list[str]) -> None:
    rows: list[tuple[Any, ...]] = []
    for dossier, outcome in zip(dossiers, outcomes, strict=True):
        previous = ""
        for step, at in zip(dossier.route, dossier.times, strict=True):
            note = ""
            if step == AdviceStage.BESLUIT:
                note = f"De raad: {Outcome(outcome).label} (synthetic)"
            elif step == AdviceStage.OPVOLGING:
                note = "De toezeggingen worden opgevolgd (synthetic)."
            rows.append((dossier.pk, previous, step, dossier.author, at, note))
            previous = step
    insert_rows(
        AdviceEvent, ["advice_id", "from_stage", "to_stage", "actor_id", "at", "note"], rows
    )
    seeder.counts["advice events"] = len(rows)


def _endorser(
    rng: Any, people: Members, side: str, taken: set[int]
) -> tuple[int, str, str, int | None]:
    """A member of `side` who takes part, else any other member who does."""
    pool = [m for m in people.of_side(side) if m[0] not in taken]
    if not pool:
        pool = [m for m in people.all if m[0] not in taken]
    return rng.choice(pool)


def _seed_endorsements(
    seeder: ScaleSeeder, dossiers: list[Dossier], members: dict[int, Members]
) -> None:
    rng = seeder.rng
    rows: list[tuple[Any, ...]] = []
    for dossier in dossiers:
        if dossier.stage == AdviceStage.CONCEPT:
            continue
        people = members[dossier.community_id]
        start, endorsed = dossier.at(AdviceStage.CONCEPT), dossier.at(AdviceStage.ONDERSCHREVEN)
        taken: set[int] = set()
        for side in (Side.GEMEENTE, Side.INITIATIEF):
            user_id, _own_side, kind, organisation_id = _endorser(rng, people, side, taken)
            taken.add(user_id)
            at = start + (endorsed - start) * rng.uniform(0.1, 0.9)
            by_organisation = kind == CONFIRMS[side]
            rows.append(
                (
                    dossier.pk,
                    user_id,
                    str(side),
                    organisation_id if by_organisation else None,
                    at,
                    None if by_organisation else people.steward,
                    at,
                )
            )
    fields = ["advice_id", "user_id", "side", "organisation_id", "side_confirmed_at"]
    insert_rows(Endorsement, [*fields, "side_confirmed_by_id", "created_at"], rows)
    seeder.counts["endorsements"] = len(rows)


def _seed_decisions(seeder: ScaleSeeder, dossiers: list[Dossier], outcomes: list[str]) -> None:
    rng = seeder.rng
    rows: list[tuple[Any, ...]] = []
    for dossier, outcome in zip(dossiers, outcomes, strict=True):
        if dossier.stage not in DECIDED:
            continue
        at = dossier.at(AdviceStage.BESLUIT)
        dossier.decided_on = timezone.localtime(at).date()
        rows.append(
            (
                dossier.pk,
                outcome,
                str(seeder.pick(INSTRUMENT_WEIGHTS)),
                f"Besluit van de raad over advies {dossier.number} (synthetic).",
                f"RB-{dossier.decided_on.year}-{rng.randrange(1, 999):03d}",
                dossier.decided_on,
                dossier.author,
                at,
            )
        )
    fields = ["advice_id", "outcome", "instrument", "text", "reference", "decided_on"]
    insert_rows(CouncilDecision, [*fields, "recorded_by_id", "recorded_at"], rows)
    seeder.counts["council decisions"] = len(rows)


def _decision_ids(seeder: ScaleSeeder) -> dict[int, int]:
    return dict(
        CouncilDecision.objects.filter(advice__community__in=seeder.communities)
        .order_by("pk")
        .values_list("advice_id", "pk")
    )


def _link_signals(seeder: ScaleSeeder, dossiers: list[Dossier]) -> None:
    """The largest community's first dossier answers 50 of its signals (the bench's PDF)."""
    if not dossiers or not seeder.communities:
        return
    first = dossiers[0]
    if first.community_id != seeder.communities[0].pk:
        return
    signals = (
        Signal.objects.filter(community_id=first.community_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:SIGNALS_OF_THE_FIRST]
    )
    insert_rows(
        CouncilAdvice.signals.through,
        ["counciladvice_id", "signal_id"],
        [(first.pk, pk) for pk in signals],
    )


def seed_commitments(
    seeder: ScaleSeeder, dossiers: list[Dossier], members: dict[int, Members]
) -> None:
    rng = seeder.rng
    following = [
        d
        for d in dossiers
        if d.adopted and d.stage in (AdviceStage.OPVOLGING, AdviceStage.AFGEROND)
    ]
    if not following:
        return
    decisions = _decision_ids(seeder)
    sizes = allocate(seeder.options["commitments"], [rng.uniform(0.5, 1.5) for _d in following])
    rows: list[tuple[Any, ...]] = []
    for dossier, size in zip(following, sizes, strict=True):
        assert dossier.decided_on is not None  # adopted
        statuses = FOLLOW_UP_STATUS if dossier.stage == AdviceStage.OPVOLGING else COMPLETED_STATUS
        for number in range(size):
            status = str(seeder.pick(statuses))
            # Open ones have no owner: the daily reminder mails nobody for synthetic data.
            owner = None
            if status != CommitmentStatus.OPEN:
                owner = rng.choice(members[dossier.community_id].all)[0]
            rows.append(
                (
                    dossier.pk,
                    decisions[dossier.pk],
                    f"Toezegging {number + 1} bij advies {dossier.number} (synthetic)",
                    owner,
                    dossier.decided_on + timedelta(days=rng.randint(14, 400)),
                    status,
                    dossier.at(AdviceStage.BESLUIT),
                )
            )
    fields = ["advice_id", "decision_id", "description", "owner_id", "due_on", "status"]
    insert_rows(Commitment, [*fields, "created_at"], rows)
    seeder.counts["commitments"] = len(rows)


def seed_meetings(seeder: ScaleSeeder, dossiers: list[Dossier]) -> None:
    rng = seeder.rng
    rows: list[tuple[Any, ...]] = []
    for community, size in zip(
        seeder.communities, _sizes(seeder, seeder.options["council_meetings"]), strict=True
    ):
        if not size:
            continue
        # Every few weeks up to now, the last one or two still to come.
        step = (seeder.now - seeder.start) / size
        for number in range(size):
            starts = (seeder.start + step * (number + 2)).replace(
                hour=19, minute=30, second=0, microsecond=0
            )
            body = seeder.pick(BODY_WEIGHTS)
            rows.append(
                (
                    community.pk,
                    str(body),
                    f"{body.label} {number + 1} (synthetic)",
                    starts,
                    starts + timedelta(hours=rng.choice((2, 3))),
                    "Raadzaal (synthetic)",
                    True,
                )
            )
    fields = ["community_id", "body", "title", "starts_at", "ends_at", "place", "is_example"]
    insert_rows(CouncilMeeting, fields, rows)
    meetings: dict[int, tuple[list[datetime], list[int]]] = {}
    for community_id, pk, starts_at in (
        CouncilMeeting.objects.filter(community__in=seeder.communities)
        .order_by("community_id", "starts_at", "pk")
        .values_list("community_id", "pk", "starts_at")
    ):
        times, ids = meetings.setdefault(community_id, ([], []))
        times.append(starts_at)
        ids.append(pk)
    items = []
    for dossier in dossiers:
        if dossier.stage not in ON_THE_AGENDA or dossier.community_id not in meetings:
            continue
        times, ids = meetings[dossier.community_id]
        index = bisect.bisect_left(times, dossier.at(AdviceStage.GEAGENDEERD))
        items.append((ids[min(index, len(ids) - 1)], dossier.pk, "(synthetic)"))
    insert_rows(MeetingItem, ["meeting_id", "advice_id", "note"], items)
    seeder.counts["council meetings"] = len(rows)
    seeder.counts["agenda items of council meetings"] = len(items)


def seed_register(seeder: ScaleSeeder, dossiers: list[Dossier]) -> None:
    rng = seeder.rng
    adopted = [d for d in dossiers if d.adopted]
    chosen = sorted(
        rng.sample(range(len(adopted)), min(seeder.options["arrangements"], len(adopted)))
    )
    decisions = _decision_ids(seeder)
    today = timezone.localdate()
    rows: list[tuple[Any, ...]] = []
    for index in chosen:
        dossier = adopted[index]
        assert dossier.decided_on is not None  # adopted
        ended = rng.random() < 0.1
        rows.append(
            (
                dossier.community_id,
                f"Vastgesteld bij advies {dossier.number} (synthetic)",
                "Wat de raad vaststelde op advies van de groep (synthetic).",
                decisions[dossier.pk],
                dossier.decided_on,
                not ended,
                min(dossier.decided_on + timedelta(days=rng.randint(30, 700)), today)
                if ended
                else None,
                True,
            )
        )
    fields = ["community_id", "title", "description", "decision_id", "established_on"]
    insert_rows(Arrangement, [*fields, "in_force", "ended_on", "is_example"], rows)
    seeder.counts["arrangements"] = len(rows)
