"""The Zwolle demo's track 2: example signals at each stage of the loop, one loop closed end
to end through a decided adjustment, policy objects and an external development. Every
text says it is an example."""

from datetime import date, timedelta

from django.apps import apps
from django.utils import timezone

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Organisation
from samenspel.core.demo import DemoContext
from samenspel.initiatives.models import Initiative
from samenspel.learning import adjustments, following, services
from samenspel.learning.defaults import create_defaults
from samenspel.learning.models import (
    Adjustment,
    AdjustmentStage,
    ExternalDevelopment,
    Level,
    LoopEvent,
    PolicyKind,
    PolicyObject,
    Signal,
    Theme,
)
from samenspel.learning.services import Move
from samenspel.learning.stages import Outcome, Stage

PERMIT = "Procedure vergunning warmtenet in openbare ruimte (voorbeeld)"
SUBSIDY = "Subsidieregeling energiecoöperaties (voorbeeld)"
VISION = "Transitievisie Warmte 2.0 (voorbeeld)"

POLICY_OBJECTS = [
    (PolicyKind.PROCEDURE, PERMIT, "Voorbeeld: APV en beleidsregel graafwerkzaamheden"),
    (PolicyKind.INSTRUMENT, SUBSIDY, "Voorbeeld: subsidieregeling 2021"),
    (PolicyKind.KADER, VISION, "Voorbeeld: raadsbesluit 2021"),
]


def unload(community: Community) -> None:
    """Remove what would stop the community from being deleted: adjustments protect their
    policy object, and a signal's pointer to its newest event protects that event."""
    Adjustment.objects.filter(community=community).delete()
    Signal.objects.filter(community=community).update(last_event=None)
    Signal.objects.filter(community=community).delete()


def _walk(signal: Signal, actor: User, to_stage: str, **extra: object) -> None:
    services.move_signal(
        signal=signal,
        actor=actor,
        move=Move(to_stage=to_stage, **extra),  # type: ignore[arg-type]
        seen_event_id=signal.last_event_id,
    )


def _spread(signal: Signal, days_ago: int) -> None:
    """Give the example a past: raised `days_ago` days ago, its events spread since then."""
    raised = timezone.now() - timedelta(days=days_ago)
    Signal.objects.filter(pk=signal.pk).update(raised_at=raised)
    events = list(signal.events.order_by("at", "pk"))
    step = timedelta(days=days_ago) / max(len(events), 1)
    for number, event in enumerate(events):
        LoopEvent.objects.filter(pk=event.pk).update(at=raised + step * number)


def load(community: Community, people: dict[str, User]) -> None:
    """`people`: the demo users by their email name (steward, gemeente, initiatief, beleid)."""
    create_defaults(community)
    steward, gemeente = people["steward"], people["gemeente"]
    initiatief, beleid = people["initiatief"], people["beleid"]
    themes = {theme.name: theme for theme in Theme.objects.filter(community=community)}
    municipality = Organisation.objects.filter(community=community, name="Gemeente Zwolle").first()
    objects = {
        name: PolicyObject.objects.get_or_create(
            community=community,
            name=name,
            defaults={"kind": kind, "department": municipality, "reference": reference},
        )[0]
        for kind, name, reference in POLICY_OBJECTS
    }
    initiatives = {i.name: i for i in Initiative.objects.filter(community=community)}
    berkum = initiatives.get("Berkum Energieneutraal")
    # The group's practice (the app above) fills in its sessions; the loop needs one here.
    Session = apps.get_model("practice", "Session")
    LearningQuestion = apps.get_model("practice", "LearningQuestion")
    held = timezone.now().replace(hour=17, minute=30, second=0, microsecond=0) - timedelta(days=60)
    session, _ = Session.objects.get_or_create(
        community=community,
        title="Voorbeeld: sessie over vergunningen en garanties",
        defaults={"starts_at": held, "ends_at": held + timedelta(hours=2), "is_example": True},
    )
    question, _ = LearningQuestion.objects.get_or_create(
        community=community,
        question="Voorbeeld: hoe maken we de vergunningsprocedure voorspelbaar voor initiatieven?",
    )
    ExternalDevelopment.objects.get_or_create(
        community=community,
        title="Voorbeeld: Wet collectieve warmte aangenomen",
        defaults={
            "description": "Voorbeeld: de nieuwe wet geeft warmtebedrijven met publieke "
            "meerderheid voorrang; wat betekent dat voor coöperaties?",
            "happened_on": date.today() - timedelta(days=20),
            "on_agenda": True,
            "created_by": steward,
        },
    )[0].themes.set([t for name, t in themes.items() if name.startswith("Positie van coöperaties")])
    # The civil servant follows every theme, the policy maker the permit procedure: they
    # hear of new signals there, and find them in My work.
    for theme in themes.values():
        following.follow(actor=gemeente, subject=theme)
    following.follow(actor=beleid, subject=objects[PERMIT])
    if Signal.objects.filter(community=community, is_example=True).exists():
        return

    def raise_one(
        title: str,
        what: str,
        theme_names: list[str],
        objects_: list[str],
        impact: str = Level.MEDIUM,
        urgency: str = Level.MEDIUM,
    ) -> Signal:
        return services.raise_signal(
            actor=initiatief,
            community=community,
            title=title,
            what_happened=what,
            initiatives=[berkum] if berkum else [],
            themes=[themes[n] for n in theme_names if n in themes],
            policy_objects=[objects[n] for n in objects_],
            on_behalf_of=berkum,
            is_example=True,
            impact=impact,
            urgency=urgency,
        )

    # The whole loop, end to end.
    permit = raise_one(
        "Voorbeeld: vergunning voor het warmtenet duurt negen maanden",
        "Voorbeeld: voor het leggen van de leidingen in de straat wachtten we negen maanden "
        "op een vergunning; de aannemer kon intussen niet plannen.",
        ["Gebiedsrecht"],
        [PERMIT],
        impact=Level.HIGH,
        urgency=Level.HIGH,
    )
    _walk(permit, steward, Stage.BESPROKEN, session_id=session.pk, learning_question_id=question.pk)
    _walk(permit, beleid, Stage.IN_VERKENNING, owner=beleid)
    adjustment = adjustments.create_adjustment(
        actor=beleid,
        community=community,
        policy_object=objects[PERMIT],
        title="Voorbeeld: vaste doorlooptijd van acht weken voor warmtenetten",
        current="Voorbeeld: geen vaste termijn; elke aanvraag gaat langs drie afdelingen.",
        proposed="Voorbeeld: één loket en een vaste doorlooptijd van acht weken.",
        why="Voorbeeld: initiatieven kunnen hun aannemers alleen zo plannen.",
        owner=beleid,
        signals=[permit],
    )
    adjustments.move_adjustment(
        adjustment=adjustment,
        actor=beleid,
        to_stage=AdjustmentStage.BESLOTEN_AMBTELIJK,
        reference="Voorbeeld: besluit 2026-0142",
    )
    permit.refresh_from_db()
    _walk(permit, initiatief, Stage.AFGESLOTEN, outcome=Outcome.SOLVED, note="Voorbeeld: opgelost!")
    _spread(permit, 120)

    # One signal at each other stage.
    raised = raise_one(
        "Voorbeeld: geen plek voor warmteopslag in het omgevingsplan",
        "Voorbeeld: de buurt wil een buffervat plaatsen, maar het omgevingsplan kent die "
        "functie niet.",
        ["Gebiedsrecht"],
        [],
    )
    _spread(raised, 3)
    discussed = raise_one(
        "Voorbeeld: onduidelijk of de gemeente garant wil staan",
        "Voorbeeld: de bank vraagt een garantstelling; niemand bij de gemeente kan zeggen "
        "wie daarover beslist.",
        ["Gemeente als garantsteller en investeerder"],
        [VISION],
    )
    _walk(discussed, steward, Stage.BESPROKEN, session_id=session.pk)
    _spread(discussed, 40)
    exploring = raise_one(
        "Voorbeeld: subsidie alleen voor coöperaties met vijftig leden",
        "Voorbeeld: een jonge coöperatie met dertig leden valt buiten de regeling.",
        ["Ondersteunings- en waarderingskader"],
        [SUBSIDY],
    )
    _walk(exploring, gemeente, Stage.IN_VERKENNING, owner=gemeente)
    _spread(exploring, 25)
    proposed = raise_one(
        "Voorbeeld: coöperaties niet genoemd in de Transitievisie",
        "Voorbeeld: de visie noemt alleen het warmtebedrijf als uitvoerder.",
        ["Positie van coöperaties in de Transitievisie Warmte 2.0"],
        [VISION],
    )
    _walk(proposed, steward, Stage.BESPROKEN)
    _walk(proposed, beleid, Stage.IN_VERKENNING, owner=beleid)
    adjustments.create_adjustment(
        actor=beleid,
        community=community,
        policy_object=objects[VISION],
        title="Voorbeeld: coöperaties als uitvoerder in de Transitievisie",
        proposed="Voorbeeld: een paragraaf over de rol van lokale coöperaties.",
        owner=beleid,
        signals=[proposed],
    )
    _spread(proposed, 50)
    fed_back = raise_one(
        "Voorbeeld: leges voor een warmtenet zijn hoog",
        "Voorbeeld: de leges voor de aanleg drukken zwaar op de begroting.",
        ["Ondersteunings- en waarderingskader"],
        [PERMIT],
        impact=Level.LOW,
    )
    _walk(fed_back, gemeente, Stage.IN_VERKENNING, owner=gemeente)
    _walk(
        fed_back,
        gemeente,
        Stage.TERUGGEKOPPELD,
        note="Voorbeeld: de leges blijken te vallen onder de vrijstelling voor "
        "maatschappelijke initiatieven; vraag die aan bij de aanvraag.",
    )
    _spread(fed_back, 30)
    not_taken = raise_one(
        "Voorbeeld: de Rijksregels voor warmteprijzen zijn te streng",
        "Voorbeeld: de maximumprijs maakt het lastig een sluitende begroting te maken.",
        ["Warmteschappen"],
        [],
    )
    _walk(
        not_taken,
        steward,
        Stage.NIET_OPGEPAKT,
        note="Voorbeeld: dit is Rijksbeleid; we brengen het in bij de landelijke koepel.",
    )
    _spread(not_taken, 70)
    reopened = raise_one(
        "Voorbeeld: jongeren kunnen niet meedoen in de coöperatie",
        "Voorbeeld: leden moeten eigenaar van een woning zijn.",
        ["Opgroeirecht"],
        [],
        urgency=Level.LOW,
    )
    _walk(
        reopened, steward, Stage.NIET_OPGEPAKT, note="Voorbeeld: eerst zelf de statuten bekijken."
    )
    _walk(reopened, initiatief, Stage.HEROPEND, note="Voorbeeld: de statuten laten het toe.")
    _spread(reopened, 90)


def unload_demo(demo: DemoContext) -> None:
    """manage.py demo, before it reloads: what would protect the old example community."""
    for community in Community.objects.filter(slug=demo.slug):
        unload(community)


def load_demo(demo: DemoContext) -> None:
    """manage.py demo: the loop's examples, raised and moved by the community's members."""
    load(demo.community, people=demo.people)
