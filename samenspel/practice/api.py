"""API: the group's sessions — the list, one session with its agenda, decisions and action
points, planning one, answering the invitation, and the community's calendar; its ground
rules, glossary, learning questions and lessons (and the lessons shared with everyone); the
visits of its members to initiatives. The same services and predicates as the pages."""

from datetime import date, datetime
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status
from pydantic import AnyHttpUrl

from samenspel.communities.models import Community
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
    Timestamp,
    invalid,
    shared_list,
)
from samenspel.core.sites import absolute
from samenspel.initiatives.models import Initiative
from samenspel.practice import calendar, permissions, sessions, visits
from samenspel.practice.agenda import kind_of
from samenspel.practice.forms import members_of
from samenspel.practice.models import (
    Answer,
    FieldVisit,
    GlossaryTerm,
    GroundRule,
    LearningQuestion,
    Lesson,
    Session,
    VisitKind,
)
from samenspel.practice.questions import search_lessons

router = Router(tags=["practice"])


class SessionOut(CamelSchema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    cancelled: bool
    is_example: bool
    url: str = Field(description="The session's page.")
    calendar_url: str = Field(description="The session as an iCalendar file.")


class AgendaItemOut(CamelSchema):
    id: int
    title: str
    signal_id: int | None
    learning_question_id: int | None
    subject_kind: str | None = Field(
        description="What else it is about, from another part of Samenspel (advice: an "
        "advice to the council)."
    )
    subject_id: int | None
    notes: str
    discussed_at: datetime | None


class ActionPointOut(CamelSchema):
    id: int
    description: str
    owner: str | None = Field(description="The owner's display name.")
    due_on: date | None = Field(description="The date it should be done.")
    status: str


class SessionDetailOut(SessionOut):
    about: str
    online_link: str | None = Field(description="The video call; for members only.")
    minutes: str
    agenda: list[AgendaItemOut]
    decisions: list[str]
    action_points: list[ActionPointOut]
    answers: dict[str, int] | None = Field(
        description="How many come (ja), maybe come (misschien) or not (nee); for members."
    )
    my_answer: str | None = Field(description="Your own answer, if you gave one.")


class SessionIn(InputSchema):
    title: Text = Field(min_length=1, max_length=200)
    starts_at: Timestamp
    ends_at: Timestamp
    place: Text = Field("", max_length=200)
    online_link: AnyHttpUrl | None = None
    about: Text = Field("", max_length=4000)


class AnswerIn(InputSchema):
    answer: Answer = Field(description="ja, misschien or nee.")


class AnswerOut(CamelSchema):
    session_id: int
    answer: str


def _session(session: Session) -> dict[str, Any]:
    slug = session.community.slug
    return {
        "id": session.pk,
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "place": session.place,
        "cancelled": session.is_cancelled,
        "is_example": session.is_example,
        "url": absolute(session.get_absolute_url()),
        "calendar_url": absolute(reverse("session_ics", args=[slug, session.pk])),
    }


def _detail(request: HttpRequest, session: Session) -> dict[str, Any]:
    member = permissions.can_see_who_comes(request.user, session.community)
    answers = None
    mine = None
    if member:
        answers = {value: 0 for value in Answer.values}
        for response in session.responses.all():
            answers[response.answer] += 1
            if response.user_id == request.user.pk:
                mine = response.answer
    return {
        **_session(session),
        "about": session.about,
        "online_link": session.online_link if member else None,
        "minutes": session.minutes,
        "agenda": [
            {
                "id": item.pk,
                "title": item.title,
                "signal_id": item.signal_id,
                "learning_question_id": item.learning_question_id,
                "subject_kind": (kind.key if (kind := kind_of(item.subject)) else None)
                if item.subject_id
                else None,
                "subject_id": item.subject_id,
                "notes": item.notes,
                "discussed_at": item.discussed_at,
            }
            for item in session.agenda_items.prefetch_related("subject")
        ],
        "decisions": [d.text for d in session.decisions.all()],
        "action_points": [
            {
                "id": point.pk,
                "description": point.description,
                "owner": point.owner.name if point.owner else None,
                "due_on": point.due_on,
                "status": point.status,
            }
            for point in session.action_points.select_related("owner")
        ],
        "answers": answers,
        "my_answer": mine,
    }


@shared_list(
    router,
    "/communities/{slug}/sessions",
    SessionOut,
    summary="The sessions of a community, the latest first",
    version=community_version,
)
def list_sessions(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    rows = Session.objects.filter(community=community).order_by("-starts_at", "-pk")

    def shape(session: Session) -> dict[str, Any]:
        session.community = community
        return _session(session)

    return Rows(rows, shape)


@router.post(
    "/communities/{slug}/sessions",
    response={201: SessionDetailOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Plan a session (stewards); every member is invited",
)
def plan_session(request: HttpRequest, slug: str, payload: SessionIn):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    session = sessions.plan_session(
        actor=request.user,  # type: ignore[arg-type]
        community=community,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        place=payload.place,
        online_link=str(payload.online_link or ""),
        about=payload.about,
    )
    return Status(201, _detail(request, session))


@router.get(
    "/sessions/{int:id}",
    response=SessionDetailOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="One session: agenda, minutes, decisions and action points",
)
def get_session(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    return _detail(request, _visible_session(request, id))


def _visible_session(request: HttpRequest, session_id: int) -> Session:
    found = Session.objects.select_related("community").filter(pk=session_id).first()
    slug = found.community.slug if found is not None else "-"
    return permissions.get_session_for_user(request.user, slug, session_id)


@router.post(
    "/sessions/{int:id}/answers",
    response={200: AnswerOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Say whether you come (members, before the session); a new answer replaces it",
)
def answer_invitation(request: HttpRequest, id: Id, payload: AnswerIn):  # type: ignore[no-untyped-def]
    session = _visible_session(request, id)
    response = sessions.answer_invitation(
        actor=request.user,  # type: ignore[arg-type]
        session=session,
        answer=payload.answer,
    )
    return {"session_id": session.pk, "answer": response.answer}


@router.get(
    "/communities/{slug}/calendar.ics",
    auth=LOGIN_OPTIONAL,
    summary="The community's sessions as an iCalendar feed (RFC 5545)",
    response={200: str},
    openapi_extra={
        "responses": {200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}}
    },
)
def calendar_feed(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    member = permissions.can_see_who_comes(request.user, community)
    content = calendar.community_feed(community, with_link=member)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{community.slug}.ics"'
    return response


class GroundRuleOut(CamelSchema):
    id: int
    text: str
    explanation: str
    agreed_at_session_id: int | None = Field(description="The session where it was agreed.")
    in_force: bool
    is_example: bool


@shared_list(
    router,
    "/communities/{slug}/ground-rules",
    GroundRuleOut,
    summary="The community's ground rules (spelregels), in their order",
    version=community_version,
)
def list_ground_rules(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    rows = GroundRule.objects.filter(community=community).order_by("position", "pk")
    return Rows(
        rows,
        lambda rule: {
            "id": rule.pk,
            "text": rule.text,
            "explanation": rule.explanation,
            "agreed_at_session_id": rule.agreed_at_id,
            "in_force": rule.retired_at is None,
            "is_example": rule.is_example,
        },
    )


class GlossaryTermOut(CamelSchema):
    id: int
    slug: str
    term: str
    variants: list[str]
    municipality_view: str
    initiatives_view: str
    definition: str
    status: str = Field(description="in-bespreking (in discussion) or afgesproken (agreed).")
    is_example: bool


@shared_list(
    router,
    "/communities/{slug}/glossary",
    GlossaryTermOut,
    summary="The community's shared language: each term as both sides understand it",
    version=community_version,
)
def list_glossary(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    rows = GlossaryTerm.objects.filter(community=community).order_by("term", "pk")
    return Rows(
        rows,
        lambda term: {
            "id": term.pk,
            "slug": term.slug,
            "term": term.term,
            "variants": term.forms()[1:],
            "municipality_view": term.municipality_view,
            "initiatives_view": term.initiatives_view,
            "definition": term.definition,
            "status": term.status,
            "is_example": term.is_example,
        },
    )


class LearningQuestionOut(CamelSchema):
    id: int
    question: str
    explanation: str
    status: str = Field(description="open, in-onderzoek (being explored) or beantwoord.")
    signal_ids: list[int]
    lesson_count: int
    created_at: datetime
    is_example: bool


@shared_list(
    router,
    "/communities/{slug}/learning-questions",
    LearningQuestionOut,
    summary="The community's learning questions, the newest first",
    version=community_version,
)
def list_learning_questions(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    rows = (
        LearningQuestion.objects.filter(community=community)
        .annotate(lesson_count=Count("lessons"))
        .prefetch_related("signals")
        .order_by("-created_at", "-pk")
    )
    return Rows(
        rows,
        lambda question: {
            "id": question.pk,
            "question": question.question,
            "explanation": question.explanation,
            "status": question.status,
            "signal_ids": sorted(s.pk for s in question.signals.all()),
            "lesson_count": question.lesson_count,
            "created_at": question.created_at,
            "is_example": question.is_example,
        },
    )


class LessonOut(CamelSchema):
    id: int
    title: str
    text: str
    question_id: int | None
    session_id: int | None
    visit_id: int | None = Field(description="The visit to an initiative it came from.")
    is_public: bool
    created_at: datetime
    is_example: bool


class LessonFilters(CamelSchema):
    q: Text = Field("", max_length=200, description="Dutch full-text search.")


@shared_list(
    router,
    "/communities/{slug}/lessons",
    LessonOut,
    summary="The community's lessons, newest first, or best match first with q",
    version=community_version,
)
def list_lessons(request: HttpRequest, slug: str, filters: Query[LessonFilters]):  # type: ignore[no-untyped-def]
    community = get_community_for_user(request.user, slug)
    rows = Lesson.objects.filter(community=community).order_by("-created_at", "-pk")
    if filters.q:
        rows = search_lessons(rows, filters.q)
    return Rows(
        rows,
        lambda lesson: {
            "id": lesson.pk,
            "title": lesson.title,
            "text": lesson.text,
            "question_id": lesson.question_id,
            "session_id": lesson.session_id,
            "visit_id": lesson.visit_id,
            "is_public": lesson.is_public,
            "created_at": lesson.created_at,
            "is_example": lesson.is_example,
        },
    )


class PublicLessonOut(CamelSchema):
    id: int
    community: str = Field(description="The slug of the community that shared it.")
    title: str
    text: str
    created_at: datetime
    is_example: bool
    url: str = Field(description="The lesson's page.")


@shared_list(
    router,
    "/lessons",
    PublicLessonOut,
    summary="Lessons that groups shared with everyone, newest first, or best match with q",
    version=lambda request, kwargs: Community.objects.catalogue_version(),
)
def list_public_lessons(request: HttpRequest, filters: Query[LessonFilters]):  # type: ignore[no-untyped-def]
    rows = permissions.public_lessons().select_related("community").order_by("-created_at", "-pk")
    if filters.q:
        rows = search_lessons(rows, filters.q)
    return Rows(
        rows,
        lambda lesson: {
            "id": lesson.pk,
            "community": lesson.community.slug,
            "title": lesson.title,
            "text": lesson.text,
            "created_at": lesson.created_at,
            "is_example": lesson.is_example,
            "url": absolute(reverse("lesson", args=[lesson.community.slug, lesson.pk])),
        },
    )


class FieldVisitOut(CamelSchema):
    id: int
    initiative_id: int
    initiative: str = Field(description="The initiative's name.")
    visitor: str | None = Field(description="Who joins (display name).")
    kind: VisitKind = Field(description="What kind of activity is joined.")
    visit_on: date
    about: str
    cancelled: bool
    is_example: bool
    url: str = Field(description="The visit's page.")


class FieldVisitDetailOut(FieldVisitOut):
    notes: str = Field(description="What who joined saw and learned.")
    lesson_ids: list[int]
    learning_question_ids: list[int]
    signal_ids: list[int]


class FieldVisitIn(InputSchema):
    initiative_id: Id
    kind: VisitKind
    visit_on: date
    about: Text = Field(min_length=1, max_length=300)
    visitor_id: Id | None = Field(
        None, description="Who joins, if not you (the initiative's people and stewards)."
    )


def _visit(visit: FieldVisit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "initiative_id": visit.initiative_id,
        "initiative": visit.initiative.name,
        "visitor": visit.visitor.name if visit.visitor else None,
        "kind": visit.kind,
        "visit_on": visit.visit_on,
        "about": visit.about,
        "cancelled": visit.is_cancelled,
        "is_example": visit.is_example,
        "url": absolute(visit.get_absolute_url()),
    }


def _visit_detail(visit: FieldVisit) -> dict[str, Any]:
    return {
        **_visit(visit),
        "notes": visit.notes,
        "lesson_ids": sorted(visit.lessons.values_list("pk", flat=True)),
        "learning_question_ids": sorted(visit.learning_questions.values_list("pk", flat=True)),
        "signal_ids": sorted(visit.signals.values_list("pk", flat=True)),
    }


@shared_list(
    router,
    "/communities/{slug}/field-visits",
    FieldVisitOut,
    summary="Visits of the group's members to initiatives (meelopen), the latest first; members",
    version=community_version,
)
def list_field_visits(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_member(request.user, slug)
    rows = (
        FieldVisit.objects.filter(community=community)
        .select_related("initiative", "visitor")
        .order_by("-visit_on", "-pk")
    )

    def shape(visit: FieldVisit) -> dict[str, Any]:
        visit.community = community
        return _visit(visit)

    return Rows(rows, shape)


@router.post(
    "/communities/{slug}/field-visits",
    response={201: FieldVisitDetailOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Plan a visit to an initiative's activity; its people hear of it",
)
def plan_field_visit(request: HttpRequest, slug: str, payload: FieldVisitIn):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_member(request.user, slug)
    initiative = Initiative.objects.filter(community=community, pk=payload.initiative_id).first()
    visitor = None
    problems = []
    if initiative is None:
        problems.append(("initiativeId", _("No initiative with this id in this community.")))
    if payload.visitor_id is not None:
        visitor = members_of(community).filter(pk=payload.visitor_id).first()
        if visitor is None:
            problems.append(("visitorId", _("No member with this id in this community.")))
    invalid(problems)
    assert initiative is not None  # reported above
    initiative.community = community
    visit = visits.plan_visit(
        actor=request.user,  # type: ignore[arg-type]
        initiative=initiative,
        kind=payload.kind,
        visit_on=payload.visit_on,
        about=payload.about,
        visitor=visitor,
    )
    return Status(201, _visit_detail(visit))


@router.get(
    "/field-visits/{int:id}",
    response=FieldVisitDetailOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="One visit to an initiative, with what came from it; members",
)
def get_field_visit(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    found = FieldVisit.objects.select_related("community").filter(pk=id).first()
    slug = found.community.slug if found is not None else "-"
    return _visit_detail(permissions.get_visit_for_member(request.user, slug, id))
