"""Learning questions and the library of lessons: lists, one question with what it came
from and what was learned, and the forms (practice/questions.py decides)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.models import Community
from samenspel.communities.permissions import can_view_community, get_community_for_user
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_audience, community_version
from samenspel.core.pagecache import cache_for_members, cache_for_visitors
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.practice import permissions, questions
from samenspel.practice.forms import LessonForm, QuestionForm
from samenspel.practice.models import AgendaItem, LearningQuestion, Lesson, QuestionStatus
from samenspel.practice.views import form_page

LESSONS_PAGE_SIZE = 20


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def question_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    rows = list(LearningQuestion.objects.filter(community=community).order_by("-created_at"))
    groups = [
        (status, label, [q for q in rows if q.status == status])
        for status, label in QuestionStatus.choices
    ]
    return render(
        request,
        "practice/questions.html",
        _community_context(
            request,
            community,
            page="sessions",
            groups=groups,
            can_raise=permissions.can_raise_question(request.user, community),
        ),
    )


@login_required
def new_question(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_raise_question(request.user, community):
        raise Http404("Cannot raise learning questions.")
    initial = {"visit": request.GET["visit"]} if request.GET.get("visit", "").isdigit() else {}
    form = QuestionForm(request.POST or None, initial=initial, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            raised = questions.raise_question(
                actor=request.user, community=community, **form.cleaned_data
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your learning question is there. Others can add lessons."))
            return redirect(raised.get_absolute_url())
    return form_page(
        request,
        community,
        form,
        title=_("Ask a learning question"),
        intro=_("A question the whole group can learn from, in practice and in policy."),
        back_url=reverse("learning_questions", args=[community.slug]),
    )


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def question_detail(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    question = get_object_or_404(
        LearningQuestion.objects.select_related("raised_by"), pk=question_id, community=community
    )
    question.community = community
    sessions = sorted(
        {
            item.session
            for item in AgendaItem.objects.filter(learning_question=question).select_related(
                "session"
            )
        },
        key=lambda session: session.starts_at,
    )
    return render(
        request,
        "practice/question.html",
        _community_context(
            request,
            community,
            page="sessions",
            question=question,
            signals=list(question.signals.select_related("last_event")),
            sessions=sessions,
            lessons=list(question.lessons.select_related("session")),
            statuses=QuestionStatus.choices,
            can_change=permissions.can_change_question(request.user, question),
            can_write=permissions.can_write_lesson(request.user, community),
        ),
    )


@login_required
@require_POST
def question_status(request: AuthenticatedHttpRequest, slug: str, question_id: int) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    question = get_object_or_404(LearningQuestion, pk=question_id, community=community)
    question.community = community
    try:
        questions.set_question_status(
            actor=request.user, question=question, status=request.POST.get("status", "")
        )
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The status is saved."))
    return redirect(question.get_absolute_url())


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def lesson_library(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    text = request.GET.get("q", "")[:200]
    lessons = Lesson.objects.filter(community=community).select_related("question", "session")
    lessons = questions.search_lessons(lessons, text) if text.strip() else lessons
    page = Paginator(lessons, LESSONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "practice/lessons.html",
        _community_context(
            request,
            community,
            page="sessions",
            page_obj=page,
            q=text,
            can_write=permissions.can_write_lesson(request.user, community),
        ),
    )


@login_required
def new_lesson(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_write_lesson(request.user, community):
        raise Http404("Cannot write lessons.")
    initial = {
        name: request.GET.get(name)
        for name in ("question", "session", "consultation", "visit")
        if request.GET.get(name, "").isdigit()
    }
    form = LessonForm(request.POST or None, initial=initial, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = questions.write_lesson(
                actor=request.user, community=community, **form.cleaned_data
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The lesson is written down. Thank you."))
            if lesson.consultation is not None:
                return redirect(lesson.consultation.get_absolute_url())
            if lesson.visit is not None:
                return redirect(lesson.visit.get_absolute_url())
            if lesson.question is not None:
                return redirect(lesson.question.get_absolute_url())
            return redirect("lessons", slug=community.slug)
    return form_page(
        request,
        community,
        form,
        title=_("Write down a lesson"),
        intro=_("What did the group learn? Write it so that someone who was not there can use it."),
        back_url=reverse("lessons", args=[community.slug]),
    )


def lesson_detail(request: HttpRequest, slug: str, lesson_id: int) -> HttpResponse:
    """One lesson. Who may not see the group reads it here when it is marked public, without
    the group's menu (its other pages are not for them)."""
    lesson = permissions.get_lesson_for_user(request.user, slug, lesson_id)
    community = lesson.community
    inside = can_view_community(request.user, community)
    return render(
        request,
        "practice/lesson.html",
        _community_context(
            request,
            community,
            page="sessions",
            lesson=lesson,
            inside=inside,
            member=permissions.can_see_who_comes(request.user, community),
        ),
    )


@cache_for_visitors(lambda request, kwargs: Community.objects.catalogue_version())
def public_lesson_library(request: HttpRequest) -> HttpResponse:
    """Lessons from practice that groups chose to share with everyone, across the country."""
    text = request.GET.get("q", "")[:200]
    lessons = permissions.public_lessons().select_related("community")
    lessons = questions.search_lessons(lessons, text) if text.strip() else lessons
    page = Paginator(lessons, LESSONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "practice/public_lessons.html", {"page_obj": page, "q": text})
