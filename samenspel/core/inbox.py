"""The personal inbox and the notification preferences."""

import functools
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.request import validate_host
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.accounts.models import User
from samenspel.core.models import EmailFrequency, Notification, NotificationPreference
from samenspel.core.notifications import forget_unread, unread_count
from samenspel.core.types import AuthenticatedHttpRequest

PAGE_SIZE = 25


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = [
            "email_enabled",
            "frequency",
            "community",
            "initiatives",
            "loop",
            "new_signals",
            "sessions",
        ]
        widgets = {"frequency": forms.RadioSelect}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["frequency"].required = False

    def clean_frequency(self) -> str:
        return self.cleaned_data.get("frequency") or EmailFrequency.IMMEDIATELY


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = Notification.objects.filter(recipient=request.user).only(
        "title", "body", "url", "kind", "created_at", "read_at", "always", "recipient_id"
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/inbox/inbox.html", {"page_obj": page, "items": page.object_list})


def _safe_target(request: HttpRequest, url: str) -> str:
    """Where an inbox item may send its reader: this site only."""
    hosts = {request.get_host(), urlsplit(settings.SITE_URL).netloc}
    if url and url_has_allowed_host_and_scheme(url, hosts, request.is_secure()):
        return url
    # A link made on this site under another of its addresses (another port, say): its path.
    parts = urlsplit(url)
    if (
        parts.hostname
        and validate_host(parts.hostname, settings.ALLOWED_HOSTS)
        and parts.path.startswith("/")
        and not parts.path.startswith("//")
    ):
        return parts.path
    return ""


@login_required
def open_notification(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    """Follow an item's link, marking it read on the way."""
    item = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    if item.read_at is None:
        Notification.objects.filter(pk=item.pk).update(read_at=timezone.now())
        forget_unread([request.user.pk])
    return redirect(_safe_target(request, item.url) or "inbox")


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    item = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    if item.read_at is None:
        Notification.objects.filter(pk=item.pk).update(read_at=timezone.now())
        forget_unread([request.user.pk])
    return redirect("inbox")


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient=request.user).unread().update(read_at=timezone.now())
    forget_unread([request.user.pk])
    messages.success(request, _("All notifications are marked as read."))
    return redirect("inbox")


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    preference = NotificationPreference.objects.filter(
        user=request.user
    ).first() or NotificationPreference(user=request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notification_preferences")
    return render(request, "core/inbox/preferences.html", {"form": form})


def unread_badge(user: User) -> str:
    """The badge beside "Inbox" in every page's menu: how many items are unread, if any."""
    count = unread_count(user)
    if not count:
        return ""
    return format_html(
        ' <span class="ss-badge">{}<span class="ss-visually-hidden"> {}</span></span>',
        count,
        _("unread"),
    )


class LazyBadge:
    """The badge, computed only when a template shows it."""

    def __init__(self, user: User) -> None:
        self.user = user

    @functools.cached_property
    def html(self) -> str:
        return unread_badge(self.user)

    def __html__(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    """Context processor: the unread count and its badge, computed only when shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0, "unread_badge": ""}
    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
        "unread_badge": LazyBadge(user),
    }
