"""The facilitator's pages under /c/<slug>/workshops/: the community's workshops, making
one, the console (controls, the cards as they come in, groups, hiding), the report (page
and PDF), the harvest, and removing a workshop with everything in it."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.accords.models import ArticleKind
from samenspel.communities.permissions import get_community_for_user
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.workshops import harvest, live, permissions, report, services
from samenspel.workshops.forms import GroupForm, HarvestForm, TimerForm, WorkshopForm
from samenspel.workshops.models import (
    Card,
    Cluster,
    HarvestKind,
    VotingState,
    Workshop,
    WorkshopStatus,
    WorkshopTemplate,
)
from samenspel.workshops.views.play import participant_for, screen_context


def _page(request: HttpRequest, community: Any, template: str, **extra: Any) -> HttpResponse:
    return render(
        request, template, _community_context(request, community, page="workshops", **extra)
    )


def workshop_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_see_workshops(request.user, community):
        raise Http404("Not a member.")
    workshops = list(Workshop.objects.filter(community=community))
    templates = list(WorkshopTemplate.objects.filter(community=community, archived_at__isnull=True))
    return _page(
        request,
        community,
        "workshops/workshops.html",
        workshops=workshops,
        templates=templates,
        can_make=permissions.can_make_workshop(request.user, community),
    )


@login_required
def new_workshop(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_make_workshop(request.user, community):
        raise Http404("Cannot make a workshop.")
    form = WorkshopForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["template"]
        template: WorkshopTemplate | str = chosen
        if chosen.isdigit():
            found = WorkshopTemplate.objects.filter(community=community, pk=int(chosen)).first()
            template = found if found is not None else chosen
        try:
            workshop = services.create_workshop(
                actor=request.user,
                community=community,
                title=form.cleaned_data["title"],
                template=template,
                audience=form.cleaned_data["audience"],
                votes_per_participant=form.cleaned_data["votes_per_participant"],
                hold_cards=form.cleaned_data["hold_cards"],
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The workshop is ready. Open the doors when people arrive.")
            )
            return redirect(workshop.get_absolute_url())
    return _page(
        request,
        community,
        "core/form_page.html",
        form=form,
        title=_("New workshop"),
        intro=_(
            "Choose a template. You lead the workshop from your own screen; the projector "
            "and the participants' phones follow."
        ),
        back_url=reverse("workshops", args=[slug]),
        submit_label=_("Make the workshop"),
    )


@login_required
def console(request: AuthenticatedHttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    """The facilitator's console."""
    workshop = permissions.get_workshop_to_facilitate(request.user, slug, workshop_id)
    context = screen_context(workshop, live.Viewer(live.FACILITATOR))
    context.update(
        page="workshops",
        participants=list(workshop.participants.all()),
        screen_url=reverse("workshop_screen", args=[workshop.code, workshop.screen_key]),
        play_url=reverse("play", args=[workshop.code]),
        timer_form=TimerForm(initial={"minutes": context["act"].minutes if context["act"] else 10}),
        VotingState=VotingState,
        WorkshopStatus=WorkshopStatus,
    )
    context.update(_community_context(request, workshop.community, page="workshops"))
    return render(request, "workshops/console.html", context)


def _minutes(request: HttpRequest) -> float:
    form = TimerForm(request.POST)
    if not form.is_valid():
        raise CommunityError(_("Choose between 1 and 240 minutes."), code="invalid", status=400)
    return float(form.cleaned_data["minutes"])


def _int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise CommunityError(_("Choose a number."), code="invalid", status=400) from None


@login_required
@require_POST
def control(request: AuthenticatedHttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    """One of the console's buttons: the action names the service it calls."""
    workshop = permissions.get_workshop_to_facilitate(request.user, slug, workshop_id)
    actor = request.user
    actions: dict[str, tuple[Callable[[], object], str]] = {
        "start": (
            lambda: services.start_workshop(actor=actor, workshop=workshop),
            _("The doors are open: people can join."),
        ),
        "next": (
            lambda: services.go_to_act(
                actor=actor, workshop=workshop, position=workshop.current_position + 1
            ),
            _("On to the next act."),
        ),
        "previous": (
            lambda: services.go_to_act(
                actor=actor, workshop=workshop, position=workshop.current_position - 1
            ),
            _("Back one act."),
        ),
        "goto": (
            lambda: services.go_to_act(
                actor=actor, workshop=workshop, position=_int(request, "position")
            ),
            _("Changed the act."),
        ),
        "reveal": (
            lambda: services.reveal_cards(actor=actor, workshop=workshop),
            _("All cards are shown."),
        ),
        "hold_on": (
            lambda: services.set_hold_cards(actor=actor, workshop=workshop, hold=True),
            _("Cards of the next acts stay hidden until you reveal them."),
        ),
        "hold_off": (
            lambda: services.set_hold_cards(actor=actor, workshop=workshop, hold=False),
            _("Cards of the next acts show at once."),
        ),
        "timer_start": (
            lambda: services.start_timer(actor=actor, workshop=workshop, minutes=_minutes(request)),
            _("The timer runs."),
        ),
        "timer_pause": (
            lambda: services.pause_timer(actor=actor, workshop=workshop),
            _("The timer is paused."),
        ),
        "timer_resume": (
            lambda: services.resume_timer(actor=actor, workshop=workshop),
            _("The timer runs again."),
        ),
        "timer_stop": (
            lambda: services.stop_timer(actor=actor, workshop=workshop),
            _("The timer is off."),
        ),
        "voting_open": (
            lambda: services.set_voting(
                actor=actor,
                workshop=workshop,
                state=VotingState.OPEN,
                votes_per_participant=_int(request, "votes"),
            ),
            _("Voting is open."),
        ),
        "voting_close": (
            lambda: services.set_voting(actor=actor, workshop=workshop, state=VotingState.DONE),
            _("Voting is closed."),
        ),
        "end": (
            lambda: services.end_workshop(actor=actor, workshop=workshop),
            _("The workshop has ended. The code no longer works."),
        ),
    }
    chosen = actions.get(request.POST.get("action", ""))
    if chosen is None:
        messages.error(request, _("Choose what to do."))
    else:
        action, done = chosen
        try:
            action()
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    return redirect(workshop.get_absolute_url())


def _pk(value: str) -> int:
    """A primary key from a button's value; 0 (no row) when it is not one."""
    return int(value) if value.isdigit() else 0


@login_required
@require_POST
def cards(request: AuthenticatedHttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    """The console's card buttons: group or ungroup the ticked cards; hide or show one card;
    rename or undo one group (the button's value names it)."""
    workshop = permissions.get_workshop_to_facilitate(request.user, slug, workshop_id)
    actor = request.user
    post = request.POST
    ids = list(Card.objects.filter(workshop=workshop).values_list("pk", flat=True))
    form = GroupForm(post, card_ids=ids)
    if not form.is_valid():
        messages.error(request, _("Tick cards of this workshop."))
        return redirect(workshop.get_absolute_url() + "#cards")
    card = Card.objects.filter(
        workshop=workshop, pk=_pk(post.get("hide") or post.get("show") or "")
    ).first()
    named = _pk(post.get("rename") or post.get("dissolve") or form.cleaned_data["cluster"])
    cluster = Cluster.objects.filter(workshop=workshop, pk=named, dissolved=False).first()
    chosen = list(Card.objects.filter(workshop=workshop, pk__in=form.cleaned_data["cards"]))
    action = post.get("action", "")
    try:
        if card is not None:
            services.hide_card(actor=actor, card=card, hidden="hide" in post)
            done = _("The card is hidden.") if "hide" in post else _("The card shows again.")
        elif "rename" in post and cluster is not None:
            services.rename_cluster(
                actor=actor, cluster=cluster, title=post.get(f"title_{cluster.pk}", "")
            )
            done = _("The group has a new name.")
        elif "dissolve" in post and cluster is not None:
            services.dissolve_cluster(actor=actor, cluster=cluster)
            done = _("The group is undone.")
        elif action == "group":
            made = services.group_cards(
                actor=actor,
                workshop=workshop,
                cards=chosen,
                cluster=cluster,
                title=form.cleaned_data["title"],
            )
            done = _("Grouped in “%(title)s”.") % {"title": made.title}
        elif action == "ungroup":
            services.ungroup_cards(actor=actor, workshop=workshop, cards=chosen)
            done = _("The cards stand alone again.")
        else:
            raise CommunityError(_("Choose what to do."), code="invalid", status=400)
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect(workshop.get_absolute_url() + "#cards")


def report_page(request: HttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    workshop = permissions.get_workshop(slug, workshop_id, request.user)
    participant = participant_for(request, workshop)
    if not permissions.can_see_report(request.user, workshop, participant):
        raise Http404("Cannot see this report.")
    can_harvest = permissions.can_facilitate(request.user, workshop)
    return _page(
        request,
        workshop.community,
        "workshops/report.html",
        workshop=workshop,
        # Loaded only when the report is rendered: it is kept per revision (report.html).
        data=SimpleLazyObject(lambda: report.report(workshop)),
        can_harvest=can_harvest,
    )


def report_pdf(request: HttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    workshop = permissions.get_workshop(slug, workshop_id, request.user)
    participant = participant_for(request, workshop)
    if not permissions.can_see_report(request.user, workshop, participant):
        raise Http404("Cannot see this report.")
    response = HttpResponse(report.report_pdf(workshop), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="workshop-{workshop.pk}.pdf"'
    return response


@login_required
def harvest_item(
    request: AuthenticatedHttpRequest, slug: str, workshop_id: int, what: str, item_id: int
) -> HttpResponse:
    """Turn one card or group into a signal, a learning question, an amendment proposal or
    a glossary word."""
    workshop = permissions.get_workshop_to_facilitate(request.user, slug, workshop_id)
    card = cluster = None
    if what == "card":
        card = Card.objects.filter(workshop=workshop, pk=item_id, hidden=False).first()
    else:
        cluster = Cluster.objects.filter(workshop=workshop, pk=item_id, dissolved=False).first()
    if card is None and cluster is None:
        raise Http404("No such card or group.")
    try:
        source = harvest.source_of(workshop, card, cluster)
    except CommunityError as error:
        messages.error(request, error.message)
        return redirect("workshop_report", slug=slug, workshop_id=workshop.pk)
    form = HarvestForm(
        request.POST or None,
        community=workshop.community,
        initial={
            "kind": HarvestKind.SIGNAL,
            "title": source.title[:200],
            "text": source.texts(),
            "accord": workshop.community.accords.first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = harvest.harvest(
                actor=request.user,
                workshop=workshop,
                card=card,
                cluster=cluster,
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                accord=data["accord"],
                article_kind=data["article_kind"] or ArticleKind.PRINCIPLE,
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Harvested: %(kind)s “%(title)s”.")
                % {"kind": made.get_kind_display().lower(), "title": made.title},
            )
            return redirect(reverse("workshop_report", args=[slug, workshop.pk]) + "#harvest")
    return _page(
        request,
        workshop.community,
        "workshops/harvest.html",
        workshop=workshop,
        source=source,
        form=form,
    )


@login_required
def remove(request: AuthenticatedHttpRequest, slug: str, workshop_id: int) -> HttpResponse:
    workshop = permissions.get_workshop_to_facilitate(request.user, slug, workshop_id)
    if request.method == "POST":
        try:
            services.remove_workshop(actor=request.user, workshop=workshop)
        except CommunityError as error:
            messages.error(request, error.message)
            return redirect(workshop.get_absolute_url())
        messages.success(
            request, _("The workshop is removed, with its cards and the names of who took part.")
        )
        return redirect("workshops", slug=slug)
    return _page(request, workshop.community, "workshops/remove.html", workshop=workshop)
