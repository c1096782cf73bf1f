from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "samenspel.initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from samenspel.communities.models import Community
        from samenspel.initiatives import activity  # noqa: F401  (registers feed sources)
        from samenspel.initiatives.defaults import give_new_community_defaults

        # A new community starts with the catalogue, so no page has to create it on a read
        # (communities knows nothing of the apps above it; they listen).
        post_save.connect(
            give_new_community_defaults,
            sender=Community,
            dispatch_uid="initiatives-defaults-for-new-community",
        )
