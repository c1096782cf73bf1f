"""Writes of the council's route: starting and changing an advice dossier, endorsing it,
moving it from the group to the council, and recording the council's decision — which
carries the adjustments and signals it names through the loop (its one move function, with
the decision as warrant) so their raisers hear the outcome. Each checks its own permission
predicate; whoever must hear of a step hears of it (inbox, and email after commit)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Membership, OrganisationKind, Side
from samenspel.communities.permissions import get_membership
from samenspel.communities.services import CommunityError
from samenspel.communities.versions import content_changed
from samenspel.core.notifications import notify
from samenspel.council import permissions
from samenspel.council.models import (
    ADOPTED,
    AdviceEvent,
    AdviceStage,
    CouncilAdvice,
    CouncilDecision,
    Endorsement,
    EndorsementRule,
    Instrument,
    OfferedTo,
    Outcome,
)
from samenspel.learning import adjustments as loop_adjustments
from samenspel.learning.models import Adjustment, AdjustmentStage, DecisionBasis, Signal, Theme
from samenspel.learning.services import not_allowed

# Which organisations confirm which side.
SIDE_OF_KIND: dict[str, str] = {
    OrganisationKind.GEMEENTE_AFDELING: Side.GEMEENTE,
    OrganisationKind.INITIATIEF: Side.INITIATIEF,
}
# The sides the endorsement rule counts.
ENDORSING_SIDES = (Side.GEMEENTE, Side.INITIATIEF)
# The moves a person makes; the decision (to "besluit") is recorded by record_decision.
MOVES: dict[str, set[str]] = {
    AdviceStage.CONCEPT: {AdviceStage.ONDERSCHREVEN},
    AdviceStage.ONDERSCHREVEN: {AdviceStage.AANGEBODEN},
    AdviceStage.AANGEBODEN: {AdviceStage.GEAGENDEERD},
    AdviceStage.BESLUIT: {AdviceStage.OPVOLGING, AdviceStage.AFGEROND},
    AdviceStage.OPVOLGING: {AdviceStage.AFGEROND},
}
DECIDABLE = {AdviceStage.AANGEBODEN, AdviceStage.GEAGENDEERD}


def invalid(message: str, code: str) -> CommunityError:
    return CommunityError(message, code=code, status=400)


def _check_links(
    community: Community,
    adjustments: Sequence[Adjustment],
    signals: Sequence[Signal],
    themes: Sequence[Theme],
    authors: Sequence[User],
) -> None:
    linked: list[Adjustment | Signal | Theme] = [*adjustments, *signals, *themes]
    for item in linked:
        if item.community_id != community.pk:
            raise invalid(_("This belongs to another community."), "other_community")
    members = set(
        Membership.objects.active()
        .filter(community=community, user__in=authors)
        .values_list("user_id", flat=True)
    )
    if any(author.pk not in members for author in authors):
        raise invalid(_("Every author must be a member of the group."), "author_not_member")


def _event(advice: CouncilAdvice, actor: User, from_stage: str, to_stage: str, note: str) -> None:
    AdviceEvent.objects.create(
        advice=advice, from_stage=from_stage, to_stage=to_stage, actor=actor, note=note.strip()
    )


@transaction.atomic
def start_advice(
    *,
    actor: User,
    community: Community,
    title: str,
    question: str,
    advice: str = "",
    adjustments: Sequence[Adjustment] = (),
    signals: Sequence[Signal] = (),
    themes: Sequence[Theme] = (),
    co_authors: Sequence[User] = (),
    is_example: bool = False,
) -> CouncilAdvice:
    """Start a dossier as a draft; who starts it is an author, with whom they name."""
    if not permissions.can_write_advice(actor, community):
        raise not_allowed(_("Only members who contribute start an advice to the council."))
    if not title.strip() or not question.strip():
        raise invalid(_("Write the title and the question the council must decide."), "required")
    authors = [actor, *(u for u in co_authors if u.pk != actor.pk)]
    _check_links(community, adjustments, signals, themes, authors)
    dossier = CouncilAdvice.objects.create(
        community=community,
        title=title.strip(),
        question=question.strip(),
        advice=advice.strip(),
        created_by=actor,
        is_example=is_example,
    )
    dossier.authors.set(authors)
    dossier.adjustments.set(adjustments)
    dossier.signals.set(signals)
    dossier.themes.set(themes)
    _event(dossier, actor, "", AdviceStage.CONCEPT, "")
    content_changed(community.pk)
    return dossier


@transaction.atomic
def change_advice(
    *,
    actor: User,
    advice: CouncilAdvice,
    title: str,
    question: str,
    text: str,
    adjustments: Sequence[Adjustment],
    signals: Sequence[Signal],
    themes: Sequence[Theme],
    authors: Sequence[User],
) -> CouncilAdvice:
    """Change a draft: its words and what it links to. Earlier wordings stay in its
    history. An author may not leave a dossier without authors."""
    if not permissions.can_change_advice(actor, advice):
        raise not_allowed(_("Only its authors or a steward change a draft advice."))
    if not title.strip() or not question.strip():
        raise invalid(_("Write the title and the question the council must decide."), "required")
    if not authors:
        raise invalid(_("An advice needs at least one author."), "author_required")
    _check_links(advice.community, adjustments, signals, themes, authors)
    advice.title, advice.question, advice.advice = title.strip(), question.strip(), text.strip()
    advice.save()
    advice.authors.set(authors)
    advice.adjustments.set(adjustments)
    advice.signals.set(signals)
    advice.themes.set(themes)
    content_changed(advice.community_id)
    return advice


def _confirmed_side(membership: Membership) -> str | None:
    """The side an organisation confirms for this member, if any."""
    organisation = membership.organisation if membership.organisation_confirmed_at else None
    return SIDE_OF_KIND.get(organisation.kind) if organisation is not None else None


@transaction.atomic
def endorse(*, actor: User, advice: CouncilAdvice) -> Endorsement:
    """Endorse the advice on one's own behalf, with the side one stands on; it counts for
    that side at once when a confirmed organisation of that side confirms it."""
    if not permissions.can_endorse(actor, advice):
        raise not_allowed(_("Only members who contribute endorse an advice, before it is offered."))
    membership = get_membership(actor, advice.community)
    assert membership is not None  # can_endorse
    confirmed = _confirmed_side(membership) == membership.side
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                advice=advice,
                user=actor,
                side=membership.side,
                organisation=membership.organisation if confirmed else None,
                side_confirmed_at=timezone.now() if confirmed else None,
            )
    except IntegrityError:
        raise invalid(_("You already endorse this advice."), "already_endorsed") from None
    content_changed(advice.community_id)
    _tell(
        advice.authors.all(),
        advice,
        actor,
        subject=lambda: (
            _("%(name)s endorses: %(title)s") % {"name": actor.name, "title": advice.title}
        ),
        template="council/email/endorsed.txt",
    )
    return endorsement


@transaction.atomic
def withdraw_endorsement(*, actor: User, advice: CouncilAdvice) -> None:
    if advice.stage not in (AdviceStage.CONCEPT, AdviceStage.ONDERSCHREVEN):
        raise invalid(_("An advice that was offered keeps its endorsements."), "offered")
    deleted, _rows = Endorsement.objects.filter(advice=advice, user=actor).delete()
    if not deleted:
        raise invalid(_("You do not endorse this advice."), "not_endorsed")
    content_changed(advice.community_id)


@transaction.atomic
def confirm_side(*, actor: User, endorsement: Endorsement) -> Endorsement:
    """A steward confirms that an endorser stands on the side they chose."""
    if not permissions.can_confirm_side(actor, endorsement.advice):
        raise not_allowed(_("Only a steward confirms the side of an endorser."))
    if endorsement.side_confirmed:
        raise invalid(_("This side is already confirmed."), "already_confirmed")
    endorsement.side_confirmed_at = timezone.now()
    endorsement.side_confirmed_by = actor
    endorsement.save(update_fields=["side_confirmed_at", "side_confirmed_by"])
    content_changed(endorsement.advice.community_id)
    return endorsement


def rule_for(community: Community) -> EndorsementRule:
    return EndorsementRule.objects.filter(community=community).first() or EndorsementRule(
        community=community
    )


@dataclass(frozen=True)
class EndorsementCount:
    side: str
    label: str
    confirmed: int
    needed: int

    @property
    def met(self) -> bool:
        return self.confirmed >= self.needed


def endorsement_counts(advice: CouncilAdvice) -> list[EndorsementCount]:
    """Per side the rule counts: confirmed endorsers, and how many are needed."""
    rule = rule_for(advice.community)
    confirmed = [
        e.side for e in advice.endorsements.filter(side_confirmed_at__isnull=False).only("side")
    ]
    return [
        EndorsementCount(side, str(Side(side).label), confirmed.count(side), getattr(rule, side))
        for side in ENDORSING_SIDES
    ]


def endorsed_by_the_group(advice: CouncilAdvice) -> bool:
    return all(count.met for count in endorsement_counts(advice))


@transaction.atomic
def move_advice(
    *,
    actor: User,
    advice: CouncilAdvice,
    to_stage: str,
    note: str = "",
    offered_to: str = "",
    offered_on: date | None = None,
    channel: str = "",
    seen_stage: str | None = None,
) -> CouncilAdvice:
    """Move the dossier one step (its authors or a steward): endorsed once both sides have
    (the rule), offered (to whom, when, how), on the agenda, in follow-up, completed."""
    if not permissions.can_move_advice(actor, advice):
        raise not_allowed(_("Only its authors or a steward move this advice on."))
    seen = seen_stage or advice.stage
    if to_stage not in MOVES.get(seen, set()):
        raise invalid(
            _("An advice cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": AdviceStage(seen).label if seen in AdviceStage.values else "?",
                "to": AdviceStage(to_stage).label if to_stage in AdviceStage.values else "?",
            },
            "invalid_move",
        )
    if to_stage == AdviceStage.ONDERSCHREVEN and not endorsed_by_the_group(advice):
        raise invalid(
            _(
                "The group has not endorsed it yet: it needs confirmed endorsers of the "
                "municipality and of the initiatives."
            ),
            "endorsement_rule",
        )
    fields = ["stage"]
    if to_stage == AdviceStage.AANGEBODEN:
        if offered_to not in OfferedTo.values or offered_on is None:
            raise invalid(_("Say to whom and on which date it was offered."), "offer_required")
        advice.offered_to, advice.offered_on, advice.channel = (
            offered_to,
            offered_on,
            channel.strip(),
        )
        fields += ["offered_to", "offered_on", "channel"]
    if to_stage == AdviceStage.OPVOLGING and not note.strip():
        raise invalid(_("Say what must be followed up."), "note_required")
    moved = CouncilAdvice.objects.filter(pk=advice.pk, stage=seen).update(stage=to_stage)
    if not moved:
        raise CommunityError(
            _("Someone else moved this advice meanwhile. Look at the newest state."),
            code="advice_conflict",
            status=409,
        )
    advice.stage = to_stage
    advice.save(update_fields=fields)  # through the model: its history records the step
    _event(advice, actor, seen, to_stage, note)
    _tell(
        _involved(advice),
        advice,
        actor,
        subject=lambda: (
            _("%(title)s: %(stage)s")
            % {"title": advice.title, "stage": AdviceStage(to_stage).label}
        ),
        template="council/email/moved.txt",
    )
    return advice


def linked_signals(advice: CouncilAdvice) -> "QuerySet[Signal]":
    """The signals the advice answers: those it names, and those of its adjustments."""
    return (
        Signal.objects.filter(Q(council_advices=advice) | Q(adjustments__council_advices=advice))
        .distinct()
        .order_by("raised_at", "pk")
    )


def _involved(advice: CouncilAdvice) -> list[User]:
    """Its authors and endorsers."""
    people = {u.pk: u for u in advice.authors.all()}
    for endorsement in advice.endorsements.select_related("user"):
        people[endorsement.user.pk] = endorsement.user
    return list(people.values())


def _tell(
    recipients: Iterable[User], advice: CouncilAdvice, actor: User, *, subject, template: str
) -> None:
    notify(
        [u for u in recipients if u.pk != actor.pk],
        subject=subject,
        template=template,
        context={"advice": advice, "actor": actor.name},
        kind="council",
        url=advice.get_absolute_url,
        community=advice.community,
        ref=f"advice:{advice.pk}",
    )


@transaction.atomic
def record_decision(
    *,
    actor: User,
    advice: CouncilAdvice,
    outcome: str,
    instrument: str,
    decided_on: date,
    text: str = "",
    reference: str = "",
    link: str = "",
) -> CouncilDecision:
    """Record what the council decided (the dossier's authors or a steward). Adopted: the
    adjustments it names are decided by the council and their signals — and the signals it
    names itself — go to feedback through the loop; rejected or withdrawn: those signals
    hear why they are not taken up. Postponed: the dossier stays where it is."""
    if not permissions.can_record_decision(actor, advice):
        raise not_allowed(_("Only its authors or a steward record the council's decision."))
    if advice.stage not in DECIDABLE:
        raise invalid(_("Record the decision once the advice is offered."), "not_offered")
    if outcome not in Outcome.values:
        raise invalid(_("Choose the outcome from the list."), "invalid_outcome")
    if instrument not in Instrument.values:
        raise invalid(_("Choose the instrument from the list."), "invalid_instrument")
    link = link.strip()
    if link and not link.startswith(("https://", "http://")):
        raise invalid(
            _("Give the link to the decision as a web address, starting with https://."),
            "invalid_link",
        )
    decision = CouncilDecision.objects.create(
        advice=advice,
        outcome=outcome,
        instrument=instrument,
        text=text.strip(),
        reference=reference.strip(),
        link=link,
        decided_on=decided_on,
        recorded_by=actor,
    )
    note = _("The council: %(outcome)s · %(instrument)s%(reference)s") % {
        "outcome": decision.get_outcome_display(),
        "instrument": decision.get_instrument_display(),
        "reference": f" · {decision.reference}" if decision.reference else "",
    }
    if outcome != Outcome.AANGEHOUDEN:
        seen = advice.stage
        advice.stage = AdviceStage.BESLUIT
        advice.save(update_fields=["stage"])
        _event(advice, actor, seen, AdviceStage.BESLUIT, note)
    else:
        _event(advice, actor, advice.stage, advice.stage, note)
    _carry_through_the_loop(decision, actor)
    content_changed(advice.community_id)
    _tell(
        _involved(advice),
        advice,
        actor,
        subject=lambda: (
            _("The council decided: %(title)s") % {"title": advice.title}
            if outcome != Outcome.AANGEHOUDEN
            else _("The council postponed: %(title)s") % {"title": advice.title}
        ),
        template="council/email/decided.txt",
    )
    return decision


def _carry_through_the_loop(decision: CouncilDecision, actor: User) -> None:
    advice = decision.advice
    reference = decision.reference or decision.link
    summary = _("The council decided on “%(title)s”: %(outcome)s.") % {
        "title": advice.title,
        "outcome": decision.get_outcome_display(),
    }
    if decision.text:
        summary = f"{summary} {decision.text}"
    if decision.outcome in ADOPTED:
        for adjustment in advice.adjustments.select_related("community", "owner"):
            if adjustment.stage == AdjustmentStage.VOORGESTELD:
                adjustment = loop_adjustments.move_adjustment(
                    actor=actor,
                    adjustment=adjustment,
                    to_stage=AdjustmentStage.NAAR_DE_RAAD,
                    warrant=decision,
                )
            if adjustment.stage == AdjustmentStage.NAAR_DE_RAAD:
                loop_adjustments.move_adjustment(
                    actor=actor,
                    adjustment=adjustment,
                    to_stage=AdjustmentStage.BESLOTEN_RAAD,
                    reference=reference[:200],
                    decided_on=decision.decided_on,
                    link=decision.link,
                    warrant=decision,
                    note=f"{summary} {loop_adjustments.feedback_note(adjustment)}",
                )
        for signal in advice.signals.select_related("last_event", "community"):
            loop_adjustments.carry_to_feedback(
                signal,
                actor,
                note=summary,
                basis=DecisionBasis.RAAD,
                reference=reference[:200],
                owner=signal.owner or actor,
                warrant=decision,
            )
    elif decision.outcome in (Outcome.VERWORPEN, Outcome.INGETROKKEN):
        linked = Signal.objects.filter(
            pk__in=[
                *advice.signals.values_list("pk", flat=True),
                *Adjustment.signals.through.objects.filter(
                    adjustment__in=advice.adjustments.all()
                ).values_list("signal_id", flat=True),
            ]
        ).select_related("last_event", "community")
        for signal in linked:
            loop_adjustments.answer_not_taken_up(signal, actor, note=summary, warrant=decision)
