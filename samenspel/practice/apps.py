from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "samenspel.practice"
    verbose_name = _("The group's own practice")

    def ready(self) -> None:
        from samenspel.core import periodic, sections
        from samenspel.core.markdown import register_enricher
        from samenspel.practice import activity, tasks  # noqa: F401  (activity: feed source)
        from samenspel.practice.glossary import explain_terms

        # Agreed terms are explained in every Markdown text of their community.
        register_enricher(explain_terms)
        # A new community starts with the default peer consultation method.
        from django.db.models.signals import post_save

        from samenspel.practice.consultations import on_community_saved

        post_save.connect(
            on_community_saved,
            sender="communities.Community",
            dispatch_uid="practice-community-defaults",
        )

        # The initiative's page shows the visits planned to it.
        from samenspel.practice.views.visits import initiative_section

        sections.register("initiative", initiative_section)

        periodic.register("session-reminders", tasks.session_reminders, hour=9)
        periodic.register("action-point-reminders", tasks.action_point_reminders, hour=8)
        periodic.register("visit-follow-ups", tasks.visit_follow_ups, hour=10)
