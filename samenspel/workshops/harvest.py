"""The harvest: after (or during) a workshop the facilitator turns a card or a group into a
signal for the loop, a learning question, a proposal to amend the accord or a word for the
glossary. Each is made by its own app's service (which checks its own rules for the
facilitator), names the workshop it came from, and is listed in the workshop's report."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samenspel.accords.models import Accord, AmendmentAction, ArticleKind
from samenspel.accords.services import propose_amendment
from samenspel.accounts.models import User
from samenspel.learning.services import not_allowed, raise_signal
from samenspel.practice.glossary import save_term
from samenspel.practice.questions import raise_question
from samenspel.workshops import permissions, services
from samenspel.workshops.models import (
    Card,
    Cluster,
    Harvest,
    HarvestKind,
    ParticipantSide,
    Workshop,
)
from samenspel.workshops.services import invalid


@dataclass
class Source:
    """The card or group being harvested, with the texts it holds."""

    card: Card | None
    cluster: Cluster | None
    cards: list[Card] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.cluster is not None:
            return self.cluster.title
        return self.cards[0].text if self.cards else ""

    def texts(self, side: str | None = None) -> str:
        return "\n".join(
            f"- {card.text}" for card in self.cards if side is None or card.side == side
        )


def source_of(workshop: Workshop, card: Card | None, cluster: Cluster | None) -> Source:
    if (card is None) == (cluster is None):
        raise invalid(_("Harvest a card or a group."), "harvest_source")
    owner = card or cluster
    if owner.workshop_id != workshop.pk:  # type: ignore[union-attr]
        raise invalid(_("This belongs to another workshop."), "other_workshop")
    if cluster is not None:
        cards = list(cluster.cards.filter(hidden=False).order_by("pk"))
    else:
        cards = [card] if card is not None and not card.hidden else []
    if not cards:
        raise invalid(_("A hidden card is not harvested."), "hidden")
    return Source(card=card, cluster=cluster, cards=cards)


def origin_note(workshop: Workshop, source: Source) -> str:
    """The line every harvested item carries: where it came from, with a link to the report."""
    act = source.cards[0].act
    report = reverse("workshop_report", args=[workshop.community.slug, workshop.pk])
    when = date_format(workshop.opened_at or workshop.created_at, "j F Y")
    return _("From the workshop [%(title)s](%(url)s) of %(date)s, %(act)s.") % {
        "title": workshop.title,
        "url": report,
        "date": when,
        "act": act.title,
    }


@transaction.atomic
def harvest(
    *,
    actor: User,
    workshop: Workshop,
    kind: str,
    title: str,
    text: str = "",
    card: Card | None = None,
    cluster: Cluster | None = None,
    accord: Accord | None = None,
    article_kind: str = ArticleKind.PRINCIPLE,
    municipality_view: str = "",
    initiatives_view: str = "",
) -> Harvest:
    """Turn a card or a group into an item of another part of the community; its own service
    decides whether the facilitator may make it."""
    if not permissions.can_facilitate(actor, workshop):
        raise not_allowed(_("Only the facilitator or a steward harvests a workshop."))
    source = source_of(workshop, card, cluster)
    community = workshop.community
    note = origin_note(workshop, source)
    title = " ".join(title.split())
    if not title:
        raise invalid(_("Give it a title."), "title_required")
    body = f"{text.strip()}\n\n{note}".strip()
    target: models.Model
    if kind == HarvestKind.SIGNAL:
        target = raise_signal(
            actor=actor,
            community=community,
            title=title[:200],
            what_happened=body,
            is_example=workshop.is_example,
        )
    elif kind == HarvestKind.QUESTION:
        target = raise_question(
            actor=actor,
            community=community,
            question=title[:300],
            explanation=body,
            is_example=workshop.is_example,
        )
    elif kind == HarvestKind.AMENDMENT:
        if accord is None or accord.community_id != community.pk:
            raise invalid(_("Choose the accord it is about."), "accord_required")
        accord.community = community
        target = propose_amendment(
            actor=actor,
            accord=accord,
            action=AmendmentAction.ADD,
            kind=article_kind,
            title=title[:200],
            text=text.strip() or title,
            rationale=note,
            is_example=workshop.is_example,
        )
    elif kind == HarvestKind.TERM:
        target = save_term(
            actor=actor,
            community=community,
            term=None,
            fields={
                "term": title[:100],
                "municipality_view": municipality_view or source.texts(ParticipantSide.GEMEENTE),
                "initiatives_view": initiatives_view or source.texts(ParticipantSide.INITIATIEF),
                "definition": "",
                "variants": "",
                "status": "",
            },
            is_example=workshop.is_example,
        )
    else:
        raise invalid(_("Choose what it becomes."), "invalid_kind")
    services.touch(workshop)  # the report (and its PDF) changed
    return Harvest.objects.create(
        workshop=workshop,
        card=card,
        cluster=cluster,
        kind=kind,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        title=str(target)[:300],
        created_by=actor,
    )
