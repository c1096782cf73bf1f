"""Who may do what with the accord: plain predicates, and the getters that answer 404 for
what a person may not see. Any member who takes part proposes, comments, objects and
endorses; stewards keep the text (the first draft, decisions, publishing). The table in
tests/test_accords.py writes them out by hand."""

from django.http import Http404

from samenspel.accords.models import (
    Accord,
    AccordVersion,
    Amendment,
    AmendmentStatus,
    Endorsement,
    Objection,
)
from samenspel.communities.models import Community
from samenspel.communities.permissions import (
    AnyUser,
    can_contribute,
    can_manage_community,
    get_community_for_user,
)


def can_start_accord(user: AnyUser, community: Community) -> bool:
    """Stewards start an accord (from a template or a blank page) and write its first draft."""
    return can_manage_community(user, community)


def can_edit_draft(user: AnyUser, version: AccordVersion) -> bool:
    return not version.is_published and can_manage_community(user, version.accord.community)


def can_take_part(user: AnyUser, community: Community) -> bool:
    """Members who contribute (and stewards) propose, comment, object and endorse."""
    return can_manage_community(user, community) or can_contribute(user, community)


def can_object(user: AnyUser, amendment: Amendment) -> bool:
    return amendment.in_objection_period and can_take_part(user, amendment.accord.community)


def can_resolve_objection(user: AnyUser, objection: Objection) -> bool:
    """Who objected (they withdraw it), or a steward after the group talked it through."""
    community = objection.amendment.accord.community
    if can_manage_community(user, community):
        return True
    return (
        user.is_authenticated and objection.author_id == user.pk and can_take_part(user, community)
    )


def can_decide_amendment(user: AnyUser, amendment: Amendment) -> bool:
    """Stewards record what the group decided."""
    return amendment.status == AmendmentStatus.OPEN and can_manage_community(
        user, amendment.accord.community
    )


def can_withdraw_amendment(user: AnyUser, amendment: Amendment) -> bool:
    if amendment.status != AmendmentStatus.OPEN:
        return False
    community = amendment.accord.community
    return can_manage_community(user, community) or (
        user.is_authenticated and amendment.proposed_by_id == user.pk
    )


def can_publish(user: AnyUser, accord: Accord) -> bool:
    """Stewards publish a new version from the adopted amendments."""
    return can_manage_community(user, accord.community)


def can_confirm_endorsement(user: AnyUser, endorsement: Endorsement) -> bool:
    """Stewards confirm that a member may speak for their organisation."""
    return can_manage_community(user, endorsement.version.accord.community)


def get_accord_for_user(user: AnyUser, slug: str, accord_id: int) -> Accord:
    community = get_community_for_user(user, slug)
    accord = Accord.objects.filter(community=community, pk=accord_id).first()
    if accord is None:
        raise Http404("No such accord.")
    accord.community = community
    return accord


def get_amendment_for_user(
    user: AnyUser, slug: str, accord_id: int, amendment_id: int
) -> Amendment:
    accord = get_accord_for_user(user, slug, accord_id)
    amendment = (
        Amendment.objects.filter(accord=accord, pk=amendment_id)
        .select_related("based_on", "proposed_by")
        .first()
    )
    if amendment is None:
        raise Http404("No such amendment.")
    amendment.accord = accord
    return amendment
