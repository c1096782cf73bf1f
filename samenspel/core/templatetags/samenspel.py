"""Template tags shared by every page."""

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.http import urlencode

register = template.Library()


@register.filter
def markdown(text: str, community: object = None) -> str:
    """Safe Markdown (see samenspel.core.markdown); `|markdown:community` also explains the
    community's agreed terms."""
    from samenspel.core.markdown import render_markdown

    return render_markdown(text, community)


@register.filter
def translated(text: str) -> str:
    """A name stored as its English source text (a default), shown in the reader's language."""
    from django.utils.translation import gettext

    return gettext(text) if text else text


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, str]]:
    """One link per other language, to the same page in that language.

    Visitors go straight to the translated address; a logged-in person goes through the
    switch view, which also remembers the choice for emails and the next login.
    """
    request: HttpRequest = context["request"]
    current = context.get("LANGUAGE_CODE", settings.LANGUAGE_CODE)
    path = request.get_full_path()
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        if request.user.is_authenticated:
            href = reverse("set_language") + "?" + urlencode({"language": code, "next": path})
        else:
            href = translate_url(path, code)
        links.append({"code": code, "href": href, "name": NATIVE_NAMES.get(code, str(name))})
    return links


# Each language is offered in its own name, so a reader finds it whatever the page's language.
NATIVE_NAMES = {"nl": "Nederlands", "en": "English"}


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key) if mapping else None
