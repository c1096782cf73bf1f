"""The example community's route to the council: one advice dossier that went the whole
way — a signal from Berkum about a guarantee, an adjustment, the group's advice endorsed by
both sides, offered to the council, on a committee's agenda, adopted, its commitment done
and what it established in the register — and a rondetafelgesprek still to come. Every
text says "Voorbeeld"; the council never decided any of it."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from samenspel.core.demo import DemoContext
from samenspel.council import followup, services
from samenspel.council.models import (
    AdviceEvent,
    AdviceStage,
    CommitmentStatus,
    CouncilAdvice,
    Instrument,
    MeetingBody,
    OfferedTo,
    Outcome,
)
from samenspel.initiatives.models import Initiative
from samenspel.learning import adjustments
from samenspel.learning import services as loop
from samenspel.learning.demo import SUBSIDY, _spread
from samenspel.learning.models import PolicyObject, Theme
from samenspel.learning.stages import Stage


def _at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load_demo(demo: DemoContext) -> None:
    community = demo.community
    people = demo.people
    initiatief, beleid, gemeente, steward = (
        people["initiatief"],
        people["beleid"],
        people["gemeente"],
        people["steward"],
    )
    berkum = Initiative.objects.get(community=community, name="Berkum Energieneutraal")
    guarantee = loop.raise_signal(
        actor=initiatief,
        community=community,
        title="Voorbeeld: de bank leent pas met een borg van de gemeente",
        what_happened="Voorbeeld: voor de lening van ons warmtenet vraagt de bank een "
        "garantstelling. De gemeente heeft daar geen regeling voor.",
        initiatives=[berkum],
        on_behalf_of=berkum,
        themes=list(Theme.objects.filter(community=community)[:1]),
        is_example=True,
    )
    loop.move_signal(
        actor=beleid,
        signal=guarantee,
        move=loop.Move(to_stage=Stage.IN_VERKENNING, owner=beleid),
        seen_event_id=None,
    )
    # The loop's demo made the policy objects; a guarantee belongs with the scheme for
    # energy cooperatives.
    policy = PolicyObject.objects.get(community=community, name=SUBSIDY)
    adjustment = adjustments.create_adjustment(
        actor=beleid,
        community=community,
        policy_object=policy,
        title="Voorbeeld: garantstelling voor coöperatieve warmtenetten",
        current="Voorbeeld: de gemeente staat niet borg voor leningen van initiatieven.",
        proposed="Voorbeeld: de gemeente staat borg voor leningen van coöperatieve "
        "warmtenetten, tot 5 miljoen euro per project.",
        why="Voorbeeld: zonder borg geen lening, en zonder lening geen warmtenet.",
        owner=beleid,
        signals=[guarantee],
    )
    advice = services.start_advice(
        actor=initiatief,
        community=community,
        title="Voorbeeld: garantstelling voor coöperatieve warmtenetten",
        question="Voorbeeld: staat de gemeente borg voor leningen van coöperatieve warmtenetten?",
        advice="Voorbeeld: **De groep adviseert de raad ja te zeggen**, tot 5 miljoen euro per "
        "project.\n\nInitiatieven kunnen zo bij de bank lenen. Het risico is klein: de "
        "warmtenetten hebben vaste afnemers.",
        adjustments=[adjustment],
        co_authors=[beleid],
        is_example=True,
    )
    for person in (gemeente, initiatief, people["dieze"]):
        services.endorse(actor=person, advice=advice)
    services.move_advice(actor=initiatief, advice=advice, to_stage=AdviceStage.ONDERSCHREVEN)
    services.move_advice(
        actor=initiatief,
        advice=advice,
        to_stage=AdviceStage.AANGEBODEN,
        offered_to=OfferedTo.RAAD,
        offered_on=timezone.localdate() - timedelta(days=75),
        channel="Voorbeeld: per brief aan de griffie",
    )
    committee = followup.plan_meeting(
        actor=steward,
        community=community,
        body=MeetingBody.COMMISSIE,
        title="Voorbeeld: commissie Omgeving",
        starts_at=_at(60, 19),
        ends_at=_at(60, 22),
        place="Voorbeeld: raadzaal, stadhuis Zwolle",
        is_example=True,
    )
    followup.put_on_agenda(actor=initiatief, meeting=committee, advice=advice)
    decision = services.record_decision(
        actor=initiatief,
        advice=advice,
        outcome=Outcome.VASTGESTELD,
        instrument=Instrument.RAADSVOORSTEL,
        decided_on=timezone.localdate() - timedelta(days=45),
        text="Voorbeeld: de raad stelt de garantieregeling voor coöperatieve warmtenetten vast.",
        reference="Voorbeeld: RV 2026-031",
    )
    commitment = followup.add_commitment(
        actor=initiatief,
        advice=advice,
        description="Voorbeeld: de wethouder meldt de eerste aanvragen aan de raad",
        owner=beleid,
        due_on=timezone.localdate() - timedelta(days=10),
    )
    followup.set_commitment_status(
        actor=beleid, commitment=commitment, status=CommitmentStatus.DONE
    )
    services.move_advice(
        actor=initiatief,
        advice=advice,
        to_stage=AdviceStage.AFGEROND,
        note="Voorbeeld: de regeling werkt; de eerste borg is verleend.",
    )
    followup.record_arrangement(
        actor=beleid,
        community=community,
        title="Voorbeeld: garantstelling voor coöperatieve warmtenetten",
        description="Voorbeeld: initiatieven vragen de borg aan bij het loket warmte.",
        established_on=decision.decided_on,
        decision=decision,
        is_example=True,
    )
    _spread(guarantee, 120)
    # The dossier's steps over the months it took (services write them as of now).
    for event, days_ago in zip(
        advice.events.order_by("pk"), (110, 90, 75, 60, 45, 40, 5), strict=False
    ):
        AdviceEvent.objects.filter(pk=event.pk).update(at=_at(days_ago, 12))
    CouncilAdvice.objects.filter(pk=advice.pk).update(created_at=_at(110, 12))

    starts = _at(-20, 19)
    followup.plan_meeting(
        actor=steward,
        community=community,
        body=MeetingBody.RONDETAFEL,
        title="Voorbeeld: rondetafelgesprek over het warmteprogramma",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Voorbeeld: stadhuis Zwolle, zaal 3",
        is_example=True,
    )
