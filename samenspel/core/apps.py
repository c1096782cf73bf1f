from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samenspel.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from samenspel.core import digests, periodic, tasks
        from samenspel.core.plainforms import use_plain_messages

        use_plain_messages()

        periodic.register("email-sweep", tasks.sweep_deliveries, minutes=5)
        periodic.register("prune-task-results", tasks.prune_task_results, hour=3)
        periodic.register("digests", digests.digests, hour=7)
