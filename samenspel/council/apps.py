from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "samenspel.council"
    verbose_name = _("Track 3: the council")

    def ready(self) -> None:
        from samenspel.council.permissions import decision_warrant
        from samenspel.learning.permissions import register_warrant

        # Who records a council decision carries what it decides through the loop.
        register_warrant(decision_warrant)
