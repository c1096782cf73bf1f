"""The screens of a workshop being played, under /w/: joining with a code, the
participant's screen (phone first), the projector, the QR code of the join address, and
the update channel every screen polls (live.py). Participants need no account: a secret
token in a cookie (or the API's Participant-Token header) says who they are."""

import io
import json
from functools import cached_property
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import get_usage

from samenspel.communities.services import CommunityError
from samenspel.core.sites import absolute
from samenspel.workshops import live, permissions, services
from samenspel.workshops.forms import CardForm, CodeForm, JoinForm, VoteForm
from samenspel.workshops.models import (
    Card,
    Cluster,
    Participant,
    ParticipantSide,
    Vote,
    VotingState,
    Workshop,
)

POLL_MILLISECONDS = 1000


COOKIE_PREFIX = "ss_workshop_"


def cookie_name(workshop: Workshop) -> str:
    return f"{COOKIE_PREFIX}{workshop.pk}"


def participant_for(request: HttpRequest, workshop: Workshop) -> Participant | None:
    """Who this is in the workshop: by the token in their cookie, or by their account."""
    found = services.participant_by_token(request.COOKIES.get(cookie_name(workshop), ""))
    if found is not None and found.workshop_id == workshop.pk:
        found.workshop = workshop
        return found
    if request.user.is_authenticated:
        found = Participant.objects.filter(workshop=workshop, user=request.user).first()
        if found is not None:
            found.workshop = workshop
        return found
    return None


def wrong_code_limited(request: HttpRequest, count: bool) -> bool:
    """Guessing codes is slowed: WORKSHOP_WRONG_CODES_RATE wrong codes per address; right
    codes are never counted (a whole room joins from one address)."""
    usage = get_usage(
        request,
        group="workshop-code",
        key="ip",
        rate=settings.WORKSHOP_WRONG_CODES_RATE,
        increment=count,
    )
    return usage is not None and usage["count"] >= usage["limit"] + (1 if count else 0)


def workshop_by_code(code: str) -> Workshop | None:
    return Workshop.objects.select_related("community").filter(code=code.upper()).first()


def join_start(request: HttpRequest) -> HttpResponse:
    """/w/: type the code from the screen."""
    form = CodeForm(request.POST or request.GET or None)
    status = 200
    if form.is_bound and form.is_valid():
        if wrong_code_limited(request, count=False):
            form.add_error(None, _("Too many wrong codes from this address. Wait ten minutes."))
            status = 429
        else:
            workshop = workshop_by_code(form.cleaned_data["code"])
            if workshop is not None and workshop.code_works():
                return redirect("play", code=workshop.code)
            wrong_code_limited(request, count=True)
            form.add_error("code", _("We do not know this code, or it no longer works."))
            status = 404
    return render(request, "workshops/join_code.html", {"form": form}, status=status)


class Board:
    """The cards and groups of the act being played, as one screen shows them: loaded only
    when the board is rendered (a board kept for this revision needs no query)."""

    def __init__(self, act: Any, viewer: live.Viewer) -> None:
        self.act, self.viewer = act, viewer

    @cached_property
    def cards(self) -> list[Card]:
        if self.act is None:
            return []
        cards = list(live.visible_cards(self.act, self.viewer))
        if not self.viewer.sees_hidden:  # a hidden card shows on no screen but the console
            cards = [card for card in cards if not card.hidden]
        return cards

    @cached_property
    def clusters(self) -> list[tuple[Cluster, list[Card]]]:
        if self.act is None:
            return []
        found = Cluster.objects.filter(act=self.act, dissolved=False).order_by("pk")
        return [(c, [card for card in self.cards if card.cluster_id == c.pk]) for c in found]

    @cached_property
    def columns(self) -> list[tuple[str, Any, list[Card]]]:
        shown = [card for card in self.cards if card.cluster_id is None]
        return [
            (side, label, [card for card in shown if card.side == side])
            for side, label in ParticipantSide.choices
        ]


def _screen_context(workshop: Workshop, viewer: live.Viewer) -> dict[str, Any]:
    """What every screen shows of the act being played."""
    act = services.current_act(workshop)
    board = Board(act, viewer)
    held = act is not None and not act.revealed and viewer.participant is not None
    return {
        "workshop": workshop,
        "community": workshop.community,
        "act": act,
        "acts": list(workshop.acts.all()),
        "columns": lambda: board.columns,
        "clusters": lambda: board.clusters,
        # Whose board this is: every screen of one kind shares it, but held cards are one's own.
        "board_reader": f"p{viewer.participant.pk}" if held and viewer.participant else "all",
        "participant_count": workshop.participants.count(),
        "card_count": act.cards.filter(hidden=False).count() if act else 0,
        "viewer": viewer,
        "live": {
            "changes": reverse("workshop_changes", args=[workshop.code]),
            "revision": workshop.revision,
            "act": workshop.current_position,
            "status": workshop.status,
            "voting": act.voting if act else "closed",
            "revealed": bool(act and act.revealed),
            "role": viewer.kind,
            "workshop": workshop.pk,
            "sides": {side: str(label) for side, label in ParticipantSide.choices},
            "poll": POLL_MILLISECONDS,
            "timerLeft": workshop.timer_left(),
            "timerRunning": workshop.timer_ends_at is not None
            and workshop.timer_paused_left is None,
        },
        "join_url": absolute(reverse("join_workshop")),
    }


def screen_context(workshop: Workshop, viewer: live.Viewer) -> dict[str, Any]:
    context = _screen_context(workshop, viewer)
    context["live_json"] = json.dumps(context["live"])
    return context


def play(request: HttpRequest, code: str) -> HttpResponse:
    """/w/<code>/: the participant's screen, or the form to join."""
    workshop = workshop_by_code(code)
    if workshop is None:
        limited = wrong_code_limited(request, count=True)
        return render(
            request,
            "workshops/join_code.html",
            {"form": CodeForm(), "unknown": True},
            status=429 if limited else 404,
        )
    participant = participant_for(request, workshop)
    if participant is not None:
        return _participant_screen(request, workshop, participant)
    if not workshop.code_works():
        return render(request, "workshops/ended.html", {"workshop": workshop}, status=410)
    if not permissions.can_join(request.user, workshop):
        return render(request, "workshops/members_only.html", {"workshop": workshop}, status=403)
    initial = {}
    if request.user.is_authenticated:
        initial = {
            "name": request.user.name,
            "side": services.side_of_member(request.user, workshop.community),
        }
    form = JoinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            participant, token = services.join_workshop(
                workshop=workshop,
                user=request.user,
                name=form.cleaned_data["name"],
                side=form.cleaned_data["side"],
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            response = redirect("play", code=workshop.code)
            response.set_cookie(
                cookie_name(workshop),
                token,
                max_age=int(settings.WORKSHOP_CODE_VALID.total_seconds()) * 30,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
            return response
    return render(request, "workshops/join.html", {"workshop": workshop, "form": form})


def _participant_screen(
    request: HttpRequest, workshop: Workshop, participant: Participant
) -> HttpResponse:
    viewer = live.Viewer(live.PARTICIPANT, participant)
    context = screen_context(workshop, viewer)
    act = context["act"]
    my_votes: dict[str, int] = {}
    if act is not None and act.voting == VotingState.OPEN:
        for row in (
            Vote.objects.filter(participant=participant, act=act)
            .values("card_id", "cluster_id")
            .annotate(n=Count("pk"))
        ):
            key = f"card-{row['card_id']}" if row["card_id"] else f"cluster-{row['cluster_id']}"
            my_votes[key] = row["n"]
    context.update(
        participant=participant,
        prompts=act.prompts_for(participant.side) if act else [],
        form=CardForm(),
        votes_left=services.votes_left(participant, workshop, act) if act else 0,
        can_see_report=True,
    )
    # The board is shared by every participant: the script marks one's own cards and votes.
    context["live"].update(
        votesLeft=context["votes_left"],
        myVotes=my_votes,
        mine=list(
            Card.objects.filter(act=act, participant=participant).values_list("pk", flat=True)
        )
        if act
        else [],
    )
    context["live_json"] = json.dumps(context["live"])
    return render(request, "workshops/participant.html", context)


def _participant_or_403(request: HttpRequest, code: str) -> tuple[Workshop, Participant]:
    workshop = workshop_by_code(code)
    if workshop is None:
        raise Http404("No such workshop.")
    participant = participant_for(request, workshop)
    if participant is None:
        raise Http404("Not a participant.")
    return workshop, participant


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _answer(
    request: HttpRequest, workshop: Workshop, error: str | None, status: int, body: dict
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": error} if error else body, status=status if error else 200)
    if error:
        messages.error(request, error)
    return redirect("play", code=workshop.code)


@require_POST
def write(request: HttpRequest, code: str) -> HttpResponse:
    """A participant's card (fetch from the screen, or a plain form without JavaScript)."""
    workshop, participant = _participant_or_403(request, code)
    form = CardForm(request.POST)
    if not form.is_valid():
        return _answer(
            request, workshop, _("Write something on the card (at most 280 characters)."), 400, {}
        )
    try:
        card = services.write_card(
            participant=participant,
            text=form.cleaned_data["text"],
            prompt=form.cleaned_data["prompt"],
        )
    except CommunityError as error:
        return _answer(request, workshop, error.message, error.status, {})
    act = card.act
    return _answer(
        request,
        workshop,
        None,
        200,
        live.card_state(card, act, live.Viewer(live.PARTICIPANT, participant)) or {},
    )


@require_POST
def cast_vote(request: HttpRequest, code: str) -> HttpResponse:
    workshop, participant = _participant_or_403(request, code)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _answer(request, workshop, _("Vote on a card or on a group."), 400, {})
    data = form.cleaned_data
    card_id = data["card"] or data["take_back_card"]
    cluster_id = data["cluster"] or data["take_back_cluster"]
    card = Card.objects.filter(workshop=workshop, pk=card_id).first() if card_id else None
    cluster = (
        Cluster.objects.filter(workshop=workshop, pk=cluster_id).first() if cluster_id else None
    )
    try:
        if data["take_back"] or data["take_back_card"] or data["take_back_cluster"]:
            services.take_back_vote(participant=participant, card=card, cluster=cluster)
        else:
            services.vote(participant=participant, card=card, cluster=cluster)
    except CommunityError as error:
        return _answer(request, workshop, error.message, error.status, {})
    act = services.current_act(participant.workshop)
    left = services.votes_left(participant, participant.workshop, act) if act else 0
    return _answer(request, workshop, None, 200, {"votesLeft": left})


def screen(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """The projector: large type, no login (the address holds a secret key, which only the
    facilitators see)."""
    workshop = workshop_by_code(code)
    if workshop is None or not services.same_secret(key, workshop.screen_key):
        raise Http404("No such screen.")
    context = screen_context(workshop, live.Viewer(live.SCREEN))
    context["screen_key"] = key
    context["live"]["key"] = key
    context["live_json"] = json.dumps(context["live"])
    return render(request, "workshops/projector.html", context)


@require_GET
def qr_code(request: HttpRequest, code: str) -> HttpResponse:
    """The join address with the code, as an SVG QR code (made here, by segno)."""
    workshop = workshop_by_code(code)
    if workshop is None or not workshop.code_works():
        raise Http404("No such workshop.")
    buffer = io.BytesIO()
    address = absolute(reverse("play", args=[workshop.code]))
    segno.make(address, error="m").save(
        buffer, kind="svg", scale=8, border=2, title=_("QR code to join the workshop")
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _viewer_for_changes(request: HttpRequest, code: str) -> tuple[Workshop, live.Viewer]:
    """Who asks: the projector (its key), a participant (their token), or a facilitator (their
    session). One query for the first two."""
    key = request.GET.get("key", "")
    token = request.COOKIES.get(f"{COOKIE_PREFIX}{request.GET.get('w', '')}", "")
    if key:
        workshop = Workshop.objects.filter(code=code).first()
        if workshop is not None and services.same_secret(key, workshop.screen_key):
            return workshop, live.Viewer(live.SCREEN)
        raise Http404("No such screen.")
    participant = services.participant_by_token(token) if token else None
    if participant is not None and participant.workshop.code == code:
        return participant.workshop, live.Viewer(live.PARTICIPANT, participant)
    workshop = workshop_by_code(code)
    if workshop is None:
        raise Http404("No such workshop.")
    if permissions.can_facilitate(request.user, workshop):
        return workshop, live.Viewer(live.FACILITATOR)
    participant = participant_for(request, workshop)
    if participant is not None:
        return workshop, live.Viewer(live.PARTICIPANT, participant)
    raise Http404("Not in this workshop.")


def _number(request: HttpRequest, name: str) -> int:
    try:
        return max(0, int(request.GET.get(name, "0")))
    except ValueError:
        return 0


@require_GET
def changes(request: HttpRequest, code: str) -> HttpResponse:
    """/w/<code>/changes?w=<id>&since=R&act=N: 304 while nothing changed after revision R;
    else what changed, as JSON."""
    try:
        workshop, viewer = _viewer_for_changes(request, code)
    except Http404:
        return JsonResponse({"detail": _("You are not in this workshop.")}, status=404)
    since, act = _number(request, "since"), _number(request, "act")
    tag = live.etag(workshop, viewer)
    unchanged = since == workshop.revision and act == workshop.current_position
    if unchanged or (request.headers.get("If-None-Match") == tag and "since" not in request.GET):
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(live.camel(live.changes(workshop, viewer, since, act)))
    response["ETag"] = tag
    response["Cache-Control"] = "no-cache, private"
    return response
