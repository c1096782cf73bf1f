"""Track 1 pages: the growth path and its support (opgroeirecht, ondersteuningskader), an
initiative's own path, deciding support requests, needs and offers, and mentorships."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.models import Community
from samenspel.communities.permissions import can_contribute, is_site_admin
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_version
from samenspel.core.forms import ConcurrentEditForm
from samenspel.core.pagecache import cache_for_visitors
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.initiatives import growth, permissions, services
from samenspel.initiatives.choices import ExchangeKind, HeatSolution, Phase, RequestStatus, Review
from samenspel.initiatives.models import (
    Exchange,
    Initiative,
    Mentorship,
    PhaseCriterion,
    SupportOffer,
    SupportRequest,
)

PAGE_SIZE = 50
# Labels are looked up when the page renders, in the reader's language.
SOLUTION_LABELS = {value: label for value, label in HeatSolution.choices}

# -- forms --------------------------------------------------------------------------------


class CriterionForm(ConcurrentEditForm):
    class Meta:
        model = PhaseCriterion
        fields = ["phase", "text"]
        help_texts = {
            "text": gettext_lazy(
                "What an initiative shows to have reached this phase. A default text is shown "
                "in each reader's language until you change it."
            )
        }


class SupportOfferForm(ConcurrentEditForm):
    class Meta:
        model = SupportOffer
        fields = ["phase", "name", "description", "offered_by"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "offered_by": gettext_lazy(
                "Members of this organisation decide requests for it; without one, the stewards do."
            )
        }

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offered_by"].queryset = community.organisations.order_by("name")  # type: ignore[attr-defined]


class OfferChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{gettext(obj.name)} ({obj.get_phase_display()})"


class SupportRequestForm(forms.Form):
    offer = OfferChoiceField(label=gettext_lazy("Support"), queryset=SupportOffer.objects.none())
    message = forms.CharField(
        label=gettext_lazy("What you need"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=gettext_lazy("What for, how much or how long, and by when."),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = SupportOffer.objects.filter(  # type: ignore[attr-defined]
            community=community
        ).order_by("order", "pk")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("grant", gettext_lazy("Grant")), ("decline", gettext_lazy("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )


def _with_all(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", gettext_lazy("All")), *choices]


class ExchangeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=_with_all(ExchangeKind.choices)
    )
    solution = forms.ChoiceField(
        label=gettext_lazy("Heat solution"),
        required=False,
        choices=_with_all(HeatSolution.choices),
    )
    phase = forms.ChoiceField(
        label=gettext_lazy("Phase"), required=False, choices=_with_all(Phase.choices)
    )


class ExchangeForm(forms.ModelForm):
    initiative = forms.ModelChoiceField(
        label=gettext_lazy("Initiative"), queryset=Initiative.objects.none()
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=ExchangeKind.choices, widget=forms.RadioSelect
    )
    solution = forms.ChoiceField(
        label=gettext_lazy("Heat solution"),
        required=False,
        choices=[("", "—"), *HeatSolution.choices],
    )

    class Meta:
        model = Exchange
        fields = ["initiative", "kind", "title", "description", "solution", "phase"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, initiatives: list[Initiative], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = Initiative.objects.filter(  # type: ignore[attr-defined]
            pk__in=[i.pk for i in initiatives]
        )
        if len(initiatives) == 1:
            self.fields["initiative"].initial = initiatives[0].pk


class MentorshipForm(forms.Form):
    mentor = forms.ModelChoiceField(
        label=gettext_lazy("Mentor"),
        queryset=Initiative.objects.none(),
        help_text=gettext_lazy("An initiative in the development phase or later."),
    )
    mentee = forms.ModelChoiceField(
        label=gettext_lazy("Mentee"),
        queryset=Initiative.objects.none(),
        help_text=gettext_lazy("An initiative in the orientation or exploration phase."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        listed = Initiative.objects.filter(community=community).listed().order_by("name")
        fields: dict[str, Any] = self.fields
        fields["mentor"].queryset = listed.filter(phase__in=growth.MENTOR_PHASES)
        fields["mentee"].queryset = listed.filter(phase__in=growth.MENTEE_PHASES)


# -- helpers ------------------------------------------------------------------------------


def _catalogue_keeper(request: HttpRequest, slug: str) -> Community:
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_keep_catalogue(request.user, community):
        raise Http404("Not a steward.")
    return community


def _postable_initiatives(request: HttpRequest, community: Community) -> list[Initiative]:
    """The listed initiatives this person may post needs and offers for (one query)."""
    if not can_contribute(request.user, community) and not is_site_admin(request.user):
        return []
    initiatives = list(Initiative.objects.filter(community=community).listed().order_by("name"))
    for initiative in initiatives:
        initiative.community = community
    return [i for i in initiatives if permissions.can_post_exchange(request.user, i)]


# -- the community's growth path ----------------------------------------------------------


@cache_for_visitors(community_version)
def growth_path(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    steps = growth.catalogue(community)
    offers = [offer for step in steps for offer in step.offers]
    for offer in offers:
        offer.community = community
    return render(
        request,
        "initiatives/growth/path.html",
        _community_context(
            request,
            community,
            steps=steps,
            can_keep=permissions.can_keep_catalogue(request.user, community),
            can_decide=any(permissions.can_decide_support(request.user, o) for o in offers),
            page="growth",
        ),
    )


def _catalogue_form(
    request: HttpRequest,
    community: Community,
    form: forms.ModelForm,
    *,
    save: Callable[[dict[str, Any]], object],
    title: str,
    saved: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, saved)
            return redirect("growth_path", slug=community.slug)
    return render(
        request,
        "core/form_page.html",
        _community_context(
            request,
            community,
            form=form,
            title=title,
            back_url=reverse("growth_path", args=[community.slug]),
            back_label=_("Back to the growth path"),
            page="growth",
        ),
    )


@login_required
def criterion_form(
    request: AuthenticatedHttpRequest, slug: str, criterion_id: int | None = None
) -> HttpResponse:
    community = _catalogue_keeper(request, slug)
    if criterion_id is None:
        criterion = PhaseCriterion(community=community)
        title = _("New criterion")
    else:
        criterion = get_object_or_404(PhaseCriterion, pk=criterion_id, community=community)
        title = _("Edit criterion")
    form = CriterionForm(request.POST or None, instance=criterion)

    def save(data: dict[str, Any]) -> PhaseCriterion:
        if criterion_id is None:
            return growth.add_criterion(
                actor=request.user, community=community, phase=data["phase"], text=data["text"]
            )
        return growth.change_criterion(
            actor=request.user,
            criterion=criterion,
            phase=data["phase"],
            text=data["text"],
            seen_version=data["based_on"],
        )

    return _catalogue_form(
        request, community, form, save=save, title=title, saved=_("The criterion has been saved.")
    )


@login_required
def offer_form(
    request: AuthenticatedHttpRequest, slug: str, offer_id: int | None = None
) -> HttpResponse:
    community = _catalogue_keeper(request, slug)
    if offer_id is None:
        offer = SupportOffer(community=community)
        title = _("New support offer")
    else:
        offer = get_object_or_404(SupportOffer, pk=offer_id, community=community)
        title = _("Edit support offer")
    form = SupportOfferForm(request.POST or None, instance=offer, community=community)

    def save(data: dict[str, Any]) -> SupportOffer:
        fields = {
            "phase": data["phase"],
            "name": data["name"],
            "description": data["description"],
            "offered_by": data["offered_by"],
        }
        if offer_id is None:
            return growth.add_support_offer(actor=request.user, community=community, **fields)
        return growth.change_support_offer(
            actor=request.user, offer=offer, seen_version=data["based_on"], **fields
        )

    return _catalogue_form(
        request,
        community,
        form,
        save=save,
        title=title,
        saved=_("The support offer has been saved."),
    )


@login_required
@require_POST
def move_criterion(request: AuthenticatedHttpRequest, slug: str, criterion_id: int) -> HttpResponse:
    community = _catalogue_keeper(request, slug)
    criterion = get_object_or_404(PhaseCriterion, pk=criterion_id, community=community)
    _move(request, criterion)
    return redirect(f"{_growth_url(community)}#phase-{criterion.phase}")


@login_required
@require_POST
def move_offer(request: AuthenticatedHttpRequest, slug: str, offer_id: int) -> HttpResponse:
    community = _catalogue_keeper(request, slug)
    offer = get_object_or_404(SupportOffer, pk=offer_id, community=community)
    _move(request, offer)
    return redirect(f"{_growth_url(community)}#phase-{offer.phase}")


def _move(request: AuthenticatedHttpRequest, item: PhaseCriterion | SupportOffer) -> None:
    try:
        growth.move_in_catalogue(
            actor=request.user, item=item, up=request.POST.get("direction") == "up"
        )
    except CommunityError as error:
        messages.error(request, error.message)


def _growth_url(community: Community) -> str:
    return reverse("growth_path", args=[community.slug])


# -- an initiative's path -----------------------------------------------------------------


@cache_for_visitors(community_version)
def initiative_growth(request: HttpRequest, slug: str, initiative_slug: str) -> HttpResponse:
    initiative = permissions.get_initiative_for_user(
        request.user, community=slug, slug=initiative_slug
    )
    community = initiative.community
    steps = growth.initiative_path(initiative)
    current = steps[initiative.phase_index]
    can_edit = permissions.can_edit_initiative(request.user, initiative)
    support_requests: Any = []
    if can_edit:
        support_requests = initiative.support_requests.select_related(
            "offer", "requested_by", "decided_by"
        ).order_by("-requested_at", "-pk")
    return render(
        request,
        "initiatives/growth/initiative.html",
        _community_context(
            request,
            community,
            initiative=initiative,
            steps=steps,
            current=current,
            upcoming=growth.next_steps(steps),
            checks=growth.check_details(initiative),
            mentorships=growth.mentorships_of(initiative),
            support_requests=support_requests,
            can_edit=can_edit,
            can_pair=permissions.can_pair_mentors(request.user, community),
            page="growth",
        ),
    )


@login_required
@require_POST
def save_criteria(
    request: AuthenticatedHttpRequest, slug: str, initiative_slug: str
) -> HttpResponse:
    initiative = permissions.get_initiative_for_user(
        request.user, community=slug, slug=initiative_slug
    )
    if not permissions.can_edit_initiative(request.user, initiative):
        raise Http404("Cannot edit.")
    try:
        ids = {int(value) for value in request.POST.getlist("criteria")}
        growth.set_checks(actor=request.user, initiative=initiative, criterion_ids=ids)
    except ValueError:
        messages.error(request, _("Choose criteria from the list."))
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The criteria have been saved."))
    return redirect("initiative_growth", slug=slug, initiative_slug=initiative.slug)


@login_required
def request_support(
    request: AuthenticatedHttpRequest, slug: str, initiative_slug: str
) -> HttpResponse:
    initiative = permissions.get_initiative_for_user(
        request.user, community=slug, slug=initiative_slug
    )
    if not permissions.can_edit_initiative(request.user, initiative):
        raise Http404("Cannot edit.")
    community = initiative.community
    initial = {"offer": request.GET.get("offer")} if request.GET.get("offer", "").isdigit() else {}
    form = SupportRequestForm(request.POST or None, community=community, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_support(
                actor=request.user,
                initiative=initiative,
                offer_id=form.cleaned_data["offer"].pk,
                message=form.cleaned_data["message"],
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your request has been sent."))
            return redirect("initiative_growth", slug=slug, initiative_slug=initiative.slug)
    return render(
        request,
        "initiatives/growth/request_support.html",
        _community_context(request, community, form=form, initiative=initiative, page="growth"),
    )


# -- deciding support ---------------------------------------------------------------------


@login_required
def support_requests(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    offers = growth.decidable_offers(request.user, community)
    if not offers and not permissions.can_keep_catalogue(request.user, community):
        raise Http404("Decides no support.")
    rows = SupportRequest.objects.filter(offer__in=[o.pk for o in offers]).select_related(
        "initiative", "offer", "offer__offered_by", "requested_by", "decided_by"
    )
    pending = rows.filter(status=RequestStatus.PENDING).order_by("requested_at", "pk")
    decided = Paginator(
        rows.exclude(status=RequestStatus.PENDING).order_by("-decided_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "initiatives/growth/requests.html",
        _community_context(
            request,
            community,
            pending=pending,
            page_obj=decided,
            form=DecisionForm(),
            page="growth",
        ),
    )


@login_required
@require_POST
def decide_support_request(
    request: AuthenticatedHttpRequest, slug: str, request_id: int
) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    support_request = get_object_or_404(
        SupportRequest.objects.select_related("offer", "initiative", "requested_by"),
        pk=request_id,
        offer__community=community,
    )
    support_request.offer.community = community
    if not permissions.can_decide_support(request.user, support_request.offer):
        raise Http404("Cannot decide this support.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to grant or decline."))
        return redirect("support_requests", slug=slug)
    try:
        services.decide_support(
            actor=request.user,
            request=support_request,
            grant=form.cleaned_data["decision"] == "grant",
            reason=form.cleaned_data["reason"],
        )
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your decision has been sent to the initiative."))
    return redirect("support_requests", slug=slug)


# -- needs and offers ---------------------------------------------------------------------


@cache_for_visitors(community_version)
def exchange(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    form = ExchangeFilterForm(request.GET or None)
    items = growth.open_exchanges(community)
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            items = items.filter(kind=data["kind"])
        if data["solution"]:
            items = items.filter(solution=data["solution"])
        if data["phase"]:
            items = items.filter(phase=data["phase"])
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    postable = {i.pk for i in _postable_initiatives(request, community)}
    template = "initiatives/growth/exchange.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(
        request,
        template,
        _community_context(
            request,
            community,
            form=form,
            page_obj=page,
            postable=postable,
            solution_labels=SOLUTION_LABELS,
            can_keep=permissions.can_keep_catalogue(request.user, community),
            page="growth",
        ),
    )


@login_required
def new_exchange(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    initiatives = _postable_initiatives(request, community)
    if not initiatives:
        raise Http404("Cannot post here.")
    form = ExchangeForm(request.POST or None, initiatives=initiatives)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        initiative = next(i for i in initiatives if i.pk == data["initiative"].pk)
        try:
            item = growth.post_exchange(
                actor=request.user,
                initiative=initiative,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                solution=data["solution"],
                phase=data["phase"],
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("It has been posted."))
            return redirect("exchange_item", slug=slug, exchange_id=item.pk)
    return render(
        request,
        "initiatives/growth/exchange_form.html",
        _community_context(request, community, form=form, page="growth"),
    )


def _exchange_for(request: HttpRequest, slug: str, exchange_id: int) -> Exchange:
    community = permissions.get_community_for_user(request.user, slug)
    item = (
        Exchange.objects.select_related("initiative", "initiative__community")
        .filter(pk=exchange_id, initiative__community=community)
        .first()
    )
    if item is None or not permissions.can_view_initiative(request.user, item.initiative):
        raise Http404("No such need or offer.")
    return item


@cache_for_visitors(community_version)
def exchange_item(request: HttpRequest, slug: str, exchange_id: int) -> HttpResponse:
    item = _exchange_for(request, slug, exchange_id)
    community = item.initiative.community
    others = growth.open_exchanges(community).exclude(kind=item.kind)
    initiatives: list[Initiative] = []
    if item.kind == ExchangeKind.NEED:
        matches = growth.rank_matches(item, others)
        initiatives = growth.rank_initiatives(
            item, Initiative.objects.filter(community=community).listed().order_by("name")
        )
        for initiative in initiatives:
            initiative.community = community  # for their links, without a query each
    else:
        # For an offer: the needs it could meet, judged from each need's side.
        candidates = [n for n in others if n.initiative_id != item.initiative_id]
        matches = sorted(candidates, key=lambda need: -growth.match_score(need, item))
    return render(
        request,
        "initiatives/growth/exchange_item.html",
        _community_context(
            request,
            community,
            item=item,
            matches=matches,
            matching_initiatives=initiatives,
            solution_labels=SOLUTION_LABELS,
            can_close=item.is_open and permissions.can_post_exchange(request.user, item.initiative),
            page="growth",
        ),
    )


@login_required
@require_POST
def close_exchange(request: AuthenticatedHttpRequest, slug: str, exchange_id: int) -> HttpResponse:
    item = _exchange_for(request, slug, exchange_id)
    if not permissions.can_post_exchange(request.user, item.initiative):
        raise Http404("Cannot close.")
    try:
        growth.close_exchange(actor=request.user, exchange=item)
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("It has been closed."))
    return redirect("exchange", slug=slug)


# -- mentorships --------------------------------------------------------------------------


def _mentorships_page(
    request: HttpRequest, community: Community, form: MentorshipForm | None
) -> HttpResponse:
    rows = (
        Mentorship.objects.filter(mentor__community=community)
        .filter(mentor__review=Review.LISTED, mentor__archived_at__isnull=True)
        .filter(mentee__review=Review.LISTED, mentee__archived_at__isnull=True)
        .select_related("mentor", "mentee")
        .order_by("ended_at", "-started_at", "-pk")
    )
    current = [m for m in rows if m.ended_at is None]
    ended = [m for m in rows if m.ended_at is not None]
    for mentorship in current:
        mentorship.mentor.community = mentorship.mentee.community = community  # no query each
        mentorship.can_end = permissions.can_end_mentorship(  # type: ignore[attr-defined]
            request.user, mentorship
        )
    return render(
        request,
        "initiatives/growth/mentorships.html",
        _community_context(
            request,
            community,
            current=current,
            ended=ended,
            form=form,
            can_pair=form is not None,
            can_keep=permissions.can_keep_catalogue(request.user, community),
            page="growth",
        ),
        status=400 if form is not None and form.errors else 200,
    )


@cache_for_visitors(community_version)
def mentorships(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    form = (
        MentorshipForm(community=community)
        if permissions.can_pair_mentors(request.user, community)
        else None
    )
    return _mentorships_page(request, community, form)


@login_required
@require_POST
def pair_mentors(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_pair_mentors(request.user, community):
        raise Http404("Cannot pair mentors.")
    form = MentorshipForm(request.POST, community=community)
    if form.is_valid():
        try:
            growth.pair_mentors(
                actor=request.user,
                mentor=form.cleaned_data["mentor"],
                mentee=form.cleaned_data["mentee"],
                note=form.cleaned_data["note"],
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The mentorship has started."))
            return redirect("mentorships", slug=slug)
    return _mentorships_page(request, community, form)


@login_required
@require_POST
def end_mentorship(
    request: AuthenticatedHttpRequest, slug: str, mentorship_id: int
) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    mentorship = get_object_or_404(
        Mentorship.objects.select_related("mentor", "mentee"),
        pk=mentorship_id,
        mentor__community=community,
    )
    if not permissions.can_end_mentorship(request.user, mentorship):
        raise Http404("Cannot end this mentorship.")
    try:
        growth.end_mentorship(actor=request.user, mentorship=mentorship)
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The mentorship has ended."))
    return redirect("mentorships", slug=slug)


urlpatterns: list[URLPattern] = [
    path("growth/", growth_path, name="growth_path"),
    path("growth/criteria/new/", criterion_form, name="new_criterion"),
    path("growth/criteria/<int:criterion_id>/", criterion_form, name="edit_criterion"),
    path("growth/criteria/<int:criterion_id>/move/", move_criterion, name="move_criterion"),
    path("growth/support/new/", offer_form, name="new_support_offer"),
    path("growth/support/<int:offer_id>/", offer_form, name="edit_support_offer"),
    path("growth/support/<int:offer_id>/move/", move_offer, name="move_support_offer"),
    path("growth/requests/", support_requests, name="support_requests"),
    path(
        "growth/requests/<int:request_id>/decide/",
        decide_support_request,
        name="decide_support_request",
    ),
    path("growth/mentorships/", mentorships, name="mentorships"),
    path("growth/mentorships/new/", pair_mentors, name="pair_mentors"),
    path("growth/mentorships/<int:mentorship_id>/end/", end_mentorship, name="end_mentorship"),
    path("exchange/", exchange, name="exchange"),
    path("exchange/new/", new_exchange, name="new_exchange"),
    path("exchange/<int:exchange_id>/", exchange_item, name="exchange_item"),
    path("exchange/<int:exchange_id>/close/", close_exchange, name="close_exchange"),
    path("initiatives/<slug:initiative_slug>/growth/", initiative_growth, name="initiative_growth"),
    path(
        "initiatives/<slug:initiative_slug>/growth/criteria/",
        save_criteria,
        name="initiative_criteria",
    ),
    path(
        "initiatives/<slug:initiative_slug>/growth/support/",
        request_support,
        name="request_support",
    ),
]
