"""Following a theme, a policy object or a signal, from the page that shows it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.services import CommunityError
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.learning import following, permissions
from samenspel.learning.models import PolicyObject, Signal, Theme
from samenspel.learning.views.signals import get_signal_in

KINDS = {"theme": Theme, "policy-object": PolicyObject}


@login_required
@require_POST
def follow(
    request: AuthenticatedHttpRequest, slug: str, kind: str, subject_id: int
) -> HttpResponse:
    """Follow (or, with `stop`, stop following) what the page shows; back to that page."""
    community = permissions.get_community_for_user(request.user, slug)
    subject: following.Subject
    if kind == "signal":
        subject = get_signal_in(request, slug, subject_id)
    elif kind not in KINDS:
        raise Http404("Nothing of that kind to follow.")
    else:
        subject = get_object_or_404(KINDS[kind], pk=subject_id, community=community)  # type: ignore[assignment]
    try:
        if request.POST.get("stop"):
            following.unfollow(actor=request.user, subject=subject)
            messages.success(request, _("You no longer follow “%(name)s”.") % {"name": subject})
        else:
            following.follow(actor=request.user, subject=subject)
            messages.success(
                request,
                _("You now follow “%(name)s”. You can find what you follow under My work.")
                % {"name": subject},
            )
    except CommunityError as error:
        messages.error(request, error.message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = subject.get_absolute_url() if isinstance(subject, Signal) else "/"
    return redirect(target)


urlpatterns: list[URLPattern] = [
    path(
        "follow/<str:kind>/<int:subject_id>/",
        follow,
        name="follow",
    ),
]
