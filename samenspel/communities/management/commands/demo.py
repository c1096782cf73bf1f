"""manage.py demo: (re)load the example community 'zwolle', built on the Zwolle CoP (2020–2021).

Everything it creates is example content: the people are invented, and texts say so.
"""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

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

DEMO_PASSWORD = "samenspel-demo"
DEMO_DOMAIN = "example.org"

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


def demo_email(name: str) -> str:
    return f"{name}@{DEMO_DOMAIN}"


class Command(BaseCommand):
    help = "Load (or reload) the example community 'zwolle' with demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when the database has no communities yet.",
        )

    @transaction.atomic
    def handle(self, *args: object, if_empty: bool = False, **options: object) -> None:
        if if_empty and Community.objects.exists():
            self.stdout.write("The database has data already; the demo was not loaded.")
            return
        from samenspel.learning import demo as learning_demo

        for old in Community.objects.filter(slug="zwolle"):
            learning_demo.unload(old)  # signals and adjustments protect rows
        Community.objects.filter(slug="zwolle").delete()
        emails = [demo_email(p[0]) for p in PEOPLE] + [demo_email("admin"), demo_email("nieuw")]
        User.objects.filter(email__in=emails).delete()

        community = Community.objects.create(
            name="CoP Warmtetransitie Zwolle",
            slug="zwolle",
            municipality="Zwolle",
            description=DESCRIPTION,
            is_public=True,
            is_example=True,
        )
        organisations = {
            name: Organisation.objects.create(community=community, name=name, kind=kind)
            for name, kind in ORGANISATIONS
        }
        for name, display_name, side, role, organisation in PEOPLE:
            user = self._user(name, display_name)
            Membership.objects.create(
                user=user,
                community=community,
                side=side,
                role=role,
                organisation=organisations.get(organisation) if organisation else None,
            )
        from samenspel.initiatives import demo as initiatives_demo

        author = User.objects.get(email=demo_email("initiatief"))
        initiatives_demo.load(community, author=author)
        initiatives_demo.load_growth(community, author=author)
        learning_demo.load(
            community,
            people={name: User.objects.get(email=demo_email(name)) for name, *_ in PEOPLE},
        )
        admin = self._user("admin", "Beheerder (voorbeeld)")
        admin.is_staff = admin.is_superuser = True
        admin.save()
        newcomer = self._user("nieuw", "Nina Nieuwkomer (voorbeeld)")
        JoinRequest.objects.create(
            community=community,
            user=newcomer,
            side=Side.INITIATIEF,
            organisation_name="Warmtegroep Holtenbroek (voorbeeld)",
            motivation="Voorbeeld: wij willen in Holtenbroek een warmtenet verkennen en leren "
            "van Berkum.",
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the example community 'zwolle' with {len(PEOPLE)} members. "
                f"Demo accounts: *@{DEMO_DOMAIN}, password '{DEMO_PASSWORD}'."
            )
        )

    def _user(self, name: str, display_name: str) -> User:
        user = User.objects.create_user(
            email=demo_email(name), password=DEMO_PASSWORD, display_name=display_name
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user
