"""Peer consultation (intervisie): a case brought into a session and worked through in the
rounds of a method, each captured briefly, ending in lessons (practice/questions.py).
Methods are data (ConsultationMethod): every community gets its own copy of the default
method when it is created (and existing ones by migration 0009), which it may change, and
can add its own."""

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.communities.permissions import get_membership
from samenspel.learning.services import not_allowed
from samenspel.practice import permissions
from samenspel.practice.models import (
    ConsultationMethod,
    ConsultationRound,
    PeerConsultation,
    Session,
)
from samenspel.practice.sessions import invalid

# The method every community starts with (in Dutch: the name a facilitator knows it by).
DEFAULT_METHOD = {
    "name": "Intervisie: de incidentmethode",
    "description": "Een deelnemer brengt een lastige situatie uit de praktijk in, met een "
    "vraag. De groep helpt in vier rondes om er anders naar te kijken.",
    "rounds": [
        {"title": "Verhelderende vragen", "prompt": "Alleen vragen, nog geen oordeel of advies."},
        {"title": "Analyse", "prompt": "Wat zien we? Wat speelt er, bij wie?"},
        {"title": "Advies", "prompt": "Wat zou jij doen? Eén advies per persoon."},
        {
            "title": "Reflectie van de inbrenger",
            "prompt": "Wat neem je mee? Wat ga je anders doen?",
        },
    ],
}


def create_default_methods(community: Community) -> None:
    if not ConsultationMethod.objects.filter(
        community=community, name=DEFAULT_METHOD["name"]
    ).exists():
        ConsultationMethod.objects.create(community=community, **DEFAULT_METHOD)


def on_community_saved(
    sender: type[Community], instance: Community, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of Community: a new community gets the default method (not from fixtures)."""
    if created and not raw:
        create_default_methods(instance)


def methods_for(community: Community) -> QuerySet[ConsultationMethod]:
    """The community's own methods, and any offered to every community (no community)."""
    return ConsultationMethod.objects.filter(Q(community__isnull=True) | Q(community=community))


@transaction.atomic
def start_consultation(
    *,
    actor: User,
    session: Session,
    method: ConsultationMethod,
    case_bringer: User,
    case: str,
    question: str,
) -> PeerConsultation:
    """A steward starts a consultation in a session; its rounds come from the method."""
    community = session.community
    if not permissions.can_plan_sessions(actor, community):
        raise not_allowed(_("Only a steward starts a peer consultation."))
    if method.community_id not in (None, community.pk):
        raise invalid(_("This method belongs to another community."), "other_community")
    if get_membership(case_bringer, community) is None:
        raise invalid(_("Who brings the case must be a member of the group."), "not_member")
    if not case.strip() or not question.strip():
        raise invalid(_("Describe the case and the question."), "case_required")
    consultation = PeerConsultation.objects.create(
        session=session,
        method=method,
        case_bringer=case_bringer,
        case=case.strip(),
        question=question.strip(),
    )
    ConsultationRound.objects.bulk_create(
        ConsultationRound(
            consultation=consultation,
            number=number,
            title=str(step.get("title", ""))[:120],
            prompt=str(step.get("prompt", ""))[:300],
        )
        for number, step in enumerate(method.rounds, start=1)
    )
    return consultation


@transaction.atomic
def write_round(*, actor: User, round_: ConsultationRound, notes: str) -> ConsultationRound:
    """Capture what was said in a round: a steward, or whoever brought the case."""
    if not permissions.can_keep_consultation(actor, round_.consultation):
        raise not_allowed(_("Only a steward or who brought the case writes the rounds."))
    round_.notes = notes.strip()
    round_.save(update_fields=["notes"])
    return round_
