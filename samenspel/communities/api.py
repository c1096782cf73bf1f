"""API router for communities and their members."""

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.decorators import decorate_view

from samenspel.communities import permissions, services
from samenspel.communities.models import Community, Membership, Organisation
from samenspel.communities.schemas import CommunityIn, CommunityOut, MemberOut, MyMembershipPatch
from samenspel.communities.views import community_audience, community_version
from samenspel.core.api import (
    LOGIN_OPTIONAL,
    LOGIN_REQUIRED,
    Id,
    Rows,
    invalid,
    shared_list,
)
from samenspel.core.pagecache import cache_for_visitors, versioned_count
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
    audience=community_audience,
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
    count_key = f"member-count:{community.pk}:{community.content_version}:"
    return Rows(
        memberships,
        lambda m: _member(m, show_emails=show_emails),
        count=lambda: versioned_count(count_key, memberships.count),
    )


def _member(m: Membership, *, show_emails: bool) -> dict:
    return {
        "id": m.pk,
        "name": m.user.name,
        "email": m.user.email if show_emails else None,
        "side": m.side,
        "role": m.role,
        "organisation": m.organisation,
        "organisation_confirmed": m.confirmed_organisation_id is not None,
        "joined_at": m.joined_at,
    }


def _member_answer(request: HttpRequest, membership: Membership) -> dict:
    membership = (
        Membership.objects.select_related("user", "organisation", "community")
        .filter(pk=membership.pk)
        .get()
    )
    show_emails = permissions.can_see_member_emails(request.user, membership.community)
    return _member(membership, show_emails=show_emails)


@router.patch(
    "/communities/{slug}/membership",
    response=MemberOut,
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Change your own side or organisation; only the fields sent change",
    description=(
        "A newly chosen organisation is not confirmed: you act for it only once a steward "
        "or a confirmed member of it confirms it. 404 when you are not a member."
    ),
)
def change_my_membership(request: HttpRequest, slug: str, payload: MyMembershipPatch):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    membership = permissions.get_membership(request.user, community)
    if membership is None:
        raise Http404("Not a member.")
    sent = payload.model_dump(exclude_unset=True)
    organisation = membership.organisation
    if "organisation_id" in sent:
        organisation = None
        if sent["organisation_id"] is not None:
            organisation = Organisation.objects.filter(
                pk=sent["organisation_id"], community=community
            ).first()
            if organisation is None:
                invalid([("organisationId", "No organisation with this id in this community.")])
    membership = services.change_my_membership(
        actor=request.user,  # type: ignore[arg-type]
        membership=membership,
        side=sent.get("side") or membership.side,
        organisation=organisation,
    )
    return _member_answer(request, membership)


@router.post(
    "/communities/{slug}/members/{int:id}/confirm-organisation",
    response=MemberOut,
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Confirm that a member belongs to the organisation they chose",
    description=(
        "For stewards and for members already confirmed for that organisation. 403 for "
        "anyone else, 409 when nothing waits for confirmation."
    ),
)
def confirm_organisation(request: HttpRequest, slug: str, id: Id):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    membership = permissions.get_member_for_user(request.user, community, id)
    membership = services.confirm_organisation(actor=request.user, membership=membership)  # type: ignore[arg-type]
    return _member_answer(request, membership)


@router.post(
    "/communities/{slug}/members/{int:id}/decline-organisation",
    response=MemberOut,
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Decline a member's claim to an organisation (the organisation is cleared)",
    description=(
        "For stewards and for members already confirmed for that organisation. 403 for "
        "anyone else, 409 when nothing waits for confirmation."
    ),
)
def decline_organisation(request: HttpRequest, slug: str, id: Id):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    membership = permissions.get_member_for_user(request.user, community, id)
    membership = services.decline_organisation(actor=request.user, membership=membership)  # type: ignore[arg-type]
    return _member_answer(request, membership)
