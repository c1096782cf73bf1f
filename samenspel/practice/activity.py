"""How the group's sessions read in the community's activity feed."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from samenspel.core.activity import Activity, ActivitySource, register
from samenspel.practice.models import Session


def _session_records(community_id: int) -> Any:
    return Session.history.filter(community_id=community_id).select_related(
        "history_user", "community"
    )


def _describe_session(record: Any) -> Activity | None:
    title = {"title": record.title}
    if record.history_type == "+":
        text = _("Session planned: %(title)s") % title
    elif record.history_type == "~" and record.cancelled_at is not None:
        text = _("Session cancelled: %(title)s") % title
    elif record.history_type == "~":
        text = _("Session updated: %(title)s") % title
    else:
        return None
    url = reverse("session", args=[record.community.slug, record.id])
    return Activity(when=record.history_date, actor=record.history_user, text=text, url=url)


register(ActivitySource(_session_records, _describe_session))
