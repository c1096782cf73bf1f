"""Similar signals while someone writes one: an htmx partial under the signal form."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.html import format_html
from django.utils.translation import gettext as _

from samenspel.learning import permissions
from samenspel.learning.similar import similar_signals, too_many_requests

MAX_TEXT = 2000


def similar_signals_view(request: HttpRequest, slug: str) -> HttpResponse:
    """GET ?text=… (title and what happened so far): a short list of similar signals."""
    community = permissions.get_community_for_user(request.user, slug)
    if too_many_requests(request):
        response = HttpResponse(
            format_html(
                '<p class="utrecht-paragraph" role="status">{}</p>',
                _("Too many searches for similar signals. Wait a minute, then type on."),
            ),
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    text = request.GET.get("text", "")[:MAX_TEXT]
    if not text.strip():
        text = " ".join([request.GET.get("title", ""), request.GET.get("what_happened", "")])
    signals = similar_signals(community, text[:MAX_TEXT])
    return render(
        request,
        "learning/similar/_list.html",
        {"community": community, "signals": signals},
    )


urlpatterns: list[URLPattern] = [
    path("signals/similar/", similar_signals_view, name="similar_signals"),
]
