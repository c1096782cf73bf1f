"""Who may do what in a workshop: plain predicates, and getters that answer 404 for what a
person may not see. The table in tests/test_workshops.py writes them out by hand.

- Any member who contributes makes a workshop and facilitates it; stewards facilitate
  every workshop of their community.
- Anyone with a working code joins an open workshop; a members' workshop asks for an
  account that is a member.
- A participant writes cards while an act is being played and votes while voting is open.
- The report is for the facilitators, the community's members and who took part."""

from django.http import Http404

from samenspel.communities.models import Community
from samenspel.communities.permissions import (
    AnyUser,
    can_contribute,
    can_manage_community,
    get_community_for_user,
    get_membership,
)
from samenspel.workshops.models import (
    Audience,
    Participant,
    VotingState,
    Workshop,
    WorkshopAct,
    WorkshopStatus,
    WorkshopTemplate,
)


def can_make_workshop(user: AnyUser, community: Community) -> bool:
    return can_manage_community(user, community) or can_contribute(user, community)


def can_edit_template(user: AnyUser, template: WorkshopTemplate) -> bool:
    """Who wrote the template, and stewards."""
    community = template.community
    if template.archived_at is not None:
        return False
    if can_manage_community(user, community):
        return True
    return (
        user.is_authenticated
        and template.created_by_id == user.pk
        and can_contribute(user, community)
    )


def can_facilitate(user: AnyUser, workshop: Workshop) -> bool:
    """The workshop's facilitator (while a member who contributes), and stewards."""
    community = workshop.community
    if can_manage_community(user, community):
        return True
    return (
        user.is_authenticated
        and workshop.facilitator_id == user.pk
        and can_contribute(user, community)
    )


def can_join(user: AnyUser, workshop: Workshop) -> bool:
    if not workshop.code_works():
        return False
    if workshop.audience == Audience.OPEN:
        return True
    return get_membership(user, workshop.community) is not None


def can_write_card(participant: Participant, workshop: Workshop) -> bool:
    return (
        participant.workshop_id == workshop.pk
        and workshop.status == WorkshopStatus.RUNNING
        and workshop.current_position > 0
    )


def can_vote(participant: Participant, workshop: Workshop, act: WorkshopAct) -> bool:
    return (
        can_write_card(participant, workshop)
        and act.position == workshop.current_position
        and act.voting == VotingState.OPEN
    )


def can_see_report(user: AnyUser, workshop: Workshop, participant: Participant | None) -> bool:
    if participant is not None and participant.workshop_id == workshop.pk:
        return True
    return can_facilitate(user, workshop) or get_membership(user, workshop.community) is not None


def can_see_workshops(user: AnyUser, community: Community) -> bool:
    """The community's list of workshops is for its members."""
    return get_membership(user, community) is not None or can_manage_community(user, community)


def get_workshop(slug: str, workshop_id: int, user: AnyUser) -> Workshop:
    """The workshop in a community this person may see (not yet: may facilitate)."""
    community = get_community_for_user(user, slug)
    workshop = Workshop.objects.filter(community=community, pk=workshop_id).first()
    if workshop is None:
        raise Http404("No such workshop.")
    workshop.community = community
    return workshop


def get_workshop_to_facilitate(user: AnyUser, slug: str, workshop_id: int) -> Workshop:
    workshop = get_workshop(slug, workshop_id, user)
    if not can_facilitate(user, workshop):
        raise Http404("Not a facilitator of this workshop.")
    return workshop


def get_template_for_user(user: AnyUser, slug: str, template_id: int) -> WorkshopTemplate:
    community = get_community_for_user(user, slug)
    if not can_see_workshops(user, community):
        raise Http404("Not a member.")
    template = WorkshopTemplate.objects.filter(community=community, pk=template_id).first()
    if template is None:
        raise Http404("No such template.")
    template.community = community
    return template
