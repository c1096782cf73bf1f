"""API: the conversation on a signal — messages, the initiatives that run into it too, and
attachments (sent as base64 in JSON, as every request body here is JSON). The same
services and predicates as the signal's page."""

import base64
import binascii
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Status
from ninja.pagination import paginate

from samenspel.core.api import (
    LOGIN_OPTIONAL,
    LOGIN_REQUIRED,
    CamelSchema,
    Id,
    InputSchema,
    PageNumber,
    Rows,
    Text,
    invalid,
)
from samenspel.core.sites import absolute
from samenspel.initiatives.models import Initiative
from samenspel.learning import conversation
from samenspel.learning.models import SignalAttachment, SignalMessage, SignalSupport
from samenspel.learning.services import get_signal_for_user

router = Router(tags=["loop"])


class MessageOut(CamelSchema):
    id: int
    author: str | None = Field(description="The author's display name.")
    text: str
    created_at: datetime


class MessageIn(InputSchema):
    text: Text = Field(min_length=1, max_length=conversation.MESSAGE_LIMIT)


class SupportOut(CamelSchema):
    id: int
    initiative_id: int
    initiative: str
    note: str
    created_at: datetime


class SupportIn(InputSchema):
    initiative_id: Id
    note: Text = Field("", max_length=2000)


class AttachmentOut(CamelSchema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_at: datetime
    url: str = Field(description="Where the file itself is read (same rights as the signal).")


class AttachmentIn(InputSchema):
    name: Text = Field(min_length=1, max_length=200)
    content: str = Field(description="The file, base64-encoded.", min_length=1)


def _message(item: SignalMessage) -> dict[str, Any]:
    return {
        "id": item.pk,
        "author": item.author.name if item.author else None,
        "text": item.text,
        "created_at": item.created_at,
    }


def _support(item: SignalSupport) -> dict[str, Any]:
    return {
        "id": item.pk,
        "initiative_id": item.initiative_id,
        "initiative": item.initiative.name,
        "note": item.note,
        "created_at": item.created_at,
    }


def _attachment(item: SignalAttachment) -> dict[str, Any]:
    return {
        "id": item.pk,
        "name": item.name,
        "content_type": item.content_type,
        "size": item.size,
        "uploaded_at": item.uploaded_at,
        "url": absolute(reverse("api:attachment_content", args=[item.signal_id, item.pk])),
    }


@router.get(
    "/signals/{int:id}/messages",
    response=list[MessageOut],
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="The questions and answers on a signal, oldest first",
)
@paginate(PageNumber)
def list_messages(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    signal = get_signal_for_user(request.user, id)
    rows = SignalMessage.objects.filter(signal=signal).select_related("author")
    return Rows(rows.order_by("created_at", "pk"), _message)


@router.post(
    "/signals/{int:id}/messages",
    response={201: MessageOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Ask or answer on a signal (it does not move the signal)",
)
def post_message(request: HttpRequest, id: Id, payload: MessageIn):  # type: ignore[no-untyped-def]
    signal = get_signal_for_user(request.user, id)
    message = conversation.post_message(
        actor=request.user,  # type: ignore[arg-type]
        signal=signal,
        text=payload.text,
    )
    return Status(201, _message(message))


@router.get(
    "/signals/{int:id}/supports",
    response=list[SupportOut],
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="The other initiatives that run into this signal too",
)
@paginate(PageNumber)
def list_supports(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    signal = get_signal_for_user(request.user, id)
    rows = SignalSupport.objects.filter(signal=signal).select_related("initiative")
    return Rows(rows.order_by("created_at", "pk"), _support)


@router.post(
    "/signals/{int:id}/supports",
    response={201: SupportOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="“Wij lopen hier ook tegenaan”: add your initiative's weight (once each)",
)
def add_support(request: HttpRequest, id: Id, payload: SupportIn):  # type: ignore[no-untyped-def]
    signal = get_signal_for_user(request.user, id)
    initiative = Initiative.objects.filter(
        pk=payload.initiative_id, community=signal.community
    ).first()
    if initiative is None:
        invalid([("initiativeId", "No such initiative in this community.")])
        raise AssertionError  # invalid() raised
    support = conversation.add_support(
        actor=request.user,  # type: ignore[arg-type]
        signal=signal,
        initiative=initiative,
        note=payload.note,
    )
    return Status(201, _support(support))


@router.delete(
    "/signals/{int:id}/supports/{int:supportId}",
    response={204: None},
    auth=LOGIN_REQUIRED,
    summary="Take an initiative's weight back",
)
def delete_support(request: HttpRequest, id: Id, supportId: Id) -> HttpResponse:
    signal = get_signal_for_user(request.user, id)
    support = get_object_or_404(SignalSupport, pk=supportId, signal=signal)
    support.signal = signal
    conversation.withdraw_support(actor=request.user, support=support)  # type: ignore[arg-type]
    return HttpResponse(status=204)


@router.get(
    "/signals/{int:id}/attachments",
    response=list[AttachmentOut],
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="The files with a signal",
)
@paginate(PageNumber)
def list_attachments(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    signal = get_signal_for_user(request.user, id)
    rows = SignalAttachment.objects.filter(signal=signal).order_by("uploaded_at", "pk")
    return Rows(rows, _attachment)


@router.post(
    "/signals/{int:id}/attachments",
    response={201: AttachmentOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Add a letter, a photo or a PDF (base64 in JSON)",
    description=(
        "Checked by its content: PDF, JPEG, PNG, WebP, Word (docx) or OpenDocument text, "
        "within the size limit; anything else is 400."
    ),
)
def add_attachment(request: HttpRequest, id: Id, payload: AttachmentIn):  # type: ignore[no-untyped-def]
    signal = get_signal_for_user(request.user, id)
    try:
        data = base64.b64decode(payload.content, validate=True)
    except (binascii.Error, ValueError):
        invalid([("content", "Not valid base64.")])
        raise AssertionError from None  # invalid() raised
    upload = SimpleUploadedFile(payload.name, data)
    attachment = conversation.add_attachment(
        actor=request.user,  # type: ignore[arg-type]
        signal=signal,
        upload=upload,
    )
    return Status(201, _attachment(attachment))


@router.get(
    "/signals/{int:id}/attachments/{int:attachmentId}/content",
    auth=LOGIN_OPTIONAL,
    url_name="attachment_content",
    summary="The file itself",
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as a download.",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def attachment_content(request: HttpRequest, id: Id, attachmentId: Id) -> FileResponse:
    signal = get_signal_for_user(request.user, id)
    found = get_object_or_404(SignalAttachment, pk=attachmentId, signal=signal)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.delete(
    "/signals/{int:id}/attachments/{int:attachmentId}",
    response={204: None},
    auth=LOGIN_REQUIRED,
    summary="Remove a file (who added it, or a steward)",
)
def delete_attachment(request: HttpRequest, id: Id, attachmentId: Id) -> HttpResponse:
    signal = get_signal_for_user(request.user, id)
    found = get_object_or_404(SignalAttachment, pk=attachmentId, signal=signal)
    found.signal = signal
    conversation.remove_attachment(actor=request.user, attachment=found)  # type: ignore[arg-type]
    return HttpResponse(status=204)
