"""API of the live workshops, so that other front ends or a kiosk can take part: the
community's workshops (list, make one), joining with a code (answers a participant token),
the state of a workshop and what changed since a revision (304 while nothing did), cards,
votes, the facilitator's controls, and the report. The same services, predicates and
update channel (live.py) as the screens.

A participant sends `Participant-Token: <token>` (from POST /workshops/join); a
facilitator authenticates as everywhere (Bearer token or session)."""

from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader

from samenspel.communities.permissions import get_community_for_user
from samenspel.communities.services import CommunityError
from samenspel.core.api import (
    LOGIN_OPTIONAL,
    LOGIN_REQUIRED,
    CamelSchema,
    Id,
    InputSchema,
    Text,
    anonymous,
    bearer_auth,
    session_auth,
)
from samenspel.core.sites import absolute
from samenspel.workshops import live, permissions, report, services
from samenspel.workshops.models import (
    CARD_MAX_LENGTH,
    NAME_MAX_LENGTH,
    Audience,
    Card,
    Cluster,
    Participant,
    ParticipantSide,
    VotingState,
    Workshop,
    WorkshopStatus,
    WorkshopTemplate,
)

router = Router(tags=["workshops"])


class ParticipantAuth(APIKeyHeader):
    """`Participant-Token: <token>`, as POST /workshops/join answered it."""

    param_name = "Participant-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key:
            return None
        participant = services.participant_by_token(key)
        if participant is None:
            raise AuthenticationError(401, "The participant token is not valid.")
        request.participant = participant  # type: ignore[attr-defined]
        request.user = AnonymousUser()
        return participant


participant_auth = ParticipantAuth()
TAKING_PART = [participant_auth, bearer_auth, session_auth]
# Reads answer everyone (NL API Design Rules): who is not in the workshop hears 404.
READING = [*TAKING_PART, anonymous]


def _anyone(request: HttpRequest) -> Any:
    """Joining needs no login: with a Bearer token or session one joins with one's account."""
    request.user = getattr(request, "user", None) or AnonymousUser()
    return "anyone"


JOIN_AUTH = [bearer_auth, session_auth, _anyone]


class WorkshopOut(CamelSchema):
    id: int
    title: str
    template_name: str
    audience: Audience
    status: WorkshopStatus
    code: str = Field(description="The join code (works while the workshop runs).")
    current_act: int = Field(description="0: the welcome screen; 1…n: the act being played.")
    acts: list[str] = Field(description="The acts' titles, in order.")
    votes_per_participant: int
    is_example: bool
    url: str = Field(description="The facilitator's console.")
    join_url: str


class WorkshopIn(InputSchema):
    title: Text = Field(min_length=1, max_length=200)
    template: Text = Field(
        "komedie", max_length=20, description="'komedie' (built in) or a template's id."
    )
    audience: Audience = Audience.OPEN
    votes_per_participant: int = Field(3, ge=1, le=20, strict=True)
    hold_cards: bool = Field(True, strict=True)


class JoinIn(InputSchema):
    code: Text = Field(min_length=6, max_length=6)
    name: Text = Field("", max_length=NAME_MAX_LENGTH, description="Empty: the account's name.")
    side: ParticipantSide | None = None


class JoinOut(CamelSchema):
    workshop_id: int
    participant_id: int
    name: str
    side: ParticipantSide
    token: str = Field(description="Send it as Participant-Token; it is shown only now.")


class CardOut(CamelSchema):
    id: int
    removed: bool
    side: str | None = None
    text: str | None = None
    prompt: int | None = None
    cluster: int | None = None
    votes: int | None = None
    mine: bool = False
    hidden: bool = False


class ClusterOut(CamelSchema):
    id: int
    removed: bool
    title: str | None = None
    votes: int | None = None


class TimerOut(CamelSchema):
    left: int | None = Field(description="Seconds left; null without a timer.")
    running: bool


class StateOut(CamelSchema):
    revision: int = Field(description="Ask again with since=<revision>.")
    status: WorkshopStatus
    act: int
    revealed: bool
    voting: VotingState
    timer: TimerOut
    participants: int
    card_count: int
    votes_left: int | None = None
    reset: bool = Field(description="True: the cards are the whole act, not changes.")
    cards: list[CardOut]
    clusters: list[ClusterOut]


class ChangesQuery(Schema):
    since: int = Field(0, ge=0, le=2**62, description="The revision the client has.")
    act: int = Field(-1, ge=-1, le=100, description="The act the client shows (-1: any).")


class CardIn(InputSchema):
    text: Text = Field(min_length=1, max_length=CARD_MAX_LENGTH)
    prompt: int | None = Field(None, ge=0, le=20, strict=True)


class VoteIn(InputSchema):
    card_id: Id | None = None
    cluster_id: Id | None = None
    take_back: bool = Field(False, strict=True)


class VotesOut(CamelSchema):
    votes_left: int


class StateIn(InputSchema):
    action: Literal[
        "start",
        "goTo",
        "reveal",
        "hold",
        "startTimer",
        "pauseTimer",
        "resumeTimer",
        "stopTimer",
        "openVoting",
        "closeVoting",
        "end",
    ]
    position: int | None = Field(None, ge=0, le=100, strict=True, description="For goTo.")
    minutes: float | None = Field(None, gt=0, le=240, description="For startTimer.")
    votes: int | None = Field(None, ge=1, le=20, strict=True, description="For openVoting.")
    hold: bool | None = Field(None, strict=True, description="For hold.")


class ReportCardOut(CamelSchema):
    id: int
    side: str
    text: str
    votes: int
    cluster: int | None


class ReportClusterOut(CamelSchema):
    id: int
    title: str
    votes: int
    cards: int


class ReportActOut(CamelSchema):
    position: int
    title: str
    cards: list[ReportCardOut]
    clusters: list[ReportClusterOut]


class HarvestOut(CamelSchema):
    kind: str
    title: str
    url: str


class ReportOut(CamelSchema):
    id: int
    title: str
    participants: int
    acts: list[ReportActOut]
    harvest: list[HarvestOut]


def _workshop(workshop: Workshop) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "id": workshop.pk,
        "title": workshop.title,
        "template_name": workshop.template_name,
        "audience": workshop.audience,
        "status": workshop.status,
        "code": workshop.code,
        "current_act": workshop.current_position,
        "acts": [act.title for act in workshop.acts.all()],
        "votes_per_participant": workshop.votes_per_participant,
        "is_example": workshop.is_example,
        "url": absolute(workshop.get_absolute_url()),
        "join_url": absolute(reverse("play", args=[workshop.code])),
    }


def _members_community(request: HttpRequest, slug: str) -> Any:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_see_workshops(request.user, community):
        raise Http404("Not a member.")
    return community


@router.get(
    "/communities/{slug}/workshops",
    response=list[WorkshopOut],
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="The community's workshops (members), the newest first",
)
def list_workshops(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = _members_community(request, slug)
    found = Workshop.objects.filter(community=community).prefetch_related("acts")[:200]
    for workshop in found:
        workshop.community = community
    return [_workshop(workshop) for workshop in found]


@router.post(
    "/communities/{slug}/workshops",
    response={201: WorkshopOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Make a workshop from a template; you facilitate it",
)
def make_workshop(request: HttpRequest, slug: str, payload: WorkshopIn):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    template: WorkshopTemplate | str = payload.template
    if payload.template.isdigit():
        found = WorkshopTemplate.objects.filter(
            community=community, pk=int(payload.template)
        ).first()
        template = found if found is not None else payload.template
    workshop = services.create_workshop(
        actor=request.user,  # type: ignore[arg-type]
        community=community,
        title=payload.title,
        template=template,
        audience=payload.audience,
        votes_per_participant=payload.votes_per_participant,
        hold_cards=payload.hold_cards,
    )
    return Status(201, _workshop(workshop))


@router.post(
    "/workshops/join",
    response={201: JoinOut, 404: None, 410: None, 429: None},
    auth=JOIN_AUTH,
    by_alias=True,
    summary="Join with a code: with your account, or with a name and a side",
)
def join(request: HttpRequest, payload: JoinIn):  # type: ignore[no-untyped-def]
    usage = get_usage(
        request, group="workshop-code", key="ip", rate=settings.WORKSHOP_WRONG_CODES_RATE
    )
    if usage is not None and usage["count"] >= usage["limit"]:
        raise CommunityError(
            _("Too many wrong codes from this address. Wait ten minutes."),
            code="too_many",
            status=429,
        )
    workshop = (
        Workshop.objects.select_related("community").filter(code=payload.code.upper()).first()
    )
    if workshop is None:
        get_usage(
            request,
            group="workshop-code",
            key="ip",
            rate=settings.WORKSHOP_WRONG_CODES_RATE,
            increment=True,
        )
        raise Http404("No such code.")
    participant, token = services.join_workshop(
        workshop=workshop, user=request.user, name=payload.name, side=payload.side or ""
    )
    return Status(
        201,
        {
            "workshop_id": workshop.pk,
            "participant_id": participant.pk,
            "name": participant.name,
            "side": participant.side,
            "token": token,
        },
    )


def _viewer(request: HttpRequest, id: int) -> tuple[Workshop, live.Viewer]:
    """A participant of this workshop (their token), or who may facilitate it."""
    participant: Participant | None = getattr(request, "participant", None)
    if participant is not None:
        if participant.workshop_id != id:
            raise Http404("Not in this workshop.")
        return participant.workshop, live.Viewer(live.PARTICIPANT, participant)
    workshop = Workshop.objects.select_related("community").filter(pk=id).first()
    if workshop is None:
        raise Http404("No such workshop.")
    if permissions.can_facilitate(request.user, workshop):
        return workshop, live.Viewer(live.FACILITATOR)
    found = (
        Participant.objects.filter(workshop=workshop, user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    if found is None:
        raise Http404("Not in this workshop.")
    found.workshop = workshop
    return workshop, live.Viewer(live.PARTICIPANT, found)


@router.get(
    "/workshops/{int:id}",
    response={200: StateOut, 304: None},
    auth=READING,
    by_alias=True,
    summary="The state of a workshop, and what changed since a revision (304: nothing)",
)
def get_state(request: HttpRequest, id: Id, changes: Query[ChangesQuery]):  # type: ignore[no-untyped-def]
    workshop, viewer = _viewer(request, id)
    act = workshop.current_position if changes.act < 0 else changes.act
    tag = live.etag(workshop, viewer)
    if changes.since == workshop.revision and act == workshop.current_position:
        response = HttpResponse(status=304)
        response["ETag"] = tag
        return response
    return live.changes(workshop, viewer, changes.since, act)


@router.get(
    "/workshops/{int:id}/cards",
    response=list[CardOut],
    auth=READING,
    by_alias=True,
    summary="The cards of the act being played that you may see",
)
def list_cards(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    workshop, viewer = _viewer(request, id)
    act = services.current_act(workshop)
    if act is None:
        return []
    return [
        shown
        for card in live.visible_cards(act, viewer)
        if (shown := live.card_state(card, act, viewer)) is not None
    ]


@router.post(
    "/workshops/{int:id}/cards",
    response={201: CardOut, 429: None},
    auth=TAKING_PART,
    by_alias=True,
    summary="Write a card in the act being played (participants)",
)
def write_card(request: HttpRequest, id: Id, payload: CardIn):  # type: ignore[no-untyped-def]
    _found, viewer = _viewer(request, id)
    if viewer.participant is None:
        raise CommunityError(_("Join the workshop to write cards."), code="not_joined")
    card = services.write_card(
        participant=viewer.participant, text=payload.text, prompt=payload.prompt
    )
    return Status(201, live.card_state(card, card.act, viewer))


@router.post(
    "/workshops/{int:id}/votes",
    response={200: VotesOut},
    auth=TAKING_PART,
    by_alias=True,
    summary="Put a vote on a card or a group, or take one back (participants)",
)
def cast_vote(request: HttpRequest, id: Id, payload: VoteIn):  # type: ignore[no-untyped-def]
    workshop, viewer = _viewer(request, id)
    if viewer.participant is None:
        raise CommunityError(_("Join the workshop to vote."), code="not_joined")
    card = Card.objects.filter(workshop=workshop, pk=payload.card_id or 0).first()
    cluster = Cluster.objects.filter(workshop=workshop, pk=payload.cluster_id or 0).first()
    if (payload.card_id and card is None) or (payload.cluster_id and cluster is None):
        raise Http404("No such card or group.")
    if payload.take_back:
        services.take_back_vote(participant=viewer.participant, card=card, cluster=cluster)
    else:
        services.vote(participant=viewer.participant, card=card, cluster=cluster)
    act = services.current_act(viewer.participant.workshop)
    left = services.votes_left(viewer.participant, viewer.participant.workshop, act) if act else 0
    return {"votes_left": left}


def _required(value: Any, name: str) -> Any:
    if value is None:
        raise CommunityError(_("Give %(name)s.") % {"name": name}, code="invalid", status=400)
    return value


@router.post(
    "/workshops/{int:id}/state",
    response={200: StateOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="The facilitator's controls: doors, acts, reveal, timer, voting, end",
)
def change_state(request: HttpRequest, id: Id, payload: StateIn):  # type: ignore[no-untyped-def]
    workshop = Workshop.objects.select_related("community").filter(pk=id).first()
    if workshop is None or not permissions.can_facilitate(request.user, workshop):
        raise Http404("Not a facilitator of this workshop.")
    actor: Any = request.user
    action = payload.action
    if action == "start":
        services.start_workshop(actor=actor, workshop=workshop)
    elif action == "goTo":
        services.go_to_act(
            actor=actor, workshop=workshop, position=_required(payload.position, "position")
        )
    elif action == "reveal":
        services.reveal_cards(actor=actor, workshop=workshop)
    elif action == "hold":
        services.set_hold_cards(
            actor=actor, workshop=workshop, hold=_required(payload.hold, "hold")
        )
    elif action == "startTimer":
        services.start_timer(
            actor=actor, workshop=workshop, minutes=_required(payload.minutes, "minutes")
        )
    elif action == "pauseTimer":
        services.pause_timer(actor=actor, workshop=workshop)
    elif action == "resumeTimer":
        services.resume_timer(actor=actor, workshop=workshop)
    elif action == "stopTimer":
        services.stop_timer(actor=actor, workshop=workshop)
    elif action == "openVoting":
        services.set_voting(
            actor=actor,
            workshop=workshop,
            state=VotingState.OPEN,
            votes_per_participant=payload.votes,
        )
    elif action == "closeVoting":
        services.set_voting(actor=actor, workshop=workshop, state=VotingState.DONE)
    else:
        services.end_workshop(actor=actor, workshop=workshop)
    workshop = Workshop.objects.select_related("community").get(pk=id)
    return live.changes(workshop, live.Viewer(live.FACILITATOR), 0, -1)


@router.get(
    "/workshops/{int:id}/report",
    response=ReportOut,
    auth=READING,
    by_alias=True,
    summary="The report: every card by act (hidden ones left out), groups, votes, harvest",
)
def get_report(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    participant = getattr(request, "participant", None)
    workshop = Workshop.objects.select_related("community").filter(pk=id).first()
    if workshop is None or not permissions.can_see_report(request.user, workshop, participant):
        raise Http404("Cannot see this report.")
    found = report.report(workshop)
    return {
        "id": workshop.pk,
        "title": workshop.title,
        "participants": found["participant_count"],
        "acts": [
            {
                "position": entry.act.position,
                "title": entry.act.title,
                "cards": [
                    {
                        "id": card.pk,
                        "side": card.side,
                        "text": card.text,
                        "votes": card.votes,
                        "cluster": card.cluster_id,
                    }
                    for _side, _label, cards in entry.sides
                    for card in cards
                ],
                "clusters": [
                    {"id": c.pk, "title": c.title, "votes": c.votes, "cards": len(cards)}
                    for c, cards in entry.clusters
                ],
            }
            for entry in found["acts"]
        ],
        "harvest": [
            {"kind": item.kind, "title": item.title, "url": absolute(item.target_url())}
            for item in found["harvest"]
        ],
    }
