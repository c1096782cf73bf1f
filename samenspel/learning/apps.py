from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "samenspel.learning"
    verbose_name = _("Policy learning")

    def ready(self) -> None:
        # Communities know nothing of the apps above them: the loop hooks in here.
        from samenspel.core import periodic
        from samenspel.learning import tasks
        from samenspel.learning.defaults import on_community_saved

        periodic.register("loop-reminders", tasks.loop_reminders, hour=7)

        post_save.connect(
            on_community_saved,
            sender="communities.Community",
            dispatch_uid="learning-community-defaults",
        )
