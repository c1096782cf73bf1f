"""Notifications: an inbox item and an email, each written in the language its recipient
prefers, as far as the recipient's preferences allow. Notifications sent with `always=True`
(loop outcomes for the people who raised a signal) arrive whatever those preferences say.

The inbox item is written in the caller's transaction; the email is an `EmailDelivery`
written beside it and sent by a task once that transaction commits (core.tasks)."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from samenspel.accounts.models import User
from samenspel.core.models import (
    EmailDelivery,
    EmailFrequency,
    Notification,
    NotificationPreference,
)
from samenspel.core.sites import absolute, site_url
from samenspel.core.tasks import queue_deliveries, single_line

if TYPE_CHECKING:
    from samenspel.communities.models import Community

# Which preference switch (a field of NotificationPreference) covers which kind.
KIND_GROUPS: dict[str, str] = {
    "invitation": "community",
    "contact": "community",
    "join-request": "community",
    "join-decision": "community",
    "organisation-request": "community",
    "organisation-decision": "community",
    "initiative-registered": "initiatives",
    "initiative-review": "initiatives",
    "support-request": "initiatives",
    "support-decision": "initiatives",
    "loop-outcome": "loop",
    "loop-step": "loop",
    "loop-reminder": "loop",
    "signal-message": "loop",
    "signal-new": "new_signals",
    "session": "sessions",
    "action-point": "sessions",
    "field-visit": "sessions",
    "council": "loop",
    "accord": "community",
    "workshop": "sessions",
}

# Callers that do not name a kind are recognised by their email template.
TEMPLATE_KINDS: dict[str, str] = {
    "communities/email/invitation.txt": "invitation",
    "communities/email/join_request.txt": "join-request",
    "communities/email/join_decision.txt": "join-decision",
    "initiatives/email/registered.txt": "initiative-registered",
    "initiatives/email/reviewed.txt": "initiative-review",
    "initiatives/growth/email/support_request.txt": "support-request",
    "initiatives/growth/email/support_decision.txt": "support-decision",
}

UNREAD_CACHE_SECONDS = 300


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def forget_unread(user_ids: Iterable[int]) -> None:
    """Drop the cached unread counts (now, and again once the transaction commits)."""
    keys = [unread_cache_key(pk) for pk in user_ids]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def unread_count(user: User) -> int:
    """The number of unread inbox items; cached, so most pages run no query for it. In a
    read-only request the count may have come with the user (accounts/usercache.py)."""
    prefetched = getattr(user, "_unread_count", None)  # through request.user's lazy proxy
    if prefetched is not None:
        return int(prefetched)
    key = unread_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user).unread().count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return int(count)


def allowed(preference: NotificationPreference | None, kind: str) -> tuple[bool, bool]:
    """(inbox, email) for an ordinary notification of this kind."""
    if preference is None:
        return True, True
    group = KIND_GROUPS.get(kind)
    wanted = bool(getattr(preference, group)) if group else True
    return wanted, wanted and preference.email_enabled


def notify(
    recipients: Iterable[User],
    *,
    subject: Callable[[], str],
    template: str,
    context: dict[str, Any],
    kind: str = "general",
    url: str | Callable[[], str] = "",
    community: "Community | None" = None,
    always: bool = False,
    ref: str = "",
) -> int:
    """Store an inbox item and queue one email per recipient, as their preferences allow
    (or always, with `always=True`). `subject` and a callable `url` are called inside the
    recipient's language; the link is made absolute to the site the change was made on
    (core/sites.py), and templates get that address as `site_url`. The emails are sent
    after the caller's transaction commits, or wait for the recipient's digest when they
    chose one (answers to their own signals, `always=True`, never wait). Returns the
    number of emails queued."""
    if kind == "general":
        kind = TEMPLATE_KINDS.get(template, kind)
    if not url and isinstance(context.get("url"), str):
        url = context["url"]
    users = list(recipients)
    preferences = {
        p.user_id: p for p in NotificationPreference.objects.filter(user__in=[u.pk for u in users])
    }
    context = {"site_url": site_url(), **context}
    items: list[Notification] = []
    emails: list[tuple[User, str, str, Notification | None]] = []
    for user in users:
        to_inbox, by_email = (True, True) if always else allowed(preferences.get(user.pk), kind)
        if not (to_inbox or by_email):
            continue
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            title = single_line(str(subject()))
            body = render_to_string(template, {**context, "recipient": user})
            link = absolute(url() if callable(url) else url)
        preference = preferences.get(user.pk)
        held = (
            by_email
            and to_inbox
            and not always
            and preference is not None
            and preference.frequency != EmailFrequency.IMMEDIATELY
        )
        item = None
        if to_inbox:
            item = Notification(
                recipient=user,
                community=community,
                kind=kind,
                title=title,
                body=body.strip(),
                url=link[:500],
                ref=ref,
                always=always,
                digest_pending=held,
            )
            items.append(item)
        if by_email and user.email and not held:
            emails.append((user, title, body, item))
    if items:
        Notification.objects.bulk_create(items)
        forget_unread(item.recipient_id for item in items)
    queue_deliveries(
        [
            EmailDelivery(
                to=user.email,
                recipient=user,
                community=community,
                notification=item,
                kind=kind,
                subject=title,
                body=body,
            )
            for user, title, body, item in emails
        ]
    )
    return len(emails)
