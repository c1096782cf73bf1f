"""The conversation on a signal's page: messages, "wij lopen hier ook tegenaan", and
attachments (served only to who may see the signal)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.services import CommunityError
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.initiatives.models import Initiative
from samenspel.learning import conversation
from samenspel.learning.models import SignalAttachment, SignalSupport
from samenspel.learning.views.signals import get_signal_in


@login_required
@require_POST
def post_message(request: AuthenticatedHttpRequest, slug: str, signal_id: int) -> HttpResponse:
    signal = get_signal_in(request, slug, signal_id)
    try:
        message = conversation.post_message(
            actor=request.user, signal=signal, text=request.POST.get("text", "")
        )
    except CommunityError as error:
        messages.error(request, error.message)
        return redirect(f"{signal.get_absolute_url()}#conversation")
    messages.success(request, _("Your message is on the page; the others hear of it."))
    return redirect(f"{signal.get_absolute_url()}#message-{message.pk}")


@login_required
@require_POST
def add_support(request: AuthenticatedHttpRequest, slug: str, signal_id: int) -> HttpResponse:
    signal = get_signal_in(request, slug, signal_id)
    raw = request.POST.get("initiative", "")
    initiative = (
        Initiative.objects.filter(pk=int(raw), community=signal.community).first()
        if raw.isdigit() and len(raw) < 19
        else None
    )
    try:
        if initiative is None:
            raise CommunityError(_("Choose your initiative."), code="initiative_required")
        conversation.add_support(
            actor=request.user,
            signal=signal,
            initiative=initiative,
            note=request.POST.get("note", ""),
        )
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(initiative)s now counts as running into this too.")
            % {"initiative": initiative.name},
        )
    return redirect(f"{signal.get_absolute_url()}#supports")


@login_required
@require_POST
def withdraw_support(
    request: AuthenticatedHttpRequest, slug: str, signal_id: int, support_id: int
) -> HttpResponse:
    signal = get_signal_in(request, slug, signal_id)
    support = get_object_or_404(SignalSupport, pk=support_id, signal=signal)
    support.signal = signal
    try:
        conversation.withdraw_support(actor=request.user, support=support)
    except CommunityError as error:
        messages.error(request, error.message)
    return redirect(f"{signal.get_absolute_url()}#supports")


@login_required
@require_POST
def add_attachment(request: AuthenticatedHttpRequest, slug: str, signal_id: int) -> HttpResponse:
    signal = get_signal_in(request, slug, signal_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise CommunityError(_("Choose a file to add."), code="file_required")
        attachment = conversation.add_attachment(actor=request.user, signal=signal, upload=upload)
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” is added.") % {"name": attachment.name})
    return redirect(f"{signal.get_absolute_url()}#attachments")


def attachment(request: HttpRequest, slug: str, signal_id: int, attachment_id: int) -> FileResponse:
    """The file itself, to who may see the signal; always as a download, never sniffed."""
    signal = get_signal_in(request, slug, signal_id)
    found = get_object_or_404(SignalAttachment, pk=attachment_id, signal=signal)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("The file is gone.") from error
    response = FileResponse(
        handle, as_attachment=True, filename=found.name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def remove_attachment(
    request: AuthenticatedHttpRequest, slug: str, signal_id: int, attachment_id: int
) -> HttpResponse:
    signal = get_signal_in(request, slug, signal_id)
    found = get_object_or_404(SignalAttachment, pk=attachment_id, signal=signal)
    found.signal = signal
    try:
        conversation.remove_attachment(actor=request.user, attachment=found)
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": found.name})
    return redirect(f"{signal.get_absolute_url()}#attachments")


urlpatterns: list[URLPattern] = [
    path("signals/<int:signal_id>/messages/", post_message, name="signal_message"),
    path("signals/<int:signal_id>/supports/", add_support, name="signal_support"),
    path(
        "signals/<int:signal_id>/supports/<int:support_id>/withdraw/",
        withdraw_support,
        name="withdraw_signal_support",
    ),
    path("signals/<int:signal_id>/attachments/", add_attachment, name="signal_attachments"),
    path(
        "signals/<int:signal_id>/attachments/<int:attachment_id>/",
        attachment,
        name="signal_attachment",
    ),
    path(
        "signals/<int:signal_id>/attachments/<int:attachment_id>/remove/",
        remove_attachment,
        name="remove_signal_attachment",
    ),
]
