"""Pages of the council's route: the advices of a community, one advice with its
endorsements, links and history, and the forms that move it (council/services.py
decides; a refusal shows on the page and changes nothing)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.permissions import get_community_for_user, get_membership
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_audience, community_version
from samenspel.core.pagecache import cache_for_members, cache_for_visitors
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.council import documents, permissions, services
from samenspel.council.forms import (
    ADVICE_LINKS,
    AdviceForm,
    CommitmentForm,
    DecisionForm,
    MoveForm,
    OfferForm,
)
from samenspel.council.models import AdviceStage, CommitmentStatus, CouncilAdvice, Endorsement
from samenspel.learning.models import Adjustment, Signal
from samenspel.practice.models import AgendaItem

PAGE_SIZE = 25


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def advice_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    stage = request.GET.get("stage", "")
    advices = CouncilAdvice.objects.filter(community=community)
    if stage in AdviceStage.values:
        advices = advices.filter(stage=stage)
    page = Paginator(advices.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for advice in page:
        advice.community = community
    return render(
        request,
        "council/advices.html",
        _community_context(
            request,
            community,
            page="council",
            page_obj=page,
            stages=AdviceStage.choices,
            stage=stage,
            can_write=permissions.can_write_advice(request.user, community),
        ),
    )


def _form_page(request: HttpRequest, community: Any, form: Any, **extra: Any) -> HttpResponse:
    return render(
        request,
        "core/form_page.html",
        _community_context(request, community, form=form, page="council", **extra),
    )


@login_required
def new_advice(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_write_advice(request.user, community):
        raise Http404("Cannot write an advice here.")
    initial: dict[str, object] = {}
    for name in ADVICE_LINKS:
        if request.GET.get(name[:-1], "").isdigit():  # ?signal=12, ?adjustment=3
            initial[name] = [request.GET[name[:-1]]]
    form = AdviceForm(request.POST or None, community=community, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            advice = services.start_advice(
                actor=request.user,
                community=community,
                title=data["title"],
                question=data["question"],
                advice=data["advice"],
                adjustments=list(data["adjustments"]),
                signals=list(data["signals"]),
                themes=list(data["themes"]),
                co_authors=list(data["authors"]),
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The draft is there. Ask members of both sides to endorse it."),
            )
            return redirect(advice.get_absolute_url())
    return _form_page(
        request,
        community,
        form,
        title=_("Write an advice to the council"),
        intro=_(
            "Where the council must decide, the group advises. Write the question and the "
            "group's advice. When members of the municipality and of the initiatives endorse "
            "it, you offer it to the council."
        ),
        submit_label=_("Save the draft"),
        back_url=reverse("council_advices", args=[slug]),
    )


@login_required
def edit_advice(request: AuthenticatedHttpRequest, slug: str, advice_id: int) -> HttpResponse:
    advice = permissions.get_advice_for_user(request.user, slug, advice_id)
    if not permissions.can_change_advice(request.user, advice):
        raise Http404("Cannot change this advice.")
    form = AdviceForm(request.POST or None, instance=advice, community=advice.community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_advice(
                actor=request.user,
                advice=advice,
                title=data["title"],
                question=data["question"],
                text=data["advice"],
                adjustments=list(data["adjustments"]),
                signals=list(data["signals"]),
                themes=list(data["themes"]),
                authors=list(data["authors"]),
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The draft is changed."))
            return redirect(advice.get_absolute_url())
    return _form_page(
        request,
        advice.community,
        form,
        title=_("Change the draft"),
        intro=_("Once the group endorsed it, the text stays as it was endorsed."),
        back_url=advice.get_absolute_url(),
    )


def advice_audience(request: HttpRequest, kwargs: dict) -> str | None:
    """Members share a copy per kind, unless they wrote or endorsed it (their buttons)."""
    shared = community_audience(request, kwargs)
    if shared is None:
        return None
    user_id = int(request.user.pk or 0)
    advice_id = kwargs["advice_id"]
    # Kept per process while the community's content stays the same (`shared` names its
    # version, and writing, co-authoring and endorsing raise it): no query on a repeat visit.
    key = f"advice-reader:{user_id}:{advice_id}:{shared}"
    involved = caches["versioned"].get(key)
    if involved is None:
        involved = (
            CouncilAdvice.authors.through.objects.filter(
                counciladvice_id=advice_id, user_id=user_id
            ).exists()
            or Endorsement.objects.filter(advice_id=advice_id, user_id=user_id).exists()
        )
        caches["versioned"].set(key, involved, 3600)
    return f"{shared}:advice={advice_id}:me={user_id}" if involved else shared


def _linked_signals(advice: CouncilAdvice) -> QuerySet[Signal]:
    """The signals the advice answers, as services.linked_signals defines them (those it
    names and those of its adjustments), found through the two link tables' indexes: the
    OR over two joins with DISTINCT read every signal of the database on PostgreSQL
    (0.4 s with 200,000 signals)."""
    named = CouncilAdvice.signals.through.objects.filter(counciladvice_id=advice.pk)
    adjustments = CouncilAdvice.adjustments.through.objects.filter(counciladvice_id=advice.pk)
    of_adjustments = Adjustment.signals.through.objects.filter(
        adjustment_id__in=adjustments.values("adjustment_id")
    )
    return Signal.objects.filter(
        pk__in=named.values("signal_id").union(of_adjustments.values("signal_id"))
    ).order_by("raised_at", "pk")


@cache_for_visitors(community_version)
@cache_for_members(advice_audience)
def advice_detail(request: HttpRequest, slug: str, advice_id: int) -> HttpResponse:
    advice = permissions.get_advice_for_user(request.user, slug, advice_id)
    community = advice.community
    user = request.user
    endorsements = list(advice.endorsements.select_related("user", "organisation"))
    mine = next((e for e in endorsements if e.user_id == user.pk), None)
    counts = services.endorsement_counts(advice)
    signals = list(_linked_signals(advice).select_related("last_event"))
    for signal in signals:
        signal.community = community  # its address, without a query per signal
    can_move = permissions.can_move_advice(user, advice)
    next_stages = sorted(services.MOVES.get(advice.stage, set())) if can_move else []
    return render(
        request,
        "council/advice.html",
        _community_context(
            request,
            community,
            page="council",
            advice=advice,
            authors=list(advice.authors.all()),
            endorsements=endorsements,
            counts=counts,
            endorsed=all(count.met for count in counts),  # services.endorsed_by_the_group
            mine=mine,
            can_endorse=permissions.can_endorse(user, advice) and get_membership(user, community),
            can_confirm=permissions.can_confirm_side(user, advice),
            can_change=permissions.can_change_advice(user, advice),
            can_decide=can_move and advice.stage in services.DECIDABLE,
            next_stages=[(stage, AdviceStage(stage).label) for stage in next_stages],
            offer_form=OfferForm(
                initial={"to_stage": AdviceStage.AANGEBODEN, "seen_stage": advice.stage}
            ),
            adjustments=list(advice.adjustments.all()),
            signals=signals,
            themes=list(advice.themes.all()),
            decisions=list(advice.decisions.all()),
            commitments=[
                (c, permissions.can_update_commitment(user, c))
                for c in advice.commitments.select_related("owner")
            ],
            commitment_form=(
                CommitmentForm(community=community)
                if permissions.can_keep_commitments(user, advice)
                and advice.stage in (AdviceStage.BESLUIT, AdviceStage.OPVOLGING)
                else None
            ),
            commitment_statuses=CommitmentStatus.choices,
            events=list(advice.events.select_related("actor")),
            sessions=sorted(
                {
                    item.session
                    for item in AgendaItem.objects.filter(
                        subject_type=ContentType.objects.get_for_model(CouncilAdvice),
                        subject_id=advice.pk,
                    ).select_related("session")
                },
                key=lambda session: session.starts_at,
            ),
            stages=AdviceStage.choices,
        ),
    )


def _done(request: HttpRequest, advice: CouncilAdvice, text: str, action: Any) -> HttpResponse:
    try:
        action()
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, text)
    return redirect(advice.get_absolute_url())


@login_required
@require_POST
def endorse(request: AuthenticatedHttpRequest, slug: str, advice_id: int) -> HttpResponse:
    advice = permissions.get_advice_for_user(request.user, slug, advice_id)
    if request.POST.get("withdraw"):
        return _done(
            request,
            advice,
            _("Your endorsement is withdrawn."),
            lambda: services.withdraw_endorsement(actor=request.user, advice=advice),
        )
    return _done(
        request,
        advice,
        _("Thank you: you endorse this advice."),
        lambda: services.endorse(actor=request.user, advice=advice),
    )


@login_required
@require_POST
def confirm_side(
    request: AuthenticatedHttpRequest, slug: str, advice_id: int, endorsement_id: int
) -> HttpResponse:
    advice = permissions.get_advice_for_user(request.user, slug, advice_id)
    endorsement = get_object_or_404(Endorsement, pk=endorsement_id, advice=advice)
    endorsement.advice = advice
    return _done(
        request,
        advice,
        _("The side is confirmed."),
        lambda: services.confirm_side(actor=request.user, endorsement=endorsement),
    )


@login_required
@require_POST
def move(request: AuthenticatedHttpRequest, slug: str, advice_id: int) -> HttpResponse:
    advice = permissions.get_advice_for_user(request.user, slug, advice_id)
    offering = request.POST.get("to_stage") == AdviceStage.AANGEBODEN
    form = (OfferForm if offering else MoveForm)(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
                for name, errors in form.errors.items()
                for error in errors
            ),
        )
        return redirect(advice.get_absolute_url())
    data = form.cleaned_data
    return _done(
        request,
        advice,
        _("Saved. Its authors and endorsers have been told."),
        lambda: services.move_advice(
            actor=request.user,
            advice=advice,
            to_stage=data["to_stage"],
            seen_stage=data["seen_stage"],
            note=data["note"],
            offered_to=data.get("offered_to", ""),
            offered_on=data.get("offered_on"),
            channel=data.get("channel", ""),
        ),
    )


@login_required
def decide(request: AuthenticatedHttpRequest, slug: str, advice_id: int) -> HttpResponse:
    advice = permissions.get_advice_for_user(request.user, slug, advice_id)
    if not permissions.can_record_decision(request.user, advice):
        raise Http404("Cannot record the decision.")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(actor=request.user, advice=advice, **form.cleaned_data)
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The decision is recorded. Everyone whose signal it answers hears of it."),
            )
            return redirect(advice.get_absolute_url())
    return _form_page(
        request,
        advice.community,
        form,
        title=_("Record the council's decision"),
        intro=_(
            "When the council adopts it, the adjustments and signals of this advice move on "
            "in the loop, and their raisers hear what was decided. When it rejects it, they "
            "hear that too."
        ),
        submit_label=_("Record the decision"),
        back_url=advice.get_absolute_url(),
    )


def advice_pdf(request: HttpRequest, slug: str, advice_id: int) -> HttpResponse:
    """The dossier as an A4 PDF, for whoever may see it (documents.py keeps it)."""
    advice = permissions.get_advice_for_user(request.user, slug, advice_id)
    response = HttpResponse(documents.advice_pdf(advice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="advies-{advice.pk}.pdf"'
    return response
