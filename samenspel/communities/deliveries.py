"""Emails that did not arrive: the stewards of a community see the deliveries that kept
failing (after every retry) and those still being retried, and can try one again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities import permissions
from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context
from samenspel.core import tasks
from samenspel.core.models import DeliveryStatus, EmailDelivery
from samenspel.core.types import AuthenticatedHttpRequest


def can_see_deliveries(user: permissions.AnyUser, community: Community) -> bool:
    return permissions.can_manage_community(user, community)


def troubled_deliveries(community: Community) -> list[EmailDelivery]:
    """Failed for good, or pending after at least one failed attempt; newest first."""
    failed = EmailDelivery.objects.filter(community=community, status=DeliveryStatus.FAILED)
    retrying = EmailDelivery.objects.filter(
        community=community, status=DeliveryStatus.PENDING, attempts__gt=0
    )
    rows = (failed | retrying).select_related("recipient").order_by("-created_at", "-pk")
    return list(rows[:200])


@transaction.atomic
def retry_delivery(*, actor: permissions.AnyUser, delivery: EmailDelivery) -> None:
    """A steward sends a failed email again (after the mail server was repaired, say)."""
    community = delivery.community
    if community is None or not can_see_deliveries(actor, community):
        raise CommunityError(
            _("Only stewards can send an email again."), code="forbidden", status=403
        )
    if delivery.status != DeliveryStatus.FAILED:
        raise CommunityError(
            _("This email is still being sent; it is not failed."), code="not_failed"
        )
    tasks.retry_delivery(delivery)


def _community_for_steward(request: HttpRequest, slug: str) -> Community:
    community = permissions.get_community_for_user(request.user, slug)
    if not can_see_deliveries(request.user, community):
        raise Http404("Not a steward.")
    return community


@login_required
def deliveries(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = _community_for_steward(request, slug)
    return render(
        request,
        "communities/deliveries.html",
        _community_context(
            request, community, deliveries=troubled_deliveries(community), page="deliveries"
        ),
    )


@login_required
@require_POST
def retry(request: AuthenticatedHttpRequest, slug: str, delivery_id: int) -> HttpResponse:
    community = _community_for_steward(request, slug)
    delivery = get_object_or_404(EmailDelivery, pk=delivery_id, community=community)
    try:
        retry_delivery(actor=request.user, delivery=delivery)
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The email to %(to)s is sent again.") % {"to": delivery.to})
    return redirect("deliveries", slug=community.slug)
