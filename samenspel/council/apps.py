from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "samenspel.council"
    verbose_name = _("Track 3: the council")

    def ready(self) -> None:
        from samenspel.core import periodic, sections
        from samenspel.council import tasks
        from samenspel.council.calendar import meeting_events
        from samenspel.council.permissions import decision_warrant
        from samenspel.council.views.followup import overdue_section
        from samenspel.learning.permissions import register_warrant
        from samenspel.practice.calendar import register_source

        # Who records a council decision carries what it decides through the loop.
        register_warrant(decision_warrant)
        # Overdue commitments stand out on the community's home; meetings join its calendar.
        sections.register("community_home", overdue_section)
        register_source(meeting_events)
        periodic.register("commitment-reminders", tasks.commitment_reminders, hour=8)
        # A session of the group can discuss an advice (the practice app's agendas).
        from samenspel.council.models import AdviceStage, CouncilAdvice
        from samenspel.practice.agenda import SubjectKind, register_subject

        register_subject(
            SubjectKind(
                key="advice",
                label=_("Advice to the council"),
                model=CouncilAdvice,
                candidates=lambda community: (
                    CouncilAdvice.objects.filter(community=community)
                    .exclude(stage=AdviceStage.AFGEROND)
                    .order_by("-created_at", "-pk")
                ),
                title=lambda advice: advice.title,
            )
        )
