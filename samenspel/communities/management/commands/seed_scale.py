"""manage.py seed_scale: synthetic data at national scale, for `make bench` and load checks.

By default 342 communities (as many as the Netherlands has municipalities), 20,000
members, 2,000 heat initiatives and ten years of their figures, spread over them.
Everything is visibly synthetic: communities are called "Community 001 (synthetic)" in
"Gemeente 001", people "Member 00001 (synthetic)" with addresses like
member00001@scale.example, initiatives "Initiative 0001 (synthetic)", and every community
and initiative is marked as example content. No real names are presented as facts.

Shape of the data (deterministic for a given --seed):

- Community sizes follow a long tail (weight rank^-0.8): community 001 is the largest
  (about 1,700 members with the defaults), the smallest have a handful. Every community
  has at least one member, and its first member is a steward.
- About 80% of the communities are public; the largest one always is, so the bench has a
  big public community to measure.
- Each community has 2–8 organisations (more for bigger ones); about three quarters of the
  members belong to one of them. Sides and roles vary (some extra stewards, some observers).
- Join dates are spread over the last three years.
- Initiatives ("Initiative 0001 (synthetic)") follow the same long tail, weighted five to one
  towards public communities, so the largest public community has the most (about 150 with
  the defaults) and small ones may have none. Each is listed in its community's atlas,
  belongs to one of the community's synthetic organisations (preferably an initiative), and
  lies near a random centre of its community inside the bounding box of the Netherlands;
  phase, status, legal form and one to three heat solutions are drawn from the choices.
- Every community gets the default catalogue (defaults.ensure_defaults: indicators, phase
  criteria, support offers, the emission factor of natural gas), and every initiative a
  value for each default *number* indicator in each of the last --years years, growing
  over time (2,000 × 7 × 10 = 140,000 rows with the defaults).

Choices:

- Speed: rows are written with bulk_create in batches of 2,000, and all people share one
  precomputed *unusable* password hash (make_password(None)), so no hashing per person and
  no account that anyone can log in to. A bench that needs a signed-in member can issue an
  API token (manage.py api_token) or create a session. No allauth EmailAddress rows.
- History: communities, organisations, memberships and initiatives are written with
  simple_history's bulk_create_with_history (one extra bulk insert per model), dated at the
  join or start date, so the activity feed of a community looks as it would in real use.
  Users have no history. Indicator values have none either: 140,000 synthetic figures
  would double the largest insert and are nobody's edits; the default catalogue is written
  without history, as ensure_defaults itself does (bar its emission factor). Bulk inserts
  send no history signal, so content versions stay as they are; the synthetic communities
  are new rows anyway.
- Re-running replaces: it first deletes the earlier synthetic rows, identified by the slug
  pattern "scale-<digits>" (with is_example set) and the email domain scale.example, and
  their history, without writing a deletion record per row. The indicator values go first
  in one DELETE, since the ORM would load each of them to cascade.

Adding a kind of data later (e.g. --initiatives, --signals): add its option in
`add_arguments`, a `seed_<kind>` method on `ScaleSeeder` that reads `self.options`, call it
from `ScaleSeeder.run`, and extend `clear_synthetic` if its rows are not removed by the
cascade from the synthetic communities and users.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from samenspel.accounts.models import User
from samenspel.communities.models import (
    Community,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Side,
)
from samenspel.initiatives import defaults
from samenspel.initiatives.choices import (
    HeatSolution,
    IndicatorKind,
    LegalForm,
    Phase,
    Review,
    Status,
)
from samenspel.initiatives.models import (
    EmissionFactor,
    Indicator,
    IndicatorValue,
    Initiative,
    Neighbourhood,
    PhaseCriterion,
    SupportOffer,
)

SLUG_PREFIX = "scale-"
SLUG_PATTERN = r"^scale-[0-9]+$"
EMAIL_DOMAIN = "scale.example"
BATCH_SIZE = 2000

PUBLIC_SHARE = 0.8
SIZE_EXPONENT = 0.8
ORGANISATION_SHARE = 0.75
HISTORY_SPAN = timedelta(days=3 * 365)
SIDE_WEIGHTS = {
    Side.INITIATIEF: 50,
    Side.GEMEENTE: 25,
    Side.FACILITATIE: 10,
    Side.OVERIG: 15,
}
ROLE_WEIGHTS = {Role.LID: 86, Role.STEWARD: 4, Role.WAARNEMER: 10}
ORGANISATION_KINDS = [
    OrganisationKind.INITIATIEF,
    OrganisationKind.FACILITATOR,
    OrganisationKind.INITIATIEF,
    OrganisationKind.OVERIG,
]

# Initiatives: five times as likely in a public community as in a private one of its size.
PRIVATE_INITIATIVE_WEIGHT = 0.2
# The bounding box of the (European) Netherlands in WGS 84: west, south, east, north.
NL_BOUNDS = (3.36, 50.76, 7.22, 53.55)
# Initiatives of a community lie within this many degrees (lon, lat) of its centre.
COMMUNITY_SPREAD = (0.08, 0.05)
PHASE_WEIGHTS = {
    Phase.ORIENTATIE: 30,
    Phase.VERKENNING: 30,
    Phase.ONTWIKKELING: 20,
    Phase.REALISATIE: 12,
    Phase.EXPLOITATIE: 8,
}
STATUS_WEIGHTS = {Status.ACTIEF: 75, Status.NIET_ACTIEF: 15, Status.GESTOPT: 10}
# Per household of an initiative's area, when it is fully grown (the last year):
# code -> (share or amount per household, or a fixed base).
VALUE_SHAPES = {
    "households-reached": 0.9,
    "households-connected": 0.4,
    "members": 0.3,
    "volunteers": 0.02,
    "gas-saved": 0.4 * 900,  # m³ a year saved per connected household, roughly
    "heat-delivered": 0.4 * 30,  # GJ a year per connected household
    "local-investment": 0.4 * 9000,  # € per connected household
}
VALUE_SOURCE = "Synthetic (manage.py seed_scale), not a real figure"


def synthetic_communities() -> Any:
    return Community.objects.filter(slug__regex=SLUG_PATTERN, is_example=True)


def synthetic_users() -> Any:
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")


def clear_synthetic() -> dict[str, int]:
    """Delete earlier synthetic rows and their history. Returns what was deleted, by model."""
    # The indicator values go first in one DELETE: through the ORM, the cascade would load
    # every one of them (simple_history listens for their deletion).
    values = IndicatorValue.objects.filter(initiative__community__in=synthetic_communities())
    values._raw_delete(values.db)  # type: ignore[attr-defined]
    clear_synthetic_signals()
    # Deleting through the ORM keeps cascades right; with history switched off it does not
    # write a '-' record for each of thousands of rows that are removed anyway.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        _, communities = synthetic_communities().delete()
        _, users = synthetic_users().delete()
    historical = Community.history.filter(slug__regex=SLUG_PATTERN, is_example=True)
    community_ids = historical.values("id")
    initiative_ids = Initiative.history.filter(community_id__in=community_ids).values("id")
    IndicatorValue.history.filter(initiative_id__in=initiative_ids).delete()
    for model in (
        Initiative,  # its neighbourhood links' history goes with it
        Indicator,
        PhaseCriterion,
        SupportOffer,
        EmissionFactor,
        Neighbourhood,
        Membership,
        Organisation,
    ):
        model.history.filter(community_id__in=community_ids).delete()  # type: ignore[attr-defined]
    historical.delete()
    return {**communities, **users}


def clear_synthetic_signals() -> None:
    """Raw deletes of the synthetic signals and loop events: through the ORM, the cascade
    would load each of a million rows (simple_history listens for their deletion)."""
    from samenspel.learning.models import Adjustment, LoopEvent, Signal

    signals = Signal.objects.filter(community__in=synthetic_communities())
    signals.update(last_event=None)
    for queryset in (
        LoopEvent.objects.filter(signal__in=signals),
        Signal.themes.through.objects.filter(signal__in=signals),
        Signal.initiatives.through.objects.filter(signal__in=signals),
        Signal.policy_objects.through.objects.filter(signal__in=signals),
        Adjustment.signals.through.objects.filter(signal__in=signals),
    ):
        queryset._raw_delete(queryset.db)  # type: ignore[attr-defined]
    signals._raw_delete(signals.db)  # type: ignore[attr-defined]


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


def value_of(code: str, households: int, growth: float, jitter: float) -> Decimal:
    """A plausible figure for a year: the full-grown amount times how far it has grown."""
    return Decimal(round(VALUE_SHAPES[code] * households * growth * jitter))


@dataclass
class ScaleSeeder:
    options: dict[str, Any]
    rng: random.Random = field(init=False)
    now: datetime = field(init=False)
    communities: list[Community] = field(default_factory=list)
    organisations: dict[int, list[Organisation]] = field(default_factory=dict)
    initiatives: list[Initiative] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.options["seed"])
        self.now = timezone.now()

    @property
    def start(self) -> datetime:
        return self.now - HISTORY_SPAN

    def run(self) -> dict[str, int]:
        self.seed_communities()
        self.seed_organisations()
        self.seed_members()
        self.seed_catalogues()
        self.seed_initiatives()
        self.seed_values()
        seed_signals(self)
        return self.counts

    def _pick(self, weights: dict[Any, int]) -> Any:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def seed_communities(self) -> None:
        number = self.options["communities"]
        width = max(3, len(str(number)))
        communities = []
        for index in range(1, number + 1):
            code = f"{index:0{width}d}"
            community = Community(
                name=f"Community {code} (synthetic)",
                slug=f"{SLUG_PREFIX}{code}",
                municipality=f"Gemeente {code}",
                description=(
                    "Synthetic community for load tests (manage.py seed_scale). "
                    "Its name, people and figures are generated, not real."
                ),
                # The largest community (the first) is always public.
                is_public=index == 1 or self.rng.random() < PUBLIC_SHARE,
                is_example=True,
            )
            communities.append(community)
        self.communities = bulk_create_with_history(
            communities, Community, batch_size=BATCH_SIZE, default_date=self.start
        )
        # created_at is auto_now_add; date the communities at the start of their history.
        synthetic_communities().update(created_at=self.start)
        self.counts["communities"] = len(self.communities)

    def seed_organisations(self) -> None:
        sizes = self._sizes()
        organisations = []
        for community, size in zip(self.communities, sizes, strict=True):
            code = community.slug.removeprefix(SLUG_PREFIX)
            number = 2 + min(6, size // 50)
            for n in range(1, number + 1):
                kind = (
                    OrganisationKind.GEMEENTE_AFDELING
                    if n == 1
                    else ORGANISATION_KINDS[n % len(ORGANISATION_KINDS)]
                )
                organisation = Organisation(
                    community=community,
                    name=f"Organisation {code}-{n} (synthetic)",
                    kind=kind,
                )
                organisations.append(organisation)
        created = bulk_create_with_history(
            organisations, Organisation, batch_size=BATCH_SIZE, default_date=self.start
        )
        for organisation in created:
            self.organisations.setdefault(organisation.community_id, []).append(organisation)
        self.counts["organisations"] = len(created)

    def _sizes(self) -> list[int]:
        return spread(self.options["members"], len(self.communities), SIZE_EXPONENT)

    def seed_members(self) -> None:
        width = max(5, len(str(self.options["members"])))
        password = make_password(None)  # one unusable hash for everyone
        span = HISTORY_SPAN.total_seconds()
        users: list[User] = []
        placements: list[tuple[Community, bool, datetime]] = []
        number = 0
        for community, size in zip(self.communities, self._sizes(), strict=True):
            for position in range(size):
                number += 1
                first = position == 0
                # The founding steward joins in the first month, the others any time after.
                offset = self.rng.random() * (30 * 86400 if first else span)
                joined_at = self.start + timedelta(seconds=offset)
                users.append(
                    User(
                        email=f"member{number:0{width}d}@{EMAIL_DOMAIN}",
                        display_name=f"Member {number:0{width}d} (synthetic)",
                        password=password,
                        date_joined=joined_at,
                    )
                )
                placements.append((community, first, joined_at))
        users = User.objects.bulk_create(users, batch_size=BATCH_SIZE)
        if any(user.pk is None for user in users):  # databases that return no ids
            ids = dict(synthetic_users().values_list("email", "pk"))
            for user in users:
                user.pk = ids[user.email]

        memberships = []
        for user, (community, first, joined_at) in zip(users, placements, strict=True):
            organisations = self.organisations.get(community.pk, [])
            organisation = (
                self.rng.choice(organisations)
                if organisations and self.rng.random() < ORGANISATION_SHARE
                else None
            )
            membership = Membership(
                user=user,
                community=community,
                organisation=organisation,
                # Synthetic members speak for their organisation, as confirmed ones would.
                organisation_confirmed_at=joined_at if organisation else None,
                side=self._pick(SIDE_WEIGHTS),
                role=Role.STEWARD if first else self._pick(ROLE_WEIGHTS),
                joined_at=joined_at,
            )
            membership._history_date = joined_at  # type: ignore[attr-defined]
            memberships.append(membership)
        bulk_create_with_history(memberships, Membership, batch_size=BATCH_SIZE)
        self.counts["users"] = len(users)
        self.counts["memberships"] = len(memberships)

    def seed_catalogues(self) -> None:
        """defaults.ensure_defaults for every community at once: one insert per model."""
        indicators, criteria, offers, factors = [], [], [], []
        value, source, valid_from = defaults.NATURAL_GAS
        for community in self.communities:
            indicators += [
                Indicator(community=community, code=code, name=name, unit=unit, kind=kind, order=i)
                for i, (code, name, unit, kind) in enumerate(defaults.INDICATORS)
            ]
            criteria += [
                PhaseCriterion(community=community, phase=phase, text=text, order=i)
                for i, (phase, text) in enumerate(defaults.CRITERIA)
            ]
            offers += [
                SupportOffer(community=community, phase=phase, name=name, description=text, order=i)
                for i, (phase, name, text) in enumerate(defaults.SUPPORT)
            ]
            factors.append(
                EmissionFactor(
                    community=community, value=value, source=source, valid_from=valid_from
                )
            )
        Indicator.objects.bulk_create(indicators, batch_size=BATCH_SIZE)
        PhaseCriterion.objects.bulk_create(criteria, batch_size=BATCH_SIZE)
        SupportOffer.objects.bulk_create(offers, batch_size=BATCH_SIZE)
        EmissionFactor.objects.bulk_create(factors, batch_size=BATCH_SIZE)
        self.counts["indicators"] = len(indicators)

    def _initiative_organisation(self, community: Community) -> Organisation | None:
        organisations = self.organisations.get(community.pk, [])
        own = [o for o in organisations if o.kind == OrganisationKind.INITIATIEF]
        return self.rng.choice(own or organisations) if organisations else None

    def _centre(self) -> tuple[float, float]:
        west, south, east, north = NL_BOUNDS
        spread_lon, spread_lat = COMMUNITY_SPREAD
        return (
            self.rng.uniform(west + spread_lon, east - spread_lon),
            self.rng.uniform(south + spread_lat, north - spread_lat),
        )

    def seed_initiatives(self) -> None:
        number = self.options["initiatives"]
        weights = [
            (rank + 1) ** -SIZE_EXPONENT * (1 if community.is_public else PRIVATE_INITIATIVE_WEIGHT)
            for rank, community in enumerate(self.communities)
        ]
        width = max(4, len(str(number)))
        span = HISTORY_SPAN.total_seconds()
        solutions = list(HeatSolution.values)
        spread_lon, spread_lat = COMMUNITY_SPREAD
        initiatives = []
        serial = 0
        for community, count in zip(self.communities, allocate(number, weights), strict=True):
            lon, lat = self._centre()
            for _ in range(count):
                serial += 1
                code = f"{serial:0{width}d}"
                initiative = Initiative(
                    community=community,
                    organisation=self._initiative_organisation(community),
                    name=f"Initiative {code} (synthetic)",
                    slug=f"initiative-{code}",
                    pitch=(
                        "Synthetic initiative for load tests (manage.py seed_scale); "
                        "its name, place and figures are generated, not real."
                    ),
                    longitude=Decimal(f"{lon + self.rng.uniform(-spread_lon, spread_lon):.6f}"),
                    latitude=Decimal(f"{lat + self.rng.uniform(-spread_lat, spread_lat):.6f}"),
                    phase=self._pick(PHASE_WEIGHTS),
                    status=self._pick(STATUS_WEIGHTS),
                    legal_form=self.rng.choice(LegalForm.values),
                    solutions=self.rng.sample(solutions, self.rng.randint(1, 3)),
                    households=self.rng.randint(50, 2000),
                    review=Review.LISTED,
                    is_example=True,
                )
                initiative._history_date = self.start + timedelta(  # type: ignore[attr-defined]
                    seconds=self.rng.random() * span
                )
                initiatives.append(initiative)
        self.initiatives = bulk_create_with_history(initiatives, Initiative, batch_size=BATCH_SIZE)
        if any(initiative.pk is None for initiative in self.initiatives):
            ids = dict(
                Initiative.objects.filter(community__in=synthetic_communities()).values_list(
                    "slug", "pk"
                )
            )
            for initiative in self.initiatives:
                initiative.pk = ids[initiative.slug]
        self.counts["initiatives"] = len(self.initiatives)

    def seed_values(self) -> None:
        """A figure per default number indicator per year; written in chunks, no history."""
        years = self.options["years"]
        indicators: dict[int, list[tuple[str, int]]] = {}
        for community_id, code, pk in Indicator.objects.filter(
            community__in=[c.pk for c in self.communities],
            kind=IndicatorKind.NUMBER,
            code__in=list(VALUE_SHAPES),
        ).values_list("community_id", "code", "pk"):
            indicators.setdefault(community_id, []).append((code, pk))
        last = self.now.year - 1
        first = last - years + 1
        total = 0
        chunk: list[IndicatorValue] = []
        for initiative in self.initiatives:
            households = initiative.households or 0
            for year in range(first, last + 1):
                growth = (year - first + 1) / years
                for code, indicator_id in indicators.get(initiative.community_id, []):
                    chunk.append(
                        IndicatorValue(
                            initiative_id=initiative.pk,
                            indicator_id=indicator_id,
                            year=year,
                            value=value_of(code, households, growth, self.rng.uniform(0.8, 1.2)),
                            source=VALUE_SOURCE,
                        )
                    )
            if len(chunk) >= 10 * BATCH_SIZE:
                IndicatorValue.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
                total += len(chunk)
                chunk = []
        IndicatorValue.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
        self.counts["indicator values"] = total + len(chunk)


class Command(BaseCommand):
    help = "Replace the synthetic national-scale data (communities scale-NNN, *@scale.example)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--communities", type=int, default=342, help="Number of communities (342)."
        )
        parser.add_argument(
            "--members",
            type=int,
            default=20_000,
            help="Number of members, one person each, spread over the communities (20000).",
        )
        parser.add_argument(
            "--initiatives",
            type=int,
            default=2_000,
            help="Number of listed initiatives, mostly in public communities (2000).",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=10,
            help="Years of figures per initiative, up to last year (10).",
        )
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
        parser.add_argument("--seed", type=int, default=1, help="Random seed (1).")
        parser.add_argument("--clear", action="store_true", help="Only delete the synthetic data.")

    def handle(self, *args: object, **options: Any) -> None:
        if not options["clear"]:
            if options["communities"] < 1:
                raise CommandError("--communities must be at least 1.")
            if options["members"] < options["communities"]:
                raise CommandError("--members must be at least --communities (one steward each).")
            if options["signals"] < 0 or not 1 <= options["events_per_signal"] <= 50:
                raise CommandError("--signals must be 0 or more, --events-per-signal 1 to 50.")
            if options["initiatives"] < 0 or not 0 <= options["years"] <= 100:
                raise CommandError("--initiatives must be 0 or more, --years from 0 to 100.")
        started = time.monotonic()
        with transaction.atomic():
            deleted = clear_synthetic()
            counts = {} if options["clear"] else ScaleSeeder(options).run()
        removed = sum(n for label, n in deleted.items() if label.endswith((".User", ".Community")))
        summary = ", ".join(f"{n} {label}" for label, n in counts.items()) or "nothing"
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic data: removed {removed} earlier communities and users, "
                f"created {summary} in {time.monotonic() - started:.1f} s."
            )
        )


# -- signals (track 2) -------------------------------------------------------------------

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


def _stage_walk(rng: random.Random, steps: int) -> list[tuple[str, str]]:
    """(from, to) pairs: raised, then `steps - 1` moves that exist in the loop."""
    from samenspel.learning.stages import MOVES, Stage

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


def seed_signals(seeder: Any) -> None:
    """Signals spread over the communities like the members, each with a walk through the
    loop. Written with raw multi-row inserts (no history: synthetic, nobody's edits), then
    every signal's last_event set in one UPDATE. Themes: five per community, one per signal.
    """
    from django.db import connection

    from samenspel.learning.models import LoopEvent, Signal, Theme

    number = seeder.options.get("signals", 0)
    per_signal = seeder.options.get("events_per_signal", 5)
    if not number:
        return
    rng = seeder.rng
    communities = seeder.communities
    themes = Theme.objects.bulk_create(
        Theme(community=c, name=f"{name} (synthetic)", slug=slugify_theme(name))
        for c in communities
        for name in THEME_NAMES
    )
    if any(theme.pk is None for theme in themes):
        themes = list(Theme.objects.filter(community__in=communities).order_by("pk"))
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
    columns = "community_id, title, what_happened, impact, urgency, raised_at, is_example"
    _insert_rows(connection, Signal._meta.db_table, columns, rows)
    ids = list(
        Signal.objects.filter(community__in=communities).order_by("pk").values_list("pk", flat=True)
    )
    links = [
        (pk, rng.choice(themes_of[community_id]))
        for pk, community_id in zip(ids, owners, strict=True)
    ]
    _insert_rows(connection, Signal.themes.through._meta.db_table, "signal_id, theme_id", links)
    events: list[tuple[Any, ...]] = []
    total = 0
    columns = "signal_id, from_stage, to_stage, at, note, outcome, closed_without_answer"
    for pk, row in zip(ids, rows, strict=True):
        steps = rng.randint(1, 2 * per_signal - 1)
        at = row[5]
        for from_stage, to_stage in _stage_walk(rng, steps):
            events.append((pk, from_stage, to_stage, at, "", "", False))
            at = min(at + timedelta(days=rng.uniform(1, 20)), seeder.now)
        if len(events) >= 50 * BATCH_SIZE:
            _insert_rows(connection, LoopEvent._meta.db_table, columns, events)
            total += len(events)
            events = []
    _insert_rows(connection, LoopEvent._meta.db_table, columns, events)
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


def slugify_theme(name: str) -> str:
    return name.lower()


def _insert_rows(connection: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    """Multi-row INSERTs (PostgreSQL: COPY), far faster than the ORM for a million rows."""
    if not rows:
        return
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
