"""The demo's community: the example community 'zwolle', built on the Zwolle CoP
(2020–2021), its partner organisations, its members (each speaking for a confirmed
organisation) and one pending join request. Everything is example content: the people are
invented, and texts say so."""

from django.utils import timezone

from samenspel.accounts.demo import create_demo_user
from samenspel.accounts.models import User
from samenspel.communities.models import (
    Community,
    JoinRequest,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Side,
)
from samenspel.core.demo import DemoContext, demo_email

ORGANISATIONS = [
    ("Gemeente Zwolle", OrganisationKind.GEMEENTE_AFDELING),
    ("Stichting Buurtwarmte / Energie Samen", OrganisationKind.FACILITATOR),
    ("DRIFT", OrganisationKind.FACILITATOR),
    ("Blauwvinger Energie", OrganisationKind.INITIATIEF),
    ("Berkum Energieneutraal", OrganisationKind.INITIATIEF),
    ("50 Tinten Groen Assendorp", OrganisationKind.INITIATIEF),
    ("Wijbedrijf Dieze", OrganisationKind.INITIATIEF),
]

# (email name, display name, side, role, organisation)
PEOPLE = [
    (
        "steward",
        "Fenna de Facilitator (voorbeeld)",
        Side.FACILITATIE,
        Role.STEWARD,
        "Stichting Buurtwarmte / Energie Samen",
    ),
    ("gemeente", "Gijs van de Gemeente (voorbeeld)", Side.GEMEENTE, Role.LID, "Gemeente Zwolle"),
    (
        "initiatief",
        "Ilse van het Initiatief (voorbeeld)",
        Side.INITIATIEF,
        Role.LID,
        "Berkum Energieneutraal",
    ),
    ("waarnemer", "Wim de Waarnemer (voorbeeld)", Side.OVERIG, Role.WAARNEMER, None),
    (
        "assendorp",
        "Anouk uit Assendorp (voorbeeld)",
        Side.INITIATIEF,
        Role.LID,
        "50 Tinten Groen Assendorp",
    ),
    ("dieze", "Daan uit Dieze (voorbeeld)", Side.INITIATIEF, Role.LID, "Wijbedrijf Dieze"),
    (
        "blauwvinger",
        "Bo van Blauwvinger (voorbeeld)",
        Side.INITIATIEF,
        Role.LID,
        "Blauwvinger Energie",
    ),
    ("beleid", "Bram van Beleid (voorbeeld)", Side.GEMEENTE, Role.LID, "Gemeente Zwolle"),
    ("drift", "Dewi van DRIFT (voorbeeld)", Side.FACILITATIE, Role.STEWARD, "DRIFT"),
]

DESCRIPTION = (
    "Voorbeeld. Deze community laat zien hoe Samenspel werkt, naar het voorbeeld van de "
    "Community of Practice warmtetransitie in Zwolle (augustus 2020 – februari 2021). "
    "Ambtenaren van de gemeente en de warmte-initiatieven in Berkum, Assendorp en "
    "Diezerpoort en Blauwvinger Energie leerden hier samen, begeleid door DRIFT en "
    "Energie Samen / Buurtwarmte. De mensen en hun teksten zijn verzonnen."
)


NEWCOMER = ("nieuw", "Nina Nieuwkomer (voorbeeld)")


def has_data() -> bool:
    """Whether the database holds a community already (`manage.py demo --if-empty`)."""
    return Community.objects.exists()


def unload_demo(demo: DemoContext) -> None:
    Community.objects.filter(slug=demo.slug).delete()
    emails = [demo_email(name) for name, *_ in PEOPLE] + [demo_email(NEWCOMER[0])]
    User.objects.filter(email__in=emails).delete()


def load_demo(demo: DemoContext) -> None:
    community = Community.objects.create(
        name="CoP Warmtetransitie Zwolle",
        slug=demo.slug,
        municipality="Zwolle",
        description=DESCRIPTION,
        is_public=True,
        is_example=True,
    )
    organisations = {
        name: Organisation.objects.create(community=community, name=name, kind=kind)
        for name, kind in ORGANISATIONS
    }
    now = timezone.now()
    people: dict[str, User] = {}
    for name, display_name, side, role, organisation in PEOPLE:
        user = create_demo_user(name, display_name)
        people[name] = user
        # The first steward confirms everyone's organisation, her own included.
        confirmer = next(iter(people.values()))
        Membership.objects.create(
            user=user,
            community=community,
            side=side,
            role=role,
            organisation=organisations[organisation] if organisation else None,
            organisation_confirmed_at=now if organisation else None,
            organisation_confirmed_by=confirmer if organisation else None,
        )
    newcomer = create_demo_user(*NEWCOMER)
    JoinRequest.objects.create(
        community=community,
        user=newcomer,
        side=Side.INITIATIEF,
        organisation_name="Warmtegroep Holtenbroek (voorbeeld)",
        motivation="Voorbeeld: wij willen in Holtenbroek een warmtenet verkennen en leren "
        "van Berkum.",
    )
    demo.community = community
    demo.people = people
