"""Who may do what on the council's route: plain predicates and the getters that answer 404
for what a person may not see. Rights follow roles — the dossier's authors and the
stewards — never the side someone stands on. The table in tests/test_council.py writes
them out by hand."""

from django.http import Http404

from samenspel.communities.models import Community
from samenspel.communities.permissions import (
    AnyUser,
    can_contribute,
    can_manage_community,
    get_community_for_user,
)
from samenspel.council.models import (
    AdviceStage,
    Commitment,
    CouncilAdvice,
    CouncilDecision,
    CouncilMeeting,
)
from samenspel.learning.models import Adjustment, Signal


def can_write_advice(user: AnyUser, community: Community) -> bool:
    """Any member who contributes (and stewards) starts an advice dossier."""
    return can_manage_community(user, community) or can_contribute(user, community)


def is_author(user: AnyUser, advice: CouncilAdvice) -> bool:
    """One of the dossier's authors, while a contributing member."""
    if not user.is_authenticated or not can_contribute(user, advice.community):
        return False
    return advice.authors.filter(pk=user.pk).exists()


def can_change_advice(user: AnyUser, advice: CouncilAdvice) -> bool:
    """Its authors and stewards change the text and what it links to, while it is a draft:
    once endorsed, the group endorsed these words."""
    if advice.stage != AdviceStage.CONCEPT:
        return False
    return can_manage_community(user, advice.community) or is_author(user, advice)


def can_endorse(user: AnyUser, advice: CouncilAdvice) -> bool:
    """Any contributing member endorses an advice until it is offered."""
    return advice.stage in (AdviceStage.CONCEPT, AdviceStage.ONDERSCHREVEN) and can_contribute(
        user, advice.community
    )


def can_confirm_side(user: AnyUser, advice: CouncilAdvice) -> bool:
    """Stewards confirm the side of an endorser who speaks for no confirmed organisation."""
    return can_manage_community(user, advice.community)


def can_move_advice(user: AnyUser, advice: CouncilAdvice) -> bool:
    """Its authors and stewards move the dossier on and record the council's decision
    (the "owners" of the dossier)."""
    return can_manage_community(user, advice.community) or is_author(user, advice)


def can_record_decision(user: AnyUser, advice: CouncilAdvice) -> bool:
    return can_move_advice(user, advice)


def decision_warrant(user: AnyUser, target: Adjustment | Signal, warrant: object) -> bool:
    """The loop asks this (learning/permissions.has_warrant): whoever may record a council
    decision carries what it links to through the loop — adjustments and signals named in
    its dossier, or signals of an adjustment named there."""
    if not isinstance(warrant, CouncilDecision):
        return False
    advice = warrant.advice
    if target.community_id != advice.community_id or not can_record_decision(user, advice):
        return False
    if isinstance(target, Adjustment):
        return advice.adjustments.filter(pk=target.pk).exists()
    return (
        advice.signals.filter(pk=target.pk).exists()
        or advice.adjustments.filter(signals=target).exists()
    )


def get_advice_for_user(user: AnyUser, slug: str, advice_id: int) -> CouncilAdvice:
    """A dossier under its community's address, or 404 (also when the community is hidden
    from the user)."""
    community = get_community_for_user(user, slug)
    advice = CouncilAdvice.objects.filter(community=community, pk=advice_id).first()
    if advice is None:
        raise Http404("No such advice.")
    advice.community = community
    return advice


def can_keep_commitments(user: AnyUser, advice: CouncilAdvice) -> bool:
    """The dossier's authors and stewards write down what the decision promised."""
    return can_move_advice(user, advice)


def can_update_commitment(user: AnyUser, commitment: Commitment) -> bool:
    """Its owner (while a contributing member) marks it done; the dossier's authors and
    stewards keep every commitment."""
    advice = commitment.advice
    if can_keep_commitments(user, advice):
        return True
    return (
        user.is_authenticated
        and commitment.owner_id == user.pk
        and can_contribute(user, advice.community)
    )


def can_keep_meetings(user: AnyUser, community: Community) -> bool:
    """Members who contribute (a council clerk, an alderman's adviser, an initiative) and
    stewards keep the meetings calendar."""
    return can_write_advice(user, community)


def can_keep_register(user: AnyUser, community: Community) -> bool:
    """Members who contribute and stewards write down what has been established."""
    return can_write_advice(user, community)


def get_meeting_for_user(user: AnyUser, slug: str, meeting_id: int) -> CouncilMeeting:
    community = get_community_for_user(user, slug)
    meeting = CouncilMeeting.objects.filter(community=community, pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such meeting.")
    meeting.community = community
    return meeting
