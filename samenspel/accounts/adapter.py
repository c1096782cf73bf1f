"""allauth adapter: after login, continue in the language the person prefers."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        url = super().get_login_redirect_url(request)
        user = request.user
        language = getattr(user, "preferred_language", None)
        if language and language != translation.get_language():
            translation.activate(language)
            request.session["_language"] = language
            from django.urls import translate_url

            url = translate_url(url, language)
        return url
