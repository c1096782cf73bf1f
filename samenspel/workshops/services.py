"""Writes of the workshops: templates (copy the Komedie, write one anew, edit acts), making
a workshop, joining it, writing cards and voting (participants), and the facilitator's
controls — start, go to an act, the timer, hold and reveal, hide a card, group cards,
voting, end, remove; and the harvest, which hands cards to the loop, the practice and the
accord through their own services. Each checks its own permission predicate.

Every live write locks the workshop's row, raises its revision and stamps what it changed
with the new revision, in one transaction: a reader who sees revision R sees every change
up to R (workshops/live.py)."""

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Side
from samenspel.communities.permissions import AnyUser, get_membership
from samenspel.communities.services import CommunityError
from samenspel.communities.versions import content_changed
from samenspel.core.notifications import notify
from samenspel.learning.services import not_allowed
from samenspel.workshops import permissions
from samenspel.workshops.komedie import BUILT_IN
from samenspel.workshops.models import (
    CARD_MAX_LENGTH,
    NAME_MAX_LENGTH,
    Card,
    Cluster,
    Participant,
    ParticipantSide,
    PromptSide,
    TemplateAct,
    Vote,
    VotingState,
    Workshop,
    WorkshopAct,
    WorkshopStatus,
    WorkshopTemplate,
    new_code,
)

MAX_ACTS = 12
ACT_FIELDS = ("title", "story", "instructions", "minutes", "prompts")
MAX_PROMPTS = 6
MAX_VOTES = 20


def invalid(message: str, code: str) -> CommunityError:
    return CommunityError(message, code=code, status=400)


def same_secret(given: str, kept: str) -> bool:
    return hmac.compare_digest(given.encode(), kept.encode())


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Templates -----------------------------------------------------------------------------


def _clean_prompts(prompts: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for prompt in prompts:
        text = str(prompt.get("text", "")).strip()
        side = str(prompt.get("side", ""))
        if not text:
            continue
        if side not in PromptSide.values:
            raise invalid(_("Choose whom the question is for."), "invalid_side")
        if len(text) > 300:
            raise invalid(_("A question has at most 300 characters."), "prompt_too_long")
        cleaned.append({"side": side, "text": text})
    if len(cleaned) > MAX_PROMPTS:
        raise invalid(_("An act has at most %(n)d questions.") % {"n": MAX_PROMPTS}, "prompts")
    return cleaned


def latest_change(obj: WorkshopTemplate | TemplateAct) -> int | None:
    """The id of the newest history record: what an edit form says it was based on."""
    return obj.history.order_by("-history_id").values_list("history_id", flat=True).first()  # type: ignore[attr-defined]


def _unchanged_since(obj: WorkshopTemplate | TemplateAct, based_on: int | None) -> None:
    """Two people editing the same template never silently overwrite each other."""
    if based_on is not None and latest_change(obj) != based_on:
        raise CommunityError(
            _(
                "Someone changed this while you were editing. Your changes have not been "
                "saved. Reload the page to see the newest version, then make your changes again."
            ),
            code="edit_conflict",
        )


def _check_act(title: str, minutes: int) -> None:
    if not title.strip():
        raise invalid(_("Give the act a title."), "title_required")
    if not 1 <= minutes <= 240:
        raise invalid(_("Choose between 1 and 240 minutes."), "invalid_minutes")


@transaction.atomic
def create_template(
    *,
    actor: User,
    community: Community,
    name: str,
    description: str = "",
    copy_of: WorkshopTemplate | str | None = None,
    is_example: bool = False,
) -> WorkshopTemplate:
    """A new template for the community: blank, or a copy of the built-in Komedie (its key)
    or of one of the community's own templates."""
    if not permissions.can_make_workshop(actor, community):
        raise not_allowed(_("Only members who contribute make workshop templates."))
    if not name.strip():
        raise invalid(_("Give the template a name."), "name_required")
    acts: list[dict[str, Any]] = []
    if isinstance(copy_of, str):
        if copy_of not in BUILT_IN:
            raise invalid(_("Choose a template to copy."), "unknown_template")
        acts = BUILT_IN[copy_of]["acts"]
        description = description or BUILT_IN[copy_of]["description"]
    elif copy_of is not None:
        if copy_of.community_id != community.pk:
            raise invalid(_("This template belongs to another community."), "other_community")
        acts = [dict(act) for act in copy_of.acts.values(*ACT_FIELDS)]
        description = description or copy_of.description
    template = WorkshopTemplate.objects.create(
        community=community,
        name=name.strip(),
        description=description.strip(),
        created_by=actor,
        is_example=is_example,
    )
    for position, act in enumerate(acts, start=1):
        TemplateAct.objects.create(
            template=template,
            position=position,
            title=act["title"],
            story=act["story"],
            instructions=act["instructions"],
            minutes=act["minutes"],
            prompts=list(act["prompts"]),
        )
    return template


@transaction.atomic
def update_template(
    *,
    actor: User,
    template: WorkshopTemplate,
    name: str,
    description: str,
    based_on: int | None = None,
) -> WorkshopTemplate:
    if not permissions.can_edit_template(actor, template):
        raise not_allowed(_("Only who wrote the template or a steward changes it."))
    _unchanged_since(template, based_on)
    if not name.strip():
        raise invalid(_("Give the template a name."), "name_required")
    template.name = name.strip()
    template.description = description.strip()
    template.save()
    return template


@transaction.atomic
def save_act(
    *,
    actor: User,
    template: WorkshopTemplate,
    act: TemplateAct | None,
    title: str,
    story: str = "",
    instructions: str = "",
    minutes: int = 15,
    prompts: Sequence[dict[str, str]] = (),
    based_on: int | None = None,
) -> TemplateAct:
    """Add an act at the end (act None) or change one (`based_on`: the history record the
    editor saw; a change saved since is not overwritten)."""
    if not permissions.can_edit_template(actor, template):
        raise not_allowed(_("Only who wrote the template or a steward changes it."))
    if act is not None:
        _unchanged_since(act, based_on)
    _check_act(title, minutes)
    cleaned = _clean_prompts(prompts)
    if act is None:
        count = template.acts.count()
        if count >= MAX_ACTS:
            raise invalid(_("A template has at most %(n)d acts.") % {"n": MAX_ACTS}, "acts")
        act = TemplateAct(template=template, position=count + 1)
    elif act.template_id != template.pk:
        raise invalid(_("This act belongs to another template."), "other_template")
    act.title = title.strip()
    act.story = story.strip()
    act.instructions = instructions.strip()
    act.minutes = minutes
    act.prompts = cleaned
    act.save()
    return act


def _renumber(template: WorkshopTemplate, acts: list[TemplateAct]) -> None:
    for position, act in enumerate(acts, start=1):
        if act.position != position:
            act.position = position
            act.save(update_fields=["position"])


@transaction.atomic
def move_act(*, actor: User, act: TemplateAct, step: int) -> None:
    """One place earlier (step -1) or later (+1)."""
    template = act.template
    if not permissions.can_edit_template(actor, template):
        raise not_allowed(_("Only who wrote the template or a steward changes it."))
    acts = list(template.acts.select_for_update())
    index = next(i for i, found in enumerate(acts) if found.pk == act.pk)
    other = index + (1 if step > 0 else -1)
    if 0 <= other < len(acts):
        acts[index], acts[other] = acts[other], acts[index]
    _renumber(template, acts)


@transaction.atomic
def remove_act(*, actor: User, act: TemplateAct) -> None:
    template = act.template
    if not permissions.can_edit_template(actor, template):
        raise not_allowed(_("Only who wrote the template or a steward changes it."))
    act.delete()
    _renumber(template, list(template.acts.all()))


@transaction.atomic
def archive_template(*, actor: User, template: WorkshopTemplate) -> None:
    """Out of the list for new workshops; workshops made from it keep their acts."""
    if not permissions.can_edit_template(actor, template):
        raise not_allowed(_("Only who wrote the template or a steward changes it."))
    template.archived_at = timezone.now()
    template.save()


# Making and removing a workshop ---------------------------------------------------------


def _unique_code() -> str:
    for _attempt in range(20):
        code = new_code()
        if not Workshop.objects.filter(code=code).exists():
            return code
    raise CommunityError(_("No free code was found. Try again."), code="no_code", status=503)


@transaction.atomic
def create_workshop(
    *,
    actor: User,
    community: Community,
    title: str,
    template: WorkshopTemplate | str,
    audience: str,
    votes_per_participant: int = 3,
    hold_cards: bool = True,
    is_example: bool = False,
) -> Workshop:
    """A workshop from a template (the built-in Komedie's key, or one of the community's own);
    its acts are copied, so changing the template later leaves it alone. Who makes it
    facilitates it."""
    if not permissions.can_make_workshop(actor, community):
        raise not_allowed(_("Only members who contribute make a workshop."))
    if not title.strip():
        raise invalid(_("Give the workshop a title."), "title_required")
    if not 1 <= votes_per_participant <= MAX_VOTES:
        raise invalid(_("Choose between 1 and 20 votes."), "invalid_votes")
    if isinstance(template, str):
        if template not in BUILT_IN:
            raise invalid(_("Choose a template."), "unknown_template")
        acts: list[dict[str, Any]] = BUILT_IN[template]["acts"]
        template_name = BUILT_IN[template]["name"]
    else:
        if template.community_id != community.pk or template.archived_at is not None:
            raise invalid(_("Choose a template of this community."), "unknown_template")
        acts = [dict(act) for act in template.acts.values(*ACT_FIELDS)]
        template_name = template.name
    if not acts:
        raise invalid(_("This template has no acts yet."), "no_acts")
    from samenspel.workshops.models import Audience

    if audience not in Audience.values:
        raise invalid(_("Choose who may join."), "invalid_audience")
    workshop = Workshop.objects.create(
        community=community,
        title=title.strip(),
        template_name=template_name,
        audience=audience,
        code=_unique_code(),
        facilitator=actor,
        votes_per_participant=votes_per_participant,
        hold_cards=hold_cards,
        is_example=is_example,
    )
    content_changed(community.pk)  # the community's home lists workshops to come
    WorkshopAct.objects.bulk_create(
        WorkshopAct(
            workshop=workshop,
            position=position,
            title=act["title"],
            story=act["story"],
            instructions=act["instructions"],
            minutes=act["minutes"],
            prompts=list(act["prompts"]),
        )
        for position, act in enumerate(acts, start=1)
    )
    return workshop


@transaction.atomic
def remove_workshop(*, actor: User, workshop: Workshop) -> None:
    """Remove the workshop with everything in it: its cards, votes and the names of who took
    part. What was harvested stays where it went (a signal, a question…)."""
    if not permissions.can_facilitate(actor, workshop):
        raise not_allowed(_("Only the facilitator or a steward removes a workshop."))
    content_changed(workshop.community_id)
    workshop.delete()


# Joining -----------------------------------------------------------------------------


def side_of_member(user: AnyUser, community: Community) -> str:
    membership = get_membership(user, community)
    if membership is not None and membership.side in (Side.GEMEENTE, Side.INITIATIEF):
        return str(membership.side)
    return ParticipantSide.ANDERS


@transaction.atomic
def join_workshop(
    *, workshop: Workshop, user: AnyUser, name: str = "", side: str = ""
) -> tuple[Participant, str]:
    """Take part: with one's account (the name is the account's), or with a name and a side
    only. Answers the participant and a new secret token (only its digest is kept); with an
    account, joining again gives the same participant a new token."""
    if not permissions.can_join(user, workshop):
        if not workshop.code_works():
            raise CommunityError(_("This code no longer works."), code="code_expired", status=410)
        raise not_allowed(_("This workshop is for members of the community: log in first."))
    side = side or (side_of_member(user, workshop.community) if user.is_authenticated else "")
    if side not in ParticipantSide.values:
        raise invalid(_("Choose where you stand: municipality, initiative or other."), "side")
    name = " ".join(name.split())
    if user.is_authenticated:
        name = name or user.name
    if not name:
        raise invalid(_("Write the name others may see."), "name_required")
    if len(name) > NAME_MAX_LENGTH or "\x00" in name:
        raise invalid(
            _("A name has at most %(n)d characters.") % {"n": NAME_MAX_LENGTH}, "name_too_long"
        )
    token = secrets.token_urlsafe(24)
    if user.is_authenticated:
        found = Participant.objects.filter(workshop=workshop, user=user).first()
        if found is not None:
            found.token_digest = digest(token)
            found.name, found.side = name, side
            found.save(update_fields=["token_digest", "name", "side"])
            _bump(workshop)
            return found, token
    participant = Participant.objects.create(
        workshop=workshop,
        user=user if user.is_authenticated else None,
        name=name,
        side=side,
        token_digest=digest(token),
    )
    _bump(workshop)
    return participant, token


def participant_by_token(token: str) -> Participant | None:
    if not token or len(token) > 100:
        return None
    return Participant.objects.select_related("workshop").filter(token_digest=digest(token)).first()


# Live state -----------------------------------------------------------------------------


def _locked(workshop: Workshop) -> Workshop:
    """The workshop's row, locked until the end of the transaction (one writer at a time per
    workshop: revisions are handed out in order)."""
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    locked.community = workshop.community
    return locked


def _bump(workshop: Workshop) -> int:
    """Raise the workshop's revision; the caller stamps its changes with the new one."""
    locked = _locked(workshop)
    locked.revision += 1
    Workshop.objects.filter(pk=locked.pk).update(revision=locked.revision)
    workshop.revision = locked.revision
    return locked.revision


def touch(workshop: Workshop) -> None:
    """Something of the workshop changed that its screens and report show."""
    _bump(workshop)


def current_act(workshop: Workshop) -> WorkshopAct | None:
    if workshop.current_position == 0:
        return None
    return WorkshopAct.objects.filter(workshop=workshop, position=workshop.current_position).first()


def _check_card_text(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise invalid(_("Write something on the card."), "text_required")
    if len(text) > CARD_MAX_LENGTH:
        raise invalid(
            _("A card has at most %(n)d characters.") % {"n": CARD_MAX_LENGTH}, "text_too_long"
        )
    if "\x00" in text:
        raise invalid(_("The text holds a character that is not allowed."), "text_invalid")
    return text


@transaction.atomic
def write_card(*, participant: Participant, text: str, prompt: int | None = None) -> Card:
    """A card in the act being played. A participant writes at most WORKSHOP_CARDS_PER_MINUTE
    cards a minute; the text is plain (shown escaped everywhere)."""
    workshop = _locked(participant.workshop)
    if not permissions.can_write_card(participant, workshop):
        raise CommunityError(
            _("You can write cards while an act is being played."), code="not_playing"
        )
    text = _check_card_text(text)
    act = current_act(workshop)
    assert act is not None
    if prompt is not None and not 0 <= prompt < len(act.prompts):
        raise invalid(_("Choose one of the act's questions."), "invalid_prompt")
    since = timezone.now() - timedelta(minutes=1)
    recent = Card.objects.filter(participant=participant, created_at__gte=since).count()
    if recent >= settings.WORKSHOP_CARDS_PER_MINUTE:
        raise CommunityError(
            _("You are writing fast: wait a moment before the next card."),
            code="too_many_cards",
            status=429,
        )
    revision = _save(workshop).revision
    return Card.objects.create(
        workshop=workshop,
        act=act,
        participant=participant,
        side=participant.side,
        prompt=prompt,
        text=text,
        revision=revision,
    )


def _facilitating(actor: User, workshop: Workshop) -> Workshop:
    if not permissions.can_facilitate(actor, workshop):
        raise not_allowed(_("Only the facilitator or a steward leads the workshop."))
    return _locked(workshop)


def _clear_timer(workshop: Workshop) -> None:
    workshop.timer_ends_at = None
    workshop.timer_paused_left = None


def _save(workshop: Workshop, *fields: str) -> Workshop:
    workshop.revision += 1
    workshop.save(update_fields=[*fields, "revision"])
    return workshop


def _enter_act(workshop: Workshop, position: int) -> None:
    """Leave the act being played (its voting closes) and go to another one."""
    WorkshopAct.objects.filter(workshop=workshop, voting=VotingState.OPEN).update(
        voting=VotingState.DONE
    )
    workshop.current_position = position
    _clear_timer(workshop)
    act = current_act(workshop)
    if act is not None and not workshop.hold_cards and not act.revealed:
        act.revealed = True
        act.save(update_fields=["revealed"])


@transaction.atomic
def start_workshop(*, actor: User, workshop: Workshop) -> Workshop:
    """Open the doors: the code works (for a day at most) and people can join; the first
    act begins when the facilitator goes to it."""
    workshop = _facilitating(actor, workshop)
    if workshop.status == WorkshopStatus.ENDED:
        raise CommunityError(_("This workshop has ended."), code="ended")
    if workshop.status == WorkshopStatus.PLANNED:
        workshop.status = WorkshopStatus.RUNNING
        workshop.opened_at = timezone.now()
        content_changed(workshop.community_id)
    return _save(workshop, "status", "opened_at")


@transaction.atomic
def go_to_act(*, actor: User, workshop: Workshop, position: int) -> Workshop:
    """To an act (1…n), or back to the welcome screen (0). Going back is allowed: the cards
    of every act stay."""
    workshop = _facilitating(actor, workshop)
    if workshop.status != WorkshopStatus.RUNNING:
        raise CommunityError(_("Start the workshop first."), code="not_running")
    count = workshop.acts.count()
    if not 0 <= position <= count:
        raise invalid(_("There is no such act."), "invalid_act")
    _enter_act(workshop, position)
    return _save(workshop, "current_position", "timer_ends_at", "timer_paused_left")


def _playing(workshop: Workshop) -> WorkshopAct:
    act = current_act(workshop)
    if workshop.status != WorkshopStatus.RUNNING or act is None:
        raise CommunityError(_("Go to an act first."), code="no_act")
    return act


@transaction.atomic
def reveal_cards(*, actor: User, workshop: Workshop) -> WorkshopAct:
    """Show every card of the act being played, all at once."""
    workshop = _facilitating(actor, workshop)
    act = _playing(workshop)
    _save(workshop)
    act.revealed = True
    act.save(update_fields=["revealed"])
    Card.objects.filter(act=act).update(revision=workshop.revision)
    return act


@transaction.atomic
def set_hold_cards(*, actor: User, workshop: Workshop, hold: bool) -> Workshop:
    """Whether the next acts keep cards hidden until they are revealed."""
    workshop = _facilitating(actor, workshop)
    workshop.hold_cards = hold
    return _save(workshop, "hold_cards")


@transaction.atomic
def start_timer(*, actor: User, workshop: Workshop, minutes: float) -> Workshop:
    workshop = _facilitating(actor, workshop)
    _playing(workshop)
    if not 0 < minutes <= 240:
        raise invalid(_("Choose between 1 and 240 minutes."), "invalid_minutes")
    workshop.timer_ends_at = timezone.now() + timedelta(seconds=round(minutes * 60))
    workshop.timer_paused_left = None
    return _save(workshop, "timer_ends_at", "timer_paused_left")


@transaction.atomic
def pause_timer(*, actor: User, workshop: Workshop) -> Workshop:
    workshop = _facilitating(actor, workshop)
    if workshop.timer_ends_at is None or workshop.timer_paused_left is not None:
        raise CommunityError(_("The timer is not running."), code="no_timer")
    workshop.timer_paused_left = workshop.timer_left()
    return _save(workshop, "timer_paused_left")


@transaction.atomic
def resume_timer(*, actor: User, workshop: Workshop) -> Workshop:
    workshop = _facilitating(actor, workshop)
    if workshop.timer_paused_left is None:
        raise CommunityError(_("The timer is not paused."), code="no_timer")
    workshop.timer_ends_at = timezone.now() + timedelta(seconds=workshop.timer_paused_left)
    workshop.timer_paused_left = None
    return _save(workshop, "timer_ends_at", "timer_paused_left")


@transaction.atomic
def stop_timer(*, actor: User, workshop: Workshop) -> Workshop:
    workshop = _facilitating(actor, workshop)
    _clear_timer(workshop)
    return _save(workshop, "timer_ends_at", "timer_paused_left")


@transaction.atomic
def set_voting(
    *, actor: User, workshop: Workshop, state: str, votes_per_participant: int | None = None
) -> WorkshopAct:
    """Open dot-voting in the act being played (its cards are revealed then), or close it."""
    workshop = _facilitating(actor, workshop)
    act = _playing(workshop)
    if state not in (VotingState.OPEN, VotingState.DONE):
        raise invalid(_("Open or close the voting."), "invalid_state")
    fields = []
    if votes_per_participant is not None:
        if not 1 <= votes_per_participant <= MAX_VOTES:
            raise invalid(_("Choose between 1 and 20 votes."), "invalid_votes")
        workshop.votes_per_participant = votes_per_participant
        fields.append("votes_per_participant")
    _save(workshop, *fields)
    act.voting = state
    if state == VotingState.OPEN and not act.revealed:
        act.revealed = True
        Card.objects.filter(act=act).update(revision=workshop.revision)
    act.save(update_fields=["voting", "revealed"])
    return act


@transaction.atomic
def end_workshop(*, actor: User, workshop: Workshop) -> Workshop:
    """The end: the code stops working; the cards stay for the report and the harvest."""
    workshop = _facilitating(actor, workshop)
    if workshop.status == WorkshopStatus.ENDED:
        return workshop
    WorkshopAct.objects.filter(workshop=workshop, voting=VotingState.OPEN).update(
        voting=VotingState.DONE
    )
    workshop.status = WorkshopStatus.ENDED
    workshop.ended_at = timezone.now()
    _clear_timer(workshop)
    _save(workshop, "status", "ended_at", "timer_ends_at", "timer_paused_left")
    content_changed(workshop.community_id)
    _report_ready(actor, workshop)
    return workshop


def _report_ready(actor: User, workshop: Workshop) -> None:
    """Who took part with an account hears that the report is there (inbox, and email as
    their settings allow); who took part without one sees it on their screen."""
    from django.urls import reverse

    people = User.objects.filter(
        pk__in=Participant.objects.filter(workshop=workshop, user__isnull=False)
        .exclude(user=actor)
        .values("user")
    )
    report = reverse("workshop_report", args=[workshop.community.slug, workshop.pk])
    notify(
        people,
        subject=lambda: _("The report of “%(title)s” is ready") % {"title": workshop.title},
        template="workshops/email/report_ready.txt",
        context={"workshop": workshop, "report": report},
        kind="workshop",
        url=report,
        community=workshop.community,
        ref=f"workshop:{workshop.pk}",
    )


# Moderation and groups -------------------------------------------------------------------


def _own_cards(workshop: Workshop, cards: Sequence[Card]) -> list[Card]:
    if any(card.workshop_id != workshop.pk for card in cards):
        raise invalid(_("This card belongs to another workshop."), "other_workshop")
    return list(cards)


@transaction.atomic
def hide_card(*, actor: User, card: Card, hidden: bool = True) -> Card:
    """Take a card out of sight (and back): it no longer shows on any screen but the
    facilitator's, and its text never leaves the server for anyone else."""
    workshop = _facilitating(actor, card.workshop)
    _own_cards(workshop, [card])
    _save(workshop)
    card.hidden = hidden
    card.revision = workshop.revision
    card.save(update_fields=["hidden", "revision"])
    return card


@transaction.atomic
def group_cards(
    *,
    actor: User,
    workshop: Workshop,
    cards: Sequence[Card],
    cluster: Cluster | None = None,
    title: str = "",
) -> Cluster:
    """Put cards of one act in a group: an existing one, or a new one with this title."""
    workshop = _facilitating(actor, workshop)
    cards = _own_cards(workshop, cards)
    if not cards:
        raise invalid(_("Tick the cards to group first."), "no_cards")
    act_ids = {card.act_id for card in cards}
    if cluster is not None:
        act_ids.add(cluster.act_id)
        if cluster.workshop_id != workshop.pk or cluster.dissolved:
            raise invalid(_("Choose a group of this workshop."), "unknown_cluster")
    if len(act_ids) > 1:
        raise invalid(_("Group cards of one act only."), "several_acts")
    _save(workshop)
    if cluster is None:
        title = " ".join(title.split())[:120]
        if not title:
            number = Cluster.objects.filter(act_id=cards[0].act_id).count() + 1
            title = _("Group %(n)d") % {"n": number}
        cluster = Cluster.objects.create(
            workshop=workshop, act_id=cards[0].act_id, title=title, revision=workshop.revision
        )
    Card.objects.filter(pk__in=[card.pk for card in cards]).update(
        cluster=cluster, revision=workshop.revision
    )
    return cluster


@transaction.atomic
def ungroup_cards(*, actor: User, workshop: Workshop, cards: Sequence[Card]) -> None:
    workshop = _facilitating(actor, workshop)
    cards = _own_cards(workshop, cards)
    _save(workshop)
    Card.objects.filter(pk__in=[card.pk for card in cards]).update(
        cluster=None, revision=workshop.revision
    )


@transaction.atomic
def rename_cluster(*, actor: User, cluster: Cluster, title: str) -> Cluster:
    workshop = _facilitating(actor, cluster.workshop)
    title = " ".join(title.split())[:120]
    if not title:
        raise invalid(_("Give the group a title."), "title_required")
    _save(workshop)
    cluster.title = title
    cluster.revision = workshop.revision
    cluster.save(update_fields=["title", "revision"])
    return cluster


@transaction.atomic
def dissolve_cluster(*, actor: User, cluster: Cluster) -> None:
    """Undo a group: its cards stand alone again; the votes on it go back to the voters."""
    workshop = _facilitating(actor, cluster.workshop)
    _save(workshop)
    Card.objects.filter(cluster=cluster).update(cluster=None, revision=workshop.revision)
    Vote.objects.filter(cluster=cluster).delete()
    cluster.dissolved = True
    cluster.votes = 0
    cluster.revision = workshop.revision
    cluster.save(update_fields=["dissolved", "votes", "revision"])


# Votes -------------------------------------------------------------------------------


def votes_left(participant: Participant, workshop: Workshop, act: WorkshopAct) -> int:
    used = Vote.objects.filter(participant=participant, act=act).count()
    return max(0, workshop.votes_per_participant - used)


def _vote_target(act: WorkshopAct, card: Card | None, cluster: Cluster | None) -> None:
    if (card is None) == (cluster is None):
        raise invalid(_("Vote on a card or on a group."), "vote_target")
    if card is not None and (card.act_id != act.pk or card.hidden or not act.revealed):
        raise invalid(_("Vote on a card of this act."), "vote_target")
    if cluster is not None and (cluster.act_id != act.pk or cluster.dissolved):
        raise invalid(_("Vote on a group of this act."), "vote_target")


@transaction.atomic
def vote(
    *, participant: Participant, card: Card | None = None, cluster: Cluster | None = None
) -> Vote:
    """A dot on a card or a group; several on one are allowed, up to the workshop's number of
    votes per participant in this act."""
    workshop = _locked(participant.workshop)
    act = current_act(workshop)
    if act is None or not permissions.can_vote(participant, workshop, act):
        raise CommunityError(_("Voting is not open."), code="voting_closed")
    _vote_target(act, card, cluster)
    if votes_left(participant, workshop, act) <= 0:
        raise CommunityError(
            _("You have used all your votes. Take one back to vote again."), code="no_votes_left"
        )
    revision = _save(workshop).revision
    given = Vote.objects.create(participant=participant, act=act, card=card, cluster=cluster)
    target = Card.objects.filter(pk=card.pk) if card else Cluster.objects.filter(pk=cluster.pk)  # type: ignore[union-attr]
    target.update(votes=F("votes") + 1, revision=revision)
    return given


@transaction.atomic
def take_back_vote(
    *, participant: Participant, card: Card | None = None, cluster: Cluster | None = None
) -> None:
    workshop = _locked(participant.workshop)
    act = current_act(workshop)
    if act is None or not permissions.can_vote(participant, workshop, act):
        raise CommunityError(_("Voting is not open."), code="voting_closed")
    given = Vote.objects.filter(participant=participant, card=card, cluster=cluster).first()
    if given is None:
        raise invalid(_("You have no vote on this."), "no_vote")
    revision = _save(workshop).revision
    given.delete()
    target = Card.objects.filter(pk=card.pk) if card else Cluster.objects.filter(pk=cluster.pk)  # type: ignore[union-attr]
    target.update(votes=F("votes") - 1, revision=revision)
