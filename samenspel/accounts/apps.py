from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "samenspel.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from samenspel.accounts.models import User
        from samenspel.accounts.usercache import forget_user

        post_save.connect(forget_user, sender=User, dispatch_uid="forget_cached_user")
        post_delete.connect(forget_user, sender=User, dispatch_uid="forget_cached_user_deleted")
