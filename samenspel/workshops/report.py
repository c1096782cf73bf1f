"""The workshop's report: every card by act and side (hidden ones left out), the groups with
their votes, and what was harvested — as a page and as an A4 PDF (WeasyPrint)."""

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation

from samenspel.core.release import release
from samenspel.workshops.models import (
    Card,
    Cluster,
    Harvest,
    ParticipantSide,
    Workshop,
    WorkshopAct,
)


@dataclass
class ActReport:
    act: WorkshopAct
    sides: list[tuple[str, str, list[Card]]] = field(default_factory=list)
    clusters: list[tuple[Cluster, list[Card]]] = field(default_factory=list)
    card_count: int = 0


def report(workshop: Workshop) -> dict[str, Any]:
    """Everything the report shows, in four queries whatever the workshop's size."""
    acts = list(workshop.acts.all())
    cards = list(Card.objects.filter(workshop=workshop, hidden=False).order_by("-votes", "pk"))
    clusters = list(
        Cluster.objects.filter(workshop=workshop, dissolved=False).order_by("-votes", "pk")
    )
    harvest = list(
        Harvest.objects.filter(workshop=workshop).select_related("target_type", "card", "cluster")
    )
    by_act = []
    for act in acts:
        mine = [card for card in cards if card.act_id == act.pk]
        entry = ActReport(act=act, card_count=len(mine))
        entry.sides = [
            (side, str(label), [card for card in mine if card.side == side])
            for side, label in ParticipantSide.choices
        ]
        entry.clusters = [
            (cluster, [card for card in mine if card.cluster_id == cluster.pk])
            for cluster in clusters
            if cluster.act_id == act.pk
        ]
        by_act.append(entry)
    return {
        "workshop": workshop,
        "acts": by_act,
        "harvest": harvest,
        "card_count": len(cards),
        "participant_count": workshop.participants.count(),
    }


KEPT = 60 * 10


def report_pdf(workshop: Workshop) -> bytes:
    language = translation.get_language() or "nl"
    key = f"workshop-pdf:{release()}:{workshop.pk}:{workshop.revision}:{language}"
    found = cache.get(key)
    if isinstance(found, bytes):
        return found
    from weasyprint import HTML  # loading Pango takes a moment

    html = render_to_string(
        "workshops/report_pdf.html",
        {
            **report(workshop),
            "community": workshop.community,
            "printed_on": timezone.localdate(),
            "language": language,
        },
    )
    content = HTML(string=html, base_url=None).write_pdf()
    cache.set(key, content, KEPT)
    return content
