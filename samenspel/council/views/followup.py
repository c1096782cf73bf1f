"""Pages after the council's decision: commitments on the advice's page, the meetings
calendar and one meeting with its agenda, and the register of what has been established;
the section of overdue commitments on the community's home (council/followup.py decides)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.models import Community
from samenspel.communities.permissions import get_community_for_user
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_audience, community_version
from samenspel.core.pagecache import cache_for_members, cache_for_visitors
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.council import followup, permissions
from samenspel.council.forms import (
    AgendaForm,
    ArrangementForm,
    CommitmentForm,
    CommitmentStatusForm,
    EndArrangementForm,
    MeetingForm,
)
from samenspel.council.models import Arrangement, Commitment, CouncilMeeting

PAGE_SIZE = 25
ON_HOME = 5


def overdue_section(
    request: HttpRequest, community: Community
) -> tuple[str, dict[str, Any]] | None:
    """On the community's home: commitments past their date stand out (kept per content
    version and day, so a repeat visit runs no query)."""
    today = timezone.localdate()
    key = f"overdue-commitments:{community.pk}:{community.content_version}:{today.isoformat()}"
    rows = caches["versioned"].get(key)
    if rows is None:
        rows = [
            (c.description, c.due_on, c.owner.name if c.owner else "", c.advice.title, c.advice_id)
            for c in Commitment.objects.overdue()
            .filter(advice__community=community)
            .select_related("advice", "owner")
            .order_by("due_on", "pk")[:ON_HOME]
        ]
        caches["versioned"].set(key, rows, 3600)
    if not rows:
        return None
    return ("council/_overdue_commitments.html", {"community": community, "rows": rows})


def _form_page(request: HttpRequest, community: Community, form: Any, **extra: Any) -> HttpResponse:
    return render(
        request,
        "core/form_page.html",
        _community_context(request, community, form=form, page="council", **extra),
    )


def _say(request: HttpRequest, action: Any, done: str) -> bool:
    try:
        action()
    except CommunityError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, done)
    return True


def _errors(request: HttpRequest, form: Any) -> None:
    messages.error(
        request,
        " ".join(
            f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
            for name, errors in form.errors.items()
            for error in errors
        ),
    )


@login_required
@require_POST
def add_commitment(request: AuthenticatedHttpRequest, slug: str, advice_id: int) -> HttpResponse:
    advice = permissions.get_advice_for_user(request.user, slug, advice_id)
    form = CommitmentForm(request.POST, community=advice.community)
    if form.is_valid():
        _say(
            request,
            lambda: followup.add_commitment(actor=request.user, advice=advice, **form.cleaned_data),
            _("The commitment is written down. Who follows it up has been told."),
        )
    else:
        _errors(request, form)
    return redirect(advice.get_absolute_url())


@login_required
@require_POST
def commitment_status(
    request: AuthenticatedHttpRequest, slug: str, advice_id: int, commitment_id: int
) -> HttpResponse:
    advice = permissions.get_advice_for_user(request.user, slug, advice_id)
    commitment = get_object_or_404(Commitment, pk=commitment_id, advice=advice)
    commitment.advice = advice
    form = CommitmentStatusForm(request.POST)
    if form.is_valid():
        _say(
            request,
            lambda: followup.set_commitment_status(
                actor=request.user, commitment=commitment, status=form.cleaned_data["status"]
            ),
            _("The status is saved."),
        )
    else:
        _errors(request, form)
    return redirect(advice.get_absolute_url())


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def meeting_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    meetings = CouncilMeeting.objects.filter(community=community)
    now = timezone.now()
    upcoming = list(meetings.filter(ends_at__gte=now).order_by("starts_at", "pk")[:50])
    past = Paginator(meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk"), PAGE_SIZE)
    return render(
        request,
        "council/meetings.html",
        _community_context(
            request,
            community,
            page="council",
            upcoming=upcoming,
            page_obj=past.get_page(request.GET.get("page")),
            can_keep=permissions.can_keep_meetings(request.user, community),
        ),
    )


@login_required
def plan_meeting(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_keep_meetings(request.user, community):
        raise Http404("Cannot keep the meetings calendar.")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = followup.plan_meeting(
                actor=request.user, community=community, **form.service_fields()
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The meeting is in the group's calendar."))
            return redirect(meeting.get_absolute_url())
    return _form_page(
        request,
        community,
        form,
        title=_("Add a council meeting"),
        intro=_(
            "A council meeting, a committee or a rondetafelgesprek where an advice of the "
            "group comes up. It appears in the group's calendar."
        ),
        submit_label=_("Add the meeting"),
        back_url=reverse("council_meetings", args=[slug]),
    )


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def meeting_detail(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user(request.user, slug, meeting_id)
    community = meeting.community
    can_keep = permissions.can_keep_meetings(request.user, community)
    return render(
        request,
        "council/meeting.html",
        _community_context(
            request,
            community,
            page="council",
            meeting=meeting,
            items=list(meeting.items.select_related("advice")),
            can_keep=can_keep and not meeting.is_cancelled,
            agenda_form=(
                AgendaForm(community=community) if can_keep and not meeting.is_cancelled else None
            ),
        ),
    )


@login_required
def edit_meeting(request: AuthenticatedHttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user(request.user, slug, meeting_id)
    if not permissions.can_keep_meetings(request.user, meeting.community) or meeting.is_cancelled:
        raise Http404("Cannot change this meeting.")
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            followup.change_meeting(actor=request.user, meeting=meeting, **form.service_fields())
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The meeting is changed. Calendars follow by themselves."))
            return redirect(meeting.get_absolute_url())
    return _form_page(
        request,
        meeting.community,
        form,
        title=_("Change the meeting"),
        back_url=meeting.get_absolute_url(),
    )


@login_required
@require_POST
def cancel_meeting(request: AuthenticatedHttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user(request.user, slug, meeting_id)
    _say(
        request,
        lambda: followup.cancel_meeting(actor=request.user, meeting=meeting),
        _("The meeting is cancelled. The authors of the advices on its agenda have been told."),
    )
    return redirect(meeting.get_absolute_url())


@login_required
@require_POST
def add_to_agenda(request: AuthenticatedHttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    meeting = permissions.get_meeting_for_user(request.user, slug, meeting_id)
    form = AgendaForm(request.POST, community=meeting.community)
    if form.is_valid():
        _say(
            request,
            lambda: followup.put_on_agenda(
                actor=request.user, meeting=meeting, **form.cleaned_data
            ),
            _("The advice is on the agenda."),
        )
    else:
        _errors(request, form)
    return redirect(meeting.get_absolute_url())


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def register(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    show = request.GET.get("show", "")
    rows = Arrangement.objects.filter(community=community).select_related("decision__advice")
    if show == "in-force":
        rows = rows.filter(in_force=True)
    page = Paginator(rows.order_by("-established_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "council/register.html",
        _community_context(
            request,
            community,
            page="council",
            page_obj=page,
            show=show,
            can_keep=permissions.can_keep_register(request.user, community),
            end_form=EndArrangementForm(),
        ),
    )


@login_required
def new_arrangement(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_keep_register(request.user, community):
        raise Http404("Cannot keep the register.")
    form = ArrangementForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            followup.record_arrangement(
                actor=request.user, community=community, **form.cleaned_data
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("It is in the register."))
            return redirect("council_register", slug=slug)
    return _form_page(
        request,
        community,
        form,
        title=_("Add to the register"),
        intro=_(
            "What the council or the executive formally established: an instrument, a rule, "
            "an arrangement. Name the decision, or give a link to the source."
        ),
        back_url=reverse("council_register", args=[slug]),
    )


@login_required
@require_POST
def end_arrangement(
    request: AuthenticatedHttpRequest, slug: str, arrangement_id: int
) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    arrangement = get_object_or_404(Arrangement, pk=arrangement_id, community=community)
    arrangement.community = community
    form = EndArrangementForm(request.POST)
    if form.is_valid():
        _say(
            request,
            lambda: followup.end_arrangement(
                actor=request.user, arrangement=arrangement, ended_on=form.cleaned_data["ended_on"]
            ),
            _("Marked as no longer in force. It stays in the register."),
        )
    else:
        _errors(request, form)
    return redirect("council_register", slug=slug)
