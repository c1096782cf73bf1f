from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "samenspel.communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from simple_history.signals import post_create_historical_record

        from samenspel.communities import activity  # noqa: F401  (registers feed sources)
        from samenspel.communities.versions import on_history_record

        # A history record means the community's shared content changed (versions.py).
        post_create_historical_record.connect(on_history_record, dispatch_uid="content_changed")
