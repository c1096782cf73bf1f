"""Email notifications, each written in the language its recipient prefers."""

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from samenspel.accounts.models import User


def notify(
    recipients: Iterable[User],
    *,
    subject: Callable[[], str],
    template: str,
    context: dict[str, Any],
) -> int:
    """Send one email per recipient; `subject` is called inside the recipient's language."""
    sent = 0
    for user in recipients:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            body = render_to_string(template, {**context, "recipient": user})
            sent += send_mail(subject(), body, None, [user.email])
    return sent
