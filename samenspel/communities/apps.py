from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "samenspel.communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from samenspel.communities import activity  # noqa: F401  (registers feed sources)
