"""The example community's workshops: De Komedie played with a mixed group last spring
(twelve people, cards in all four acts, two groups, votes, a signal, a learning question
and a word harvested), one ready to be played (open its doors and join with a phone), and
a template of the community's own. Every workshop and template is marked as example."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from samenspel.core.demo import DemoContext
from samenspel.workshops import harvest, services
from samenspel.workshops.models import (
    Audience,
    Card,
    Cluster,
    HarvestKind,
    Participant,
    VotingState,
    Workshop,
)

PEOPLE = [
    ("Voorbeeld: Anna", "initiatief"),
    ("Voorbeeld: Bram", "gemeente"),
    ("Voorbeeld: Carla", "gemeente"),
    ("Voorbeeld: Dirk", "initiatief"),
    ("Voorbeeld: Eva", "initiatief"),
    ("Voorbeeld: Fatma", "gemeente"),
    ("Voorbeeld: Gerrit", "anders"),
    ("Voorbeeld: Hanna", "initiatief"),
    ("Voorbeeld: Ismail", "gemeente"),
    ("Voorbeeld: Joke", "initiatief"),
    ("Voorbeeld: Kees", "gemeente"),
    ("Voorbeeld: Lotte", "anders"),
]

# Per act: (participant number, text); all example texts in the spirit of the CoP.
CARDS = {
    1: [
        (1, "Initiatieven willen alles meteen."),
        (2, "Ze spreken maar voor een paar mensen in de buurt."),
        (5, "Bewoners zien alleen hun eigen straat."),
        (0, "De gemeente is traag."),
        (3, "Elke keer een ander aanspreekpunt."),
        (4, "Ze luisteren pas als alles al besloten is."),
        (7, "Ambtenaren zijn bang voor risico's."),
        (6, "Iedereen denkt dat de ander het geld heeft."),
    ],
    2: [
        (0, "Initiatieven kennen de buurt en krijgen mensen mee."),
        (8, "De gemeente kan regels, geld en de raad erbij halen."),
        (9, "Een coöperatie houdt de winst in de buurt."),
        (10, "Samen maken we plannen die echt landen."),
        (11, "Vrijwilligers geven hun avonden: dat is veel waard."),
    ],
    3: [
        (3, "Eén vast aanspreekpunt voor elk initiatief."),
        (1, "De vergunning voor een warmtenet duurt te lang."),
        (4, "Initiatieven delen hun plannen eerder met de gemeente."),
        (8, "Een ondersteuningskader met vaste bedragen."),
        (7, "Eén loket, niet vijf afdelingen."),
    ],
    4: [
        (9, "Elk kwartaal samen leren in de CoP."),
        (2, "Een afspraak in het akkoord over een vast aanspreekpunt."),
        (0, "De raad besluit over een ondersteuningskader."),
        (10, "Nieuwe collega's lezen eerst het akkoord."),
    ],
}
GROUPS = {
    1: ("Tempo en geduld", [0, 3]),  # indexes into CARDS[act]
    3: ("Eén aanspreekpunt", [0, 4]),
}


def _played(demo: DemoContext) -> Workshop:
    steward = demo.people["steward"]
    workshop = services.create_workshop(
        actor=steward,
        community=demo.community,
        title="Voorbeeld: De Komedie met de werkgroep warmte",
        template="komedie",
        audience=Audience.OPEN,
        votes_per_participant=3,
        hold_cards=True,
        is_example=True,
    )
    services.start_workshop(actor=steward, workshop=workshop)
    participants = [
        services.join_workshop(workshop=workshop, user=AnonymousUser(), name=name, side=side)[0]
        for name, side in PEOPLE
    ]
    for position, cards in CARDS.items():
        services.go_to_act(actor=steward, workshop=workshop, position=position)
        written = [
            services.write_card(participant=participants[who], text=text) for who, text in cards
        ]
        services.reveal_cards(actor=steward, workshop=workshop)
        if position in GROUPS:
            title, picked = GROUPS[position]
            cluster = services.group_cards(
                actor=steward, workshop=workshop, cards=[written[i] for i in picked], title=title
            )
            services.set_voting(actor=steward, workshop=workshop, state=VotingState.OPEN)
            for voter in participants[:9]:
                services.vote(participant=voter, cluster=cluster)
            for voter, card in zip(participants[9:], written[1:], strict=False):
                services.vote(participant=voter, card=card)
            services.set_voting(actor=steward, workshop=workshop, state=VotingState.DONE)
    services.end_workshop(actor=steward, workshop=workshop)
    when = timezone.now() - timedelta(days=200)
    Workshop.objects.filter(pk=workshop.pk).update(
        created_at=when, opened_at=when, ended_at=when + timedelta(hours=2)
    )
    Participant.objects.filter(workshop=workshop).update(joined_at=when)
    Card.objects.filter(workshop=workshop).update(created_at=when + timedelta(minutes=30))
    workshop.refresh_from_db()
    workshop.community = demo.community
    slow = Card.objects.get(workshop=workshop, text__startswith="De vergunning")
    harvest.harvest(
        actor=steward,
        workshop=workshop,
        card=slow,
        kind=HarvestKind.SIGNAL,
        title="Voorbeeld: vergunning voor een warmtenet duurt te lang",
        text="Voorbeeld: in de workshop noemden beide kanten de doorlooptijd van de vergunning.",
    )
    one_desk = Cluster.objects.get(workshop=workshop, title="Eén aanspreekpunt")
    harvest.harvest(
        actor=steward,
        workshop=workshop,
        cluster=one_desk,
        kind=HarvestKind.QUESTION,
        title="Voorbeeld: hoe geven we elk initiatief één vast aanspreekpunt?",
    )
    harvest.harvest(
        actor=steward,
        workshop=workshop,
        cluster=one_desk,
        kind=HarvestKind.TERM,
        title="Voorbeeld: aanspreekpunt",
    )
    return workshop


def load_demo(demo: DemoContext) -> None:
    steward = demo.people["steward"]
    _played(demo)
    services.create_workshop(
        actor=steward,
        community=demo.community,
        title="Voorbeeld: De Komedie op de buurtavond",
        template="komedie",
        audience=Audience.OPEN,
        is_example=True,
    )
    own = services.create_template(
        actor=steward,
        community=demo.community,
        name="Voorbeeld: terugblik na een half jaar",
        description="Voorbeeld: een korte werkvorm in drie rondes om samen terug te kijken.",
        is_example=True,
    )
    for title, prompt in (
        ("Wat ging goed?", "Wat ging goed in het samenspel?"),
        ("Wat kan beter?", "Waar liepen we tegenaan?"),
        ("Wat gaan we doen?", "Wat doen we de komende drie maanden anders?"),
    ):
        services.save_act(
            actor=steward,
            template=own,
            act=None,
            title=title,
            minutes=15,
            prompts=[{"side": "", "text": prompt}],
        )
