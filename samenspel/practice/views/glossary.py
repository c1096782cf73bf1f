"""The group's shared language: the glossary page, and the form members write terms with
(practice/glossary.py decides who may write and who may mark a term as agreed)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from samenspel.communities.permissions import get_community_for_user
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_audience, community_version
from samenspel.core.pagecache import cache_for_members, cache_for_visitors
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.practice import glossary, permissions
from samenspel.practice.forms import GlossaryTermForm
from samenspel.practice.models import GlossaryTerm, TermStatus
from samenspel.practice.views import form_page


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def glossary_page(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    terms = list(GlossaryTerm.objects.filter(community=community))
    return render(
        request,
        "practice/glossary.html",
        _community_context(
            request,
            community,
            page="sessions",
            agreed=[t for t in terms if t.status == TermStatus.AGREED],
            in_discussion=[t for t in terms if t.status != TermStatus.AGREED],
            can_write=permissions.can_write_glossary(request.user, community),
            can_agree=permissions.can_agree_terms(request.user, community),
        ),
    )


@login_required
def edit_term(request: AuthenticatedHttpRequest, slug: str, term_slug: str = "") -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_write_glossary(request.user, community):
        raise Http404("Cannot write in the glossary.")
    term = (
        get_object_or_404(GlossaryTerm, community=community, slug=term_slug) if term_slug else None
    )
    form = GlossaryTermForm(
        request.POST or None,
        instance_term=term,
        may_agree=permissions.can_agree_terms(request.user, community),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = glossary.save_term(
                actor=request.user, community=community, term=term, fields=form.cleaned_data
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('glossary', args=[community.slug])}#{saved.slug}")
    return form_page(
        request,
        community,
        form,
        title=_("Change a term") if term else _("Add a term"),
        intro=_(
            "Write how the municipality and the initiatives each understand the word. "
            "When the group agrees on a meaning, a steward writes it down as agreed."
        ),
        back_url=reverse("glossary", args=[community.slug]),
    )
