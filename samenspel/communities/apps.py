from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "samenspel.communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from simple_history.signals import post_create_historical_record

        from samenspel.communities import activity  # noqa: F401  (registers feed sources)

        post_create_historical_record.connect(
            bump_community_version, dispatch_uid="bump_community_version"
        )


def bump_community_version(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Every change to shared content writes a history record: that is when the community's
    content version goes up, whichever app the content belongs to."""
    from samenspel.communities.models import Community

    community_id = instance.pk if isinstance(instance, Community) else None
    community_id = getattr(instance, "community_id", community_id)
    if community_id:
        Community.bump_content_version(community_id)
