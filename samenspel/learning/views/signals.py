"""Signals: the list, raising one, its page with its events and the moves it can make."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from samenspel.communities.views import _community_context
from samenspel.learning import permissions
from samenspel.learning.models import Signal
from samenspel.learning.stages import MOVES


def _get_signal(request: HttpRequest, slug: str, signal_id: int) -> Signal:
    community = permissions.get_community_for_user(request.user, slug)
    signal = (
        Signal.objects.select_related("community", "last_event", "raised_by", "owner")
        .filter(community=community, pk=signal_id)
        .first()
    )
    if signal is None or not permissions.can_view_signal(request.user, signal):
        raise Http404("No such signal.")
    return signal


def signal_detail(request: HttpRequest, slug: str, signal_id: int) -> HttpResponse:
    signal = _get_signal(request, slug, signal_id)
    moves = [
        stage
        for stage in MOVES.get(signal.stage, set())
        if permissions.can_move(request.user, signal, stage)
    ]
    return render(
        request,
        "learning/signal.html",
        _community_context(
            request,
            signal.community,
            signal=signal,
            events=signal.events.select_related("actor"),
            moves=moves,
            page="signals",
        ),
    )


urlpatterns: list[URLPattern] = [
    path("signals/<int:signal_id>/", signal_detail, name="signal"),
]
