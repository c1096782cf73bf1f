"""Sections that apps above add to a page of an app below, so that no app imports one above
it (as the activity feed's sources do): the initiative's page, say, shows the visits the
group's practice plans to it. An app registers a function for a page in its
AppConfig.ready(); the page's view renders what the functions give, in order.

A section function takes the request and the page's object and returns the template and
its context, or None when it has nothing for this reader."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

Section = Callable[[HttpRequest, Any], tuple[str, dict[str, Any]] | None]

_sections: dict[str, list[Section]] = {}


def register(page: str, section: Section) -> None:
    _sections.setdefault(page, []).append(section)


def render_sections(page: str, request: HttpRequest, obj: Any) -> list[SafeString]:
    """The rendered sections of `page` for this reader."""
    rendered = []
    for section in _sections.get(page, []):
        found = section(request, obj)
        if found is not None:
            template, context = found
            rendered.append(mark_safe(render_to_string(template, context, request=request)))  # noqa: S308
    return rendered
