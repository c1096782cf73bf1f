"""API of the accord: accords, versions (each with its text and endorsers), the differences
between two versions, amendments (list and propose), objections and endorsements. The
same services and predicates as the pages."""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from samenspel.accords import permissions, services
from samenspel.accords.models import (
    Accord,
    AccordVersion,
    Amendment,
    AmendmentAction,
    AmendmentStatus,
    ArticleKind,
)
from samenspel.accords.views import cached_diff
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
    shared_list,
)
from samenspel.core.sites import absolute

router = Router(tags=["accord"])


class ArticleOut(CamelSchema):
    key: str = Field(description="Stays the same from version to version.")
    kind: ArticleKind
    number: int = Field(description="Its number among the principles or the forms.")
    title: str
    text: str


class EndorserOut(CamelSchema):
    name: str
    side: str
    organisation: str | None = Field(description="On behalf of, once a steward confirmed it.")


class VersionOut(CamelSchema):
    number: int
    published_at: datetime
    preamble: str
    notes: str
    articles: list[ArticleOut]
    endorsers: list[EndorserOut]
    amendment_ids: list[int] = Field(description="The amendments this version contains.")


class AccordOut(CamelSchema):
    id: int
    title: str
    current_version: int | None
    is_example: bool
    url: str


class AccordDetailOut(AccordOut):
    current: VersionOut | None


class SegmentOut(CamelSchema):
    op: str = Field(description="equal, insert or delete.")
    text: str


class ArticleChangeOut(CamelSchema):
    key: str
    kind: ArticleKind
    status: str = Field(description="same, changed, added or removed.")
    moved: bool
    number_before: int | None
    number_after: int | None
    title: list[SegmentOut]
    text: list[SegmentOut]


class DiffOut(CamelSchema):
    from_version: int
    to_version: int
    preamble: list[SegmentOut]
    articles: list[ArticleChangeOut]


class DiffFilters(Schema):
    from_version: int = Field(alias="from", ge=1, le=100_000, description="A version number.")
    to_version: int = Field(alias="to", ge=1, le=100_000, description="A version number.")


class AmendmentOut(CamelSchema):
    id: int
    action: AmendmentAction
    target: str = Field(description="The article's key, 'preamble', or empty for a new one.")
    kind: str
    title: str
    text: str
    rationale: str
    status: AmendmentStatus
    based_on_version: int
    objections_until: datetime
    unresolved_objections: int
    published_in_version: int | None
    url: str


class AmendmentIn(InputSchema):
    action: AmendmentAction
    target: Text = Field("", max_length=36)
    kind: ArticleKind | None = None
    title: Text = Field("", max_length=200)
    text: Text = Field("", max_length=8000)
    rationale: Text = Field(min_length=1, max_length=4000)


class ObjectionIn(InputSchema):
    reason: Text = Field(min_length=1, max_length=4000)


class ObjectionOut(CamelSchema):
    id: int
    amendment_id: int
    reason: str
    resolved: bool


class EndorsementIn(InputSchema):
    for_organisation: bool = Field(
        False, description="On behalf of your confirmed organisation (a steward confirms)."
    )


class EndorsementOut(CamelSchema):
    version: int
    organisation: str | None
    confirmed: bool


def _version(version: AccordVersion) -> dict[str, Any]:
    numbers: dict[str, int] = {}
    articles = []
    for article in version.articles.order_by("kind", "position", "pk"):
        numbers[article.kind] = numbers.get(article.kind, 0) + 1
        articles.append(
            {
                "key": str(article.key),
                "kind": article.kind,
                "number": numbers[article.kind],
                "title": article.title,
                "text": article.text,
            }
        )
    endorsers = [
        {
            "name": e.user.name,
            "side": e.side,
            "organisation": e.organisation.name if e.organisation else None,
        }
        for e in version.endorsements.filter(withdrawn_at__isnull=True).select_related(
            "user", "organisation"
        )
        if e.counts
    ]
    return {
        "number": version.number,
        "published_at": version.published_at,
        "preamble": version.preamble,
        "notes": version.notes,
        "articles": articles,
        "endorsers": endorsers,
        "amendment_ids": sorted(version.published_amendments.values_list("pk", flat=True)),
    }


def _accord(accord: Accord) -> dict[str, Any]:
    current = accord.current_version()
    return {
        "id": accord.pk,
        "title": accord.title,
        "current_version": current.number if current else None,
        "is_example": accord.is_example,
        "url": absolute(accord.get_absolute_url()),
    }


def _visible(request: HttpRequest, accord_id: int) -> Accord:
    found = Accord.objects.select_related("community").filter(pk=accord_id).first()
    slug = found.community.slug if found is not None else "-"
    return permissions.get_accord_for_user(request.user, slug, accord_id)


def _amendment(amendment: Amendment) -> dict[str, Any]:
    return {
        "id": amendment.pk,
        "action": amendment.action,
        "target": amendment.target,
        "kind": amendment.kind,
        "title": amendment.title,
        "text": amendment.text,
        "rationale": amendment.rationale,
        "status": amendment.status,
        "based_on_version": amendment.based_on.number,
        "objections_until": amendment.objections_until,
        "unresolved_objections": services.unresolved(amendment),
        "published_in_version": amendment.published_in.number if amendment.published_in else None,
        "url": absolute(amendment.get_absolute_url()),
    }


@shared_list(
    router,
    "/communities/{slug}/accords",
    AccordOut,
    summary="The community's accords",
    version=community_version,
)
def list_accords(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    rows = Accord.objects.filter(community=community).order_by("created_at", "pk")

    def shape(accord: Accord) -> dict[str, Any]:
        accord.community = community
        return _accord(accord)

    return Rows(rows, shape)


@router.get(
    "/accords/{int:id}",
    response=AccordDetailOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="One accord with its current version",
)
def get_accord(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    accord = _visible(request, id)
    current = accord.current_version()
    return {**_accord(accord), "current": _version(current) if current else None}


@shared_list(
    router,
    "/accords/{int:id}/versions",
    VersionOut,
    summary="The published versions of an accord, the newest first",
    version=lambda request, kwargs: None,
)
def list_versions(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    accord = _visible(request, id)
    return Rows(accord.versions.published().order_by("-number"), _version)


@router.get(
    "/accords/{int:id}/versions/{int:number}",
    response=VersionOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="One published version, with its text and who endorses it",
)
def get_version(request: HttpRequest, id: Id, number: Id):  # type: ignore[no-untyped-def]
    accord = _visible(request, id)
    version = accord.versions.published().filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    return _version(version)


@router.get(
    "/accords/{int:id}/diff",
    response=DiffOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="Word by word, what changed from one version to another (kept once computed)",
)
def get_diff(request: HttpRequest, id: Id, filters: Query[DiffFilters]):  # type: ignore[no-untyped-def]
    accord = _visible(request, id)
    result = cached_diff(accord, filters.from_version, filters.to_version)

    def segments(items: list[Any]) -> list[dict[str, str]]:
        return [{"op": s.op, "text": s.text} for s in items]

    return {
        "from_version": result.before,
        "to_version": result.after,
        "preamble": segments(result.preamble),
        "articles": [
            {
                "key": change.key,
                "kind": change.kind,
                "status": change.status,
                "moved": change.moved,
                "number_before": change.number_before,
                "number_after": change.number_after,
                "title": segments(change.title),
                "text": segments(change.text),
            }
            for change in result.articles
        ],
    }


@shared_list(
    router,
    "/accords/{int:id}/amendments",
    AmendmentOut,
    summary="Amendments of an accord, the newest first",
    version=lambda request, kwargs: None,
)
def list_amendments(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    accord = _visible(request, id)
    rows = accord.amendments.select_related("based_on", "published_in").order_by(
        "-proposed_at", "-pk"
    )

    def shape(amendment: Amendment) -> dict[str, Any]:
        amendment.accord = accord
        return _amendment(amendment)

    return Rows(rows, shape)


@router.post(
    "/accords/{int:id}/amendments",
    response={201: AmendmentOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Propose an amendment (members who take part)",
)
def propose(request: HttpRequest, id: Id, payload: AmendmentIn):  # type: ignore[no-untyped-def]
    accord = _visible(request, id)
    amendment = services.propose_amendment(
        actor=request.user,  # type: ignore[arg-type]
        accord=accord,
        action=payload.action,
        target=payload.target,
        kind=payload.kind or "",
        title=payload.title,
        text=payload.text,
        rationale=payload.rationale,
    )
    return Status(201, _amendment(amendment))


@router.post(
    "/amendments/{int:id}/objections",
    response={201: ObjectionOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Object to an amendment, with your reasons, during its consent period",
)
def object_to(request: HttpRequest, id: Id, payload: ObjectionIn):  # type: ignore[no-untyped-def]
    found = Amendment.objects.select_related("accord__community").filter(pk=id).first()
    if found is None:
        raise Http404("No such amendment.")
    amendment = permissions.get_amendment_for_user(
        request.user, found.accord.community.slug, found.accord_id, id
    )
    objection = services.object_to(
        actor=request.user,  # type: ignore[arg-type]
        amendment=amendment,
        reason=payload.reason,
    )
    return Status(
        201,
        {
            "id": objection.pk,
            "amendment_id": amendment.pk,
            "reason": objection.reason,
            "resolved": False,
        },
    )


@router.post(
    "/accords/{int:id}/endorsements",
    response={201: EndorsementOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Endorse the current version, yourself or for your organisation",
)
def endorse(request: HttpRequest, id: Id, payload: EndorsementIn):  # type: ignore[no-untyped-def]
    accord = _visible(request, id)
    current = accord.current_version()
    if current is None:
        raise Http404("Nothing published.")
    current.accord = accord
    organisation = None
    if payload.for_organisation:
        from samenspel.communities.permissions import get_membership

        membership = get_membership(request.user, accord.community)
        organisation = membership.organisation if membership else None
    endorsement = services.endorse(
        actor=request.user,  # type: ignore[arg-type]
        version=current,
        organisation=organisation,
    )
    return Status(
        201,
        {
            "version": current.number,
            "organisation": organisation.name if organisation else None,
            "confirmed": endorsement.counts,
        },
    )


@router.delete(
    "/accords/{int:id}/endorsements/mine",
    response={204: None},
    auth=LOGIN_REQUIRED,
    summary="Withdraw your endorsement of the current version",
)
def withdraw(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    accord = _visible(request, id)
    current = accord.current_version()
    if current is None:
        raise Http404("Nothing published.")
    current.accord = accord
    services.withdraw_endorsement(actor=request.user, version=current)  # type: ignore[arg-type]
    return Status(204, None)
