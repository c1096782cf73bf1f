"""How community changes read in the activity feed."""

from typing import Any

from django.utils.translation import gettext as _

from samenspel.communities.models import Community, Membership, Organisation, Role
from samenspel.core.activity import Activity, ActivitySource, register


def _membership_records(community_id: int) -> Any:
    return Membership.history.filter(community_id=community_id).select_related(
        "user", "history_user"
    )


def _describe_membership(record: Any) -> Activity | None:
    name = record.user.name if record.user else _("someone")
    if record.history_type == "+":
        text = _("%(name)s joined as %(role)s") % {
            "name": name,
            "role": Role(record.role).label.lower(),
        }
    elif record.left_at is not None:
        text = _("%(name)s left the community") % {"name": name}
    elif record.history_type == "~":
        text = _("%(name)s is now %(role)s") % {
            "name": name,
            "role": Role(record.role).label.lower(),
        }
    else:
        return None
    return Activity(when=record.history_date, actor=record.history_user, text=text)


def _organisation_records(community_id: int) -> Any:
    return Organisation.history.filter(community_id=community_id).select_related("history_user")


def _describe_organisation(record: Any) -> Activity | None:
    if record.history_type != "+":
        return None
    return Activity(
        when=record.history_date,
        actor=record.history_user,
        text=_("Organisation %(name)s was added") % {"name": record.name},
    )


def _community_records(community_id: int) -> Any:
    return Community.history.filter(id=community_id).select_related("history_user")


def _describe_community(record: Any) -> Activity | None:
    if record.history_type == "+":
        text = _("The community was started")
    elif record.history_type == "~":
        text = _("The community's details were updated")
    else:
        return None
    return Activity(when=record.history_date, actor=record.history_user, text=text)


register(ActivitySource(_community_records, _describe_community))
register(ActivitySource(_organisation_records, _describe_organisation))
register(ActivitySource(_membership_records, _describe_membership))
