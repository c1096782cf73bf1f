"""The Zwolle demo's track 1: the seed's four initiatives, schematic neighbourhoods and
example figures. Every figure is invented and says so in its source."""

from decimal import Decimal

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.core.demo import DemoContext
from samenspel.initiatives.choices import (
    PHASE_ORDER,
    ExchangeKind,
    HeatSolution,
    LegalForm,
    Phase,
    ProjectRole,
    Review,
)
from samenspel.initiatives.models import (
    CriterionCheck,
    Exchange,
    Indicator,
    IndicatorValue,
    Initiative,
    Mentorship,
    Neighbourhood,
    PhaseCriterion,
    SupportOffer,
    SupportRequest,
)

EXAMPLE_SOURCE = "Voorbeeldwaarde (verzonnen, ter illustratie)"


def _box(west: float, south: float, east: float, north: float) -> dict[str, object]:
    """A plainly schematic rectangle, not the real boundary."""
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


NEIGHBOURHOODS = [
    ("Berkum (schematisch)", _box(6.115, 52.522, 6.145, 52.540), 2000),
    ("Assendorp (schematisch)", _box(6.085, 52.497, 6.108, 52.508), 3000),
    ("Diezerpoort (schematisch)", _box(6.098, 52.512, 6.118, 52.522), 2500),
    ("Holtenbroek (schematisch)", _box(6.075, 52.525, 6.100, 52.540), 4000),
    ("Aa-landen (schematisch)", _box(6.055, 52.535, 6.085, 52.552), 4500),
]

# name, organisation, neighbourhood, lat, lon, phase, legal form, solutions, pitch
INITIATIVES = [
    (
        "Berkum Energieneutraal",
        "Berkum Energieneutraal",
        "Berkum (schematisch)",
        "52.5310",
        "6.1300",
        Phase.ONTWIKKELING,
        LegalForm.COOPERATIE,
        [HeatSolution.NET_LT, HeatSolution.TEO, HeatSolution.ISOLATIE],
        "Voorbeeld: een buurt die samen van het gas af wil, met warmte uit oppervlaktewater.",
    ),
    (
        "50 Tinten Groen Assendorp",
        "50 Tinten Groen Assendorp",
        "Assendorp (schematisch)",
        "52.5025",
        "6.0960",
        Phase.VERKENNING,
        LegalForm.VERENIGING,
        [HeatSolution.ISOLATIE, HeatSolution.INKOOP, HeatSolution.WARMTEPOMP],
        "Voorbeeld: bewoners van Assendorp die samen isoleren en inkopen.",
    ),
    (
        "Wijbedrijf Dieze",
        "Wijbedrijf Dieze",
        "Diezerpoort (schematisch)",
        "52.5170",
        "6.1080",
        Phase.ORIENTATIE,
        LegalForm.COOPERATIE,
        [HeatSolution.ISOLATIE, HeatSolution.NET_MT],
        "Voorbeeld: een coöperatief wijkbedrijf dat warmte koppelt aan werk in de wijk.",
    ),
    (
        "Blauwvinger Energie",
        "Blauwvinger Energie",
        None,
        "52.5130",
        "6.0900",
        Phase.EXPLOITATIE,
        LegalForm.COOPERATIE,
        [HeatSolution.ZONTHERMIE, HeatSolution.INKOOP],
        "Voorbeeld: de stadsbrede energiecoöperatie die wijkinitiatieven ondersteunt.",
    ),
]

# indicator code -> (start value in 2021, growth per year)
FIGURES = {
    "households-reached": (Decimal(120), Decimal(60)),
    "members": (Decimal(40), Decimal(15)),
    "volunteers": (Decimal(6), Decimal(2)),
    "gas-saved": (Decimal(15000), Decimal(9000)),
}


def load(community: Community, author: User) -> None:
    # The catalogue (indicators, criteria, support, the gas factor) came with the community.
    areas = {
        name: Neighbourhood.objects.create(community=community, name=name, area=area, homes=homes)
        for name, area, homes in NEIGHBOURHOODS
    }
    organisations = {o.name: o for o in community.organisations.all()}
    indicators = {i.code: i for i in Indicator.objects.filter(community=community)}
    for number, (name, org, area, lat, lon, phase, form, solutions, pitch) in enumerate(
        INITIATIVES
    ):
        initiative = Initiative.objects.create(
            community=community,
            organisation=organisations.get(org),
            name=name,
            slug=name.lower().replace(" ", "-"),
            pitch=pitch,
            story=(
                "**Voorbeeld.** Dit verhaal is verzonnen om te laten zien hoe een "
                "initiatief zich presenteert. Het initiatief bestaat echt; deze tekst en "
                "de cijfers niet."
            ),
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            phase=phase,
            legal_form=form,
            solutions=[str(s) for s in solutions],
            project_role=ProjectRole.INITIATIEFNEMER,
            households=areas[area].homes if area else None,
            review=Review.LISTED,
            is_example=True,
        )
        if area:
            initiative.neighbourhoods.add(areas[area])
        IndicatorValue.objects.create(
            initiative=initiative,
            indicator=indicators["value-story"],
            year=2025,
            text=(
                "Voorbeeld: buren die elkaar eerst niet kenden, organiseren nu samen "
                "informatieavonden en helpen elkaar met isoleren."
            ),
            source=EXAMPLE_SOURCE,
            entered_by=author,
        )
        for code, (start, step) in FIGURES.items():
            for offset, year in enumerate(range(2021, 2026)):
                IndicatorValue.objects.create(
                    initiative=initiative,
                    indicator=indicators[code],
                    year=year,
                    value=((start + step * offset) * (number + 1) / 2).quantize(Decimal(1)),
                    source=EXAMPLE_SOURCE,
                    entered_by=author,
                )


def load_growth(community: Community, author: User) -> None:
    """Example growth-path data: criteria met, support offered by the municipality, one
    request waiting, a mentorship and a need and an offer."""
    initiatives = {i.name: i for i in Initiative.objects.filter(community=community)}
    criteria = list(PhaseCriterion.objects.filter(community=community))
    for initiative in initiatives.values():
        done = PHASE_ORDER[: PHASE_ORDER.index(initiative.phase) + 1]
        CriterionCheck.objects.bulk_create(
            CriterionCheck(initiative=initiative, criterion=c, checked_by=author)
            for c in criteria
            if c.phase in done[:-1] or (c.phase == done[-1] and c.order % 2 == 0)
        )
    gemeente = community.organisations.filter(name="Gemeente Zwolle").first()
    SupportOffer.objects.filter(community=community).update(offered_by=gemeente)
    berkum = initiatives["Berkum Energieneutraal"]
    loan = SupportOffer.objects.filter(community=community, phase=berkum.phase).first()
    if loan is not None:
        SupportRequest.objects.create(
            initiative=berkum,
            offer=loan,
            message="Voorbeeld: wij vragen een lening om de businesscase voor het warmtenet uit "
            "te werken.",
            requested_by=author,
        )
    Mentorship.objects.create(
        mentor=initiatives["Blauwvinger Energie"],
        mentee=initiatives["Wijbedrijf Dieze"],
        note="Voorbeeld: Blauwvinger deelt zijn ervaring met het oprichten van een coöperatie.",
    )
    Exchange.objects.create(
        initiative=initiatives["50 Tinten Groen Assendorp"],
        kind=ExchangeKind.NEED,
        title="Voorbeeld: hulp gezocht bij een haalbaarheidsstudie",
        description="Wie heeft er ervaring met een verkenning naar een warmtenet?",
        solution="net-lt",
        phase="verkenning",
    )
    Exchange.objects.create(
        initiative=berkum,
        kind=ExchangeKind.OFFER,
        title="Voorbeeld: wij delen onze businesscase",
        description="Onze rekenmodellen voor een laagtemperatuurnet mogen anderen gebruiken.",
        solution="net-lt",
        phase="ontwikkeling",
    )


def load_demo(demo: DemoContext) -> None:
    """manage.py demo: the initiatives and their growth, entered by the initiative's member."""
    author = demo.people["initiatief"]
    load(demo.community, author=author)
    load_growth(demo.community, author=author)
