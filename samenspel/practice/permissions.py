"""Who may do what in the group's own practice: plain predicates, and the getters that
answer 404 for what a person may not see. The table in tests/test_practice_permissions.py
writes them out by hand."""

from django.db.models import QuerySet
from django.http import Http404

from samenspel.communities.models import Community, Role
from samenspel.communities.permissions import (
    AnyUser,
    can_contribute,
    can_manage_community,
    can_view_community,
    get_community_for_user,
    get_membership,
    is_site_admin,
)
from samenspel.initiatives.choices import Review
from samenspel.initiatives.models import Initiative
from samenspel.initiatives.permissions import is_initiative_member
from samenspel.practice.models import (
    ActionPoint,
    FieldVisit,
    LearningQuestion,
    Lesson,
    PeerConsultation,
    Session,
)


def can_view_sessions(user: AnyUser, community: Community) -> bool:
    """Whoever may see the community sees its sessions, agendas and minutes."""
    return can_view_community(user, community)


def can_see_who_comes(user: AnyUser, community: Community) -> bool:
    """Who comes and who was there, and the online link: members only."""
    return can_manage_community(user, community) or get_membership(user, community) is not None


def can_plan_sessions(user: AnyUser, community: Community) -> bool:
    """Stewards plan, change and cancel sessions, keep the agenda, attendance and minutes."""
    return can_manage_community(user, community)


def can_keep_ground_rules(user: AnyUser, community: Community) -> bool:
    """Stewards write down the ground rules the group agreed on."""
    return can_manage_community(user, community)


def can_write_glossary(user: AnyUser, community: Community) -> bool:
    """Members who contribute (and stewards) write down how each side understands a word."""
    return can_manage_community(user, community) or can_contribute(user, community)


def can_agree_terms(user: AnyUser, community: Community) -> bool:
    """A steward records the definition the group agreed on (and changes an agreed term)."""
    return can_manage_community(user, community)


def can_raise_question(user: AnyUser, community: Community) -> bool:
    """Any member who contributes (and stewards) raises a learning question."""
    return can_manage_community(user, community) or can_contribute(user, community)


def can_change_question(user: AnyUser, question: LearningQuestion) -> bool:
    """Who raised it (while still a contributing member) or a steward moves its status."""
    community = question.community
    if can_manage_community(user, community):
        return True
    return question.raised_by_id == user.pk and can_contribute(user, community)


def can_write_lesson(user: AnyUser, community: Community) -> bool:
    """Any member who contributes (and stewards) writes down what was learned."""
    return can_manage_community(user, community) or can_contribute(user, community)


def can_keep_consultation(user: AnyUser, consultation: PeerConsultation) -> bool:
    """A steward, or the member who brought the case, captures the rounds."""
    community = consultation.session.community
    if can_manage_community(user, community):
        return True
    return consultation.case_bringer_id == user.pk and get_membership(user, community) is not None


def can_answer_invitation(user: AnyUser, session: Session) -> bool:
    """Every member (observers too) says whether they come, until the session is over."""
    return (
        get_membership(user, session.community) is not None
        and not session.is_cancelled
        and not session.is_past
    )


def can_update_action_point(user: AnyUser, action_point: ActionPoint) -> bool:
    """Its owner marks it done (or no longer needed); stewards keep every action point."""
    community = action_point.session.community
    if can_manage_community(user, community):
        return True
    membership = get_membership(user, community)
    return (
        membership is not None
        and membership.role != Role.WAARNEMER
        and action_point.owner_id == user.pk
    )


def can_see_visits(user: AnyUser, community: Community) -> bool:
    """Who visits which initiative, and what they wrote down: members only."""
    return can_see_who_comes(user, community)


def can_plan_visits(user: AnyUser, community: Community) -> bool:
    """Any member who contributes (and stewards) plans to join an initiative's activity."""
    return can_manage_community(user, community) or can_contribute(user, community)


def can_plan_visit(user: AnyUser, initiative: Initiative) -> bool:
    """... of a listed initiative."""
    return initiative.review == Review.LISTED and can_plan_visits(user, initiative.community)


def can_invite_visitor(user: AnyUser, initiative: Initiative) -> bool:
    """The initiative's own people, and stewards, invite another member to join."""
    return can_manage_community(user, initiative.community) or is_initiative_member(
        user, initiative
    )


def can_change_visit(user: AnyUser, visit: FieldVisit) -> bool:
    """Who joins, who planned it, the initiative's people and stewards cancel a visit."""
    if can_manage_community(user, visit.community):
        return True
    if get_membership(user, visit.community) is None:
        return False
    return user.pk in (visit.visitor_id, visit.planned_by_id) or is_initiative_member(
        user, visit.initiative
    )


def can_report_visit(user: AnyUser, visit: FieldVisit) -> bool:
    """Who joined, the initiative's people and stewards write down what the visit taught
    (and raise a signal from it)."""
    community = visit.community
    if can_manage_community(user, community):
        return True
    if not can_contribute(user, community):
        return False
    return visit.visitor_id == user.pk or is_initiative_member(user, visit.initiative)


def get_visit_for_member(user: AnyUser, slug: str, visit_id: int) -> FieldVisit:
    """A visit under its community's address, for members, or 404."""
    community = get_community_for_member(user, slug)
    visit = (
        FieldVisit.objects.filter(community=community, pk=visit_id)
        .select_related("initiative", "visitor", "planned_by")
        .first()
    )
    if visit is None:
        raise Http404("No such visit.")
    visit.community = community
    visit.initiative.community = community
    return visit


def can_read_lesson(user: AnyUser, lesson: Lesson) -> bool:
    """Whoever may see the community reads its lessons; a lesson marked public anyone may
    read, also when the group is private (not once the community is archived)."""
    if lesson.community.archived_at is not None:
        return is_site_admin(user)
    return lesson.is_public or can_view_community(user, lesson.community)


def public_lessons() -> "QuerySet[Lesson]":
    """The lessons groups chose to share with everyone, from communities still active."""
    return Lesson.objects.filter(is_public=True, community__archived_at__isnull=True)


def get_lesson_for_user(user: AnyUser, slug: str, lesson_id: int) -> Lesson:
    """A lesson under its community's address, or 404 when the reader may not read it."""
    lesson = (
        Lesson.objects.filter(community__slug=slug, pk=lesson_id)
        .select_related("community", "question", "session", "visit__initiative", "written_by")
        .first()
    )
    if lesson is None or not can_read_lesson(user, lesson):
        raise Http404("No such lesson.")
    return lesson


def get_session_for_user(user: AnyUser, slug: str, session_id: int) -> Session:
    """The session under its community's address, or 404 (also when the community is
    hidden from the user)."""
    community = get_community_for_user(user, slug)
    session = Session.objects.filter(community=community, pk=session_id).first()
    if session is None:
        raise Http404("No such session.")
    session.community = community
    return session


def get_community_for_member(user: AnyUser, slug: str) -> Community:
    """The community, for the pages only its members see (the health of the group, peer
    consultations), or 404."""
    community = get_community_for_user(user, slug)
    if not can_see_who_comes(user, community):
        raise Http404("Members only.")
    return community


def get_session_for_member(user: AnyUser, slug: str, session_id: int) -> Session:
    """A session, for its members-only parts, or 404."""
    session = get_session_for_user(user, slug, session_id)
    if not can_see_who_comes(user, session.community):
        raise Http404("Members only.")
    return session
