"""Pages of the group's sessions: the list, one session (agenda, who comes, minutes,
decisions, action points), the forms that change them, and the calendar files. Views
parse and call the services of sessions.py; a refusal shows on the form and changes
nothing."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.models import Community
from samenspel.communities.permissions import get_community_for_user, get_membership
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_audience, community_version
from samenspel.core.pagecache import cache_for_members, cache_for_visitors
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.practice import calendar, health, permissions, sessions
from samenspel.practice.forms import (
    ActionPointForm,
    AgendaItemForm,
    AnswerForm,
    AttendanceForm,
    DecisionForm,
    DiscussedForm,
    MinutesForm,
    SessionForm,
)
from samenspel.practice.models import (
    ActionPoint,
    ActionStatus,
    AgendaItem,
    Answer,
    CalendarFeed,
    Session,
    SessionResponse,
)
from samenspel.practice.views import form_page, small_form

PAST_PAGE_SIZE = 20


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def session_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    all_sessions = Session.objects.filter(community=community)
    upcoming = list(all_sessions.upcoming()[:50])
    past = Paginator(all_sessions.past(), PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "practice/sessions.html",
        _community_context(
            request,
            community,
            page="sessions",
            upcoming=upcoming,
            page_obj=past,
            can_plan=permissions.can_plan_sessions(request.user, community),
        ),
    )


def _reader_facts(user: Any, session_id: int) -> tuple[str | None, bool]:
    """The reader's answer, and whether they own an action point of the session (one
    query)."""
    found = (
        Session.objects.filter(pk=session_id)
        .annotate(
            my_answer=Subquery(
                SessionResponse.objects.filter(session=OuterRef("pk"), user=user).values("answer")[
                    :1
                ]
            ),
            owns_point=Exists(ActionPoint.objects.filter(session=OuterRef("pk"), owner=user)),
        )
        .order_by()
        .values_list("my_answer", "owns_point")
        .first()
    )
    return found if found is not None else (None, False)


def _session_phase(session_id: int, version: str) -> str:
    """Where the session stands in time — before its end, in the pulse's 30 days after it,
    later — which its page shows (the answer form, the pulse link): part of the key of its
    kept copies, so that a copy made before the session ended is not served after it. Its
    times are kept per content version (every change of them raises it)."""
    key = f"session-times:{session_id}:{version}"
    times = caches["versioned"].get(key)
    if times is None:
        found = Session.objects.filter(pk=session_id).values_list("ends_at", "cancelled_at")
        times = found.first() or (None, None)
        caches["versioned"].set(key, times, 3600)
    ends_at, cancelled_at = times
    if ends_at is None or cancelled_at is not None:
        return "-"
    now = timezone.now()
    if now < ends_at:
        return "before"
    return "pulse" if now <= ends_at + timedelta(days=health.PULSE_OPEN_DAYS) else "after"


def session_version(request: HttpRequest, kwargs: dict) -> str | None:
    """The visitors' copy of a session page: per content version and phase."""
    version = community_version(request, kwargs)
    if version is None:
        return None
    return f"{version}:{_session_phase(kwargs['session_id'], version)}"


def session_audience(request: HttpRequest, kwargs: dict) -> str | None:
    """A session page shows the reader's own answer and lets the owner of an action point
    mark it: members share a copy per kind and answer; an owner of an open action point of
    this session reads their own."""
    shared = community_audience(request, kwargs)
    user = request.user
    if shared is None or not user.is_authenticated:
        return None
    session_id = kwargs["session_id"]
    # Kept per process while the community's content stays the same (`shared` names its
    # version, and every answer and action point raises it): no query on a repeat visit.
    key = f"session-reader:{user.pk}:{session_id}:{shared}"
    kept = caches["versioned"].get(key)
    if kept is None:
        kept = _reader_facts(user, session_id)
        caches["versioned"].set(key, kept, 3600)
    answer, owner = kept
    phase = _session_phase(session_id, shared)
    audience = f"{shared}:session={session_id}:{phase}:answer={answer or ''}"
    return f"{audience}:owner={user.pk}" if owner else audience


@cache_for_visitors(session_version)
@cache_for_members(session_audience)
def session_detail(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, slug, session_id)
    community = session.community
    user = request.user
    member = permissions.can_see_who_comes(user, community)
    can_plan = permissions.can_plan_sessions(user, community)
    responses = list(session.responses.select_related("user")) if member else []
    mine = next((r.answer for r in responses if r.user_id == user.pk), None)
    agenda = list(
        session.agenda_items.select_related("signal__last_event").prefetch_related("subject")
    )
    for item in agenda:
        # Each item's own form (its own field ids and names), for the stewards.
        item.discussed_form = (  # type: ignore[attr-defined]
            DiscussedForm(prefix=f"item-{item.pk}") if can_plan else None
        )
    action_points = list(session.action_points.select_related("owner"))
    for point in action_points:
        point.session = session
    return render(
        request,
        "practice/session.html",
        _community_context(
            request,
            community,
            page="sessions",
            session=session,
            member=member,
            can_plan=can_plan,
            can_answer=permissions.can_answer_invitation(user, session),
            pulse_open=health.pulse_is_open(session),
            consultations=list(session.consultations.all()) if member else [],
            answer_form=AnswerForm(initial={"answer": mine}),
            my_answer=Answer(mine).label if mine else "",
            coming=[r.user for r in responses if r.answer == Answer.YES],
            maybe=[r.user for r in responses if r.answer == Answer.MAYBE],
            not_coming=[r.user for r in responses if r.answer == Answer.NO],
            agenda=agenda,
            decisions=list(session.decisions.all()),
            action_points=[
                (point, permissions.can_update_action_point(user, point)) for point in action_points
            ],
            statuses=ActionStatus.choices,
            present=[a.user for a in session.attendance.select_related("user")] if member else [],
            agenda_form=AgendaItemForm(community=community) if can_plan else None,
            minutes_form=MinutesForm(initial={"minutes": session.minutes}) if can_plan else None,
            decision_form=DecisionForm() if can_plan else None,
            action_form=ActionPointForm(community=community) if can_plan else None,
            attendance_form=(
                AttendanceForm(
                    community=community,
                    initial={"present": [a.user_id for a in session.attendance.all()]},
                )
                if can_plan
                else None
            ),
        ),
    )


def _planner_only(request: HttpRequest, slug: str) -> Community:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_plan_sessions(request.user, community):
        raise Http404("Cannot plan sessions.")
    return community


def _form_page(
    request: HttpRequest,
    community: Community,
    form: Any,
    *,
    title: str,
    back_url: str,
    save: Callable[[], Session],
    intro: str = "",
    submit_label: str = "",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            session = save()
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(session.get_absolute_url())
    return form_page(
        request,
        community,
        form,
        title=title,
        intro=intro,
        submit_label=submit_label,
        back_url=back_url,
    )


@login_required
def plan_session(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = _planner_only(request, slug)
    form = SessionForm(request.POST or None)
    return _form_page(
        request,
        community,
        form,
        title=_("Plan a session"),
        intro=_("Every member gets an invitation in their messages, and by email if they wish."),
        submit_label=_("Plan and invite"),
        back_url=reverse("sessions", args=[community.slug]),
        save=lambda: sessions.plan_session(
            actor=request.user, community=community, **form.service_fields()
        ),
    )


@login_required
def edit_session(request: AuthenticatedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    _planner_only(request, slug)
    session = permissions.get_session_for_user(request.user, slug, session_id)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session))
    return _form_page(
        request,
        session.community,
        form,
        title=_("Change the session"),
        intro=_("Do you change the time or place? Everyone who may come hears of it."),
        back_url=session.get_absolute_url(),
        save=lambda: sessions.change_session(
            actor=request.user, session=session, **form.service_fields()
        ),
    )


@login_required
@require_POST
def cancel_session(request: AuthenticatedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, slug, session_id)
    return small_form(
        request,
        session,
        _("The session is cancelled. Everyone who was coming has been told."),
        lambda _data: sessions.cancel_session(actor=request.user, session=session),
    )


@login_required
@require_POST
def answer(request: AuthenticatedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, slug, session_id)
    return small_form(
        request,
        session,
        _("Thank you: your answer is saved."),
        lambda data: sessions.answer_invitation(
            actor=request.user, session=session, answer=data["answer"]
        ),
        AnswerForm(request.POST),
    )


@login_required
@require_POST
def add_agenda_item(request: AuthenticatedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, slug, session_id)
    return small_form(
        request,
        session,
        _("Added to the agenda."),
        lambda data: sessions.add_agenda_item(actor=request.user, session=session, **data),
        AgendaItemForm(request.POST, community=session.community),
    )


def _item(request: HttpRequest, slug: str, session_id: int, item_id: int) -> AgendaItem:
    session = permissions.get_session_for_user(request.user, slug, session_id)
    item = get_object_or_404(
        AgendaItem.objects.select_related("signal"), pk=item_id, session=session
    )
    item.session = session
    return item


@login_required
@require_POST
def discussed(
    request: AuthenticatedHttpRequest, slug: str, session_id: int, item_id: int
) -> HttpResponse:
    item = _item(request, slug, session_id, item_id)
    return small_form(
        request,
        item.session,
        _("Recorded as discussed."),
        lambda data: sessions.discuss_agenda_item(
            actor=request.user, item=item, notes=data["notes"]
        ),
        DiscussedForm(request.POST, prefix=f"item-{item.pk}"),
    )


@login_required
@require_POST
def remove_agenda_item(
    request: AuthenticatedHttpRequest, slug: str, session_id: int, item_id: int
) -> HttpResponse:
    item = _item(request, slug, session_id, item_id)
    return small_form(
        request,
        item.session,
        _("Removed from the agenda."),
        lambda _data: sessions.remove_agenda_item(actor=request.user, item=item),
    )


@login_required
@require_POST
def attendance(request: AuthenticatedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, slug, session_id)
    return small_form(
        request,
        session,
        _("Saved who was there."),
        lambda data: sessions.record_attendance(
            actor=request.user, session=session, users=data["present"]
        ),
        AttendanceForm(request.POST, community=session.community),
    )


@login_required
@require_POST
def minutes(request: AuthenticatedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, slug, session_id)
    return small_form(
        request,
        session,
        _("The minutes are saved."),
        lambda data: sessions.write_minutes(
            actor=request.user, session=session, minutes=data["minutes"]
        ),
        MinutesForm(request.POST),
    )


@login_required
@require_POST
def add_decision(request: AuthenticatedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, slug, session_id)
    return small_form(
        request,
        session,
        _("The decision is recorded."),
        lambda data: sessions.add_decision(actor=request.user, session=session, text=data["text"]),
        DecisionForm(request.POST),
    )


@login_required
@require_POST
def add_action_point(request: AuthenticatedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, slug, session_id)
    return small_form(
        request,
        session,
        _("The action point is recorded. Its owner has been told."),
        lambda data: sessions.add_action_point(actor=request.user, session=session, **data),
        ActionPointForm(request.POST, community=session.community),
    )


@login_required
@require_POST
def action_point_status(
    request: AuthenticatedHttpRequest, slug: str, session_id: int, point_id: int
) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, slug, session_id)
    point = get_object_or_404(ActionPoint, pk=point_id, session=session)
    point.session = session
    return small_form(
        request,
        session,
        _("The action point is updated."),
        lambda _data: sessions.set_action_point_status(
            actor=request.user, point=point, status=request.POST.get("status", "")
        ),
    )


# Calendar files.


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def session_ics(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_user(request.user, slug, session_id)
    member = permissions.can_see_who_comes(request.user, session.community)
    return _ics(calendar.session_file(session, with_link=member), f"session-{session.pk}.ics")


def calendar_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's calendar: public for a public community; a member's own address
    (`?key=`) for a private one, and with the online links."""
    key = request.GET.get("key", "")
    if key:
        feed = (
            CalendarFeed.objects.select_related("community", "user")
            .filter(key=key, community__slug=slug, community__archived_at__isnull=True)
            .first()
        )
        if feed is None or get_membership(feed.user, feed.community) is None:
            raise Http404("No such calendar.")
        return _ics(calendar.community_feed(feed.community, with_link=True), f"{slug}.ics")
    community = get_community_for_user(request.user, slug)
    member = permissions.can_see_who_comes(request.user, community)
    return _ics(calendar.community_feed(community, with_link=member), f"{slug}.ics")


def calendar_page(request: HttpRequest, slug: str) -> HttpResponse:
    """How to put the group's sessions in one's own calendar; a member makes (or renews)
    their own address with a button."""
    community = get_community_for_user(request.user, slug)
    user = request.user
    member = user.is_authenticated and get_membership(user, community) is not None
    feed = (
        CalendarFeed.objects.filter(community=community, user=user).first()
        if member and user.is_authenticated
        else None
    )
    if request.method == "POST" and request.user.is_authenticated:
        try:
            sessions.calendar_feed(actor=request.user, community=community, renew=feed is not None)
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("You have a new calendar address. An older one no longer works.")
                if feed
                else _("Your calendar address is ready."),
            )
        return redirect("session_calendar", slug=community.slug)
    public_url = request.build_absolute_uri(reverse("calendar_feed", args=[community.slug]))
    return render(
        request,
        "practice/calendar.html",
        _community_context(
            request,
            community,
            page="sessions",
            member=member,
            feed_url=f"{public_url}?key={feed.key}" if feed else "",
            public_url=public_url if community.is_public else "",
        ),
    )
