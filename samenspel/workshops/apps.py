from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "samenspel.workshops"
    verbose_name = _("Workshops")

    def ready(self) -> None:
        from samenspel.core import sections
        from samenspel.workshops.sections import live_workshops_section

        # Members find a workshop being played on their community's home.
        sections.register("community_home", live_workshops_section)
