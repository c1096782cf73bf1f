"""How initiative changes read in the community's activity feed."""

from typing import Any

from django.utils.translation import gettext as _

from samenspel.core.activity import Activity, ActivitySource, register
from samenspel.initiatives.choices import Review
from samenspel.initiatives.models import Initiative


def _initiative_records(community_id: int) -> Any:
    return Initiative.history.filter(community_id=community_id).select_related("history_user")


def _describe_initiative(record: Any) -> Activity | None:
    if record.review != Review.LISTED:
        return None  # registrations under review are not news yet
    previous = record.prev_record if record.history_type == "~" else None
    if previous is not None and previous.review == Review.LISTED:
        if previous.phase != record.phase:
            text = _("%(name)s moved on to the phase: %(phase)s") % {
                "name": record.name,
                "phase": record.get_phase_display().lower(),
            }
            return Activity(when=record.history_date, actor=record.history_user, text=text)
        return None
    return Activity(
        when=record.history_date,
        actor=record.history_user,
        text=_("Initiative %(name)s is now in the atlas") % {"name": record.name},
    )


register(ActivitySource(_initiative_records, _describe_initiative))
