"""API router for communities and their members."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.decorators import decorate_view

from samenspel.communities import permissions, services
from samenspel.communities.models import Community, Membership
from samenspel.communities.schemas import CommunityIn, CommunityOut, MemberOut
from samenspel.communities.views import community_version
from samenspel.core.api import (
    LOGIN_OPTIONAL,
    LOGIN_REQUIRED,
    Rows,
    shared_list,
)
from samenspel.core.pagecache import cache_for_visitors
from samenspel.core.views import public_communities_version

router = Router(tags=["communities"])


def _with_counts(queryset):  # type: ignore[no-untyped-def]
    return queryset.with_member_count()


@shared_list(
    router,
    "/communities",
    CommunityOut,
    summary="List the communities you can see",
    version=public_communities_version,
)
def list_communities(request: HttpRequest):  # type: ignore[no-untyped-def]
    return _with_counts(permissions.get_communities_for_user(request.user)).order_by("name", "pk")


@router.post(
    "/communities",
    response={201: CommunityOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Start a community (you become its steward)",
)
def create_community(request: HttpRequest, payload: CommunityIn):  # type: ignore[no-untyped-def]
    community = services.create_community(creator=request.user, **payload.model_dump())  # type: ignore[arg-type]
    return Status(201, _with_counts(Community.objects.filter(pk=community.pk)).get())


@router.get(
    "/communities/{slug}",
    response=CommunityOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="One community",
)
@decorate_view(cache_for_visitors(community_version))
def get_community(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    return _with_counts(Community.objects.filter(pk=community.pk)).get()


@shared_list(
    router,
    "/communities/{slug}/members",
    MemberOut,
    summary="The members of a community (emails for members only)",
    version=community_version,
)
def list_members(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    show_emails = permissions.can_see_member_emails(request.user, community)
    memberships = (
        Membership.objects.active()
        .filter(community=community)
        .select_related("user", "organisation")
        .order_by("joined_at", "pk")
    )
    return Rows(
        memberships,
        lambda m: {
            "id": m.pk,
            "name": m.user.name,
            "email": m.user.email if show_emails else None,
            "side": m.side,
            "role": m.role,
            "organisation": m.organisation,
            "joined_at": m.joined_at,
        },
    )
