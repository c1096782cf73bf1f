"""The health of the group: the anonymous pulse after a session, and one dashboard with
charts and their data tables (practice/health.py computes the figures)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.models import Side
from samenspel.communities.permissions import get_community_for_user
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_audience, community_version
from samenspel.core.charts import BarChart, category_chart
from samenspel.core.pagecache import cache_for_members, cache_for_visitors, dated
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.practice import health, permissions
from samenspel.practice.forms import PulseForm, StageForm
from samenspel.practice.models import StageAssessment


def _chart(title: str, rows: list[health.PulseRow], question: str) -> BarChart | None:
    series = [
        (f"{row.session.starts_at:%d-%m}", getattr(row, question))
        for row in rows
        if not row.side and getattr(row, question) is not None
    ]
    if not series:
        return None
    summary = _("%(title)s, average per session (1 to 5): %(values)s.") % {
        "title": title,
        "values": "; ".join(f"{name}: {localize(value)}" for name, value in series),
    }
    return category_chart(
        title,
        "",
        [(name, Decimal(value)) for name, value in series],
        summary=summary,
        label_format=lambda value: str(localize(float(value))),
        width=420,
        height=200,
    )


# Per day too: the quarters table turns over at a quarter's end without any change.
@cache_for_visitors(dated(community_version))
@cache_for_members(dated(community_audience))
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Whoever may see the community sees how it is doing: figures only, no names (the
    pulse's comments are for stewards)."""
    community = get_community_for_user(request.user, slug)
    figures = health.dashboard_figures(community)  # kept per content version
    rows = figures.pulse_rows
    charts = [
        chart
        for chart in (
            _chart(_("Trust"), rows, "trust"),
            _chart(_("Mutual understanding"), rows, "understanding"),
            _chart(_("Usefulness"), rows, "usefulness"),
        )
        if chart is not None
    ]
    circle = figures.circle
    can_plan = permissions.can_plan_sessions(request.user, community)
    return render(
        request,
        "practice/health.html",
        _community_context(
            request,
            community,
            page="sessions",
            pulse_rows=rows,
            charts=charts,
            min_answers=health.MIN_ANSWERS,
            circle=circle,
            sides=Side.choices,
            circle_chart=category_chart(
                _("Members"),
                "",
                [(f"{row.day:%m-%Y}", Decimal(row.total)) for row in circle],
                summary=_("Active members at the end of each quarter: %(values)s.")
                % {"values": "; ".join(f"{row.label}: {row.total}" for row in circle)},
                width=420,
                height=200,
            ),
            organisations=figures.organisations,
            first_timers=figures.first_timers,
            stages=list(StageAssessment.objects.filter(community=community)[:12]),
            stage_form=StageForm() if can_plan else None,
            comments=health.comments(community) if can_plan else [],
            can_plan=can_plan,
        ),
    )


@login_required
@require_POST
def record_stage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_member(request.user, slug)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            health.record_stage(actor=request.user, community=community, **form.cleaned_data)
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved where the group stands."))
    else:
        messages.error(request, _("Choose a stage from the list."))
    return redirect("health", slug=community.slug)


@login_required
def pulse(request: AuthenticatedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_member(request.user, slug, session_id)
    community = session.community
    form = PulseForm(request.POST or None)
    answered = health.has_answered(request.user, session)
    if request.method == "POST" and form.is_valid() and not answered:
        try:
            health.answer_pulse(actor=request.user, session=session, **form.cleaned_data)
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you. Your answer is saved without your name."))
            return redirect(session.get_absolute_url())
    return render(
        request,
        "practice/pulse.html",
        _community_context(
            request,
            community,
            page="sessions",
            session=session,
            form=form,
            answered=answered,
            is_open=health.pulse_is_open(session),
        ),
    )
