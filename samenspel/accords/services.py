"""Writes of the accord: starting one (from a template or blank), writing its first draft,
publishing it; proposing amendments, commenting, objecting and resolving objections,
deciding by consent, publishing a new version from what was adopted; endorsing a version
(personally or for one's organisation), confirming and withdrawing. Each checks its own
permission predicate; who must hear of a step hears of it (inbox, and email after commit)."""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accords import permissions
from samenspel.accords.models import (
    ADOPTED_STATUSES,
    PREAMBLE,
    Accord,
    AccordSettings,
    AccordVersion,
    Amendment,
    AmendmentAction,
    AmendmentComment,
    AmendmentStatus,
    Article,
    ArticleKind,
    Endorsement,
    Objection,
)
from samenspel.accounts.models import User
from samenspel.communities.models import Community, Membership, Organisation
from samenspel.communities.permissions import get_membership
from samenspel.communities.services import CommunityError
from samenspel.communities.versions import content_changed
from samenspel.core.notifications import notify
from samenspel.learning.services import not_allowed

# (kind, title, text) of an article in a draft or a template.
ArticleText = tuple[str, str, str]


@dataclass
class DraftArticle:
    """An article of the version being made."""

    kind: str
    position: int
    title: str
    text: str


def invalid(message: str, code: str) -> CommunityError:
    return CommunityError(message, code=code, status=400)


def consent_days(community: Community) -> int:
    found = AccordSettings.objects.filter(community=community).first()
    return found.consent_days if found else 14


@transaction.atomic
def set_consent_days(*, actor: User, community: Community, days: int) -> AccordSettings:
    """How many days an amendment stays open for objections (stewards; 1 to 90). Open
    amendments keep the period they were proposed with."""
    if not permissions.can_start_accord(actor, community):
        raise not_allowed(_("Only a steward sets the consent period."))
    if not 1 <= days <= 90:
        raise invalid(_("Choose between 1 and 90 days."), "invalid_days")
    found, _created = AccordSettings.objects.get_or_create(community=community)
    found.consent_days = days
    found.save()
    return found


def _check_articles(articles: Sequence[ArticleText]) -> None:
    for kind, title, _text in articles:
        if kind not in ArticleKind.values:
            raise invalid(_("An article is a principle or a practical form."), "invalid_kind")
        if not title.strip():
            raise invalid(_("Every principle and form has a short title."), "title_required")


def _write_articles(version: AccordVersion, articles: Sequence[ArticleText]) -> None:
    Article.objects.bulk_create(
        Article(version=version, kind=kind, position=number, title=title.strip(), text=text.strip())
        for number, (kind, title, text) in enumerate(articles, start=1)
    )


@transaction.atomic
def start_accord(
    *,
    actor: User,
    community: Community,
    title: str,
    preamble: str = "",
    articles: Sequence[ArticleText] = (),
    is_example: bool = False,
) -> Accord:
    """A new accord with its first draft (version 1), from a template's text or blank."""
    if not permissions.can_start_accord(actor, community):
        raise not_allowed(_("Only a steward starts an accord."))
    if not title.strip():
        raise invalid(_("Give the accord a title."), "title_required")
    _check_articles(articles)
    accord = Accord.objects.create(
        community=community, title=title.strip(), created_by=actor, is_example=is_example
    )
    draft = AccordVersion.objects.create(accord=accord, number=1, preamble=preamble.strip())
    _write_articles(draft, articles)
    content_changed(community.pk)
    return accord


@transaction.atomic
def write_draft(
    *, actor: User, version: AccordVersion, preamble: str, articles: Sequence[ArticleText]
) -> AccordVersion:
    """Rewrite the first draft before it is published (stewards)."""
    if not permissions.can_edit_draft(actor, version):
        raise not_allowed(_("Only a steward writes the draft, until it is published."))
    _check_articles(articles)
    version.preamble = preamble.strip()
    version.save(update_fields=["preamble"])
    version.articles.all().delete()
    _write_articles(version, articles)
    content_changed(version.accord.community_id)
    return version


@transaction.atomic
def publish_draft(*, actor: User, version: AccordVersion) -> AccordVersion:
    """Publish the first draft: from now on it never changes, and members can endorse it."""
    if not permissions.can_edit_draft(actor, version):
        raise not_allowed(_("Only a steward publishes the draft."))
    if not version.articles.exists():
        raise invalid(_("Write at least one principle before you publish."), "empty")
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["published_at", "published_by"])
    content_changed(version.accord.community_id)
    _tell(
        _members(version.accord.community),
        actor,
        version.accord,
        subject=lambda: _("The accord is published: %(title)s") % {"title": version.accord.title},
        template="accords/email/published.txt",
        context={"version": version, "again": False},
    )
    return version


def _members(community: Community) -> list[User]:
    return [
        m.user
        for m in Membership.objects.active().filter(community=community).select_related("user")
    ]


def _tell(
    recipients: Iterable[User],
    actor: User,
    accord: Accord,
    *,
    subject,
    template: str,
    context: dict,
    url: str = "",
) -> None:
    notify(
        [u for u in recipients if u.pk != actor.pk],
        subject=subject,
        template=template,
        context={"accord": accord, "actor": actor.name, **context},
        kind="accord",
        url=url or accord.get_absolute_url,
        community=accord.community,
        ref=f"accord:{accord.pk}",
    )


def _current(accord: Accord) -> AccordVersion:
    version = accord.current_version()
    if version is None:
        raise invalid(_("The accord is not published yet."), "not_published")
    return version


@transaction.atomic
def propose_amendment(
    *,
    actor: User,
    accord: Accord,
    action: str,
    rationale: str,
    target: str = "",
    kind: str = "",
    title: str = "",
    text: str = "",
    is_example: bool = False,
) -> Amendment:
    """Propose to change, add or remove a principle or form, or change the preamble, with
    the reasons. It is open for comments, and for objections during the consent period."""
    community = accord.community
    if not permissions.can_take_part(actor, community):
        raise not_allowed(_("Only members who take part propose an amendment."))
    version = _current(accord)
    if action not in AmendmentAction.values:
        raise invalid(_("Choose what the amendment does."), "invalid_action")
    if not rationale.strip():
        raise invalid(_("Say why: the group decides on your reasons."), "rationale_required")
    keys = {str(k) for k in version.articles.values_list("key", flat=True)}
    if action == AmendmentAction.ADD:
        if kind not in ArticleKind.values or not title.strip():
            raise invalid(
                _("Say whether it is a principle or a form, and give it a title."),
                "add_needs_title",
            )
        target = ""
    elif target == PREAMBLE:
        if action != AmendmentAction.CHANGE or not text.strip():
            raise invalid(
                _("The preamble can be changed, not removed: write the new text."), "preamble_text"
            )
    elif target not in keys:
        raise invalid(_("Choose the principle or form it is about."), "unknown_target")
    elif action == AmendmentAction.CHANGE and not (title.strip() or text.strip()):
        raise invalid(_("Write the new title or text."), "change_needs_text")
    if target == PREAMBLE:
        about = str(_("The preamble"))
    elif target:
        about = version.articles.get(key=target).title
    else:
        about = ""
    amendment = Amendment.objects.create(
        accord=accord,
        based_on=version,
        action=action,
        target=target,
        about=about,
        kind=kind if action == AmendmentAction.ADD else "",
        title=title.strip(),
        text=text.strip(),
        rationale=rationale.strip(),
        proposed_by=actor,
        objections_until=timezone.now() + timedelta(days=consent_days(community)),
        is_example=is_example,
    )
    _tell(
        _members(community),
        actor,
        accord,
        subject=lambda: _("Proposed change to the accord: %(title)s") % {"title": str(amendment)},
        template="accords/email/proposed.txt",
        context={"amendment": amendment},
        url=amendment.get_absolute_url(),
    )
    return amendment


@transaction.atomic
def comment(*, actor: User, amendment: Amendment, text: str) -> AmendmentComment:
    if not permissions.can_take_part(actor, amendment.accord.community):
        raise not_allowed(_("Only members who take part comment."))
    if amendment.status != AmendmentStatus.OPEN:
        raise invalid(_("This amendment is decided."), "decided")
    if not text.strip():
        raise invalid(_("Write your comment."), "text_required")
    written = AmendmentComment.objects.create(amendment=amendment, author=actor, text=text.strip())
    content_changed(amendment.accord.community_id)
    return written


@transaction.atomic
def object_to(*, actor: User, amendment: Amendment, reason: str) -> Objection:
    """A reasoned objection, during the consent period: it blocks adoption until it is
    resolved."""
    if not permissions.can_object(actor, amendment):
        raise not_allowed(
            _("Objections can be made by members who take part, during the consent period.")
        )
    if not reason.strip():
        raise invalid(_("Say why you object: what would go wrong?"), "reason_required")
    objection = Objection.objects.create(amendment=amendment, author=actor, reason=reason.strip())
    people = [u for u in (amendment.proposed_by,) if u is not None]
    _tell(
        people,
        actor,
        amendment.accord,
        subject=lambda: _("An objection to: %(title)s") % {"title": str(amendment)},
        template="accords/email/objection.txt",
        context={"amendment": amendment, "objection": objection},
        url=amendment.get_absolute_url(),
    )
    return objection


@transaction.atomic
def resolve_objection(*, actor: User, objection: Objection, resolution: str) -> Objection:
    if not permissions.can_resolve_objection(actor, objection):
        raise not_allowed(_("Only who objected or a steward resolves an objection."))
    if objection.is_resolved:
        raise invalid(_("This objection is already resolved."), "already_resolved")
    if not resolution.strip():
        raise invalid(_("Say how it was resolved."), "resolution_required")
    objection.resolved_at = timezone.now()
    objection.resolved_by = actor
    objection.resolution = resolution.strip()
    objection.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return objection


def unresolved(amendment: Amendment) -> int:
    return amendment.objections.filter(resolved_at__isnull=True).count()


@transaction.atomic
def decide_amendment(
    *,
    actor: User,
    amendment: Amendment,
    status: str,
    note: str = "",
    title: str = "",
    text: str = "",
) -> Amendment:
    """Record the group's decision. Adopted (as proposed, or as modified with the new
    title and text) only after the consent period and with no objection left unresolved;
    rejected with a reason; withdrawn by who proposed it (or a steward)."""
    if status == AmendmentStatus.WITHDRAWN:
        if not permissions.can_withdraw_amendment(actor, amendment):
            raise not_allowed(_("Only who proposed it or a steward withdraws an amendment."))
    elif not permissions.can_decide_amendment(actor, amendment):
        raise not_allowed(_("Only a steward records the group's decision."))
    if status not in AmendmentStatus.values or status == AmendmentStatus.OPEN:
        raise invalid(_("Choose the decision from the list."), "invalid_status")
    if status in ADOPTED_STATUSES:
        if amendment.in_objection_period:
            raise invalid(
                _("The consent period has not ended: members may still object."), "consent_open"
            )
        if unresolved(amendment):
            raise invalid(
                _("An objection is not resolved yet: resolve it first."), "objection_open"
            )
    if status == AmendmentStatus.REJECTED and not note.strip():
        raise invalid(_("Say why it is rejected: who proposed it reads it."), "reason_required")
    if status == AmendmentStatus.ADOPTED_MODIFIED:
        if not (title.strip() or text.strip()):
            raise invalid(_("Write the text as it was adopted."), "modified_text")
        amendment.title = title.strip() or amendment.title
        amendment.text = text.strip() or amendment.text
    amendment.status = status
    amendment.decided_by = actor
    amendment.decided_at = timezone.now()
    amendment.decision_note = note.strip()
    amendment.save()
    people = [u for u in (amendment.proposed_by,) if u is not None]
    _tell(
        people,
        actor,
        amendment.accord,
        subject=lambda: (
            _("Decided: %(title)s — %(status)s")
            % {"title": str(amendment), "status": amendment.get_status_display()}
        ),
        template="accords/email/decided.txt",
        context={"amendment": amendment},
        url=amendment.get_absolute_url(),
    )
    return amendment


def conflicts(amendment: Amendment) -> list[Amendment]:
    """Earlier amendments, still open or adopted and not yet published, on the same
    principle, form or preamble: both are kept; the later one is shown the earlier."""
    if not amendment.target:
        return []
    return list(
        Amendment.objects.filter(accord_id=amendment.accord_id, target=amendment.target)
        .filter(
            Q(status=AmendmentStatus.OPEN)
            | Q(status__in=ADOPTED_STATUSES, published_in__isnull=True)
        )
        .filter(
            Q(proposed_at__lt=amendment.proposed_at)
            | Q(proposed_at=amendment.proposed_at, pk__lt=amendment.pk)
        )
        .exclude(pk=amendment.pk)
    )


def ready_to_publish(accord: Accord) -> list[Amendment]:
    """Adopted amendments not yet in a version, in the order they were decided."""
    return list(
        Amendment.objects.filter(
            accord=accord, status__in=ADOPTED_STATUSES, published_in__isnull=True
        ).order_by("decided_at", "pk")
    )


@transaction.atomic
def publish_version(*, actor: User, accord: Accord, notes: str = "") -> AccordVersion:
    """A new version from the current one and the adopted amendments (in the order they
    were decided: a later change of the same article wins). Its notes name the amendments
    it contains; earlier endorsers are asked to endorse it again."""
    if not permissions.can_publish(actor, accord):
        raise not_allowed(_("Only a steward publishes a new version."))
    current = _current(accord)
    adopted = ready_to_publish(accord)
    if not adopted:
        raise invalid(_("No adopted amendment waits to be published."), "nothing_adopted")
    preamble = current.preamble
    texts = {
        str(a.key): DraftArticle(a.kind, a.position, a.title, a.text)
        for a in current.articles.order_by("kind", "position", "pk")
    }
    for amendment in adopted:
        if amendment.target == PREAMBLE:
            preamble = amendment.text
        elif amendment.action == AmendmentAction.ADD:
            last = max((t.position for t in texts.values() if t.kind == amendment.kind), default=0)
            texts[str(uuid.uuid4())] = DraftArticle(
                amendment.kind, last + 1, amendment.title, amendment.text
            )
        elif amendment.target in texts:
            if amendment.action == AmendmentAction.REMOVE:
                del texts[amendment.target]
            else:
                found = texts[amendment.target]
                found.title = amendment.title or found.title
                found.text = amendment.text or found.text
    listed = "\n".join(f"- {a}" for a in adopted)
    version = AccordVersion.objects.create(
        accord=accord,
        number=current.number + 1,
        preamble=preamble,
        notes=(notes.strip() + "\n\n" if notes.strip() else "")
        + _("This version contains these amendments:")
        + "\n"
        + listed,
    )
    Article.objects.bulk_create(
        Article(
            version=version, key=key, kind=t.kind, position=t.position, title=t.title, text=t.text
        )
        for key, t in texts.items()
    )
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["published_at", "published_by"])
    Amendment.objects.filter(pk__in=[a.pk for a in adopted]).update(published_in=version)
    content_changed(accord.community_id)
    earlier = User.objects.filter(
        pk__in=Endorsement.objects.filter(
            version__accord=accord, version__number=current.number, withdrawn_at__isnull=True
        ).values("user_id")
    )
    _tell(
        earlier,
        actor,
        accord,
        subject=lambda: (
            _("Version %(number)s of %(title)s: will you endorse it again?")
            % {"number": version.number, "title": accord.title}
        ),
        template="accords/email/published.txt",
        context={"version": version, "again": True},
    )
    return version


@transaction.atomic
def endorse(
    *, actor: User, version: AccordVersion, organisation: Organisation | None = None
) -> Endorsement:
    """Endorse the current version, on one's own behalf or for one's confirmed organisation
    (then a steward confirms that one may speak for it). Once per person, or organisation,
    per version: the database refuses a second one."""
    community = version.accord.community
    if not permissions.can_take_part(actor, community):
        raise not_allowed(_("Only members who take part endorse the accord."))
    current = version.accord.current_version()
    if current is None or current.pk != version.pk:
        raise invalid(_("Only the current version can be endorsed."), "not_current")
    membership = get_membership(actor, community)
    if organisation is not None and (
        membership is None or membership.confirmed_organisation_id != organisation.pk
    ):
        raise not_allowed(_("You can only endorse for the organisation you are confirmed for."))
    steward = permissions.can_manage_community(actor, community)
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                version=version,
                user=actor,
                side=membership.side if membership else "overig",
                organisation=organisation,
                confirmed_by=actor if organisation is not None and steward else None,
                confirmed_at=timezone.now() if organisation is not None and steward else None,
            )
    except IntegrityError:
        raise invalid(
            _("This version is already endorsed by you, or for your organisation."),
            "already_endorsed",
        ) from None
    content_changed(community.pk)
    return endorsement


@transaction.atomic
def confirm_endorsement(*, actor: User, endorsement: Endorsement) -> Endorsement:
    if not permissions.can_confirm_endorsement(actor, endorsement):
        raise not_allowed(_("Only a steward confirms who speaks for an organisation."))
    if endorsement.organisation_id is None or endorsement.confirmed_at is not None:
        raise invalid(_("Nothing to confirm here."), "nothing_to_confirm")
    endorsement.confirmed_by = actor
    endorsement.confirmed_at = timezone.now()
    endorsement.save(update_fields=["confirmed_by", "confirmed_at"])
    content_changed(endorsement.version.accord.community_id)
    return endorsement


@transaction.atomic
def withdraw_endorsement(*, actor: User, version: AccordVersion) -> int:
    """Withdraw one's endorsements of this version (personal and for the organisation).
    They stay in the record, marked withdrawn."""
    withdrawn = Endorsement.objects.filter(
        version=version, user=actor, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    if not withdrawn:
        raise invalid(_("You do not endorse this version."), "not_endorsed")
    content_changed(version.accord.community_id)
    return withdrawn
