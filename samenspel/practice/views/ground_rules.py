"""The group's ground rules (spelregels): the list, with where each was agreed and its
earlier wordings, and the forms stewards keep them with (practice/ground_rules.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.models import Community
from samenspel.communities.permissions import get_community_for_user
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_audience, community_version
from samenspel.core.pagecache import cache_for_members, cache_for_visitors
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.practice import ground_rules, permissions
from samenspel.practice.forms import GroundRuleForm
from samenspel.practice.models import GroundRule
from samenspel.practice.views import form_page


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def ground_rule_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    rules = list(GroundRule.objects.filter(community=community).select_related("agreed_at"))
    earlier: dict[int, list[str]] = {}
    history = GroundRule.history.filter(community_id=community.pk).order_by("history_date")
    for record in history.only("id", "text", "history_date"):
        wordings = earlier.setdefault(record.id, [])
        if not wordings or wordings[-1] != record.text:
            wordings.append(record.text)
    for rule in rules:
        wordings = [t for t in earlier.get(rule.pk, []) if t != rule.text]
        rule.earlier_wordings = wordings  # type: ignore[attr-defined]
    return render(
        request,
        "practice/ground_rules.html",
        _community_context(
            request,
            community,
            page="sessions",
            in_force=[r for r in rules if r.retired_at is None],
            retired=[r for r in rules if r.retired_at is not None],
            can_keep=permissions.can_keep_ground_rules(request.user, community),
        ),
    )


def _keeper_only(request: HttpRequest, slug: str) -> Community:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_keep_ground_rules(request.user, community):
        raise Http404("Cannot keep the ground rules.")
    return community


@login_required
def edit_ground_rule(
    request: AuthenticatedHttpRequest, slug: str, rule_id: int | None = None
) -> HttpResponse:
    community = _keeper_only(request, slug)
    rule = get_object_or_404(GroundRule, pk=rule_id, community=community) if rule_id else None
    initial = (
        {"text": rule.text, "explanation": rule.explanation, "agreed_at": rule.agreed_at_id}
        if rule
        else {}
    )
    form = GroundRuleForm(request.POST or None, initial=initial, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            if rule is None:
                ground_rules.add_ground_rule(
                    actor=request.user, community=community, **form.cleaned_data
                )
            else:
                ground_rules.change_ground_rule(actor=request.user, rule=rule, **form.cleaned_data)
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("ground_rules", slug=community.slug)
    return form_page(
        request,
        community,
        form,
        title=_("Change a ground rule") if rule else _("Add a ground rule"),
        intro=_("Write the rule as the group agreed it, and say in which session."),
        back_url=reverse("ground_rules", args=[community.slug]),
    )


@login_required
@require_POST
def retire(request: AuthenticatedHttpRequest, slug: str, rule_id: int) -> HttpResponse:
    community = _keeper_only(request, slug)
    rule = get_object_or_404(GroundRule, pk=rule_id, community=community)
    ground_rules.retire_ground_rule(actor=request.user, rule=rule)
    messages.success(request, _("The rule is no longer in use. Its wording stays in the list."))
    return redirect("ground_rules", slug=community.slug)
