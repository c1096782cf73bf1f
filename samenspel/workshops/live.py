"""What changed in a workshop since revision R, for one screen: the update channel.

Every screen (participant, projector, facilitator) asks about once a second "anything
after revision R?". The answer is 304 from one indexed query while nothing changed;
otherwise the act being played and the cards and groups stamped after R, as this viewer
may see them. Nothing lives in one process's memory, so any app server answers.

Who sees what: a card's text reaches a participant or the projector only when it is not
hidden and its act is revealed (a participant always sees their own cards); a hidden card
reaches them as {"id", "removed": true}. The facilitator sees everything, marked."""

from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db.models import Q
from pydantic.alias_generators import to_camel

from samenspel.workshops.models import (
    Card,
    Cluster,
    Participant,
    VotingState,
    Workshop,
    WorkshopAct,
)
from samenspel.workshops.services import current_act, votes_left

PARTICIPANT, SCREEN, FACILITATOR = "participant", "screen", "facilitator"
KEPT_SECONDS = 600


@dataclass
class Viewer:
    kind: str
    participant: Participant | None = None

    @property
    def sees_hidden(self) -> bool:
        return self.kind == FACILITATOR


def etag(workshop: Workshop, viewer: Viewer) -> str:
    return f'"w{workshop.pk}-r{workshop.revision}-{viewer.kind[0]}"'


def card_state(card: Card, act: WorkshopAct, viewer: Viewer) -> dict[str, Any] | None:
    """The card as this viewer may see it; None when it never was and is not visible."""
    mine = viewer.participant is not None and card.participant_id == viewer.participant.pk
    if viewer.sees_hidden or (not card.hidden and (act.revealed or mine)):
        return {
            "id": card.pk,
            "side": card.side,
            "text": card.text,
            "prompt": card.prompt,
            "cluster": card.cluster_id,
            "votes": card.votes,
            "mine": mine,
            "hidden": card.hidden,
            "removed": False,
        }
    if card.hidden or act.revealed:
        return {"id": card.pk, "removed": True, "mine": mine, "hidden": card.hidden and mine}
    return None


def cluster_state(cluster: Cluster) -> dict[str, Any]:
    if cluster.dissolved:
        return {"id": cluster.pk, "removed": True}
    return {"id": cluster.pk, "title": cluster.title, "votes": cluster.votes, "removed": False}


def visible_cards(act: WorkshopAct, viewer: Viewer) -> "Any":
    """The cards of an act this viewer sees (for the first render of a screen)."""
    cards = Card.objects.filter(act=act).order_by("pk")
    if viewer.sees_hidden:
        return cards
    mine = Q(participant=viewer.participant) if viewer.participant is not None else Q(pk=None)
    if act.revealed:
        return cards.filter(Q(hidden=False) | mine)
    return cards.filter(mine)


@dataclass
class Revision:
    """What every reader of a workshop at one revision shares: the act being played and
    the counts on the screens. Kept per revision in each process (the "versioned" cache):
    a new revision is a new key, so it is never stale, and 150 screens asking about the
    same revision load it once. Loaded after the revision was read, so it is never older
    than its key (a little newer at worst: the next poll repeats what it holds)."""

    act: WorkshopAct | None
    participants: int
    card_count: int


def at_revision(workshop: Workshop) -> Revision:
    key = f"workshop-revision:{workshop.pk}:{workshop.code}:{workshop.revision}"
    found = caches["versioned"].get(key)
    if not isinstance(found, Revision):
        act = current_act(workshop)
        found = Revision(
            act=act,
            participants=workshop.participants.count(),
            card_count=act.cards.filter(hidden=False).count() if act else 0,
        )
        caches["versioned"].set(key, found, KEPT_SECONDS)
    return found


def header(workshop: Workshop, shared: Revision, viewer: Viewer) -> dict[str, Any]:
    act = shared.act
    state: dict[str, Any] = {
        "revision": workshop.revision,
        "status": workshop.status,
        "act": workshop.current_position,
        "revealed": bool(act and act.revealed),
        "voting": act.voting if act else "closed",
        "timer": {
            "left": workshop.timer_left(),
            "running": workshop.timer_ends_at is not None and workshop.timer_paused_left is None,
        },
        "participants": shared.participants,
        "card_count": shared.card_count,
    }
    if viewer.participant is not None and act is not None and act.voting == VotingState.OPEN:
        state["votes_left"] = votes_left(viewer.participant, workshop, act)
    return state


def camel(state: dict[str, Any]) -> dict[str, Any]:
    """The top-level keys in lowerCamelCase, as the API writes them (cardCount, votesLeft)."""
    return {to_camel(key): value for key, value in state.items()}


def changes(workshop: Workshop, viewer: Viewer, since: int, act_position: int) -> dict[str, Any]:
    """The header, and the cards and groups of the act being played changed after `since`
    (all of them when the viewer's screen shows another act: `reset`)."""
    shared = at_revision(workshop)
    act = shared.act
    reset = act_position != workshop.current_position
    if reset:
        since = 0
    state = header(workshop, shared, viewer)
    state["reset"] = reset
    state["cards"], state["clusters"] = [], []
    if act is not None:
        for card in Card.objects.filter(workshop=workshop, revision__gt=since, act=act).order_by(
            "pk"
        ):
            shown = card_state(card, act, viewer)
            if shown is not None:
                state["cards"].append(shown)
        state["clusters"] = [
            cluster_state(cluster)
            for cluster in Cluster.objects.filter(
                workshop=workshop, revision__gt=since, act=act
            ).order_by("pk")
        ]
    return state
