"""Pages of the accord: the community's accords, one accord (its current text, who
endorses it, its versions and amendments), a version, the differences between two
versions, an amendment with its comments and objections, and the forms of every step
(accords/services.py decides; a refusal shows and changes nothing)."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache, caches
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.accords import diff, documents, permissions, services
from samenspel.accords.forms import (
    AmendmentForm,
    ArticleFormSet,
    CommentForm,
    ConsentForm,
    DecisionForm,
    DraftForm,
    ObjectionForm,
    PublishForm,
    ResolveForm,
    StartForm,
)
from samenspel.accords.models import (
    PREAMBLE,
    Accord,
    AccordVersion,
    Amendment,
    AmendmentStatus,
    ArticleKind,
    Endorsement,
    Objection,
)
from samenspel.accords.templates_text import TEMPLATES
from samenspel.communities.models import Side
from samenspel.communities.permissions import get_community_for_user, get_membership
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_audience, community_version
from samenspel.core.pagecache import cache_for_members, cache_for_visitors
from samenspel.core.release import release
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.practice.views import small_form


def _page(request: HttpRequest, community: Any, template: str, **extra: Any) -> HttpResponse:
    return render(request, template, _community_context(request, community, page="accord", **extra))


def _done(request: HttpRequest, target: str, text: str, action: Any) -> HttpResponse:
    try:
        action()
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, text)
    return redirect(target)


@cache_for_visitors(community_version)
def accord_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    accords = list(Accord.objects.filter(community=community))
    for accord in accords:
        accord.community = community
    return _page(
        request,
        community,
        "accords/accords.html",
        accords=[(accord, accord.current_version()) for accord in accords],
        can_start=permissions.can_start_accord(request.user, community),
        consent_days=services.consent_days(community),
        consent_form=ConsentForm(initial={"days": services.consent_days(community)}),
    )


@login_required
@require_POST
def consent_period(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.set_consent_days(
                actor=request.user, community=community, days=form.cleaned_data["days"]
            )
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved. New amendments get this consent period."))
    else:
        messages.error(request, _("Choose between 1 and 90 days."))
    return redirect("accords", slug=slug)


@login_required
def start(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user(request.user, slug)
    if not permissions.can_start_accord(request.user, community):
        raise Http404("Cannot start an accord.")
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        template = TEMPLATES[form.cleaned_data["template"]]
        try:
            accord = services.start_accord(
                actor=request.user,
                community=community,
                title=form.cleaned_data["title"] or str(template["title"]) or _("Our accord"),
                preamble=str(template["preamble"]),
                articles=list(template["articles"]),  # type: ignore[call-overload]
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The draft is there. Make it your own, then publish it."))
            return redirect("accord_draft", slug=slug, accord_id=accord.pk)
    return _page(
        request,
        community,
        "core/form_page.html",
        form=form,
        title=_("Start an accord"),
        intro=_(
            "An accord says how municipality and initiatives work together: principles, and "
            "practical ways to give them form. Start from an example or from a blank page."
        ),
        submit_label=_("Start the draft"),
        back_url=reverse("accords", args=[slug]),
    )


def _draft(accord: Accord) -> AccordVersion | None:
    return accord.versions.filter(published_at__isnull=True).first()


@login_required
def edit_draft(request: AuthenticatedHttpRequest, slug: str, accord_id: int) -> HttpResponse:
    accord = permissions.get_accord_for_user(request.user, slug, accord_id)
    draft = _draft(accord)
    if draft is None or not permissions.can_edit_draft(request.user, draft):
        raise Http404("No draft to write.")
    articles = [
        {"kind": a.kind, "title": a.title, "text": a.text}
        for a in draft.articles.order_by("kind", "position", "pk")
    ]
    form = DraftForm(request.POST or None, initial={"preamble": draft.preamble})
    formset = ArticleFormSet(request.POST or None, initial=articles, prefix="article")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [
            (row["kind"], row["title"], row.get("text", ""))
            for row in formset.cleaned_data
            if row and row.get("title", "").strip()
        ]
        try:
            services.write_draft(
                actor=request.user,
                version=draft,
                preamble=form.cleaned_data["preamble"],
                articles=rows,
            )
            if request.POST.get("publish"):
                services.publish_draft(actor=request.user, version=draft)
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            if request.POST.get("publish"):
                messages.success(request, _("Published. Every member can read and endorse it now."))
                return redirect(accord.get_absolute_url())
            messages.success(request, _("The draft is saved."))
            return redirect("accord_draft", slug=slug, accord_id=accord.pk)
    return _page(
        request, accord.community, "accords/draft.html", accord=accord, form=form, formset=formset
    )


# Endorsers named per side on the accord's page and a version's overview; a version's page
# lists all of one side, a page at a time.
SHOWN = 10
ENDORSERS_PAGE = 100


@dataclass
class Endorsers:
    """One side's endorsers of a version: how many, and the ones shown."""

    key: str
    label: str
    count: int
    people: list[Endorsement]

    @property
    def more(self) -> bool:
        return self.count > len(self.people)


def _sides() -> list[tuple[str, str, Q]]:
    """The sides endorsers are listed by: municipality, initiatives, everyone else."""
    both = (Side.GEMEENTE, Side.INITIATIEF)
    return [
        (Side.GEMEENTE.value, str(Side.GEMEENTE.label), Q(side=Side.GEMEENTE)),
        (Side.INITIATIEF.value, str(Side.INITIATIEF.label), Q(side=Side.INITIATIEF)),
        ("others", _("Others"), ~Q(side__in=both)),
    ]


def _counted(version: AccordVersion) -> QuerySet[Endorsement]:
    """The endorsements that count (Endorsement.counts): not withdrawn, and for an
    organisation only once a steward confirmed it."""
    return version.endorsements.filter(withdrawn_at__isnull=True).filter(
        Q(organisation__isnull=True) | Q(confirmed_at__isnull=False)
    )


def _by_side(version: AccordVersion, first: int = SHOWN) -> list[Endorsers]:
    """The version's endorsers by side, with how many there are and the first few of each:
    one query for the counts, one per side that has any (however many endorse it)."""
    counted = _counted(version)
    per_value = dict(
        counted.order_by().values("side").annotate(n=Count("pk")).values_list("side", "n")
    )
    groups = []
    for key, label, condition in _sides():
        # The named sides first; "others" is what is left.
        count = per_value.pop(key, 0) if key != "others" else sum(per_value.values())
        people = list(_people(counted.filter(condition))[:first]) if count else []
        groups.append(Endorsers(key, label, count, people))
    return groups


def _people(endorsements: QuerySet[Endorsement]) -> Any:
    return endorsements.select_related("user", "organisation").order_by("created_at", "pk")


def _accord_reader(user: Any, accord_id: int) -> tuple[bool, bool]:
    """Whether the reader endorses the accord's current version on their own behalf, and
    whether for their organisation (one query)."""
    current = (
        AccordVersion.objects.filter(accord_id=accord_id, published_at__isnull=False)
        .order_by("-number")
        .values("pk")[:1]
    )
    mine = list(
        Endorsement.objects.filter(
            version=Subquery(current), user_id=user.pk, withdrawn_at__isnull=True
        ).values_list("organisation_id", flat=True)
    )
    return any(o is None for o in mine), any(o is not None for o in mine)


def accord_audience(request: HttpRequest, kwargs: dict) -> str | None:
    """Members of a kind share the accord's page, per whether they endorse its current
    version themselves and for their organisation (the buttons they see). Stewards see
    what waits for them and get their own (community_audience is None for them)."""
    shared = community_audience(request, kwargs)
    if shared is None:
        return None
    accord_id = kwargs["accord_id"]
    # Kept per process while the community's content stays the same (`shared` names its
    # version, and every endorsement and publication raises it): no query on a repeat visit.
    key = f"accord-reader:{request.user.pk}:{accord_id}:{shared}"
    kept = caches["versioned"].get(key)
    if kept is None:
        kept = _accord_reader(request.user, accord_id)
        caches["versioned"].set(key, kept, 3600)
    personal, for_organisation = kept
    return f"{shared}:accord={accord_id}:mine={int(personal)}{int(for_organisation)}"


@cache_for_visitors(community_version)
@cache_for_members(accord_audience)
def accord_detail(request: HttpRequest, slug: str, accord_id: int) -> HttpResponse:
    accord = permissions.get_accord_for_user(request.user, slug, accord_id)
    community = accord.community
    user = request.user
    current = accord.current_version()
    if current is not None:
        current.accord = accord
    mine = (
        list(current.endorsements.filter(user_id=user.pk, withdrawn_at__isnull=True))
        if current is not None and user.is_authenticated
        else []
    )
    membership = get_membership(user, community)
    organisation = (
        membership.organisation
        if membership is not None and membership.confirmed_organisation_id is not None
        else None
    )
    can_confirm = permissions.can_start_accord(user, community)
    pending = (
        list(
            _people(
                current.endorsements.filter(
                    withdrawn_at__isnull=True,
                    organisation__isnull=False,
                    confirmed_at__isnull=True,
                )
            )
        )
        if current is not None and can_confirm
        else []
    )
    articles = list(current.articles.all()) if current else []
    amendments = accord.amendments.order_by("-proposed_at", "-pk")
    waiting = services.ready_to_publish(accord)
    for amendment in waiting:
        amendment.accord = accord
    return _page(
        request,
        community,
        "accords/accord.html",
        accord=accord,
        version=current,
        draft=_draft(accord) if can_confirm else None,
        principles=[a for a in articles if a.kind == ArticleKind.PRINCIPLE],
        forms_=[a for a in articles if a.kind == ArticleKind.FORM],
        by_side=_by_side(current) if current else [],
        pending=pending,
        mine=mine,
        can_take_part=permissions.can_take_part(user, community) and current is not None,
        my_organisation=organisation if not any(e.organisation_id for e in mine) else None,
        endorsed_personally=any(e.organisation_id is None for e in mine),
        can_confirm=can_confirm,
        versions=list(
            accord.versions.published()
            .order_by("-number")
            .only("accord_id", "number", "published_at")
        ),
        open_amendments=list(amendments.filter(status=AmendmentStatus.OPEN)),
        decided_amendments=list(amendments.exclude(status=AmendmentStatus.OPEN)[:20]),
        waiting=waiting,
        can_publish=permissions.can_publish(user, accord),
        publish_form=PublishForm(),
    )


def _version(accord: Accord, number: int) -> AccordVersion:
    version = accord.versions.published().filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    version.accord = accord
    return version


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def version_detail(request: HttpRequest, slug: str, accord_id: int, number: int) -> HttpResponse:
    """A version's text and who endorses it: per side how many and the first few, or with
    ?side= all of one side, ENDORSERS_PAGE at a time."""
    accord = permissions.get_accord_for_user(request.user, slug, accord_id)
    version = _version(accord, number)
    articles = list(version.articles.all())
    side = request.GET.get("side", "")
    sides = {key: (label, condition) for key, label, condition in _sides()}
    page = None
    if side in sides:
        label, condition = sides[side]
        chosen = _people(_counted(version).filter(condition))
        paginator = Paginator(chosen, ENDORSERS_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        by_side = [Endorsers(side, label, paginator.count, list(page.object_list))]
    else:
        by_side = _by_side(version)
    return _page(
        request,
        accord.community,
        "accords/version.html",
        accord=accord,
        version=version,
        principles=[a for a in articles if a.kind == ArticleKind.PRINCIPLE],
        forms_=[a for a in articles if a.kind == ArticleKind.FORM],
        by_side=by_side,
        page_obj=page,
        previous=version.number - 1 if version.number > 1 else None,
    )


def cached_diff(accord: Accord, before: int, after: int) -> diff.VersionDiff:
    """Versions never change: a comparison computed once is kept (for the release)."""
    key = f"accord-diff:{release()}:{accord.pk}:{before}:{after}"
    found = cache.get(key)
    if isinstance(found, diff.VersionDiff):
        return found
    result = diff.version_diff(_version(accord, before), _version(accord, after))
    cache.set(key, result, None)
    return result


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and len(value) < 7 else default


@cache_for_visitors(community_version)
@cache_for_members(community_audience)
def compare(request: HttpRequest, slug: str, accord_id: int) -> HttpResponse:
    accord = permissions.get_accord_for_user(request.user, slug, accord_id)
    current = accord.current_version()
    if current is None:
        raise Http404("Nothing published.")
    after = _number(request.GET.get("to"), current.number)
    before = _number(request.GET.get("from"), max(after - 1, 1))
    result = cached_diff(accord, before, after)
    return _page(
        request,
        accord.community,
        "accords/diff.html",
        accord=accord,
        result=result,
        numbers=list(
            accord.versions.published().order_by("number").values_list("number", flat=True)
        ),
    )


def version_pdf(request: HttpRequest, slug: str, accord_id: int, number: int) -> HttpResponse:
    accord = permissions.get_accord_for_user(request.user, slug, accord_id)
    version = _version(accord, number)
    response = HttpResponse(documents.version_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="akkoord-{accord.pk}-versie-{number}.pdf"'
    )
    return response


@login_required
def new_amendment(request: AuthenticatedHttpRequest, slug: str, accord_id: int) -> HttpResponse:
    accord = permissions.get_accord_for_user(request.user, slug, accord_id)
    current = accord.current_version()
    if current is None or not permissions.can_take_part(request.user, accord.community):
        raise Http404("Cannot propose an amendment.")
    target = request.GET.get("target", "")
    form = AmendmentForm(
        request.POST or None,
        version=current,
        initial={"part": target or PREAMBLE, "action": "wijzigen"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.propose_amendment(
                actor=request.user, accord=accord, **form.service_fields()
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your amendment is open for comments and objections. Everyone has been told."),
            )
            return redirect(amendment.get_absolute_url())
    return _page(
        request,
        accord.community,
        "core/form_page.html",
        form=form,
        title=_("Propose an amendment"),
        intro=_(
            "Change, add or remove a principle or a form, or change the preamble. Say why. "
            "Members can react; the group decides by consent: it is adopted when nobody has "
            "an objection left."
        ),
        submit_label=_("Propose it"),
        back_url=accord.get_absolute_url(),
    )


def _proposal_diff(amendment: Amendment) -> tuple[str, list[diff.Segment], list[diff.Segment]]:
    """What the amendment changes, against the text it was based on."""
    if amendment.target == PREAMBLE:
        return _("The preamble"), [], diff.word_diff(amendment.based_on.preamble, amendment.text)
    if not amendment.target:
        return (
            amendment.title,
            [diff.Segment(diff.INSERT, amendment.title)],
            [diff.Segment(diff.INSERT, amendment.text)],
        )
    article = amendment.based_on.articles.filter(key=amendment.target).first()
    if article is None:
        return str(amendment), [], []
    if amendment.action == "schrappen":
        return (
            article.title,
            [diff.Segment(diff.DELETE, article.title)],
            [diff.Segment(diff.DELETE, article.text)],
        )
    return (
        article.title,
        diff.word_diff(article.title, amendment.title or article.title),
        diff.word_diff(article.text, amendment.text or article.text),
    )


@cache_for_visitors(community_version)
def amendment_detail(
    request: HttpRequest, slug: str, accord_id: int, amendment_id: int
) -> HttpResponse:
    amendment = permissions.get_amendment_for_user(request.user, slug, accord_id, amendment_id)
    accord = amendment.accord
    user = request.user
    heading, title_diff, text_diff = _proposal_diff(amendment)
    objections = list(amendment.objections.select_related("author", "resolved_by"))
    return _page(
        request,
        accord.community,
        "accords/amendment.html",
        accord=accord,
        amendment=amendment,
        heading=heading,
        title_diff=title_diff,
        text_diff=text_diff,
        conflicts=services.conflicts(amendment),
        comments=list(amendment.comments.select_related("author")),
        objections=[(o, permissions.can_resolve_objection(user, o)) for o in objections],
        unresolved=sum(1 for o in objections if not o.is_resolved),
        can_comment=permissions.can_take_part(user, accord.community)
        and amendment.status == AmendmentStatus.OPEN,
        can_object=permissions.can_object(user, amendment),
        can_decide=permissions.can_decide_amendment(user, amendment),
        can_withdraw=permissions.can_withdraw_amendment(user, amendment),
        comment_form=CommentForm(),
        objection_form=ObjectionForm(),
        resolve_form=ResolveForm(),
        decision_form=DecisionForm(),
    )


def _posted(request: HttpRequest, slug: str, accord_id: int, amendment_id: int) -> Amendment:
    return permissions.get_amendment_for_user(request.user, slug, accord_id, amendment_id)


@login_required
@require_POST
def comment(
    request: AuthenticatedHttpRequest, slug: str, accord_id: int, amendment_id: int
) -> HttpResponse:
    amendment = _posted(request, slug, accord_id, amendment_id)
    return small_form(
        request,
        amendment,
        _("Your comment is there."),
        lambda data: services.comment(actor=request.user, amendment=amendment, **data),
        CommentForm(request.POST),
    )


@login_required
@require_POST
def object_to(
    request: AuthenticatedHttpRequest, slug: str, accord_id: int, amendment_id: int
) -> HttpResponse:
    amendment = _posted(request, slug, accord_id, amendment_id)
    return small_form(
        request,
        amendment,
        _("Your objection is recorded. It must be resolved before the amendment is adopted."),
        lambda data: services.object_to(actor=request.user, amendment=amendment, **data),
        ObjectionForm(request.POST),
    )


@login_required
@require_POST
def resolve(
    request: AuthenticatedHttpRequest,
    slug: str,
    accord_id: int,
    amendment_id: int,
    objection_id: int,
) -> HttpResponse:
    amendment = _posted(request, slug, accord_id, amendment_id)
    objection = get_object_or_404(Objection, pk=objection_id, amendment=amendment)
    objection.amendment = amendment
    return small_form(
        request,
        amendment,
        _("The objection is resolved."),
        lambda data: services.resolve_objection(actor=request.user, objection=objection, **data),
        ResolveForm(request.POST),
    )


@login_required
@require_POST
def decide(
    request: AuthenticatedHttpRequest, slug: str, accord_id: int, amendment_id: int
) -> HttpResponse:
    amendment = _posted(request, slug, accord_id, amendment_id)
    return small_form(
        request,
        amendment,
        _("The decision is recorded. Who proposed it has been told."),
        lambda data: services.decide_amendment(actor=request.user, amendment=amendment, **data),
        DecisionForm(request.POST),
    )


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, slug: str, accord_id: int) -> HttpResponse:
    accord = permissions.get_accord_for_user(request.user, slug, accord_id)
    return small_form(
        request,
        accord,
        _("The new version is published. Who endorsed the one before is asked again."),
        lambda data: services.publish_version(actor=request.user, accord=accord, **data),
        PublishForm(request.POST),
    )


@login_required
@require_POST
def endorse(request: AuthenticatedHttpRequest, slug: str, accord_id: int) -> HttpResponse:
    accord = permissions.get_accord_for_user(request.user, slug, accord_id)
    current = accord.current_version()
    target = accord.get_absolute_url()
    if current is None:
        raise Http404("Nothing published.")
    current.accord = accord
    if request.POST.get("withdraw"):
        return _done(
            request,
            target,
            _("Your endorsement is withdrawn."),
            lambda: services.withdraw_endorsement(actor=request.user, version=current),
        )
    organisation = None
    if request.POST.get("for_organisation"):
        membership = get_membership(request.user, accord.community)
        organisation = membership.organisation if membership else None
    return _done(
        request,
        target,
        _("Thank you: you endorse this version.")
        if organisation is None
        else _("Thank you. A steward confirms that you may speak for your organisation."),
        lambda: services.endorse(actor=request.user, version=current, organisation=organisation),
    )


@login_required
@require_POST
def confirm(
    request: AuthenticatedHttpRequest, slug: str, accord_id: int, endorsement_id: int
) -> HttpResponse:
    accord = permissions.get_accord_for_user(request.user, slug, accord_id)
    endorsement = get_object_or_404(
        Endorsement.objects.select_related("version"), pk=endorsement_id, version__accord=accord
    )
    endorsement.version.accord = accord
    return _done(
        request,
        accord.get_absolute_url(),
        _("Confirmed: the endorsement counts for the organisation."),
        lambda: services.confirm_endorsement(actor=request.user, endorsement=endorsement),
    )
