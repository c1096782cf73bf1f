from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccordsConfig(AppConfig):
    name = "samenspel.accords"
    verbose_name = _("The accord")

    def ready(self) -> None:
        from samenspel.accords.models import Amendment, AmendmentStatus
        from samenspel.practice.agenda import SubjectKind, register_subject

        # A session of the group can discuss an amendment (the practice app's agendas).
        register_subject(
            SubjectKind(
                key="amendment",
                label=_("Amendment of the accord"),
                model=Amendment,
                candidates=lambda community: Amendment.objects.filter(
                    accord__community=community, status=AmendmentStatus.OPEN
                ).order_by("-proposed_at", "-pk"),
                title=lambda amendment: str(amendment),
            )
        )
