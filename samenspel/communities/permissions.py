"""Who may do what in a community. Plain predicates, shared by views and API alike.

Rights follow the role a community gives a member (steward, member, observer), never the
side someone stands on: the municipality gets no special powers from being the municipality.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404

from samenspel.accounts.models import User
from samenspel.communities.models import Community, CommunityQuerySet, Membership, Role

AnyUser = User | AnonymousUser


def is_site_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def get_membership(user: AnyUser, community: Community) -> Membership | None:
    """The user's active membership, fetched once per request and community."""
    if not user.is_authenticated:
        return None
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_membership_cache", {})
    if community.pk not in cache:
        cache[community.pk] = (
            Membership.objects.active()
            .select_related("organisation")
            .filter(user=user, community=community)
            .first()
        )
    return cache[community.pk]


def confirmed_organisation_id(user: AnyUser, community: Community) -> int | None:
    """The organisation the user may act for in this community (confirmed), or None."""
    membership = get_membership(user, community)
    if membership is None or not membership.can_contribute:
        return None
    return membership.confirmed_organisation_id


def can_view_community(user: AnyUser, community: Community) -> bool:
    if community.is_public and community.archived_at is None:
        return True
    return is_site_admin(user) or get_membership(user, community) is not None


def can_see_member_emails(user: AnyUser, community: Community) -> bool:
    return is_site_admin(user) or get_membership(user, community) is not None


def can_contribute(user: AnyUser, community: Community) -> bool:
    membership = get_membership(user, community)
    return membership is not None and membership.can_contribute


def can_manage_community(user: AnyUser, community: Community) -> bool:
    """Stewards (and site admins) invite, approve join requests, manage roles, edit details."""
    if is_site_admin(user):
        return True
    membership = get_membership(user, community)
    return membership is not None and membership.role == Role.STEWARD


def can_join(user: AnyUser, community: Community) -> bool:
    return (
        user.is_authenticated
        and community.is_public
        and community.archived_at is None
        and get_membership(user, community) is None
    )


def can_leave(user: AnyUser, community: Community) -> bool:
    return get_membership(user, community) is not None


def can_create_community(user: AnyUser) -> bool:
    return user.is_authenticated


def get_communities_for_user(user: AnyUser) -> CommunityQuerySet:
    """Communities the user may see: public ones, and those they belong to."""
    communities = Community.objects.filter(archived_at__isnull=True)
    if is_site_admin(user):
        return communities
    if not user.is_authenticated:
        return communities.filter(is_public=True)
    mine = Membership.objects.active().filter(user=user).values("community_id")
    return communities.filter(Q(is_public=True) | Q(pk__in=mine))


def get_community_for_user(user: AnyUser, slug: str) -> Community:
    """The community, or 404 — also when it exists but is private to others."""
    community = Community.objects.filter(slug=slug, archived_at__isnull=True).first()
    if community is None or not can_view_community(user, community):
        raise Http404("No such community.")
    return community
