"""Peer consultation in a session: start one (stewards), the page where its rounds are
captured, and the way on to the lessons it ends in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.practice import consultations, permissions
from samenspel.practice.forms import ConsultationForm, RoundForm
from samenspel.practice.models import ConsultationRound, PeerConsultation
from samenspel.practice.views import form_page


@login_required
def start(request: AuthenticatedHttpRequest, slug: str, session_id: int) -> HttpResponse:
    session = permissions.get_session_for_member(request.user, slug, session_id)
    community = session.community
    if not permissions.can_plan_sessions(request.user, community):
        raise Http404("Stewards only.")
    form = ConsultationForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            started = consultations.start_consultation(
                actor=request.user, session=session, **form.cleaned_data
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            return redirect(started.get_absolute_url())
    return form_page(
        request,
        community,
        form,
        title=_("Start a peer consultation"),
        intro=_(
            "One member brings a case from practice, with a question. The group works "
            "through it in rounds; you write down briefly what each round brought."
        ),
        back_url=session.get_absolute_url(),
        submit_label=_("Start"),
    )


def _consultation(
    request: HttpRequest, slug: str, session_id: int, consultation_id: int
) -> PeerConsultation:
    session = permissions.get_session_for_member(request.user, slug, session_id)
    consultation = get_object_or_404(
        PeerConsultation.objects.select_related("case_bringer", "method"),
        pk=consultation_id,
        session=session,
    )
    consultation.session = session
    return consultation


def detail(request: HttpRequest, slug: str, session_id: int, consultation_id: int) -> HttpResponse:
    consultation = _consultation(request, slug, session_id, consultation_id)
    community = consultation.session.community
    can_keep = permissions.can_keep_consultation(request.user, consultation)
    rounds = list(consultation.rounds.all())
    for round_ in rounds:
        round_.form = (  # type: ignore[attr-defined]
            RoundForm(prefix=f"round-{round_.number}", initial={"notes": round_.notes})
            if can_keep
            else None
        )
    return render(
        request,
        "practice/consultation.html",
        _community_context(
            request,
            community,
            page="sessions",
            consultation=consultation,
            session=consultation.session,
            rounds=rounds,
            lessons=list(consultation.lessons.all()),
            can_keep=can_keep,
            can_write=permissions.can_write_lesson(request.user, community),
        ),
    )


@login_required
@require_POST
def write_round(
    request: AuthenticatedHttpRequest,
    slug: str,
    session_id: int,
    consultation_id: int,
    number: int,
) -> HttpResponse:
    consultation = _consultation(request, slug, session_id, consultation_id)
    round_ = get_object_or_404(ConsultationRound, consultation=consultation, number=number)
    round_.consultation = consultation
    form = RoundForm(request.POST, prefix=f"round-{number}")
    if form.is_valid():
        try:
            consultations.write_round(
                actor=request.user, round_=round_, notes=form.cleaned_data["notes"]
            )
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The round is saved."))
    return redirect(f"{consultation.get_absolute_url()}#round-{number}")
