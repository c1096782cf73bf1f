"""Workshop templates under /c/<slug>/workshops/templates/: a community copies the built-in
Komedie or writes a format of its own (an intervision, a retrospective), and edits its
acts — story, instructions, duration and questions — and their order."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.permissions import get_community_for_user
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.workshops import permissions, services
from samenspel.workshops.forms import ActForm, NewTemplateForm, TemplateForm
from samenspel.workshops.komedie import BUILT_IN
from samenspel.workshops.models import TemplateAct, WorkshopTemplate


def _form_page(request: HttpRequest, community: Any, form: Any, **extra: Any) -> HttpResponse:
    return render(
        request,
        "core/form_page.html",
        _community_context(request, community, page="workshops", form=form, **extra),
    )


def built_in(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A built-in template, to read before playing or copying it."""
    community = get_community_for_user(request.user, slug)
    if key not in BUILT_IN or not permissions.can_see_workshops(request.user, community):
        raise Http404("No such template.")
    found = BUILT_IN[key]
    acts = [dict(act, position=number) for number, act in enumerate(found["acts"], start=1)]
    return render(
        request,
        "workshops/template.html",
        _community_context(
            request,
            community,
            page="workshops",
            name=found["name"],
            description=found["description"],
            acts=acts,
            built_in_key=key,
            can_edit=False,
            can_copy=permissions.can_make_workshop(request.user, community),
        ),
    )


def template_detail(request: HttpRequest, slug: str, template_id: int) -> HttpResponse:
    template = permissions.get_template_for_user(request.user, slug, template_id)
    return render(
        request,
        "workshops/template.html",
        _community_context(
            request,
            template.community,
            page="workshops",
            template=template,
            name=template.name,
            description=template.description,
            acts=list(template.acts.all()),
            can_edit=permissions.can_edit_template(request.user, template),
            can_copy=permissions.can_make_workshop(request.user, template.community),
        ),
    )


@login_required
def new_template(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_make_workshop(request.user, community):
        raise Http404("Cannot make a template.")
    initial = {"copy_of": request.GET.get("copy", "komedie")}
    form = NewTemplateForm(request.POST or None, community=community, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["copy_of"]
        copy_of: WorkshopTemplate | str | None = chosen or None
        if chosen.isdigit():
            copy_of = WorkshopTemplate.objects.filter(community=community, pk=int(chosen)).first()
        try:
            template = services.create_template(
                actor=request.user,
                community=community,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                copy_of=copy_of,
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The template is made. Change its acts as you like."))
            return redirect("workshop_template", slug=slug, template_id=template.pk)
    return _form_page(
        request,
        community,
        form,
        title=_("New workshop template"),
        intro=_("Copy a template and make it your own, or start blank."),
        back_url=reverse("workshops", args=[slug]),
        submit_label=_("Make the template"),
    )


def _editable(request: HttpRequest, slug: str, template_id: int) -> WorkshopTemplate:
    template = permissions.get_template_for_user(request.user, slug, template_id)
    if not permissions.can_edit_template(request.user, template):
        raise Http404("Cannot change this template.")
    return template


@login_required
def edit_template(request: AuthenticatedHttpRequest, slug: str, template_id: int) -> HttpResponse:
    template = _editable(request, slug, template_id)
    form = TemplateForm(
        request.POST or None,
        initial={
            "name": template.name,
            "description": template.description,
            "based_on": services.latest_change(template),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_template(
                actor=request.user,
                template=template,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                based_on=form.cleaned_data["based_on"],
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("workshop_template", slug=slug, template_id=template.pk)
    return _form_page(
        request,
        template.community,
        form,
        title=_("Change the template"),
        back_url=reverse("workshop_template", args=[slug, template.pk]),
    )


@login_required
def edit_act(
    request: AuthenticatedHttpRequest, slug: str, template_id: int, act_id: int | None = None
) -> HttpResponse:
    template = _editable(request, slug, template_id)
    act = None
    if act_id is not None:
        act = TemplateAct.objects.filter(template=template, pk=act_id).first()
        if act is None:
            raise Http404("No such act.")
    form = ActForm(request.POST or None, initial=ActForm.initial_for(act) if act else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_act(
                actor=request.user,
                template=template,
                act=act,
                title=data["title"],
                story=data["story"],
                instructions=data["instructions"],
                minutes=data["minutes"],
                prompts=form.prompts(),
                based_on=data["based_on"],
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("workshop_template", slug=slug, template_id=template.pk)
    return _form_page(
        request,
        template.community,
        form,
        title=_("Change the act") if act else _("New act"),
        intro=_(
            "A question is for everyone, or for one side: in the first act of the Komedie "
            "each side says what it thinks of the other."
        ),
        back_url=reverse("workshop_template", args=[slug, template.pk]),
    )


@login_required
@require_POST
def act_action(
    request: AuthenticatedHttpRequest, slug: str, template_id: int, act_id: int
) -> HttpResponse:
    """Move an act up or down, or remove it."""
    template = _editable(request, slug, template_id)
    act = TemplateAct.objects.filter(template=template, pk=act_id).first()
    if act is None:
        raise Http404("No such act.")
    act.template = template
    action = request.POST.get("action", "")
    try:
        if action in ("up", "down"):
            services.move_act(actor=request.user, act=act, step=-1 if action == "up" else 1)
            messages.success(request, _("The order is changed."))
        elif action == "remove":
            services.remove_act(actor=request.user, act=act)
            messages.success(request, _("The act is removed."))
        else:
            messages.error(request, _("Choose what to do."))
    except CommunityError as error:
        messages.error(request, error.message)
    return redirect("workshop_template", slug=slug, template_id=template.pk)


@login_required
@require_POST
def archive(request: AuthenticatedHttpRequest, slug: str, template_id: int) -> HttpResponse:
    template = _editable(request, slug, template_id)
    try:
        services.archive_template(actor=request.user, template=template)
    except CommunityError as error:
        messages.error(request, error.message)
        return redirect("workshop_template", slug=slug, template_id=template.pk)
    messages.success(
        request, _("The template is archived. Workshops made from it keep their acts.")
    )
    return redirect("workshops", slug=slug)
