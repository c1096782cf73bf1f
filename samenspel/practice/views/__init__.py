"""Pages of the group's practice, one module per part: sessions, ground rules, learning
questions and lessons, peer consultation, visits to initiatives, the glossary and the
group's health."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
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


def small_form(
    request: HttpRequest,
    target: Any,
    done: str,
    action: Callable[[dict[str, Any]], object],
    form: Any = None,
) -> HttpResponse:
    """A small form on a page (a session's, a visit's): parse it (if any), call the service
    with what it parsed; a problem with the form or a refusal of the service shows on the
    page of `target`, where the reader returns."""
    if form is not None and not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
                for name, errors in form.errors.items()
                for error in errors
            ),
        )
        return redirect(target.get_absolute_url())
    try:
        action(form.cleaned_data if form is not None else {})
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(target.get_absolute_url())
