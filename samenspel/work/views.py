"""My work: one page per person, where they land after logging in."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from samenspel.communities.models import Membership
from samenspel.core.pagecache import cache_for_members
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.work.queries import my_work as load_my_work


def work_audience(request: HttpRequest, kwargs: dict[str, Any]) -> str | None:
    """My work is this reader's own; its copy is kept while nothing changes in any of their
    communities (each change raises that community's content version: signals and their
    steps, memberships, join requests, invitations, support requests, answer times, what
    they follow) and for the hour at most, as it shows waiting times and open invitations."""
    user = request.user
    if not user.is_authenticated:
        return None
    versions = (
        Membership.objects.active()
        .filter(user_id=user.pk)
        .order_by("community_id")
        .values_list("community_id", "community__content_version")
    )
    communities = ",".join(f"{pk}.{version}" for pk, version in versions)
    hour = timezone.localtime().strftime("%Y-%m-%dT%H")
    return f"work:{user.pk}:{communities}@{hour}"


@login_required
@cache_for_members(work_audience)
def my_work(request: AuthenticatedHttpRequest) -> HttpResponse:
    work = load_my_work(request.user)
    return render(request, "work/my_work.html", {"work": work})
