"""manage.py seed_scale, the initiatives' part: every synthetic community's default
catalogue, synthetic heat initiatives and years of their figures (see
samenspel/core/scale.py for the whole).

Shape of the data (deterministic for a given --seed):

- Initiatives ("Initiative 0001 (synthetic)") follow the same long tail as the community
  sizes, weighted five to one towards public communities, so the largest public community
  has the most (about 150 with the defaults) and small ones may have none. Each is listed
  in its community's atlas, belongs to one of the community's synthetic organisations
  (preferably an initiative), and lies near a random centre of its community inside the
  bounding box of the Netherlands; phase, status, legal form and one to three heat
  solutions are drawn from the choices. Every initiative is marked as example content.
- Every community gets the default catalogue (defaults.ensure_defaults: indicators, phase
  criteria, support offers, the emission factor of natural gas); bulk inserts send no
  post_save, so the receiver that gives a new community its catalogue does not run. Every
  initiative gets a value for each default *number* indicator in each of the last --years
  years, growing over time (2,000 × 7 × 10 = 140,000 rows with the defaults).

Choices:

- History: initiatives are written with simple_history's bulk_create_with_history, dated
  at their start, so the activity feed shows the atlas. Indicator values have none:
  140,000 synthetic figures would double the largest insert and are nobody's edits; the
  default catalogue is written without history, as ensure_defaults itself does (bar its
  emission factor).
- Speed: values are written with bulk_create in chunks of ten batches.
- Re-running replaces: the indicator values go first in one DELETE, since the ORM would
  load each of them to cascade; the rest goes with the synthetic communities, and the
  history of all of it is deleted here.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandError, CommandParser
from simple_history.utils import bulk_create_with_history

from samenspel.communities.models import Community, Organisation, OrganisationKind
from samenspel.communities.scale import synthetic_communities, synthetic_community_history
from samenspel.core.scale import (
    BATCH_SIZE,
    HISTORY_SPAN,
    SIZE_EXPONENT,
    ScaleSeeder,
    allocate,
    raw_delete,
)
from samenspel.initiatives.choices import (
    HeatSolution,
    IndicatorKind,
    LegalForm,
    Phase,
    Review,
    Status,
)
from samenspel.initiatives.defaults import ensure_defaults
from samenspel.initiatives.models import (
    EmissionFactor,
    Indicator,
    IndicatorValue,
    Initiative,
    Neighbourhood,
    PhaseCriterion,
    SupportOffer,
)

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


def value_of(code: str, households: int, growth: float, jitter: float) -> Decimal:
    """A plausible figure for a year: the full-grown amount times how far it has grown."""
    return Decimal(round(VALUE_SHAPES[code] * households * growth * jitter))


def add_arguments(parser: CommandParser) -> None:
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


def check_options(options: dict[str, Any]) -> None:
    if options["initiatives"] < 0 or not 0 <= options["years"] <= 100:
        raise CommandError("--initiatives must be 0 or more, --years from 0 to 100.")


def clear_synthetic() -> dict[str, int]:
    """The synthetic initiatives' figures in one DELETE (through the ORM, the cascade would
    load every one of them), and the history of the synthetic communities' initiatives and
    catalogues; the rows themselves go with the communities."""
    raw_delete(IndicatorValue.objects.filter(initiative__community__in=synthetic_communities()))
    community_ids = synthetic_community_history().values("id")
    initiative_ids = Initiative.history.filter(community_id__in=community_ids).values("id")
    IndicatorValue.history.filter(initiative_id__in=initiative_ids).delete()
    for model in (
        Initiative,  # its neighbourhood links' history goes with it
        Indicator,
        PhaseCriterion,
        SupportOffer,
        EmissionFactor,
        Neighbourhood,
    ):
        model.history.filter(community_id__in=community_ids).delete()  # type: ignore[attr-defined]
    return {}


def seed(seeder: ScaleSeeder) -> None:
    with seeder.timed("catalogues"):
        seed_catalogues(seeder)
    with seeder.timed("initiatives"):
        initiatives = seed_initiatives(seeder)
    with seeder.timed("indicator values"):
        seed_values(seeder, initiatives)


def seed_catalogues(seeder: ScaleSeeder) -> None:
    """The app's own default catalogue for every synthetic community."""
    for community in seeder.communities:
        ensure_defaults(community)
    seeder.counts["indicators"] = Indicator.objects.filter(
        community__in=[c.pk for c in seeder.communities]
    ).count()


def _initiative_organisation(seeder: ScaleSeeder, community: Community) -> Organisation | None:
    organisations = seeder.organisations.get(community.pk, [])
    own = [o for o in organisations if o.kind == OrganisationKind.INITIATIEF]
    return seeder.rng.choice(own or organisations) if organisations else None


def _centre(seeder: ScaleSeeder) -> tuple[float, float]:
    west, south, east, north = NL_BOUNDS
    spread_lon, spread_lat = COMMUNITY_SPREAD
    return (
        seeder.rng.uniform(west + spread_lon, east - spread_lon),
        seeder.rng.uniform(south + spread_lat, north - spread_lat),
    )


def seed_initiatives(seeder: ScaleSeeder) -> list[Initiative]:
    number = seeder.options["initiatives"]
    weights = [
        (rank + 1) ** -SIZE_EXPONENT * (1 if community.is_public else PRIVATE_INITIATIVE_WEIGHT)
        for rank, community in enumerate(seeder.communities)
    ]
    width = max(4, len(str(number)))
    span = HISTORY_SPAN.total_seconds()
    solutions = list(HeatSolution.values)
    spread_lon, spread_lat = COMMUNITY_SPREAD
    rng = seeder.rng
    initiatives = []
    serial = 0
    for community, count in zip(seeder.communities, allocate(number, weights), strict=True):
        lon, lat = _centre(seeder)
        for _ in range(count):
            serial += 1
            code = f"{serial:0{width}d}"
            initiative = Initiative(
                community=community,
                organisation=_initiative_organisation(seeder, community),
                name=f"Initiative {code} (synthetic)",
                slug=f"initiative-{code}",
                pitch=(
                    "Synthetic initiative for load tests (manage.py seed_scale); "
                    "its name, place and figures are generated, not real."
                ),
                longitude=Decimal(f"{lon + rng.uniform(-spread_lon, spread_lon):.6f}"),
                latitude=Decimal(f"{lat + rng.uniform(-spread_lat, spread_lat):.6f}"),
                phase=seeder.pick(PHASE_WEIGHTS),
                status=seeder.pick(STATUS_WEIGHTS),
                legal_form=rng.choice(LegalForm.values),
                solutions=rng.sample(solutions, rng.randint(1, 3)),
                households=rng.randint(50, 2000),
                review=Review.LISTED,
                is_example=True,
            )
            initiative._history_date = seeder.start + timedelta(  # type: ignore[attr-defined]
                seconds=rng.random() * span
            )
            initiatives.append(initiative)
    created = bulk_create_with_history(initiatives, Initiative, batch_size=BATCH_SIZE)
    if any(initiative.pk is None for initiative in created):
        ids = dict(
            Initiative.objects.filter(community__in=synthetic_communities()).values_list(
                "slug", "pk"
            )
        )
        for initiative in created:
            initiative.pk = ids[initiative.slug]
    seeder.counts["initiatives"] = len(created)
    return created


def seed_values(seeder: ScaleSeeder, initiatives: list[Initiative]) -> None:
    """A figure per default number indicator per year; written in chunks, no history."""
    years = seeder.options["years"]
    indicators: dict[int, list[tuple[str, int]]] = {}
    for community_id, code, pk in Indicator.objects.filter(
        community__in=[c.pk for c in seeder.communities],
        kind=IndicatorKind.NUMBER,
        code__in=list(VALUE_SHAPES),
    ).values_list("community_id", "code", "pk"):
        indicators.setdefault(community_id, []).append((code, pk))
    last = seeder.now.year - 1
    first = last - years + 1
    total = 0
    chunk: list[IndicatorValue] = []
    for initiative in initiatives:
        households = initiative.households or 0
        for year in range(first, last + 1):
            growth = (year - first + 1) / years
            for code, indicator_id in indicators.get(initiative.community_id, []):
                chunk.append(
                    IndicatorValue(
                        initiative_id=initiative.pk,
                        indicator_id=indicator_id,
                        year=year,
                        value=value_of(code, households, growth, seeder.rng.uniform(0.8, 1.2)),
                        source=VALUE_SOURCE,
                    )
                )
        if len(chunk) >= 10 * BATCH_SIZE:
            IndicatorValue.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
            total += len(chunk)
            chunk = []
    IndicatorValue.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
    seeder.counts["indicator values"] = total + len(chunk)
