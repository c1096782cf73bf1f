"""What the workshops add to pages of the apps below (core/sections.py): the community's
home shows its members the workshops being played or about to be, with the way in."""

from typing import Any

from django.http import HttpRequest

from samenspel.communities.models import Community
from samenspel.communities.permissions import get_membership
from samenspel.workshops.models import Workshop, WorkshopStatus

ON_HOME = 3


def live_workshops_section(
    request: HttpRequest, community: Community
) -> tuple[str, dict[str, Any]] | None:
    """Members see the workshops that run or are ready to run (the same for every member:
    the page is shared by members of one kind)."""
    if get_membership(request.user, community) is None:
        return None
    found = list(
        Workshop.objects.filter(
            community=community, status__in=[WorkshopStatus.PLANNED, WorkshopStatus.RUNNING]
        ).order_by("-status", "-created_at")[:ON_HOME]
    )
    if not found:
        return None
    return ("workshops/_on_home.html", {"community": community, "workshops": found})
