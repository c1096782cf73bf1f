"""The demo's accounts: how a demo person is made, and the administrator (admin@example.org),
who belongs to no community."""

from allauth.account.models import EmailAddress

from samenspel.accounts.models import User
from samenspel.core.demo import DEMO_PASSWORD, DemoContext, demo_email

ADMIN = ("admin", "Beheerder (voorbeeld)")


def create_demo_user(name: str, display_name: str) -> User:
    """An account `name`@example.org with the demo password and a verified address."""
    user = User.objects.create_user(
        email=demo_email(name), password=DEMO_PASSWORD, display_name=display_name
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def unload_demo(demo: DemoContext) -> None:
    User.objects.filter(email=demo_email(ADMIN[0])).delete()


def load_demo(demo: DemoContext) -> None:
    admin = create_demo_user(*ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
