"""API: my work and what I follow (the signed-in person's own, never anyone else's)."""

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Status
from ninja.pagination import paginate
from pydantic import model_validator

from samenspel.communities.services import CommunityError
from samenspel.core.api import (
    LOGIN_REQUIRED,
    CamelSchema,
    Id,
    InputSchema,
    PageNumber,
    Rows,
    invalid,
)
from samenspel.learning import following, services
from samenspel.learning.models import Follow, PolicyObject, Theme
from samenspel.learning.stages import Stage
from samenspel.work.queries import SignalRow, my_work

router = Router(tags=["my work"])


class WorkSignalOut(CamelSchema):
    id: int
    community: str = Field(description="The slug of the community.")
    title: str
    stage: Stage
    stage_since: datetime | None
    answer_due: date | None = Field(description="The day by which the next answer is promised.")
    overdue: bool
    days_waiting: int = Field(description="Days since the signal reached its stage.")
    your_turn: bool = Field(description="Who raised it must answer (after feedback).")


class WorkRequestOut(CamelSchema):
    kind: str = Field(description="join, organisation or support.")
    id: int
    community: str
    title: str
    since: datetime


class WorkInvitationOut(CamelSchema):
    id: int
    community: str
    email: str
    expires_at: datetime


class MyWorkOut(CamelSchema):
    raised: list[WorkSignalOut]
    owned: list[WorkSignalOut]
    to_take_up: list[WorkSignalOut]
    waiting_for_decision: list[WorkRequestOut]
    invitations: list[WorkInvitationOut]


class FollowOut(CamelSchema):
    id: int
    community: str
    theme_id: int | None
    policy_object_id: int | None
    signal_id: int | None


class FollowIn(InputSchema):
    theme_id: Id | None = None
    policy_object_id: Id | None = None
    signal_id: Id | None = None

    @model_validator(mode="after")
    def exactly_one(self) -> "FollowIn":
        named = [self.theme_id, self.policy_object_id, self.signal_id]
        if sum(value is not None for value in named) != 1:
            raise ValueError("Name exactly one of themeId, policyObjectId and signalId.")
        return self


def _signal(row: SignalRow) -> dict[str, Any]:
    signal = row.signal
    return {
        "id": signal.pk,
        "community": row.community.slug,
        "title": signal.title,
        "stage": signal.stage,
        "stage_since": signal.last_event.at if signal.last_event else None,
        "answer_due": row.answer_due,
        "overdue": row.overdue,
        "days_waiting": row.days_waiting,
        "your_turn": row.your_turn,
    }


@router.get(
    "/me/work",
    response=MyWorkOut,
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="What waits for me, across my communities",
)
def get_my_work(request: HttpRequest):  # type: ignore[no-untyped-def]
    work = my_work(request.user)  # type: ignore[arg-type]
    requests = [
        {
            "kind": "join",
            "id": r.pk,
            "community": r.community.slug,
            "title": r.user.name,
            "since": r.created_at,
        }
        for r in work.join_requests
    ]
    requests += [
        {
            "kind": "organisation",
            "id": m.pk,
            "community": m.community.slug,
            "title": f"{m.user.name} – {m.organisation.name if m.organisation else ''}",
            "since": m.joined_at,
        }
        for m in work.organisation_requests
    ]
    requests += [
        {
            "kind": "support",
            "id": s.pk,
            "community": s.offer.community.slug,
            "title": f"{s.initiative.name} – {s.offer.name}",
            "since": s.requested_at,
        }
        for s in work.support_requests
    ]
    return {
        "raised": [_signal(row) for row in work.raised],
        "owned": [_signal(row) for row in work.owned],
        "to_take_up": [_signal(row) for row in work.to_take_up],
        "waiting_for_decision": requests,
        "invitations": [
            {
                "id": i.pk,
                "community": i.community.slug,
                "email": i.email,
                "expires_at": i.expires_at,
            }
            for i in work.invitations
        ],
    }


def _follow_data(item: Follow) -> dict[str, Any]:
    return {
        "id": item.pk,
        "community": item.community.slug,
        "theme_id": item.theme_id,
        "policy_object_id": item.policy_object_id,
        "signal_id": item.signal_id,
    }


@router.get(
    "/me/follows",
    response=list[FollowOut],
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="The themes, policy objects and signals I follow",
)
@paginate(PageNumber)
def list_follows(request: HttpRequest):  # type: ignore[no-untyped-def]
    rows = Follow.objects.filter(user_id=int(request.user.pk or 0)).select_related("community")
    rows = rows.order_by("pk")
    return Rows(rows, _follow_data)


@router.post(
    "/me/follows",
    response={201: FollowOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Follow a theme, a policy object or a signal",
    description="Following what you follow already answers with that follow.",
)
def create_follow(request: HttpRequest, payload: FollowIn):  # type: ignore[no-untyped-def]
    subject: following.Subject | None = None
    if payload.signal_id is not None:
        try:
            subject = services.get_signal_for_user(request.user, payload.signal_id)
        except Http404:
            invalid([("signalId", "No such signal, or not visible to you.")])
    elif payload.theme_id is not None:
        subject = Theme.objects.filter(pk=payload.theme_id).select_related("community").first()
    elif payload.policy_object_id is not None:
        subject = (
            PolicyObject.objects.filter(pk=payload.policy_object_id)
            .select_related("community")
            .first()
        )
    if subject is None or subject.community.archived_at is not None:
        name = "themeId" if payload.theme_id else "policyObjectId"
        invalid([(name, "No such theme or policy object.")])
        raise AssertionError  # invalid() raised
    item = following.follow(actor=request.user, subject=subject)  # type: ignore[arg-type]
    return Status(201, _follow_data(item))


@router.delete(
    "/me/follows/{int:id}",
    response={204: None},
    auth=LOGIN_REQUIRED,
    summary="Stop following",
)
def delete_follow(request: HttpRequest, id: Id) -> HttpResponse:
    item = get_object_or_404(Follow, pk=id, user=request.user)
    subject = item.theme or item.policy_object or item.signal
    if subject is None:
        raise CommunityError("Nothing is followed.", code="not_found", status=404)
    following.unfollow(actor=request.user, subject=subject)  # type: ignore[arg-type]
    return HttpResponse(status=204)
