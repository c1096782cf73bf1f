"""The growth path (opgroeirecht) and support framework (ondersteuningskader): the catalogue
per phase, an initiative's criteria and support requests, needs and offers between
initiatives with their matching, and mentorships.

This module is the one home of the growth path's writes: keeping the catalogue (criteria and
support offers: add, change, reorder), ticking an initiative's criteria, posting and closing
needs and offers, pairing and ending mentorships. Each is a keyword-only service under
`transaction.atomic` that takes the acting user and checks its own key (permissions.py).
Asking for and deciding support send mail and live in services.py."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Organisation
from samenspel.communities.permissions import AnyUser
from samenspel.communities.services import CommunityError
from samenspel.initiatives import permissions
from samenspel.initiatives.choices import PHASE_ORDER, ExchangeKind, HeatSolution, Phase, Review
from samenspel.initiatives.models import (
    CriterionCheck,
    Exchange,
    Initiative,
    Mentorship,
    PhaseCriterion,
    SupportOffer,
)
from samenspel.initiatives.services import lock_and_check_version

# Mentors have been through the hard part; mentees are at the start of it.
MENTOR_PHASES = frozenset(PHASE_ORDER[PHASE_ORDER.index(Phase.ONTWIKKELING) :])
MENTEE_PHASES = frozenset({Phase.ORIENTATIE, Phase.VERKENNING})


# -- the catalogue ------------------------------------------------------------------------


@dataclass
class PhaseStep:
    """One phase of the growth path, with what it takes and what is offered in it."""

    code: str
    label: str
    number: int
    criteria: list[PhaseCriterion] = field(default_factory=list)
    offers: list[SupportOffer] = field(default_factory=list)
    met: set[int] = field(default_factory=set)  # ids of criteria the initiative meets
    is_current: bool = False
    is_past: bool = False

    @property
    def unmet(self) -> list[PhaseCriterion]:
        return [c for c in self.criteria if c.pk not in self.met]


def catalogue(community: Community) -> list[PhaseStep]:
    """Criteria and support per phase, in the order of the phases (two queries)."""
    steps = {
        code: PhaseStep(code=code, label=str(Phase(code).label), number=i + 1)
        for i, code in enumerate(PHASE_ORDER)
    }
    for criterion in PhaseCriterion.objects.filter(community=community).order_by("order", "pk"):
        if criterion.phase in steps:
            steps[criterion.phase].criteria.append(criterion)
    offers = (
        SupportOffer.objects.filter(community=community)
        .select_related("offered_by")
        .order_by("order", "pk")
    )
    for offer in offers:
        if offer.phase in steps:
            steps[offer.phase].offers.append(offer)
    return list(steps.values())


def next_order(model: type[PhaseCriterion] | type[SupportOffer], community: Community) -> int:
    """Where a new item of the catalogue goes: after everything already there."""
    highest = model.objects.filter(community=community).aggregate(m=Max("order"))["m"]
    return 0 if highest is None else highest + 1


def _forbidden(message: str) -> CommunityError:
    return CommunityError(message, code="forbidden", status=403)


def _check_catalogue_keeper(actor: AnyUser, community: Community) -> None:
    if not permissions.can_keep_catalogue(actor, community):
        raise _forbidden(_("Only the stewards keep the growth path."))


def _check_phase(phase: str) -> None:
    if phase not in Phase.values:
        raise CommunityError(_("Choose a phase from the list."), code="invalid_phase", status=400)


def _check_offered_by(community: Community, organisation: Organisation | None) -> None:
    if organisation is not None and organisation.community_id != community.pk:
        raise CommunityError(
            _("No organisation of this community has this id."),
            code="unknown_organisation",
            status=400,
        )


@transaction.atomic
def add_criterion(*, actor: User, community: Community, phase: str, text: str) -> PhaseCriterion:
    """A new criterion, last in its phase."""
    _check_catalogue_keeper(actor, community)
    _check_phase(phase)
    return PhaseCriterion.objects.create(
        community=community,
        phase=phase,
        text=text.strip(),
        order=next_order(PhaseCriterion, community),
    )


@transaction.atomic
def change_criterion(
    *,
    actor: User,
    criterion: PhaseCriterion,
    phase: str,
    text: str,
    seen_version: int | None = None,
) -> PhaseCriterion:
    _check_catalogue_keeper(actor, criterion.community)
    _check_phase(phase)
    criterion = lock_and_check_version(criterion, seen_version)
    criterion.phase, criterion.text = phase, text.strip()
    criterion.save()
    return criterion


@transaction.atomic
def add_support_offer(
    *,
    actor: User,
    community: Community,
    phase: str,
    name: str,
    description: str = "",
    offered_by: Organisation | None = None,
) -> SupportOffer:
    """Support offered in a phase; members of `offered_by` decide requests for it (the
    stewards without one)."""
    _check_catalogue_keeper(actor, community)
    _check_phase(phase)
    _check_offered_by(community, offered_by)
    return SupportOffer.objects.create(
        community=community,
        phase=phase,
        name=name.strip(),
        description=description.strip(),
        offered_by=offered_by,
        order=next_order(SupportOffer, community),
    )


@transaction.atomic
def change_support_offer(
    *,
    actor: User,
    offer: SupportOffer,
    phase: str,
    name: str,
    description: str,
    offered_by: Organisation | None,
    seen_version: int | None = None,
) -> SupportOffer:
    """Naming another organisation hands it the decisions on this support."""
    _check_catalogue_keeper(actor, offer.community)
    _check_phase(phase)
    _check_offered_by(offer.community, offered_by)
    offer = lock_and_check_version(offer, seen_version)
    offer.phase, offer.name, offer.description = phase, name.strip(), description.strip()
    offer.offered_by = offered_by
    offer.save()
    return offer


@transaction.atomic
def move_in_catalogue(*, actor: User, item: PhaseCriterion | SupportOffer, up: bool) -> bool:
    """Swap an item of the catalogue with its neighbour within its phase. Items are
    renumbered so that equal order numbers (the defaults start that way) cannot stall it.
    False when it is already first (or last)."""
    _check_catalogue_keeper(actor, item.community)
    manager = PhaseCriterion.objects if isinstance(item, PhaseCriterion) else SupportOffer.objects
    siblings: list[PhaseCriterion | SupportOffer] = list(
        manager.select_for_update()  # type: ignore[attr-defined]
        .filter(community_id=item.community_id, phase=item.phase)
        .order_by("order", "pk")
    )
    ids = [s.pk for s in siblings]
    index = ids.index(item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    numbers = sorted(s.order for s in siblings)
    for number in range(1, len(numbers)):
        if numbers[number] <= numbers[number - 1]:
            numbers[number] = numbers[number - 1] + 1
    for sibling, number in zip(siblings, numbers, strict=True):
        if sibling.order != number:
            sibling.order = number
            sibling.save(update_fields=["order"])
    return True


# -- one initiative's path ----------------------------------------------------------------


def initiative_path(initiative: Initiative) -> list[PhaseStep]:
    """The catalogue seen from one initiative: where it stands and what it meets."""
    steps = catalogue(initiative.community)
    met = set(
        CriterionCheck.objects.filter(initiative=initiative).values_list("criterion_id", flat=True)
    )
    current = initiative.phase_index
    for index, step in enumerate(steps):
        step.met = met
        step.is_current = index == current
        step.is_past = index < current
    return steps


def next_steps(steps: list[PhaseStep]) -> list[PhaseStep]:
    """The current phase and the next, for what is still to do."""
    for index, step in enumerate(steps):
        if step.is_current:
            return steps[index : index + 2]
    return []


@transaction.atomic
def set_checks(
    *, actor: User, initiative: Initiative, criterion_ids: Iterable[int]
) -> tuple[int, int]:
    """Make the criteria the initiative meets exactly these. Each tick and untick is kept in
    the history (an untick as a deleted check). Returns how many were added and removed."""
    if not permissions.can_edit_initiative(actor, initiative):
        raise _forbidden(_("Only the initiative's own members and the stewards tick its criteria."))
    wanted = set(criterion_ids)
    known = set(
        PhaseCriterion.objects.filter(community_id=initiative.community_id).values_list(
            "pk", flat=True
        )
    )
    if not wanted <= known:
        raise CommunityError(
            _("This criterion belongs to another community."), code="unknown_criterion", status=400
        )
    current = {
        check.criterion_id: check
        for check in CriterionCheck.objects.select_for_update().filter(initiative=initiative)
    }
    removed = 0
    for criterion_id, check in current.items():
        if criterion_id not in wanted:
            # simple-history records who deleted it from this attribute.
            check._history_user = actor  # type: ignore[attr-defined]
            check.delete()
            removed += 1
    added = 0
    for criterion_id in sorted(wanted - current.keys()):
        CriterionCheck.objects.create(
            initiative=initiative, criterion_id=criterion_id, checked_by=actor
        )
        added += 1
    return added, removed


def check_details(initiative: Initiative) -> dict[int, CriterionCheck]:
    """Who ticked which criterion and when (one query)."""
    return {
        check.criterion_id: check
        for check in CriterionCheck.objects.filter(initiative=initiative).select_related(
            "checked_by"
        )
    }


# -- support ------------------------------------------------------------------------------


def decidable_offers(user: AnyUser, community: Community) -> list[SupportOffer]:
    """The support offers whose requests this user decides (no queries beyond the offers)."""
    offers = list(SupportOffer.objects.filter(community=community).select_related("offered_by"))
    for offer in offers:
        offer.community = community  # the permission check reads it; no query per offer
    return [offer for offer in offers if permissions.can_decide_support(user, offer)]


# -- needs and offers ---------------------------------------------------------------------

SAME_SOLUTION = 4
SAME_PHASE = 2
FURTHER_ALONG = 1


def _solutions(item: Exchange) -> set[str]:
    return {item.solution} if item.solution else set(item.initiative.solutions or [])


def _phase(item: Exchange) -> str:
    return item.phase or item.initiative.phase


def match_score(need: Exchange, candidate: Exchange) -> int:
    """How well an offer fits a need (or a need an offer): the same heat solution counts
    most, then the same phase, then an offer from an initiative further along the path."""
    score = 0
    if need.solution and need.solution in _solutions(candidate):
        score += SAME_SOLUTION
    if _phase(need) == _phase(candidate):
        score += SAME_PHASE
    if candidate.initiative.phase_index > need.initiative.phase_index:
        score += FURTHER_ALONG
    return score


def initiative_score(need: Exchange, initiative: Initiative) -> int:
    """How well an initiative could help with a need, judged the same way."""
    score = 0
    if need.solution and need.solution in (initiative.solutions or []):
        score += SAME_SOLUTION
    if _phase(need) == initiative.phase:
        score += SAME_PHASE
    if initiative.phase_index > need.initiative.phase_index:
        score += FURTHER_ALONG
    return score


def rank_matches(need: Exchange, candidates: Iterable[Exchange]) -> list[Exchange]:
    """Candidates of other initiatives, best match first; ties keep their given order."""
    others = [c for c in candidates if c.initiative_id != need.initiative_id and c.pk != need.pk]
    return sorted(others, key=lambda c: -match_score(need, c))


def rank_initiatives(
    need: Exchange, initiatives: Iterable[Initiative], *, limit: int = 10
) -> list[Initiative]:
    """Other initiatives that share the need's solution or phase, best first."""
    scored = [(initiative_score(need, i), i) for i in initiatives if i.pk != need.initiative_id]
    matching = [(score, i) for score, i in scored if score >= SAME_PHASE]
    matching.sort(key=lambda pair: -pair[0])
    return [i for _score, i in matching[:limit]]


def open_exchanges(community: Community) -> Any:
    """Open needs and offers of the community's listed initiatives."""
    return (
        Exchange.objects.filter(
            is_open=True,
            initiative__community=community,
            initiative__review=Review.LISTED,
            initiative__archived_at__isnull=True,
        )
        .select_related("initiative")
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def post_exchange(
    *,
    actor: User,
    initiative: Initiative,
    kind: str,
    title: str,
    description: str = "",
    solution: str = "",
    phase: str = "",
) -> Exchange:
    """A need or an offer of a listed initiative, said by its own people (or a steward)."""
    if not permissions.can_post_exchange(actor, initiative):
        raise _forbidden(_("Only the initiative's own members and the stewards post for it."))
    if not _is_listed(initiative):
        raise CommunityError(
            _("Only initiatives listed in the atlas post needs and offers."), code="not_listed"
        )
    if kind not in ExchangeKind.values:
        raise CommunityError(_("Choose a need or an offer."), code="invalid_kind", status=400)
    if not title.strip():
        raise CommunityError(_("Give it a title."), code="title_required", status=400)
    if solution and solution not in HeatSolution.values:
        raise CommunityError(
            _("Choose a heat solution from the list."), code="invalid_solution", status=400
        )
    if phase:
        _check_phase(phase)
    return Exchange.objects.create(
        initiative=initiative,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        solution=solution,
        phase=phase,
    )


@transaction.atomic
def close_exchange(*, actor: User, exchange: Exchange) -> Exchange:
    """A need that was met or an offer that no longer stands; it stays in the history."""
    if not permissions.can_post_exchange(actor, exchange.initiative):
        raise _forbidden(_("Only the initiative's own members and the stewards close it."))
    exchange = Exchange.objects.select_for_update().get(pk=exchange.pk)
    if exchange.is_open:
        exchange.is_open = False
        exchange.save(update_fields=["is_open"])
    return exchange


# -- mentorships --------------------------------------------------------------------------


def _is_listed(initiative: Initiative) -> bool:
    return initiative.review == Review.LISTED and initiative.archived_at is None


@transaction.atomic
def pair_mentors(
    *, actor: User, mentor: Initiative, mentee: Initiative, note: str = ""
) -> Mentorship:
    """An established initiative (development or later) mentors a starting one."""
    if not permissions.can_pair_mentors(actor, mentor.community):
        raise _forbidden(_("Only the stewards pair mentors."))
    if mentor.pk == mentee.pk:
        raise CommunityError(
            _("An initiative cannot mentor itself."), code="mentor_self", status=400
        )
    if mentor.community_id != mentee.community_id:
        raise CommunityError(
            _("Both initiatives must belong to this community."), code="other_community"
        )
    if not (_is_listed(mentor) and _is_listed(mentee)):
        raise CommunityError(
            _("Only initiatives listed in the atlas can be paired."), code="not_listed"
        )
    if mentor.phase not in MENTOR_PHASES:
        raise CommunityError(
            _("A mentor is an initiative in the development phase or later."),
            code="mentor_phase",
            status=400,
        )
    if mentee.phase not in MENTEE_PHASES:
        raise CommunityError(
            _("A mentee is an initiative in the orientation or exploration phase."),
            code="mentee_phase",
            status=400,
        )
    if Mentorship.objects.filter(mentor=mentor, mentee=mentee, ended_at__isnull=True).exists():
        raise CommunityError(_("These two initiatives are already paired."), code="already_paired")
    return Mentorship.objects.create(mentor=mentor, mentee=mentee, note=note.strip())


@transaction.atomic
def end_mentorship(*, actor: User, mentorship: Mentorship, on: date | None = None) -> Mentorship:
    """Either side, or a steward, ends it; the pairing stays on record with its end date."""
    if not permissions.can_end_mentorship(actor, mentorship):
        raise _forbidden(_("Only either initiative's own members and the stewards end it."))
    mentorship = (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee")
        .get(pk=mentorship.pk)
    )
    if mentorship.ended_at is not None:
        raise CommunityError(_("This mentorship has already ended."), code="already_ended")
    mentorship.ended_at = on or timezone.localdate()
    mentorship.save(update_fields=["ended_at"])
    return mentorship


def mentorships_of(initiative: Initiative) -> list[Mentorship]:
    """Where the initiative mentors or is mentored, current ones first (one query)."""
    rows = (
        Mentorship.objects.filter(Q(mentor=initiative) | Q(mentee=initiative))
        .select_related("mentor", "mentee")
        .order_by("-started_at", "-pk")
    )
    return sorted(rows, key=lambda m: m.ended_at is not None)
