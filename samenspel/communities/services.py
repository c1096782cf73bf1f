"""Writes that span models or send mail: founding a community, invitations, joining, roles."""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samenspel.accounts.models import User
from samenspel.communities.models import (
    Community,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organisation,
    Role,
    Side,
    hash_invitation_token,
)
from samenspel.core.notifications import notify


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class CommunityError(Exception):
    """A request that cannot be carried out, with a message for the person who asked.

    `status` tells the API which HTTP status fits (409 conflict, 410 gone, 404 not found).
    """

    def __init__(self, message: str, *, code: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


# Short names that would clash with the pages under /c/.
RESERVED_SLUGS = frozenset({"new", "invitations"})


@transaction.atomic
def create_community(
    *,
    creator: User,
    name: str,
    slug: str,
    municipality: str,
    description: str = "",
    is_public: bool = False,
    side: str = Side.OVERIG,
) -> Community:
    """Found a community; its founder becomes its first steward."""
    if slug in RESERVED_SLUGS or Community.objects.filter(slug=slug).exists():
        raise CommunityError(
            _("A community with this short name already exists."), code="slug_taken"
        )
    community = Community.objects.create(
        name=name,
        slug=slug,
        municipality=municipality,
        description=description,
        is_public=is_public,
    )
    Membership.objects.create(user=creator, community=community, side=side, role=Role.STEWARD)
    return community


def _add_member(
    *,
    user: User,
    community: Community,
    side: str,
    role: str,
    organisation: Organisation | None,
) -> Membership:
    if Membership.objects.active().filter(user=user, community=community).exists():
        raise CommunityError(
            _("You are already a member of this community."), code="already_member"
        )
    try:
        with transaction.atomic():
            return Membership.objects.create(
                user=user, community=community, side=side, role=role, organisation=organisation
            )
    except IntegrityError as error:  # a concurrent join won the race
        raise CommunityError(
            _("You are already a member of this community."), code="already_member"
        ) from error


@dataclass
class IssuedInvitation:
    invitation: Invitation
    url: str


@transaction.atomic
def invite(
    *,
    community: Community,
    invited_by: User,
    email: str,
    side: str,
    role: str = Role.LID,
    organisation: Organisation | None = None,
    message: str = "",
    base_url: str | None = None,
) -> IssuedInvitation:
    """Create an invitation and email its single-use link (the link is never stored)."""
    email = email.strip().lower()
    if Membership.objects.active().filter(community=community, user__email__iexact=email).exists():
        raise CommunityError(
            _("%(email)s is already a member of this community.") % {"email": email},
            code="already_member",
        )
    raw = Invitation.new_token()
    invitation = Invitation.objects.create(
        community=community,
        email=email,
        side=side,
        role=role,
        organisation=organisation,
        message=message,
        invited_by=invited_by,
        token_hash=hash_invitation_token(raw),
        expires_at=Invitation.default_expiry(),
    )
    url = (base_url or settings.SITE_URL).rstrip("/") + reverse("accept_invitation", args=[raw])
    context = {"invitation": invitation, "url": url, "inviter": invited_by}
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        subject = _("Invitation to join %(community)s on Samenspel") % {"community": community.name}
        body = render_to_string("communities/email/invitation.txt", context)
    send_mail(subject, body, None, [email])
    return IssuedInvitation(invitation=invitation, url=url)


INVITATION_NOT_FOUND = gettext_lazy(
    "This invitation link is not valid. Check that you copied the whole link, or ask a "
    "steward for a new invitation."
)


def find_invitation(raw_token: str) -> Invitation:
    """The invitation behind a link, or a clear error for a forged, used or expired link."""
    invitation = (
        Invitation.objects.select_related("community", "organisation")
        .filter(token_hash=hash_invitation_token(raw_token))
        .first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise CommunityError(str(INVITATION_NOT_FOUND), code="invitation_invalid", status=404)
    if invitation.is_used:
        raise CommunityError(
            _(
                "This invitation has already been used. Each link works once. Ask a steward "
                "for a new one if you still need to join."
            ),
            code="invitation_used",
            status=410,
        )
    if invitation.is_expired:
        raise CommunityError(
            _("This invitation expired on %(date)s. Ask a steward for a new one.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%d-%m-%Y")},
            code="invitation_expired",
            status=410,
        )
    return invitation


@transaction.atomic
def accept_invitation(*, raw_token: str, user: User) -> Membership:
    invitation = find_invitation(raw_token)
    # Lock the row so two clicks on the same link cannot both succeed.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_used:
        raise CommunityError(
            _("This invitation has already been used."), code="invitation_used", status=410
        )
    membership = _add_member(
        user=user,
        community=invitation.community,
        side=invitation.side,
        role=invitation.role,
        organisation=invitation.organisation,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def request_to_join(
    *,
    community: Community,
    user: User,
    side: str,
    organisation_name: str = "",
    motivation: str = "",
) -> JoinRequest:
    if not community.is_public:
        raise CommunityError(
            _("This community takes new members by invitation only."),
            code="not_public",
            status=403,
        )
    if Membership.objects.active().filter(user=user, community=community).exists():
        raise CommunityError(
            _("You are already a member of this community."), code="already_member"
        )
    if JoinRequest.objects.filter(
        community=community, user=user, status=JoinRequestStatus.PENDING
    ).exists():
        raise CommunityError(
            _("You have already asked to join. A steward will answer your request."),
            code="already_requested",
        )
    join_request = JoinRequest.objects.create(
        community=community,
        user=user,
        side=side,
        organisation_name=organisation_name,
        motivation=motivation,
    )
    stewards = User.objects.filter(
        pk__in=Membership.objects.stewards().filter(community=community).values("user_id")
    )
    notify(
        stewards,
        subject=lambda: (
            _("%(name)s asks to join %(community)s")
            % {"name": user.name, "community": community.name}
        ),
        template="communities/email/join_request.txt",
        context={
            "join_request": join_request,
            "url": _absolute(reverse("join_requests", args=[community.slug])),
        },
    )
    return join_request


@transaction.atomic
def decide_join_request(*, join_request: JoinRequest, steward: User, approve: bool) -> None:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequestStatus.PENDING:
        raise CommunityError(_("This request has already been answered."), code="already_decided")
    if approve:
        organisation = None
        if join_request.organisation_name:
            organisation, _created = Organisation.objects.get_or_create(
                community=join_request.community,
                name=join_request.organisation_name,
            )
        _add_member(
            user=join_request.user,
            community=join_request.community,
            side=join_request.side,
            role=Role.LID,
            organisation=organisation,
        )
    join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = steward
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    community = join_request.community
    notify(
        [join_request.user],
        subject=lambda: (
            (_("Welcome to %(community)s") if approve else _("Your request to join %(community)s"))
            % {"community": community.name}
        ),
        template="communities/email/join_decision.txt",
        context={
            "join_request": join_request,
            "approved": approve,
            "url": _absolute(community.get_absolute_url()),
        },
    )


def _refuse_if_last_steward(membership: Membership) -> None:
    if membership.role != Role.STEWARD:
        return
    others = (
        Membership.objects.stewards()
        .filter(community=membership.community)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise CommunityError(
            _("A community needs at least one steward. Make someone else steward first."),
            code="last_steward",
        )


@transaction.atomic
def change_role(*, membership: Membership, role: str) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role != Role.STEWARD:
        _refuse_if_last_steward(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def end_membership(*, membership: Membership) -> None:
    """Leaving, or being removed by a steward: the membership is archived, never deleted."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _refuse_if_last_steward(membership)
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
