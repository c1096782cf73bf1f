from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "samenspel.initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        from samenspel.initiatives import activity  # noqa: F401  (registers feed sources)
