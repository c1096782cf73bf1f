"""Writes that span models or send mail: founding a community, invitations, joining, roles."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samenspel.accounts.models import User
from samenspel.communities import permissions
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
from samenspel.communities.permissions import AnyUser
from samenspel.core.notifications import notify
from samenspel.core.sites import absolute, site_url
from samenspel.core.tasks import queue_email


def _absolute(path: str) -> str:
    return absolute(path)


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


def _not_allowed() -> CommunityError:
    return CommunityError(
        _("You may not do this in this community."), code="not_allowed", status=403
    )


def _add_member(
    *,
    user: User,
    community: Community,
    side: str,
    role: str,
    organisation: Organisation | None,
    organisation_confirmed_by: User | None = None,
) -> Membership:
    """A new membership; its organisation counts only when someone entitled confirmed it
    (`organisation_confirmed_by`), otherwise it waits for confirmation."""
    if Membership.objects.active().filter(user=user, community=community).exists():
        raise CommunityError(
            _("You are already a member of this community."), code="already_member"
        )
    confirmed = organisation is not None and organisation_confirmed_by is not None
    try:
        with transaction.atomic():
            return Membership.objects.create(
                user=user,
                community=community,
                side=side,
                role=role,
                organisation=organisation,
                organisation_confirmed_at=timezone.now() if confirmed else None,
                organisation_confirmed_by=organisation_confirmed_by if confirmed else None,
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
    """Create an invitation and email its single-use link (the link is never stored).

    Without an email address the link is for anyone who has it: it is not emailed but
    returned to show once, and it makes a plain member only (never a steward or an
    observer, never with a confirmed organisation)."""
    if not permissions.can_manage_community(invited_by, community):
        raise _not_allowed()
    email = email.strip().lower()
    if not email and (role != Role.LID or organisation is not None):
        raise CommunityError(
            _(
                "A link for anyone makes a plain member only: choose the role member and no "
                "organisation, or invite someone by email address."
            ),
            code="open_invitation_member_only",
            status=400,
        )
    if organisation is not None and organisation.community_id != community.pk:
        raise CommunityError(
            _("This organisation belongs to another community."),
            code="organisation_elsewhere",
            status=400,
        )
    if (
        email
        and Membership.objects.active()
        .filter(community=community, user__email__iexact=email)
        .exists()
    ):
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
    url = (base_url or site_url()).rstrip("/") + reverse("accept_invitation", args=[raw])
    if not email:
        return IssuedInvitation(invitation=invitation, url=url)
    context = {"invitation": invitation, "url": url, "inviter": invited_by}
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        subject = _("Invitation to join %(community)s on Samenspel") % {"community": community.name}
        body = render_to_string("communities/email/invitation.txt", context)
    queue_email(to=email, subject=subject, body=body, community_id=community.pk, kind="invitation")
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


def invitation_address_problem(invitation: Invitation, user: User) -> CommunityError | None:
    """Why this account may not accept this invitation, or None. An invitation sent to an
    address is accepted only by an account that verified that address (any of its
    addresses, in any letter case): a forwarded link is of no use to someone else."""
    if not invitation.email:
        return None
    addresses = EmailAddress.objects.filter(user=user, email__iexact=invitation.email)
    if addresses.filter(verified=True).exists():
        return None
    if addresses.exists():
        return CommunityError(
            _(
                "This invitation was sent to an email address of yours that is not verified "
                "yet. Verify it with the link we emailed you, then open the invitation again."
            ),
            code="invitation_address_unverified",
            status=403,
        )
    return CommunityError(
        _(
            "This invitation was sent to another email address than the one you are logged "
            "in with. Log in with the account of that address, or add that address to your "
            "account and verify it, then open the invitation again."
        ),
        code="invitation_other_address",
        status=403,
    )


@transaction.atomic
def accept_invitation(*, raw_token: str, user: User) -> Membership:
    invitation = find_invitation(raw_token)
    problem = invitation_address_problem(invitation, user)
    if problem is not None:
        raise problem
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
        # A steward named the organisation: that is its confirmation.
        organisation_confirmed_by=invitation.invited_by if invitation.organisation else None,
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
    if not permissions.has_verified_email(user):
        raise CommunityError(
            _("Confirm your email address first, with the link we sent you. Then ask to join."),
            code="email_not_verified",
            status=403,
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
def decide_join_request(
    *, join_request: JoinRequest, steward: User, approve: bool, reason: str = ""
) -> None:
    """Approve a join request, or decline it with a reason the applicant receives."""
    if not permissions.can_manage_community(steward, join_request.community):
        raise _not_allowed()
    if not approve and not reason.strip():
        raise CommunityError(
            _("Say why you decline: the applicant reads it."),
            code="reason_required",
            status=400,
        )
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
        # The applicant named the organisation: it waits for confirmation like any
        # organisation someone chooses for themselves.
        membership = _add_member(
            user=join_request.user,
            community=join_request.community,
            side=join_request.side,
            role=Role.LID,
            organisation=organisation,
        )
        if organisation is not None:
            _ask_confirmation(membership)
    join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = steward
    join_request.decline_reason = "" if approve else reason.strip()[:2000]
    join_request.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
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
            "contact_url": _absolute(reverse("community_contact", args=[community.slug])),
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
def change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Stewards give members their role (steward, member, observer)."""
    if not permissions.can_manage_community(actor, membership.community):
        raise _not_allowed()
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role != Role.STEWARD:
        _refuse_if_last_steward(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def end_membership(*, actor: User, membership: Membership) -> None:
    """Leaving, or being removed by a steward: the membership is archived, never deleted."""
    leaving = membership.user_id == actor.pk
    if not (leaving or permissions.can_manage_community(actor, membership.community)):
        raise _not_allowed()
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _refuse_if_last_steward(membership)
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])


# -- speaking for an organisation ----------------------------------------------------------


def organisation_confirmers(membership: Membership) -> list[User]:
    """Who may confirm that this member belongs to their organisation: the stewards and the
    members already confirmed for that organisation (never the member themselves)."""
    if membership.organisation_id is None:
        return []
    holders = Membership.objects.active().filter(
        Q(role=Role.STEWARD)
        | Q(
            role=Role.LID,
            organisation_id=membership.organisation_id,
            organisation_confirmed_at__isnull=False,
        ),
        community_id=membership.community_id,
    )
    return list(
        User.objects.filter(pk__in=holders.values("user_id"), is_active=True).exclude(
            pk=membership.user_id
        )
    )


def _ask_confirmation(membership: Membership) -> None:
    community = membership.community
    organisation = membership.organisation
    assert organisation is not None
    user = membership.user
    notify(
        organisation_confirmers(membership),
        subject=lambda: (
            _("%(name)s says they belong to %(organisation)s")
            % {"name": user.name, "organisation": organisation.name}
        ),
        template="communities/email/organisation_request.txt",
        context={
            "membership": membership,
            "url": _absolute(reverse("organisations", args=[community.slug])),
        },
        kind="organisation-request",
        community=community,
    )


@transaction.atomic
def change_my_membership(
    *,
    actor: User,
    membership: Membership,
    side: str,
    organisation: Organisation | None,
) -> Membership:
    """A member changes their own side and organisation. A newly chosen organisation grants
    nothing until a steward or a confirmed member of it confirms it; they are asked to."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("community", "user")
        .get(pk=membership.pk)
    )
    if not permissions.can_change_membership(actor, membership):
        raise _not_allowed()
    if side not in Side.values:
        raise CommunityError(_("Choose a valid side."), code="invalid_side", status=400)
    if organisation is not None and organisation.community_id != membership.community_id:
        raise CommunityError(
            _("This organisation belongs to another community."),
            code="organisation_elsewhere",
            status=400,
        )
    new_organisation_id = organisation.pk if organisation else None
    changed_organisation = new_organisation_id != membership.organisation_id
    membership.side = side
    fields = ["side"]
    if changed_organisation:
        membership.organisation = organisation
        membership.organisation_confirmed_at = None
        membership.organisation_confirmed_by = None
        fields += ["organisation", "organisation_confirmed_at", "organisation_confirmed_by"]
    membership.save(update_fields=fields)
    if changed_organisation and organisation is not None:
        _ask_confirmation(membership)
    return membership


def _decide_organisation(*, actor: User, membership: Membership, confirm: bool) -> Membership:
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("community", "user", "organisation")
        .get(pk=membership.pk)
    )
    if (
        not membership.is_active
        or membership.organisation_id is None
        or membership.organisation_confirmed_at is not None
    ):
        raise CommunityError(
            _("There is no organisation waiting for confirmation here."),
            code="nothing_to_confirm",
        )
    if not permissions.can_confirm_organisation(actor, membership):
        raise _not_allowed()
    organisation = membership.organisation
    assert organisation is not None
    if confirm:
        membership.organisation_confirmed_at = timezone.now()
        membership.organisation_confirmed_by = actor
    else:
        membership.organisation = None
        membership.organisation_confirmed_at = None
        membership.organisation_confirmed_by = None
    membership.save(
        update_fields=["organisation", "organisation_confirmed_at", "organisation_confirmed_by"]
    )
    community = membership.community
    notify(
        [membership.user],
        subject=lambda: (
            (
                _("You now speak for %(organisation)s")
                if confirm
                else _("Your organisation %(organisation)s was not confirmed")
            )
            % {"organisation": organisation.name}
        ),
        template="communities/email/organisation_decision.txt",
        context={
            "organisation": organisation,
            "community": community,
            "confirmed": confirm,
            "decided_by": actor,
            "url": _absolute(reverse("my_membership", args=[community.slug])),
        },
        kind="organisation-decision",
        community=community,
    )
    return membership


@transaction.atomic
def confirm_organisation(*, actor: User, membership: Membership) -> Membership:
    """Confirm that a member belongs to the organisation they chose: from now on they act
    for it. For stewards and members already confirmed for that organisation."""
    return _decide_organisation(actor=actor, membership=membership, confirm=True)


@transaction.atomic
def decline_organisation(*, actor: User, membership: Membership) -> Membership:
    """Decline a member's claim to an organisation: the membership stays, the organisation
    is cleared."""
    return _decide_organisation(actor=actor, membership=membership, confirm=False)


# -- the community's own details --------------------------------------------------------


COMMUNITY_FIELDS = {"name", "municipality", "description", "is_public"}
ORGANISATION_FIELDS = {"name", "kind", "website"}


@transaction.atomic
def change_community(*, actor: User, community: Community, fields: dict[str, object]) -> Community:
    """Stewards change the community's details (its address, the slug, stays)."""
    if not permissions.can_manage_community(actor, community):
        raise _not_allowed()
    unknown = set(fields) - COMMUNITY_FIELDS
    if unknown:
        raise CommunityError(_("These details cannot be changed here."), code="invalid", status=400)
    community = Community.objects.select_for_update().get(pk=community.pk)
    for name, value in fields.items():
        setattr(community, name, value.strip() if isinstance(value, str) else value)
    community.save(update_fields=list(fields) or ["name"])
    return community


@transaction.atomic
def save_organisation(
    *, actor: User, organisation: Organisation, fields: dict[str, object]
) -> Organisation:
    """Stewards add an organisation to the community or change one."""
    if not permissions.can_manage_community(actor, organisation.community):
        raise _not_allowed()
    unknown = set(fields) - ORGANISATION_FIELDS
    if unknown:
        raise CommunityError(_("These details cannot be changed here."), code="invalid", status=400)
    name = str(fields.get("name", organisation.name)).strip()
    taken = Organisation.objects.filter(community=organisation.community, name__iexact=name)
    if taken.exclude(pk=organisation.pk).exists():
        raise CommunityError(
            _("This community already has an organisation with this name."),
            code="name_taken",
            status=400,
        )
    for field, value in fields.items():
        setattr(organisation, field, value.strip() if isinstance(value, str) else value)
    organisation.save()
    return organisation


@transaction.atomic
def revoke_invitation(*, actor: User, invitation: Invitation) -> None:
    """A steward withdraws an open invitation: its link stops working at once."""
    if not permissions.can_manage_community(actor, invitation.community):
        raise _not_allowed()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.revoked_at = invitation.expires_at = invitation.created_at
    invitation.save(update_fields=["revoked_at", "expires_at"])


CONTACT_LIMIT = 2000


def can_contact_stewards(user: AnyUser, community: Community) -> bool:
    """Anyone logged in who may see the community writes to its facilitators."""
    return user.is_authenticated and permissions.can_view_community(user, community)


def contact_stewards(*, actor: User, community: Community, text: str) -> int:
    """A message to the community's facilitators (inbox and email, with the sender's
    address so they can answer). Returns how many facilitators it reached."""
    if not can_contact_stewards(actor, community):
        raise CommunityError(
            _("Log in to write to the facilitators."), code="not_allowed", status=403
        )
    text = text.strip()
    if not text:
        raise CommunityError(_("Write your message."), code="message_required", status=400)
    if len(text) > CONTACT_LIMIT:
        raise CommunityError(
            _("The message is too long: at most %(limit)d characters, now %(count)d.")
            % {"limit": CONTACT_LIMIT, "count": len(text)},
            code="message_too_long",
            status=400,
        )
    stewards = [
        m.user
        for m in Membership.objects.active()
        .filter(community=community, role=Role.STEWARD)
        .select_related("user")
        .order_by("user_id")
    ]
    notify(
        stewards,
        subject=lambda: (
            _("%(name)s writes to the facilitators of %(community)s")
            % {"name": actor.name, "community": community.name}
        ),
        template="communities/email/contact.txt",
        context={"sender": actor, "community": community, "text": text},
        kind="contact",
        url=lambda: reverse("members", args=[community.slug]),
        community=community,
    )
    return len(stewards)
