"""Community pages: home, members, invitations, join requests, roles, leaving."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from samenspel.communities import permissions, services
from samenspel.communities.forms import (
    CommunityForm,
    InvitationForm,
    JoinRequestForm,
    MyMembershipForm,
    NewCommunityForm,
    OrganisationForm,
    RoleForm,
)
from samenspel.communities.models import (
    Community,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organisation,
    Role,
    Side,
)
from samenspel.communities.services import CommunityError
from samenspel.core.activity import feed
from samenspel.core.pagecache import cache_for_members, cache_for_visitors, versioned_count
from samenspel.core.sections import render_sections
from samenspel.core.types import AuthenticatedHttpRequest


def _community_context(request: HttpRequest, community: Community, **extra: object) -> dict:
    user = request.user
    context: dict[str, object] = {
        "community": community,
        "membership": permissions.get_membership(user, community),
        "can_manage": permissions.can_manage_community(user, community),
        "can_join": permissions.can_join(user, community),
    }
    context.update(extra)
    return context


def community_version(request: HttpRequest, kwargs: dict) -> str | None:
    return Community.objects.public_version(kwargs["slug"])


def community_audience(request: HttpRequest, kwargs: dict) -> str | None:
    """Which shared copy of a community page a signed-in member reads (core/pagecache)."""
    try:
        community = permissions.get_community_for_user(request.user, kwargs["slug"])
    except Http404:
        return None  # the page itself answers
    return permissions.member_audience(request.user, community)


def _member_only(request: HttpRequest, slug: str) -> tuple[Community, Membership]:
    community = permissions.get_community_for_user(request.user, slug)
    membership = permissions.get_membership(request.user, community)
    if membership is None:
        raise Http404("Not a member.")
    return community, membership


def model_fields(form: forms.ModelForm) -> dict[str, object]:
    """What a model form parsed for the model's own fields (not its based-on version)."""
    return {
        name: form.cleaned_data[name]
        for name in form._meta.fields or []
        if name in form.cleaned_data
    }


def _steward_only(request: HttpRequest, slug: str) -> Community:
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_manage_community(request.user, community):
        raise Http404("Not a steward.")
    return community


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def community_home(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    membership = permissions.get_membership(request.user, community)
    pending_requests = 0
    if permissions.can_manage_community(request.user, community):
        pending_requests = community.join_requests.filter(status=JoinRequestStatus.PENDING).count()
    pending_request_of_user = (
        request.user.is_authenticated
        and membership is None
        and community.join_requests.filter(
            user=request.user, status=JoinRequestStatus.PENDING
        ).exists()
    )
    return render(
        request,
        "communities/home.html",
        _community_context(
            request,
            community,
            # Lazy: the template only computes these when its cached fragment has gone stale.
            counts=SimpleLazyObject(community.member_counts),
            activities=SimpleLazyObject(lambda: feed(community.pk, limit=8)),
            pending_requests=pending_requests,
            pending_request_of_user=pending_request_of_user,
            # The newcomer's three steps: account, confirmed email, asking to join.
            email_verified=membership is None and permissions.has_verified_email(request.user),
            # What apps above add (overdue commitments of the council, core/sections.py).
            sections=render_sections("community_home", request, community),
            page="home",
        ),
    )


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def members(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    memberships = (
        Membership.objects.active()
        .filter(community=community)
        .select_related("user", "organisation")
        .order_by("user__display_name", "user__email")
    )
    side = request.GET.get("side", "")
    if side in Side.values:
        memberships = memberships.filter(side=side)
    else:
        side = ""
    paginator = Paginator(memberships, 50)
    paginator.count = versioned_count(  # type: ignore[misc]
        f"member-count:{community.pk}:{community.content_version}:{side}", memberships.count
    )
    page = paginator.get_page(request.GET.get("page"))
    # htmx asks for the list alone when the filter changes; the URL still serves the full page.
    template = "communities/members.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#member-list"
    return render(
        request,
        template,
        _community_context(
            request,
            community,
            page_obj=page,
            side=side,
            sides=Side.choices,
            show_emails=permissions.can_see_member_emails(request.user, community),
            role_choices=Role.choices,
            page="members",
        ),
    )


@login_required
def new_community(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewCommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = services.create_community(
                creator=request.user,
                side=form.cleaned_data["side"],
                **{k: form.cleaned_data[k] for k in CommunityForm.Meta.fields},
            )
        except CommunityError as error:
            form.add_error("slug", error.message)
        else:
            messages.success(request, _("Your community has been started. You are its steward."))
            return redirect(community)
    return render(request, "communities/new.html", {"form": form})


@login_required
def edit_community(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = _steward_only(request, slug)
    form = CommunityForm(request.POST or None, instance=community)
    form.fields.pop("slug")
    if request.method == "POST" and form.is_valid():
        try:
            community = services.change_community(
                actor=request.user, community=community, fields=model_fields(form)
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The community's details have been saved."))
            return redirect(community)
    return render(
        request, "communities/edit.html", _community_context(request, community, form=form)
    )


@login_required
def invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = _steward_only(request, slug)
    form = InvitationForm(request.POST or None, community=community)
    new_link = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for_anyone = data.pop("anyone_with_link")
        try:
            issued = services.invite(
                community=community,
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
                **data,
            )
        except CommunityError as error:
            form.add_error("email" if error.code == "already_member" else None, error.message)
        else:
            if for_anyone:
                # Shown once, here: only its hash is stored.
                new_link = issued.url
                form = InvitationForm(community=community)
            else:
                messages.success(
                    request,
                    _("An invitation has been sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("invite", slug=community.slug)
    invitations = community.invitations.open().select_related("invited_by", "organisation")
    return render(
        request,
        "communities/invite.html",
        _community_context(
            request,
            community,
            form=form,
            invitations=invitations,
            new_link=new_link,
            page="invite",
        ),
    )


@login_required
@require_POST
def revoke_invitation(
    request: AuthenticatedHttpRequest, slug: str, invitation_id: int
) -> HttpResponse:
    community = _steward_only(request, slug)
    invitation = get_object_or_404(Invitation.objects.open(), pk=invitation_id, community=community)
    services.revoke_invitation(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation has been withdrawn."))
    return redirect("invite", slug=community.slug)


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.find_invitation(token)
    except CommunityError as error:
        return render(
            request,
            "communities/invitation_problem.html",
            {"problem": error.message},
            status=error.status,
        )
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.accept_invitation(raw_token=token, user=request.user)
        except CommunityError as error:
            return render(
                request,
                "communities/invitation_problem.html",
                {"problem": error.message},
                status=error.status,
            )
        messages.success(
            request, _("Welcome to %(community)s!") % {"community": invitation.community.name}
        )
        return redirect(invitation.community)
    already_member = (
        request.user.is_authenticated
        and permissions.get_membership(request.user, invitation.community) is not None
    )
    address_problem = None
    if request.user.is_authenticated and not already_member:
        problem = services.invitation_address_problem(invitation, request.user)
        address_problem = problem.message if problem else None
    return render(
        request,
        "communities/invitation.html",
        {
            "invitation": invitation,
            "already_member": already_member,
            "address_problem": address_problem,
        },
    )


@login_required
def join(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_to_join(community=community, user=request.user, **form.cleaned_data)
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your request has been sent. A steward will answer it soon.")
            )
        return redirect(community)
    return render(
        request, "communities/join.html", _community_context(request, community, form=form)
    )


@login_required
def join_requests(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = _steward_only(request, slug)
    pending = community.join_requests.filter(status=JoinRequestStatus.PENDING).select_related(
        "user"
    )
    return render(
        request,
        "communities/join_requests.html",
        _community_context(request, community, join_requests=pending, page="requests"),
    )


@login_required
@require_POST
def decide_join_request(
    request: AuthenticatedHttpRequest, slug: str, request_id: int
) -> HttpResponse:
    community = _steward_only(request, slug)
    join_request = get_object_or_404(JoinRequest, pk=request_id, community=community)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_join_request(
            join_request=join_request,
            steward=request.user,
            approve=approve,
            reason=request.POST.get("reason", ""),
        )
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        if approve:
            messages.success(
                request, _("%(name)s is now a member.") % {"name": join_request.user.name}
            )
        else:
            messages.info(request, _("The request has been declined."))
    return redirect("join_requests", slug=community.slug)


@login_required
@require_POST
def change_role(request: AuthenticatedHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    community = _steward_only(request, slug)
    membership = get_object_or_404(
        Membership.objects.active().select_related("user"), pk=membership_id, community=community
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            services.change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The role of %(name)s has been changed.") % {"name": membership.user.name},
            )
    return redirect("members", slug=community.slug)


@login_required
@require_POST
def remove_member(request: AuthenticatedHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    community = _steward_only(request, slug)
    membership = get_object_or_404(
        Membership.objects.active().select_related("user"), pk=membership_id, community=community
    )
    try:
        services.end_membership(actor=request.user, membership=membership)
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is no longer a member.") % {"name": membership.user.name}
        )
    return redirect("members", slug=community.slug)


@login_required
def leave(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community, membership = _member_only(request, slug)
    if request.method == "POST":
        try:
            services.end_membership(actor=request.user, membership=membership)
        except CommunityError as error:
            messages.error(request, error.message)
            return redirect(community)
        messages.success(request, _("You have left %(community)s.") % {"community": community.name})
        return redirect("home")
    return render(request, "communities/leave.html", _community_context(request, community))


@cache_for_visitors(community_version)
def organisations(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    # Members count for an organisation once their belonging to it is confirmed.
    rows = community.organisations.annotate(
        member_count=Count(
            "memberships",
            filter=Q(
                memberships__left_at__isnull=True,
                memberships__organisation_confirmed_at__isnull=False,
            ),
        )
    ).order_by("name")
    return render(
        request,
        "communities/organisations.html",
        _community_context(
            request,
            community,
            organisations=rows,
            organisation_requests=permissions.organisation_requests_for_user(
                request.user, community
            ),
            page="organisations",
        ),
    )


@login_required
@require_POST
def decide_organisation(
    request: AuthenticatedHttpRequest, slug: str, membership_id: int, decision: str
) -> HttpResponse:
    """Confirm or decline that a member belongs to the organisation they chose."""
    if decision not in ("confirm", "decline"):
        raise Http404("No such decision.")
    community = permissions.get_community_for_user(request.user, slug)
    membership = permissions.get_member_for_user(request.user, community, membership_id)
    confirm = decision == "confirm"
    service = services.confirm_organisation if confirm else services.decline_organisation
    try:
        service(actor=request.user, membership=membership)
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        names = {"name": membership.user.name, "organisation": str(membership.organisation)}
        if confirm:
            messages.success(request, _("%(name)s now acts for %(organisation)s.") % names)
        else:
            messages.info(request, _("%(name)s is no longer listed with %(organisation)s.") % names)
    return redirect("organisations", slug=community.slug)


@login_required
def edit_organisation(
    request: AuthenticatedHttpRequest, slug: str, organisation_id: int | None = None
) -> HttpResponse:
    community = _steward_only(request, slug)
    organisation = (
        get_object_or_404(Organisation, pk=organisation_id, community=community)
        if organisation_id
        else Organisation(community=community)
    )
    form = OrganisationForm(request.POST or None, instance=organisation, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_organisation(
                actor=request.user, organisation=organisation, fields=model_fields(form)
            )
        except CommunityError as error:
            form.add_error("name" if error.code == "name_taken" else None, error.message)
        else:
            messages.success(
                request,
                _("The organisation %(name)s has been saved.") % {"name": organisation.name},
            )
            return redirect("organisations", slug=community.slug)
    return render(
        request,
        "communities/organisation_form.html",
        _community_context(
            request, community, form=form, organisation=organisation, page="organisations"
        ),
    )


@login_required
def my_membership(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community, membership = _member_only(request, slug)
    form = MyMembershipForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.change_my_membership(
                actor=request.user, membership=membership, **form.cleaned_data
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            if updated.organisation_id and updated.organisation_confirmed_at is None:
                messages.success(
                    request,
                    _(
                        "Your membership has been updated. A steward or a confirmed member of "
                        "%(organisation)s will confirm that you belong to it."
                    )
                    % {"organisation": updated.organisation},
                )
            else:
                messages.success(request, _("Your membership has been updated."))
            return redirect(community)
    return render(
        request, "communities/my_membership.html", _community_context(request, community, form=form)
    )


@cache_for_visitors(community_version)
def activity(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    return render(
        request,
        "communities/activity.html",
        _community_context(request, community, activities=feed(community.pk, limit=100)),
    )


def contact(request: HttpRequest, slug: str) -> HttpResponse:
    """The facilitators of the community, and a message to them (logged in)."""
    community = permissions.get_community_for_user(request.user, slug)
    stewards = (
        community.memberships.filter(left_at__isnull=True, role=Role.STEWARD)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )
    error = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        limited = is_ratelimited(
            request, group="contact-stewards", key="user", rate="10/h", increment=True
        )
        try:
            if limited:
                raise CommunityError(
                    _("You sent many messages in a short time. Try again in an hour."),
                    code="too_many",
                    status=429,
                )
            services.contact_stewards(
                actor=request.user,  # type: ignore[arg-type]
                community=community,
                text=request.POST.get("text", ""),
            )
        except CommunityError as error_:
            error = error_.message
        else:
            messages.success(
                request, _("Your message has been sent. A facilitator will answer by email.")
            )
            return redirect("community_contact", slug=community.slug)
    return render(
        request,
        "communities/contact.html",
        _community_context(
            request,
            community,
            stewards=stewards,
            error=error,
            text=request.POST.get("text", ""),
            page="contact",
        ),
    )
