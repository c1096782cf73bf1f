"""Pages of the group's practice, one module per part: sessions, ground rules, learning
questions and lessons, peer consultation, the glossary and the group's health."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samenspel.communities.models import Community
from samenspel.communities.views import _community_context


def form_page(
    request: HttpRequest,
    community: Community,
    form: object,
    *,
    title: str,
    back_url: str,
    intro: str = "",
    submit_label: str = "",
) -> HttpResponse:
    """A page with one form of the group's practice (core/form_page.html)."""
    return render(
        request,
        "core/form_page.html",
        _community_context(
            request,
            community,
            page="sessions",
            form=form,
            title=title,
            intro=intro,
            submit_label=submit_label,
            back_url=back_url,
        ),
    )
