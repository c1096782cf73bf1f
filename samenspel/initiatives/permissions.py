"""Who may do what with initiatives. Keys follow roles: an initiative's own members edit it
and enter its figures; stewards review registrations and keep the catalogues; whoever offers
a kind of support decides requests for it."""

from django.http import Http404

from samenspel.communities.models import Community
from samenspel.communities.permissions import (
    AnyUser,
    can_manage_community,
    can_view_community,
    confirmed_organisation_id,
    get_community_for_user,
    get_membership,
    is_site_admin,
)
from samenspel.initiatives.choices import Review
from samenspel.initiatives.models import Initiative, InitiativeQuerySet, Mentorship, SupportOffer

__all__ = ["get_community_for_user"]


def is_initiative_member(user: AnyUser, initiative: Initiative) -> bool:
    """A contributing member whose organisation is the initiative's, once confirmed."""
    return (
        initiative.organisation_id is not None
        and confirmed_organisation_id(user, initiative.community) == initiative.organisation_id
    )


def can_edit_initiative(user: AnyUser, initiative: Initiative) -> bool:
    if can_manage_community(user, initiative.community) or is_initiative_member(user, initiative):
        return True
    # Whoever registered it may complete it while it is being reviewed.
    return (
        user.is_authenticated
        and initiative.applicant_id == user.pk
        and initiative.review in (Review.PENDING, Review.MORE_INFO)
    )


def can_view_initiative(user: AnyUser, initiative: Initiative) -> bool:
    if not can_view_community(user, initiative.community) and not (
        user.is_authenticated and initiative.applicant_id == user.pk
    ):
        return False
    if initiative.review == Review.LISTED and initiative.archived_at is None:
        return True
    return can_edit_initiative(user, initiative)


def can_see_contact(user: AnyUser, initiative: Initiative) -> bool:
    return (
        initiative.contact_public
        or get_membership(user, initiative.community) is not None
        or (is_site_admin(user))
    )


def can_register_initiative(user: AnyUser, community: object) -> bool:
    return user.is_authenticated and can_view_community(user, community)  # type: ignore[arg-type]


def can_review_initiatives(user: AnyUser, community: object) -> bool:
    return can_manage_community(user, community)  # type: ignore[arg-type]


def can_keep_catalogue(user: AnyUser, community: object) -> bool:
    """Indicators, criteria per phase, support offers, emission factors and the
    neighbourhoods: the stewards' key (services.py and growth.py check it themselves)."""
    return can_manage_community(user, community)  # type: ignore[arg-type]


def can_decide_support(user: AnyUser, offer: SupportOffer) -> bool:
    if can_manage_community(user, offer.community):
        return True
    return (
        offer.offered_by_id is not None
        and confirmed_organisation_id(user, offer.community) == offer.offered_by_id
    )


def can_post_exchange(user: AnyUser, initiative: Initiative) -> bool:
    return can_edit_initiative(user, initiative)


def can_pair_mentors(user: AnyUser, community: object) -> bool:
    """Pairing (and ending) mentorships is facilitation: the stewards' key."""
    return can_manage_community(user, community)  # type: ignore[arg-type]


def can_end_mentorship(user: AnyUser, mentorship: Mentorship) -> bool:
    """The stewards, and the members of either initiative: either side may stop."""
    return (
        can_pair_mentors(user, mentorship.mentor.community)
        or is_initiative_member(user, mentorship.mentor)
        or is_initiative_member(user, mentorship.mentee)
    )


def get_initiative_for_user(
    user: AnyUser, *, pk: int | None = None, community: str = "", slug: str = ""
) -> Initiative:
    """The initiative by id, or by its short name within a community (the community's
    slug); 404 when it does not exist or the user may not see it. An applicant sees their
    own registration while it waits."""
    initiatives = Initiative.objects.select_related("community", "organisation", "applicant")
    if pk is not None:
        initiatives = initiatives.filter(pk=pk, community__archived_at__isnull=True)
    else:
        initiatives = initiatives.filter(
            community=get_community_for_user(user, community), slug=slug
        )
    initiative = initiatives.first()
    if initiative is None or not can_view_initiative(user, initiative):
        raise Http404("No such initiative.")
    return initiative


def get_initiatives_for_user(user: AnyUser, community: Community) -> InitiativeQuerySet:
    """The listed initiatives of a community the user may see (the atlas)."""
    return Initiative.objects.filter(community=community).listed()
