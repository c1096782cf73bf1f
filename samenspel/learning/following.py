"""Following: a member follows a theme, a policy object or a single signal.

Who follows a theme or policy object hears of every new signal in it; who follows a
signal hears of every step and every reply on it (learning/feedback.py). Any member of
the community may follow what they can see; following changes nothing for others."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.communities.permissions import AnyUser, get_membership
from samenspel.communities.services import CommunityError
from samenspel.communities.versions import content_changed
from samenspel.learning.models import Follow, PolicyObject, Signal, Theme

Subject = Theme | PolicyObject | Signal


def can_follow(user: AnyUser, community: Community) -> bool:
    """Any member (observers too): following only decides what reaches you."""
    return get_membership(user, community) is not None


def _subject_filter(subject: Subject) -> dict[str, Subject]:
    if isinstance(subject, Theme):
        return {"theme": subject}
    if isinstance(subject, PolicyObject):
        return {"policy_object": subject}
    return {"signal": subject}


def follow(*, actor: User, subject: Subject) -> Follow:
    """Follow a theme, policy object or signal; following it twice is the same as once."""
    community = subject.community
    if not can_follow(actor, community):
        raise CommunityError(
            _("Only members of this community follow its themes and signals."),
            code="not_allowed",
            status=403,
        )
    lookup = _subject_filter(subject)
    try:
        with transaction.atomic():
            found, _created = Follow.objects.get_or_create(
                user=actor, **lookup, defaults={"community": community}
            )
    except IntegrityError:  # followed at the same moment in another request
        found = Follow.objects.get(user=actor, **lookup)
    # The follower's own pages (My work, the signal's page) change with it.
    content_changed(community.pk)
    return found


def unfollow(*, actor: User, subject: Subject) -> bool:
    """Stop following; True when there was something to stop."""
    deleted, _rows = Follow.objects.filter(user=actor, **_subject_filter(subject)).delete()
    if deleted:
        content_changed(subject.community_id)
    return bool(deleted)


@dataclass
class Followed:
    themes: set[int] = field(default_factory=set)
    policy_objects: set[int] = field(default_factory=set)
    signals: set[int] = field(default_factory=set)


def followed_by(user: AnyUser, community: Community | None = None) -> Followed:
    """What `user` follows (in one community, or everywhere), as sets of ids."""
    result = Followed()
    if not user.is_authenticated:
        return result
    rows = Follow.objects.filter(user=user)
    if community is not None:
        rows = rows.filter(community=community)
    for theme_id, policy_object_id, signal_id in rows.values_list(
        "theme_id", "policy_object_id", "signal_id"
    ):
        if theme_id:
            result.themes.add(theme_id)
        elif policy_object_id:
            result.policy_objects.add(policy_object_id)
        elif signal_id:
            result.signals.add(signal_id)
    return result
