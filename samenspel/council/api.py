"""API of the council's route: advice dossiers (list, one, start, change a draft, endorse,
move, record the decision), council meetings and the register of what has been
established. The same services and predicates as the pages."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Status
from pydantic import AnyHttpUrl

from samenspel.communities.permissions import get_community_for_user
from samenspel.communities.views import community_version
from samenspel.core.api import (
    LOGIN_OPTIONAL,
    LOGIN_REQUIRED,
    CamelSchema,
    Id,
    InputSchema,
    Rows,
    Text,
    invalid,
    shared_list,
)
from samenspel.core.sites import absolute
from samenspel.council import permissions, services
from samenspel.council.models import (
    AdviceStage,
    Arrangement,
    CouncilAdvice,
    CouncilMeeting,
    Instrument,
    MeetingBody,
    OfferedTo,
    Outcome,
)
from samenspel.learning.api import _member, _pick
from samenspel.learning.models import Adjustment, Signal, Theme

router = Router(tags=["council"])


class AdviceOut(CamelSchema):
    id: int
    title: str
    question: str
    stage: AdviceStage = Field(description="Where the dossier is on the council's route.")
    is_example: bool
    url: str = Field(description="The dossier's page.")
    pdf_url: str = Field(description="The dossier as an A4 PDF.")


class EndorsementCountOut(CamelSchema):
    side: str
    confirmed: int = Field(description="Endorsers of this side whose side is confirmed.")
    needed: int


class EndorsementOut(CamelSchema):
    name: str
    side: str
    side_confirmed: bool
    organisation: str | None


class DecisionOut(CamelSchema):
    outcome: Outcome
    instrument: Instrument
    text: str
    reference: str
    link: str
    decided_on: date


class AdviceEventOut(CamelSchema):
    from_stage: str
    to_stage: str
    actor: str | None
    at: datetime
    note: str


class AdviceDetailOut(AdviceOut):
    advice: str
    authors: list[str]
    adjustment_ids: list[int]
    signal_ids: list[int] = Field(description="The signals it names itself.")
    theme_ids: list[int]
    offered_to: str
    offered_on: date | None
    endorsements: list[EndorsementOut]
    endorsement_counts: list[EndorsementCountOut]
    endorsed_by_the_group: bool = Field(description="Both sides endorse it, as the rule asks.")
    decisions: list[DecisionOut]
    events: list[AdviceEventOut]


class AdviceIn(InputSchema):
    title: Text = Field(min_length=1, max_length=200)
    question: Text = Field(min_length=1, max_length=2000)
    advice: Text = Field("", max_length=20000)
    adjustment_ids: list[Id] = []
    signal_ids: list[Id] = []
    theme_ids: list[Id] = []
    co_author_ids: list[Id] = Field([], description="Members who write it with you.")


class AdvicePatch(InputSchema):
    title: Text | None = Field(None, min_length=1, max_length=200)
    question: Text | None = Field(None, min_length=1, max_length=2000)
    advice: Text | None = Field(None, max_length=20000)
    adjustment_ids: list[Id] | None = None
    signal_ids: list[Id] | None = None
    theme_ids: list[Id] | None = None
    author_ids: list[Id] | None = None


class TransitionIn(InputSchema):
    to_stage: AdviceStage
    seen_stage: AdviceStage | None = Field(
        None, description="The stage as you saw it; a move made meanwhile gives 409."
    )
    note: Text = Field("", max_length=2000)
    offered_to: OfferedTo | None = Field(None, description="For aangeboden: to whom.")
    offered_on: date | None = Field(None, description="For aangeboden: on which date.")
    channel: Text = Field("", max_length=200)


class DecisionIn(InputSchema):
    outcome: Outcome
    instrument: Instrument
    decided_on: date
    text: Text = Field("", max_length=8000)
    reference: Text = Field("", max_length=200)
    link: AnyHttpUrl | None = None


def _advice(advice: CouncilAdvice) -> dict[str, Any]:
    slug = advice.community.slug
    return {
        "id": advice.pk,
        "title": advice.title,
        "question": advice.question,
        "stage": advice.stage,
        "is_example": advice.is_example,
        "url": absolute(advice.get_absolute_url()),
        "pdf_url": absolute(f"/c/{slug}/advices/{advice.pk}/advice.pdf"),
    }


def _detail(advice: CouncilAdvice) -> dict[str, Any]:
    return {
        **_advice(advice),
        "advice": advice.advice,
        "authors": [u.name for u in advice.authors.all()],
        "adjustment_ids": sorted(advice.adjustments.values_list("pk", flat=True)),
        "signal_ids": sorted(advice.signals.values_list("pk", flat=True)),
        "theme_ids": sorted(advice.themes.values_list("pk", flat=True)),
        "offered_to": advice.offered_to,
        "offered_on": advice.offered_on,
        "endorsements": [
            {
                "name": e.user.name,
                "side": e.side,
                "side_confirmed": e.side_confirmed,
                "organisation": e.organisation.name if e.organisation else None,
            }
            for e in advice.endorsements.select_related("user", "organisation")
        ],
        "endorsement_counts": [
            {"side": c.side, "confirmed": c.confirmed, "needed": c.needed}
            for c in services.endorsement_counts(advice)
        ],
        "endorsed_by_the_group": services.endorsed_by_the_group(advice),
        "decisions": [
            {
                "outcome": d.outcome,
                "instrument": d.instrument,
                "text": d.text,
                "reference": d.reference,
                "link": d.link,
                "decided_on": d.decided_on,
            }
            for d in advice.decisions.all()
        ],
        "events": [
            {
                "from_stage": e.from_stage,
                "to_stage": e.to_stage,
                "actor": e.actor.name if e.actor else None,
                "at": e.at,
                "note": e.note,
            }
            for e in advice.events.select_related("actor")
        ],
    }


def _visible(request: HttpRequest, advice_id: int) -> CouncilAdvice:
    found = CouncilAdvice.objects.select_related("community").filter(pk=advice_id).first()
    slug = found.community.slug if found is not None else "-"
    return permissions.get_advice_for_user(request.user, slug, advice_id)


@shared_list(
    router,
    "/communities/{slug}/advices",
    AdviceOut,
    summary="The community's advice dossiers to the council, the newest first",
    version=community_version,
)
def list_advices(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    rows = CouncilAdvice.objects.filter(community=community).order_by("-created_at", "-pk")

    def shape(advice: CouncilAdvice) -> dict[str, Any]:
        advice.community = community
        return _advice(advice)

    return Rows(rows, shape)


@router.post(
    "/communities/{slug}/advices",
    response={201: AdviceDetailOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Start a draft advice to the council (members who contribute)",
)
def start_advice(request: HttpRequest, slug: str, payload: AdviceIn):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    problems: list[tuple[str, str]] = []
    adjustments = _pick(
        Adjustment.objects.filter(community=community),
        payload.adjustment_ids,
        "adjustmentIds",
        problems,
    )
    signals = _pick(
        Signal.objects.filter(community=community), payload.signal_ids, "signalIds", problems
    )
    themes = _pick(
        Theme.objects.filter(community=community), payload.theme_ids, "themeIds", problems
    )
    co_authors = [
        user
        for user_id in payload.co_author_ids
        if (user := _member(community, user_id, "coAuthorIds", problems)) is not None
    ]
    invalid(problems)
    advice = services.start_advice(
        actor=request.user,  # type: ignore[arg-type]
        community=community,
        title=payload.title,
        question=payload.question,
        advice=payload.advice,
        adjustments=adjustments,
        signals=signals,
        themes=themes,
        co_authors=co_authors,
    )
    return Status(201, _detail(advice))


@router.get(
    "/advices/{int:id}",
    response=AdviceDetailOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="One advice dossier: its text, endorsements, decisions and history",
)
def get_advice(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    return _detail(_visible(request, id))


@router.patch(
    "/advices/{int:id}",
    response=AdviceDetailOut,
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Change a draft (its authors and the stewards); only the fields sent change",
)
def update_advice(request: HttpRequest, id: Id, payload: AdvicePatch):  # type: ignore[no-untyped-def]
    advice = _visible(request, id)
    community = advice.community
    changes = payload.model_dump(exclude_unset=True)
    problems: list[tuple[str, str]] = []
    for name in ("title", "question"):
        if name in changes and changes[name] is None:
            problems.append((name, _("This field cannot be empty.")))

    def picked(key: str, queryset: Any, current: Any, name: str) -> list[Any]:
        if key not in changes:
            return list(current)
        return _pick(queryset, changes[key] or [], name, problems)

    adjustments = picked(
        "adjustment_ids",
        Adjustment.objects.filter(community=community),
        advice.adjustments.all(),
        "adjustmentIds",
    )
    signals = picked(
        "signal_ids", Signal.objects.filter(community=community), advice.signals.all(), "signalIds"
    )
    themes = picked(
        "theme_ids", Theme.objects.filter(community=community), advice.themes.all(), "themeIds"
    )
    authors = list(advice.authors.all())
    if "author_ids" in changes:
        authors = [
            user
            for user_id in changes["author_ids"] or []
            if (user := _member(community, user_id, "authorIds", problems)) is not None
        ]
    invalid(problems)
    services.change_advice(
        actor=request.user,  # type: ignore[arg-type]
        advice=advice,
        title=changes.get("title") or advice.title,
        question=changes.get("question") or advice.question,
        text=(changes["advice"] or "") if "advice" in changes else advice.advice,
        adjustments=adjustments,
        signals=signals,
        themes=themes,
        authors=authors,
    )
    return _detail(_visible(request, id))


@router.post(
    "/advices/{int:id}/endorsements",
    response={201: AdviceDetailOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Endorse the advice yourself (members who contribute, before it is offered)",
)
def endorse(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    advice = _visible(request, id)
    services.endorse(actor=request.user, advice=advice)  # type: ignore[arg-type]
    return Status(201, _detail(advice))


@router.delete(
    "/advices/{int:id}/endorsements/mine",
    response={204: None},
    auth=LOGIN_REQUIRED,
    summary="Withdraw your endorsement (before the advice is offered)",
)
def withdraw(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    advice = _visible(request, id)
    services.withdraw_endorsement(actor=request.user, advice=advice)  # type: ignore[arg-type]
    return Status(204, None)


@router.post(
    "/advices/{int:id}/transitions",
    response=AdviceDetailOut,
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Move the dossier one step (its authors or a steward)",
    description=(
        "concept → onderschreven (when both sides endorse it) → aangeboden (offeredTo, "
        "offeredOn) → geagendeerd; besluit comes with a decision (POST …/decisions); then "
        "opvolging (a note) and afgerond. With seenStage, a move made meanwhile gives 409."
    ),
)
def move(request: HttpRequest, id: Id, payload: TransitionIn):  # type: ignore[no-untyped-def]
    advice = _visible(request, id)
    services.move_advice(
        actor=request.user,  # type: ignore[arg-type]
        advice=advice,
        to_stage=payload.to_stage,
        seen_stage=payload.seen_stage,
        note=payload.note,
        offered_to=payload.offered_to or "",
        offered_on=payload.offered_on,
        channel=payload.channel,
    )
    return _detail(_visible(request, id))


@router.post(
    "/advices/{int:id}/decisions",
    response={201: AdviceDetailOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Record the council's decision (its authors or a steward)",
    description=(
        "Adopted: the adjustments and signals of the dossier move on through the loop and "
        "their raisers hear the outcome; rejected or withdrawn: its signals are answered "
        "with the reason; postponed: the dossier stays where it is."
    ),
)
def decide(request: HttpRequest, id: Id, payload: DecisionIn):  # type: ignore[no-untyped-def]
    advice = _visible(request, id)
    services.record_decision(
        actor=request.user,  # type: ignore[arg-type]
        advice=advice,
        outcome=payload.outcome,
        instrument=payload.instrument,
        decided_on=payload.decided_on,
        text=payload.text,
        reference=payload.reference,
        link=str(payload.link or ""),
    )
    return Status(201, _detail(_visible(request, id)))


class MeetingOut(CamelSchema):
    id: int
    body: MeetingBody
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    link: str
    advice_ids: list[int] = Field(description="The group's advices on its agenda.")
    is_example: bool
    url: str


@shared_list(
    router,
    "/communities/{slug}/meetings",
    MeetingOut,
    summary="Council and committee meetings of the community, the latest first",
    version=community_version,
)
def list_meetings(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    rows = (
        CouncilMeeting.objects.filter(community=community)
        .prefetch_related("items")
        .order_by("-starts_at", "-pk")
    )

    def shape(meeting: CouncilMeeting) -> dict[str, Any]:
        meeting.community = community
        return {
            "id": meeting.pk,
            "body": meeting.body,
            "title": meeting.title,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "place": meeting.place,
            "link": meeting.link,
            "advice_ids": sorted(item.advice_id for item in meeting.items.all()),
            "is_example": meeting.is_example,
            "url": absolute(meeting.get_absolute_url()),
        }

    return Rows(rows, shape)


class ArrangementOut(CamelSchema):
    id: int
    title: str
    description: str
    established_on: date
    advice_id: int | None = Field(description="The advice whose decision established it.")
    decision_outcome: str | None
    decision_link: str | None
    source: str
    in_force: bool
    ended_on: date | None
    is_example: bool


@shared_list(
    router,
    "/communities/{slug}/register",
    ArrangementOut,
    summary="What has been formally established in the community, the newest first",
    version=community_version,
)
def list_register(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    rows = (
        Arrangement.objects.filter(community=community)
        .select_related("decision")
        .order_by("-established_on", "-pk")
    )
    return Rows(
        rows,
        lambda row: {
            "id": row.pk,
            "title": row.title,
            "description": row.description,
            "established_on": row.established_on,
            "advice_id": row.decision.advice_id if row.decision else None,
            "decision_outcome": row.decision.outcome if row.decision else None,
            "decision_link": (row.decision.link or None) if row.decision else None,
            "source": row.source,
            "in_force": row.in_force,
            "ended_on": row.ended_on,
            "is_example": row.is_example,
        },
    )
