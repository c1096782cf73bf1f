"""allauth adapter: after login, continue in the language the person prefers; account
emails (verification, password reset) go through the task queue like every other email."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation

from samenspel.core.tasks import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", None)
        if language and language != translation.get_language():
            url = translate_url(url, language)
        return url

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the message as allauth does, and queue it instead of sending it here."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = next((str(c) for c, mime in message.alternatives if mime == "text/html"), "")
        plain = str(message.body)
        if message.content_subtype == "html":
            html, plain = plain, ""
        for to in message.to:
            queue_email(
                to=to,
                subject=message.subject,
                body=plain,
                html_body=html,
                from_email=message.from_email or "",
                kind="account",
            )
