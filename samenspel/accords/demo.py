"""The example community's accord, in the spirit of Het Zwolse Akkoord: started from the
example template, version 1 endorsed by members of both sides (Berkum on behalf of its
organisation), three amendments adopted into version 2 (one as modified), one rejected,
one withdrawn, and one still open with an objection. Every text says "Voorbeeld"."""

from datetime import timedelta

from django.utils import timezone

from samenspel.accords import services
from samenspel.accords.models import (
    PREAMBLE,
    AccordVersion,
    Amendment,
    AmendmentAction,
    AmendmentStatus,
    ArticleKind,
)
from samenspel.accords.templates_text import TEMPLATES
from samenspel.core.demo import DemoContext


def _past(amendment: Amendment, days_ago: int) -> None:
    """Proposed `days_ago` days ago, its objection period over."""
    proposed = timezone.now() - timedelta(days=days_ago)
    Amendment.objects.filter(pk=amendment.pk).update(
        proposed_at=proposed, objections_until=proposed + timedelta(days=14)
    )
    amendment.refresh_from_db()


def load_demo(demo: DemoContext) -> None:
    community = demo.community
    people = demo.people
    steward = people["steward"]
    template = TEMPLATES["samenspel"]
    accord = services.start_accord(
        actor=steward,
        community=community,
        title="Voorbeeld: het akkoord van Zwolle",
        preamble=str(template["preamble"]),
        articles=list(template["articles"]),  # type: ignore[call-overload]
        is_example=True,
    )
    first = accord.versions.get()
    services.publish_draft(actor=steward, version=first)
    for name in ("gemeente", "beleid", "initiatief", "assendorp", "dieze", "drift"):
        services.endorse(actor=people[name], version=first)
    berkum = people["initiatief"].memberships.get(community=community).organisation
    for_berkum = services.endorse(actor=people["initiatief"], version=first, organisation=berkum)
    services.confirm_endorsement(actor=steward, endorsement=for_berkum)

    articles = {a.title: str(a.key) for a in first.articles.all()}
    partner = services.propose_amendment(
        actor=people["assendorp"],
        accord=accord,
        action=AmendmentAction.CHANGE,
        target=articles["Voorbeeld: initiatieven zijn volwaardig partner"],
        text="Voorbeeld: initiatieven praten mee vanaf het begin, ook over het geld en de "
        "planning, niet pas als alles al besloten is.",
        rationale="Voorbeeld: in de praktijk praten we wel mee, maar niet over de begroting.",
        is_example=True,
    )
    komedie = services.propose_amendment(
        actor=people["steward"],
        accord=accord,
        action=AmendmentAction.ADD,
        kind=ArticleKind.FORM,
        title="Voorbeeld: we spelen de Komedie",
        text="Voorbeeld: met nieuwe collega's en initiatieven spelen we de vier aktes.",
        rationale="Voorbeeld: de Komedie maakte de vooroordelen bespreekbaar.",
        is_example=True,
    )
    preamble = services.propose_amendment(
        actor=people["gemeente"],
        accord=accord,
        action=AmendmentAction.CHANGE,
        target=PREAMBLE,
        text=str(template["preamble"])
        + " Voorbeeld: we kijken elk jaar samen of het akkoord nog klopt.",
        rationale="Voorbeeld: een akkoord dat nooit af is, moet je ook onderhouden.",
        is_example=True,
    )
    rejected = services.propose_amendment(
        actor=people["beleid"],
        accord=accord,
        action=AmendmentAction.REMOVE,
        target=articles["Voorbeeld: meelopen"],
        rationale="Voorbeeld: meelopen kost ambtenaren veel avonden.",
        is_example=True,
    )
    withdrawn = services.propose_amendment(
        actor=people["dieze"],
        accord=accord,
        action=AmendmentAction.CHANGE,
        target=articles["Voorbeeld: we komen regelmatig samen"],
        text="Voorbeeld: elke maand.",
        rationale="Voorbeeld: vaker is beter.",
        is_example=True,
    )
    objection = services.object_to(
        actor=people["initiatief"],
        amendment=rejected,
        reason="Voorbeeld: juist van meelopen leren ambtenaren het meest.",
    )
    for amendment, days in (
        (partner, 120),
        (komedie, 110),
        (preamble, 100),
        (rejected, 95),
        (withdrawn, 90),
    ):
        _past(amendment, days)
    services.resolve_objection(
        actor=steward,
        objection=objection,
        resolution="Voorbeeld: besproken; het voorstel gaat niet door.",
    )
    services.decide_amendment(actor=steward, amendment=partner, status=AmendmentStatus.ADOPTED)
    services.decide_amendment(
        actor=steward,
        amendment=komedie,
        status=AmendmentStatus.ADOPTED_MODIFIED,
        text="Voorbeeld: met nieuwe collega's en initiatieven spelen we de vier aktes van de "
        "Komedie, minstens één keer per jaar.",
        note="Voorbeeld: aangenomen met 'minstens één keer per jaar'.",
    )
    services.decide_amendment(actor=steward, amendment=preamble, status=AmendmentStatus.ADOPTED)
    services.decide_amendment(
        actor=steward,
        amendment=rejected,
        status=AmendmentStatus.REJECTED,
        note="Voorbeeld: de groep wil meelopen houden; we spreken wel af hoe vaak.",
    )
    services.decide_amendment(
        actor=people["dieze"], amendment=withdrawn, status=AmendmentStatus.WITHDRAWN
    )
    second = services.publish_version(
        actor=steward, accord=accord, notes="Voorbeeld: na het eerste jaar."
    )
    for name in ("gemeente", "initiatief", "assendorp"):
        services.endorse(actor=people[name], version=second)

    # Still open: a proposal with an objection that is not resolved yet.
    open_one = services.propose_amendment(
        actor=people["blauwvinger"],
        accord=accord,
        action=AmendmentAction.ADD,
        kind=ArticleKind.PRINCIPLE,
        title="Voorbeeld: we delen de kosten eerlijk",
        text="Voorbeeld: wie de lusten heeft, draagt ook de lasten.",
        rationale="Voorbeeld: over geld spreken we nog te weinig af.",
        is_example=True,
    )
    services.comment(
        actor=people["gemeente"],
        amendment=open_one,
        text="Voorbeeld: goed punt, maar wat is eerlijk?",
    )
    services.object_to(
        actor=people["beleid"],
        amendment=open_one,
        reason="Voorbeeld: zo algemeen kan de gemeente dit niet beloven.",
    )
    # Give the versions a past (services publish as of now).
    now = timezone.now()
    for version, days in ((first, 200), (second, 60)):
        # Published versions are frozen for the ORM as well; the demo sets their past in SQL.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {AccordVersion._meta.db_table} SET published_at = %s WHERE id = %s",  # noqa: S608
                [now - timedelta(days=days), version.pk],
            )
