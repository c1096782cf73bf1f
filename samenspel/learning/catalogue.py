"""Writes of the loop's catalogue: themes, policy objects, external developments (members
who contribute, and stewards) and the loop's waiting times (stewards). Each is one
keyword-only service that checks its own permission predicate; pages and API only parse
input and call these. Every write saves through a model that keeps history, so the
community's content version goes up once per write (communities/versions.py)."""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Organisation
from samenspel.communities.services import CommunityError
from samenspel.core.slugs import unique_slug
from samenspel.learning import permissions
from samenspel.learning.defaults import THEME_SLUG
from samenspel.learning.models import ExternalDevelopment, LoopSettings, PolicyObject, Theme
from samenspel.learning.services import not_allowed


def _keeper(actor: User, community: Community) -> None:
    if not permissions.can_keep_catalogue(actor, community):
        raise not_allowed(_("Only members who contribute keep the themes and policy objects."))


def _same_community(community: Community, *items: models.Model | None) -> None:
    if any(
        item is not None and getattr(item, "community_id", None) != community.pk for item in items
    ):
        raise CommunityError(
            _("This belongs to another community."), code="wrong_community", status=400
        )


def _clean(instance: models.Model, *, exclude: Sequence[str] = ()) -> None:
    """The model's own field rules (lengths, choices, ranges), as one clear 400."""
    try:
        instance.full_clean(
            exclude=["community", *exclude], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        names = {field.name: field.verbose_name for field in instance._meta.fields}
        reasons = [
            f"{names[name]}: {' '.join(messages)}" if name in names else " ".join(messages)
            for name, messages in error.message_dict.items()
        ]
        raise CommunityError("; ".join(reasons), code="invalid", status=400) from error


def theme_slug(community: Community, name: str, *, theme: Theme | None = None) -> str:
    """A free short name for a theme of `community` (numbered when the name's is taken)."""
    others = Theme.objects.filter(community=community)
    if theme is not None and theme.pk:
        others = others.exclude(pk=theme.pk)
    return unique_slug(
        name,
        fallback=THEME_SLUG,
        taken=lambda slug: others.filter(slug=slug).exists(),
    )


@transaction.atomic
def save_theme(
    *,
    actor: User,
    community: Community,
    name: str,
    description: str = "",
    slug: str = "",
    theme: Theme | None = None,
) -> Theme:
    """Add a theme, or change `theme`. Its short name is `slug` when given (it must be
    free), else made from the name for a new theme and kept for an existing one."""
    _keeper(actor, community)
    _same_community(community, theme)
    theme = theme or Theme(community=community)
    if slug and Theme.objects.filter(community=community, slug=slug).exclude(pk=theme.pk).exists():
        raise CommunityError(
            _("A theme with this short name exists already."), code="slug_taken", status=400
        )
    theme.name, theme.description = name.strip(), description.strip()
    if not theme.name:
        raise CommunityError(_("Give the theme a name."), code="invalid", status=400)
    theme.slug = slug or theme.slug or theme_slug(community, theme.name, theme=theme)
    _clean(theme)
    theme.save()
    return theme


@transaction.atomic
def save_policy_object(
    *,
    actor: User,
    community: Community,
    kind: str,
    name: str,
    department: Organisation | None = None,
    reference: str = "",
    policy_object: PolicyObject | None = None,
) -> PolicyObject:
    """Add a policy object, or change `policy_object`; its department is an organisation
    of the same community, and its name is not taken."""
    _keeper(actor, community)
    _same_community(community, policy_object, department)
    item = policy_object or PolicyObject(community=community)
    item.kind, item.name, item.department = kind, name.strip(), department
    item.reference = reference.strip()
    if (
        PolicyObject.objects.filter(community=community, name=item.name)
        .exclude(pk=item.pk)
        .exists()
    ):
        raise CommunityError(
            _("A policy object with this name exists already."), code="name_taken", status=400
        )
    _clean(item, exclude=["department"])
    item.save()
    return item


@transaction.atomic
def save_development(
    *,
    actor: User,
    community: Community,
    title: str,
    description: str = "",
    happened_on: date | None = None,
    link: str = "",
    themes: Sequence[Theme] = (),
    on_agenda: bool = False,
    development: ExternalDevelopment | None = None,
) -> ExternalDevelopment:
    """Add an external development (recorded as the actor's), or change `development`;
    its themes are the community's own."""
    _keeper(actor, community)
    _same_community(community, development, *themes)
    item = development or ExternalDevelopment(community=community, created_by=actor)
    item.title, item.description = title.strip(), description.strip()
    item.happened_on, item.link, item.on_agenda = happened_on, link.strip(), on_agenda
    _clean(item, exclude=["created_by"])
    item.save()
    item.themes.set(themes)
    return item


@transaction.atomic
def set_on_agenda(
    *, actor: User, development: ExternalDevelopment, on_agenda: bool
) -> ExternalDevelopment:
    """Put an external development on the CoP's agenda, or take it off."""
    _keeper(actor, development.community)
    development.on_agenda = on_agenda
    development.save(update_fields=["on_agenda"])
    return development


@transaction.atomic
def set_waiting_times(
    *,
    actor: User,
    community: Community,
    remind_after_days: int | None = None,
    close_without_answer_after_days: int | None = None,
) -> LoopSettings:
    """Set the loop's waiting times (stewards); a time not given stays as it is."""
    if not permissions.can_set_waiting_times(actor, community):
        raise not_allowed(_("Only stewards set the waiting times."))
    settings = LoopSettings.objects.select_for_update().filter(
        community=community
    ).first() or LoopSettings(community=community)
    if remind_after_days is None and close_without_answer_after_days is None and settings.pk:
        return settings  # nothing to change
    if remind_after_days is not None:
        settings.remind_after_days = remind_after_days
    if close_without_answer_after_days is not None:
        settings.close_without_answer_after_days = close_without_answer_after_days
    _clean(settings)
    settings.save()
    return settings
