"""Writes of the group's ground rules (spelregels): add, change and retire a rule. Stewards
keep them, as the group agreed them in a session; every change keeps the earlier wording
in the rule's history."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.learning.services import not_allowed
from samenspel.practice import permissions
from samenspel.practice.models import GroundRule, Session
from samenspel.practice.sessions import invalid


def _check(actor: User, community: Community, agreed_at: Session | None) -> None:
    if not permissions.can_keep_ground_rules(actor, community):
        raise not_allowed(_("Only a steward keeps the ground rules."))
    if agreed_at is not None and agreed_at.community_id != community.pk:
        raise invalid(_("This session belongs to another community."), "other_community")


@transaction.atomic
def add_ground_rule(
    *,
    actor: User,
    community: Community,
    text: str,
    explanation: str = "",
    agreed_at: Session | None = None,
    is_example: bool = False,
) -> GroundRule:
    _check(actor, community, agreed_at)
    if not text.strip():
        raise invalid(_("Write the rule."), "text_required")
    last = (
        GroundRule.objects.filter(community=community)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return GroundRule.objects.create(
        community=community,
        text=text.strip(),
        explanation=explanation.strip(),
        agreed_at=agreed_at,
        position=(last or 0) + 1,
        is_example=is_example,
    )


@transaction.atomic
def change_ground_rule(
    *,
    actor: User,
    rule: GroundRule,
    text: str,
    explanation: str = "",
    agreed_at: Session | None = None,
) -> GroundRule:
    _check(actor, rule.community, agreed_at)
    if not text.strip():
        raise invalid(_("Write the rule."), "text_required")
    rule.text = text.strip()
    rule.explanation = explanation.strip()
    rule.agreed_at = agreed_at
    rule.save()
    return rule


@transaction.atomic
def retire_ground_rule(*, actor: User, rule: GroundRule) -> GroundRule:
    _check(actor, rule.community, None)
    if rule.retired_at is None:
        rule.retired_at = timezone.now()
        rule.save(update_fields=["retired_at"])
    return rule
