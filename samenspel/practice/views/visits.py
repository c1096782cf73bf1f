"""Pages of policy makers in practice (meelopen), members only: the group's visits to
initiatives, planning one, one visit with what it taught, and the forms that write it down
(practice/visits.py decides)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.initiatives.models import Initiative
from samenspel.learning.forms import RaiseSignalForm
from samenspel.practice import permissions, visits
from samenspel.practice.forms import VisitForm, VisitNotesForm
from samenspel.practice.models import FieldVisit
from samenspel.practice.views import form_page, small_form

PAST_PAGE_SIZE = 20
# The initiative's page shows its coming visits and the latest ones before.
ON_INITIATIVE_PAGE = 5


def initiative_section(
    request: HttpRequest, initiative: Initiative
) -> tuple[str, dict[str, Any]] | None:
    """The visits on the initiative's page (core/sections.py): for members only, with the
    way to plan one."""
    community = initiative.community
    if not permissions.can_see_visits(request.user, community):
        return None
    planned = FieldVisit.objects.filter(initiative=initiative).select_related("visitor")
    return (
        "practice/_initiative_visits.html",
        {
            "community": community,
            "initiative": initiative,
            "upcoming": list(planned.upcoming()[:ON_INITIATIVE_PAGE]),
            "past": list(planned.past()[:ON_INITIATIVE_PAGE]),
            "can_plan": permissions.can_plan_visit(request.user, initiative),
            "can_invite": permissions.can_invite_visitor(request.user, initiative),
        },
    )


def visit_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_member(request.user, slug)
    all_visits = FieldVisit.objects.filter(community=community).select_related(
        "initiative", "visitor"
    )
    past = Paginator(all_visits.past(), PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "practice/visits.html",
        _community_context(
            request,
            community,
            page="sessions",
            upcoming=list(all_visits.upcoming()[:50]),
            page_obj=past,
        ),
    )


@login_required
def plan_visit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_member(request.user, slug)
    listed = Initiative.objects.listed().filter(community=community)
    # The initiative the form is for: from its link (?initiative=slug) or as posted.
    posted = request.POST.get("initiative", "")
    chosen = (
        listed.filter(pk=posted).first()
        if posted.isdigit()
        else listed.filter(slug=request.GET.get("initiative", "")).first()
    )
    if not permissions.can_plan_visits(request.user, community):
        raise Http404("Cannot plan a visit.")
    if chosen is not None:
        chosen.community = community
    # Whoever may invite someone else chooses who joins; the service checks it again.
    may_invite = permissions.can_plan_sessions(request.user, community) or (
        chosen is not None and permissions.can_invite_visitor(request.user, chosen)
    )
    form = VisitForm(
        request.POST or None,
        initial={"initiative": chosen.pk if chosen else None},
        community=community,
        may_invite=may_invite,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["initiative"].community = community
        try:
            visit = visits.plan_visit(actor=request.user, **data)
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The visit is planned. The people of %(initiative)s have been told.")
                % {"initiative": visit.initiative.name},
            )
            return redirect(visit.get_absolute_url())
    return form_page(
        request,
        community,
        form,
        title=_("Join an initiative"),
        intro=_(
            "Go along to a residents' evening, a visit on site or a board meeting. You see "
            "the practice for yourself. Afterwards you write down what you learned."
        ),
        submit_label=_("Plan the visit"),
        back_url=chosen.get_absolute_url() if chosen else reverse("field_visits", args=[slug]),
    )


def visit_detail(request: HttpRequest, slug: str, visit_id: int) -> HttpResponse:
    visit = permissions.get_visit_for_member(request.user, slug, visit_id)
    community = visit.community
    can_report = permissions.can_report_visit(request.user, visit)
    return render(
        request,
        "practice/visit.html",
        _community_context(
            request,
            community,
            page="sessions",
            visit=visit,
            lessons=list(visit.lessons.all()),
            questions=list(visit.learning_questions.all()),
            signals=list(visit.signals.select_related("last_event")),
            can_report=can_report and not visit.is_cancelled,
            can_write_notes=can_report and not visit.is_cancelled and visit.has_begun,
            can_cancel=(
                permissions.can_change_visit(request.user, visit)
                and not visit.is_cancelled
                and not visit.is_past
            ),
            notes_form=VisitNotesForm(initial={"notes": visit.notes}),
        ),
    )


@login_required
@require_POST
def cancel_visit(request: AuthenticatedHttpRequest, slug: str, visit_id: int) -> HttpResponse:
    visit = permissions.get_visit_for_member(request.user, slug, visit_id)
    return small_form(
        request,
        visit,
        _("The visit is cancelled. Everyone it concerns has been told."),
        lambda _data: visits.cancel_visit(actor=request.user, visit=visit),
    )


@login_required
@require_POST
def visit_notes(request: AuthenticatedHttpRequest, slug: str, visit_id: int) -> HttpResponse:
    visit = permissions.get_visit_for_member(request.user, slug, visit_id)
    return small_form(
        request,
        visit,
        _("Saved. The people of the initiative can read what you learned."),
        lambda data: visits.write_visit_notes(actor=request.user, visit=visit, notes=data["notes"]),
        VisitNotesForm(request.POST),
    )


@login_required
def raise_signal(request: AuthenticatedHttpRequest, slug: str, visit_id: int) -> HttpResponse:
    """A signal about what the visit showed: the loop's own form, linked to the visit."""
    visit = permissions.get_visit_for_member(request.user, slug, visit_id)
    community = visit.community
    if not permissions.can_report_visit(request.user, visit) or visit.is_cancelled:
        raise Http404("Cannot raise a signal from this visit.")
    form = RaiseSignalForm(
        request.POST or None,
        initial={"initiative": visit.initiative_id},
        community=community,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            signal = visits.raise_signal_from_visit(
                actor=request.user, visit=visit, **form.service_arguments()
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you. The signal is raised and linked to the visit."))
            return redirect(signal)
    return form_page(
        request,
        community,
        form,
        title=_("Raise a signal from this visit"),
        intro=_(
            "Did you see a rule, procedure or scheme of the municipality stand in the way? "
            "Tell what happened. Everyone involved hears what becomes of it."
        ),
        submit_label=_("Raise the signal"),
        back_url=visit.get_absolute_url(),
    )
