"""The example community's own practice: six online sessions in the spirit of the Zwolle
story (ground rules, learning questions, practice cases, a shared language, the Komedie
and the Akkoord), each marked as an example, and a seventh still to come that members
have answered; a civil servant who joined an initiative's residents' evening and wrote
down what he learned, and another who will join a board meeting. The loop's demo (the app
below) made the last of the six, at which two signals were discussed; here it gets its
agenda, minutes and action points."""

from datetime import timedelta

from django.utils import timezone

from samenspel.communities.models import Membership
from samenspel.core.demo import DemoContext
from samenspel.initiatives.models import Initiative
from samenspel.learning.models import Level, LoopEvent
from samenspel.practice import consultations, glossary, ground_rules, questions, sessions, visits
from samenspel.practice.models import (
    Answer,
    Attendance,
    CommunityStage,
    ConsultationMethod,
    GlossaryTerm,
    LearningQuestion,
    PulseReceipt,
    PulseResponse,
    QuestionStatus,
    Session,
    StageAssessment,
    VisitKind,
)

ONLINE = "https://meet.example.org/voorbeeld-cop-zwolle"

# (days ago, title, what it was about, minutes, decisions, who was there)
HELD = [
    (
        210,
        "Voorbeeld: kennismaken en spelregels",
        "Voorbeeld: wie zijn we, wat brengen we mee, en hoe gaan we met elkaar om?",
        "Voorbeeld: iedereen vertelde waarom hij of zij meedoet. We spraken spelregels af: "
        "we praten vanuit de praktijk, we zijn gelijkwaardig, en wat hier gezegd wordt, "
        "blijft hier tenzij we anders afspreken.",
        ["Voorbeeld: we komen zes keer online bij elkaar."],
        ["steward", "drift", "gemeente", "beleid", "initiatief", "assendorp", "dieze"],
    ),
    (
        180,
        "Voorbeeld: onze leervragen",
        "Voorbeeld: wat willen we samen leren?",
        "Voorbeeld: elk initiatief en de gemeente brachten een leervraag in. De vragen gaan "
        "over de rol van de gemeente, over vergunningen en over geld.",
        ["Voorbeeld: we werken met drie leervragen tegelijk."],
        ["steward", "drift", "gemeente", "initiatief", "assendorp", "blauwvinger"],
    ),
    (
        150,
        "Voorbeeld: de praktijk van Berkum (intervisie)",
        "Voorbeeld: Berkum brengt een casus in over de aanleg van een warmtenet.",
        "Voorbeeld: Berkum vertelde over de zoektocht naar een vergunning. De groep stelde "
        "vragen, gaf advies, en Berkum vertelde wat het meeneemt.",
        [],
        ["steward", "drift", "gemeente", "beleid", "initiatief", "dieze", "blauwvinger"],
    ),
    (
        120,
        "Voorbeeld: een gezamenlijke taal",
        "Voorbeeld: wat verstaan we onder 'initiatief', 'participatie' en 'eigenaarschap'?",
        "Voorbeeld: we merkten dat gemeente en initiatieven hetzelfde woord anders gebruiken. "
        "We schreven voor drie woorden op wat we er samen onder verstaan.",
        ["Voorbeeld: de woorden komen in de woordenlijst van de groep."],
        ["steward", "gemeente", "beleid", "initiatief", "assendorp", "dieze"],
    ),
    (
        90,
        "Voorbeeld: de Zwolse Komedie",
        "Voorbeeld: een verhaal in vier aktes over de samenwerking.",
        "Voorbeeld: we speelden de vier aktes: vooroordelen, waarden, opgaven en "
        "bestendiging. Het leverde veel herkenning en gelach op.",
        ["Voorbeeld: we spelen de Komedie ook met andere ambtenaren."],
        ["steward", "drift", "gemeente", "beleid", "initiatief", "assendorp", "blauwvinger"],
    ),
]


# (term, other forms, the municipality's view, the initiatives' view, agreed definition)
TERMS = [
    (
        "warmtenet",
        "warmtenetten",
        "Voorbeeld: een net van leidingen dat warmte van een bron naar woningen brengt.",
        "Voorbeeld: een buurtvoorziening die we samen bezitten en beheren.",
        "Voorbeeld: leidingen die warmte uit een gedeelde bron naar gebouwen in een buurt "
        "brengen; wie het bezit, spreken we per net af.",
    ),
    (
        "collectief warmtenet",
        "collectieve warmtenetten",
        "Voorbeeld: een warmtenet waarvan de gemeente de concessie verleent.",
        "Voorbeeld: een warmtenet dat van de bewoners zelf is, via een coöperatie.",
        "Voorbeeld: een warmtenet dat in handen is van de gebruikers, meestal via een coöperatie.",
    ),
    (
        "coöperatie",
        "coöperaties, energiecoöperatie",
        "Voorbeeld: een rechtsvorm, een van de partijen in de wijk.",
        "Voorbeeld: wij, de bewoners, samen georganiseerd.",
        "Voorbeeld: een vereniging van bewoners die samen iets ondernemen, zoals een "
        "warmtenet; de leden beslissen.",
    ),
    (
        "eigenaarschap",
        "",
        "Voorbeeld: wie verantwoordelijk is voor het resultaat.",
        "Voorbeeld: dat bewoners zelf beslissen en de opbrengst delen.",
        "",
    ),
]

RULES = [
    "Voorbeeld: we praten vanuit onze eigen praktijk.",
    "Voorbeeld: gemeente en initiatieven zijn gelijkwaardige partners.",
    "Voorbeeld: we stellen eerst vragen, en oordelen pas daarna.",
]


def _held(demo: DemoContext, days_ago: int, title: str, about: str) -> Session:
    starts = timezone.now().replace(hour=18, minute=30, second=0, microsecond=0) - timedelta(
        days=days_ago
    )
    return Session.objects.create(
        community=demo.community,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        online_link=ONLINE,
        about=about,
        is_example=True,
        created_by=demo.people["steward"],
    )


def _attended(session: Session, demo: DemoContext, names: list[str]) -> None:
    Attendance.objects.bulk_create(
        Attendance(session=session, user=demo.people[name], recorded_by=demo.people["steward"])
        for name in names
    )


def load_demo(demo: DemoContext) -> None:
    steward = demo.people["steward"]
    held = []
    for days_ago, title, about, minutes, decisions, present in HELD:
        session = _held(demo, days_ago, title, about)
        sessions.write_minutes(actor=steward, session=session, minutes=minutes)
        for text in decisions:
            sessions.add_decision(actor=steward, session=session, text=text)
        _attended(session, demo, present)
        held.append(session)

    # The members joined just before the first session (the circle of involvement).
    Membership.objects.filter(community=demo.community).update(
        joined_at=held[0].starts_at - timedelta(days=14)
    )

    # The ground rules of the first session; one was reworded in the fourth.
    for text in RULES:
        ground_rules.add_ground_rule(
            actor=steward, community=demo.community, text=text, agreed_at=held[0], is_example=True
        )
    secret = ground_rules.add_ground_rule(
        actor=steward,
        community=demo.community,
        text="Voorbeeld: wat hier gezegd wordt, blijft hier.",
        agreed_at=held[0],
        is_example=True,
    )
    ground_rules.change_ground_rule(
        actor=steward,
        rule=secret,
        text="Voorbeeld: wat hier gezegd wordt, blijft hier, tenzij we samen anders afspreken.",
        agreed_at=held[3],
    )

    # Our words: three agreed (explained wherever they appear), one still in discussion.
    for term, variants, municipality, initiatives, definition in TERMS:
        glossary.save_term(
            actor=steward,
            community=demo.community,
            term=None,
            fields={
                "term": term,
                "variants": variants,
                "municipality_view": municipality,
                "initiatives_view": initiatives,
                "definition": definition,
                "status": "afgesproken" if definition else "in-bespreking",
            },
        )
    GlossaryTerm.objects.filter(community=demo.community).update(is_example=True)

    # The sixth: the loop's demo discussed two signals at it.
    sixth = Session.objects.get(community=demo.community, title__startswith="Voorbeeld: sessie")
    Session.objects.filter(pk=sixth.pk).update(
        title="Voorbeeld: vergunningen, garanties en het Zwolse Akkoord",
        online_link=ONLINE,
        about="Voorbeeld: we bespreken twee signalen en de eerste versie van het Akkoord.",
    )
    sixth.refresh_from_db()
    discussed = LoopEvent.objects.filter(session=sixth).select_related("signal")
    for event in discussed.order_by("at"):
        item = sessions.add_agenda_item(actor=steward, session=sixth, signal=event.signal)
        item.notes = event.note or "Voorbeeld: besproken."
        item.discussed_at = event.at
        item.save(update_fields=["notes", "discussed_at"])
    sessions.add_agenda_item(actor=steward, session=sixth, title="Voorbeeld: het Zwolse Akkoord")
    sessions.write_minutes(
        actor=steward,
        session=sixth,
        minutes="Voorbeeld: we bespraken de vergunning voor warmtenetten en de vraag of de "
        "gemeente garant wil staan. Het Akkoord is klaar om te ondertekenen.",
    )
    sessions.add_decision(
        actor=steward, session=sixth, text="Voorbeeld: we ondertekenen het Zwolse Akkoord."
    )
    sessions.add_action_point(
        actor=steward,
        session=sixth,
        description="Voorbeeld: uitzoeken wie over garantstellingen beslist",
        owner=demo.people["beleid"],
        due_on=timezone.localdate() - timedelta(days=10),
    )
    sessions.add_action_point(
        actor=steward,
        session=sixth,
        description="Voorbeeld: de Komedie plannen met een tweede groep ambtenaren",
        owner=demo.people["gemeente"],
        due_on=timezone.localdate() + timedelta(days=20),
    )
    _attended(sixth, demo, ["steward", "drift", "gemeente", "beleid", "initiatief", "dieze"])

    # Learning questions: the loop's demo asked the first; one answered, one being
    # explored, one still open.
    permit_question = LearningQuestion.objects.get(community=demo.community)
    LearningQuestion.objects.filter(pk=permit_question.pk).update(
        raised_by=demo.people["initiatief"],
        is_example=True,
        explanation="Voorbeeld: elk warmtenet wacht maanden op een vergunning, en niemand "
        "weet vooraf hoe lang.",
    )
    permit_question.refresh_from_db()
    permit_question.signals.set(
        [e.signal for e in discussed if "vergunning" in e.signal.title.lower()]
    )
    sessions.add_agenda_item(actor=steward, session=sixth, learning_question=permit_question)
    questions.write_lesson(
        actor=demo.people["beleid"],
        community=demo.community,
        title="Voorbeeld: één loket met een vaste termijn maakt de vergunning voorspelbaar",
        text="Voorbeeld: toen drie afdelingen één loket vormden, konden initiatieven hun "
        "aannemer weer plannen. Vraag naar de doorlooptijd vóór je begint.",
        question=permit_question,
        session=sixth,
        is_public=True,
        is_example=True,
    )
    questions.set_question_status(
        actor=steward, question=permit_question, status=QuestionStatus.ANSWERED
    )
    growing = questions.raise_question(
        actor=demo.people["dieze"],
        community=demo.community,
        question="Voorbeeld: wat heeft een jonge coöperatie nodig om te groeien?",
        explanation="Voorbeeld: wij hebben dertig leden en willen een warmtenet. Waar begin je?",
        is_example=True,
    )
    # Berkum's case, worked through in the third session.
    intervision = consultations.start_consultation(
        actor=steward,
        session=held[2],
        method=ConsultationMethod.objects.get(community=demo.community),
        case_bringer=demo.people["initiatief"],
        case="Voorbeeld: we zoeken al een jaar naar de juiste vergunning voor ons warmtenet. "
        "Elke afdeling verwijst naar een andere.",
        question="Voorbeeld: hoe kom ik bij de persoon die kan beslissen?",
    )
    for number, notes in enumerate(
        [
            "Voorbeeld: wie heb je al gesproken? Wat zeiden ze precies?",
            "Voorbeeld: niemand is eigenaar van warmtenetten; elke afdeling ziet een stukje.",
            "Voorbeeld: vraag de gemeente om één contactpersoon; neem een ambtenaar mee naar "
            "een bewonersavond.",
            "Voorbeeld: ik vraag om één loket, en nodig Bram uit in de wijk.",
        ],
        start=1,
    ):
        consultations.write_round(
            actor=steward, round_=intervision.rounds.get(number=number), notes=notes
        )
    questions.write_lesson(
        actor=demo.people["initiatief"],
        community=demo.community,
        consultation=intervision,
        title="Voorbeeld: een mentor uit een verder initiatief scheelt maanden zoeken",
        text="Voorbeeld: Berkum hielp Dieze met de statuten en de eerste ledenvergadering.",
        question=growing,
        session=held[2],
        is_example=True,
    )
    questions.raise_question(
        actor=demo.people["gemeente"],
        community=demo.community,
        question="Voorbeeld: hoe laten we de raad zien wat initiatieven opleveren?",
        is_example=True,
    )

    _visits(demo)

    # The pulse after each of the six: those present answered, trust grew over time.
    # (Written directly: the pulse of a session closes 30 days after it.)
    for number, session in enumerate([*held, sixth]):
        attended = Attendance.objects.filter(session=session).select_related("user")
        for offset, attendance in enumerate(attended):
            membership = attendance.user.memberships.get(community=demo.community)
            PulseReceipt.objects.create(session=session, user=attendance.user)
            PulseResponse.objects.create(
                session=session,
                side=membership.side,
                trust=min(5, 2 + number // 2 + offset % 2),
                understanding=min(5, 2 + (number + offset) // 3),
                usefulness=min(5, 3 + number // 3 + offset % 2),
                comment="Voorbeeld: fijn dat de gemeente luisterde." if offset == 0 else "",
            )
    for session, stage, note in (
        (held[0], CommunityStage.POTENTIAL, "Voorbeeld: we leren elkaar kennen."),
        (held[2], CommunityStage.COALESCING, "Voorbeeld: we werken aan echte casussen."),
        (sixth, CommunityStage.MATURING, "Voorbeeld: het Akkoord is klaar; hoe nu verder?"),
    ):
        StageAssessment.objects.create(
            community=demo.community,
            stage=stage,
            note=note,
            session=session,
            assessed_on=timezone.localtime(session.starts_at).date(),
            recorded_by=steward,
        )

    # The next one, still to come: invitations went out, some have answered.
    starts = timezone.now().replace(hour=18, minute=30, second=0, microsecond=0) + timedelta(
        days=14
    )
    coming = sessions.plan_session(
        actor=steward,
        community=demo.community,
        title="Voorbeeld: het motortje draaiende houden",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Voorbeeld: Stadskantoor Zwolle, zaal 2",
        online_link=ONLINE,
        about="Voorbeeld: hoe houden we het leren gaande, en hoe vergroten we de kring van "
        "betrokkenen bij de gemeente en bij initiatieven?",
        is_example=True,
    )
    sessions.add_agenda_item(
        actor=steward, session=coming, title="Voorbeeld: wie nodigen we nog meer uit?"
    )
    for name, answer in (
        ("gemeente", Answer.YES),
        ("initiatief", Answer.YES),
        ("beleid", Answer.MAYBE),
        ("dieze", Answer.NO),
    ):
        sessions.answer_invitation(actor=demo.people[name], session=coming, answer=answer)


def _visits(demo: DemoContext) -> None:
    """Policy makers in practice: after Berkum's case, Ilse invited Bram to a residents'
    evening; he wrote down what he learned, a lesson (shared with everyone) and a signal.
    Gijs plans to join Assendorp's board soon."""
    community = demo.community
    today = timezone.localdate()
    initiatives = {i.name: i for i in Initiative.objects.filter(community=community)}
    evening = visits.plan_visit(
        actor=demo.people["initiatief"],
        initiative=initiatives["Berkum Energieneutraal"],
        visitor=demo.people["beleid"],
        kind=VisitKind.RESIDENTS_EVENING,
        visit_on=today - timedelta(days=135),
        about="Voorbeeld: bewoners horen hoe het warmtenet van Berkum verder gaat.",
        is_example=True,
    )
    visits.write_visit_notes(
        actor=demo.people["beleid"],
        visit=evening,
        notes="Voorbeeld: veertig bewoners in de kantine van de voetbalclub. Hun eerste vraag "
        "was niet de techniek, maar: wat kost het mij, en wie beslist? Over de vergunning "
        "wist niemand waar die stond, ik ook niet.",
    )
    questions.write_lesson(
        actor=demo.people["beleid"],
        community=community,
        visit=evening,
        title="Voorbeeld: bewoners vragen eerst wat het kost en wie beslist",
        text="Voorbeeld: wie bij een bewonersavond is geweest, legt een regeling anders uit. "
        "Begin bij de kosten per huishouden en bij wie de knoop doorhakt.",
        is_public=True,
        is_example=True,
    )
    visits.raise_signal_from_visit(
        actor=demo.people["beleid"],
        visit=evening,
        title="Voorbeeld: niemand kan zien hoe ver een vergunning is",
        what_happened="Voorbeeld: op de bewonersavond van Berkum vroegen bewoners naar de "
        "vergunning voor het warmtenet. Het initiatief en ik konden niet zien waar de "
        "aanvraag lag.",
        initiatives=[initiatives["Berkum Energieneutraal"]],
        impact=Level.MEDIUM,
        urgency=Level.MEDIUM,
        is_example=True,
    )
    visits.plan_visit(
        actor=demo.people["gemeente"],
        initiative=initiatives["50 Tinten Groen Assendorp"],
        kind=VisitKind.BOARD_MEETING,
        visit_on=today + timedelta(days=10),
        about="Voorbeeld: het bestuur bespreekt het plan voor de eerste straat.",
        is_example=True,
    )
