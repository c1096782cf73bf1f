"""A signal is a conversation: questions and answers on its page, other initiatives that
run into it too ("wij lopen hier ook tegenaan"), and attachments. None of these moves the
signal; each tells the people involved (learning/feedback.py)."""

from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.permissions import AnyUser, can_contribute, can_manage_community
from samenspel.communities.services import CommunityError
from samenspel.communities.versions import content_changed
from samenspel.core.notifications import notify
from samenspel.initiatives.models import Initiative
from samenspel.learning import permissions
from samenspel.learning.feedback import involved_in
from samenspel.learning.models import Signal, SignalAttachment, SignalMessage, SignalSupport
from samenspel.learning.services import behalf_initiatives, not_allowed

MESSAGE_LIMIT = 4000
# What an attachment may be, by its content (not its name): MIME type → extension.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
}


def can_post_message(user: AnyUser, signal: Signal) -> bool:
    """Members who contribute (and stewards) take part in the conversation."""
    return can_contribute(user, signal.community) or can_manage_community(user, signal.community)


def can_attach(user: AnyUser, signal: Signal) -> bool:
    """Who raised it, its initiative, its owner and the stewards add letters and photos."""
    return permissions.can_edit_signal(user, signal) or (
        permissions.is_owner(user, signal) and can_contribute(user, signal.community)
    )


def can_remove_attachment(user: AnyUser, attachment: SignalAttachment) -> bool:
    return user.is_authenticated and (
        attachment.uploaded_by_id == user.pk
        or can_manage_community(user, attachment.signal.community)
    )


def supporting_initiatives(user: AnyUser, signal: Signal) -> list[Initiative]:
    """The initiatives `user` may add to a signal: listed ones of their own confirmed
    organisation, not those the signal was raised for, not those that did already."""
    own = {i.pk for i in signal.initiatives.all()}
    if signal.on_behalf_of_id:
        own.add(signal.on_behalf_of_id)
    done = set(SignalSupport.objects.filter(signal=signal).values_list("initiative_id", flat=True))
    return [i for i in behalf_initiatives(user, signal.community) if i.pk not in own | done]


@transaction.atomic
def post_message(*, actor: User, signal: Signal, text: str) -> SignalMessage:
    """A question or answer on the signal; everyone involved hears of it."""
    if not can_post_message(actor, signal):
        raise not_allowed(_("Only members who take part write on a signal."))
    text = text.strip()
    if not text:
        raise CommunityError(_("Write your message."), code="message_required", status=400)
    if len(text) > MESSAGE_LIMIT:
        raise CommunityError(
            _("The message is too long: at most %(limit)d characters, now %(count)d.")
            % {"limit": MESSAGE_LIMIT, "count": len(text)},
            code="message_too_long",
            status=400,
        )
    message = SignalMessage.objects.create(signal=signal, author=actor, text=text)
    content_changed(signal.community_id)
    authors = User.objects.filter(
        pk__in=SignalMessage.objects.filter(signal=signal).values("author_id")
    )
    recipients = {u.pk: u for u in [*involved_in(signal), *authors] if u.pk != actor.pk}
    notify(
        [recipients[pk] for pk in sorted(recipients)],
        subject=lambda: _("New message about: %(title)s") % {"title": signal.title},
        template="learning/email/message.txt",
        context={"signal": signal, "message": message, "author": actor},
        kind="signal-message",
        url=lambda: f"{signal.get_absolute_url()}#message-{message.pk}",
        community=signal.community,
        ref=f"signal-message:{message.pk}",
    )
    return message


@transaction.atomic
def add_support(
    *, actor: User, signal: Signal, initiative: Initiative, note: str = ""
) -> SignalSupport:
    """ "Wij lopen hier ook tegenaan", for one of the actor's own initiatives; once each."""
    if not can_contribute(actor, signal.community):
        raise not_allowed(_("Only members who take part add their initiative to a signal."))
    allowed = {i.pk for i in supporting_initiatives(actor, signal)}
    if initiative.pk not in allowed:
        if SignalSupport.objects.filter(signal=signal, initiative=initiative).exists():
            raise CommunityError(
                _("%(initiative)s has already said it runs into this too.")
                % {"initiative": initiative.name},
                code="already_supported",
                status=409,
            )
        raise not_allowed(
            _(
                "You can add only a listed initiative of your own organisation that this signal "
                "was not raised for."
            )
        )
    try:
        with transaction.atomic():
            support = SignalSupport.objects.create(
                signal=signal, initiative=initiative, added_by=actor, note=note.strip()[:2000]
            )
    except IntegrityError:  # added at the same moment by a colleague
        raise CommunityError(
            _("%(initiative)s has already said it runs into this too.")
            % {"initiative": initiative.name},
            code="already_supported",
            status=409,
        ) from None
    Signal.objects.filter(pk=signal.pk).update(support_count=F("support_count") + 1)
    content_changed(signal.community_id)
    notify(
        [u for u in involved_in(signal) if u.pk != actor.pk],
        subject=lambda: (
            _("%(initiative)s runs into this too: %(title)s")
            % {"initiative": initiative.name, "title": signal.title}
        ),
        template="learning/email/support.txt",
        context={"signal": signal, "support": support, "initiative": initiative},
        kind="loop-step",
        url=signal.get_absolute_url,
        community=signal.community,
        ref=f"signal-support:{support.pk}",
    )
    return support


@transaction.atomic
def withdraw_support(*, actor: User, support: SignalSupport) -> None:
    """Who speaks for the initiative (or a steward) takes its weight back."""
    signal = support.signal
    own = {i.pk for i in behalf_initiatives(actor, signal.community)}
    if support.initiative_id not in own and not can_manage_community(actor, signal.community):
        raise not_allowed(_("Only who speaks for the initiative takes this back."))
    deleted, _rows = SignalSupport.objects.filter(pk=support.pk).delete()
    if deleted:
        Signal.objects.filter(pk=signal.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
        content_changed(signal.community_id)


@dataclass
class CheckedFile:
    content_type: str
    extension: str


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Type by content (the first bytes), size by the limit; a clear refusal otherwise."""
    limit = settings.MAX_ATTACHMENT_BYTES
    size = upload.size or 0
    if size > limit:
        raise CommunityError(
            _("The file is too large: at most %(limit)s, this one is %(size)s.")
            % {"limit": filesizeformat(limit), "size": filesizeformat(size)},
            code="file_too_large",
            status=400,
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise CommunityError(
            _(
                "This kind of file cannot be added. Add a PDF, a photo (JPEG, PNG or WebP) "
                "or a text document (Word or OpenDocument)."
            ),
            code="file_type",
            status=400,
        )
    return CheckedFile(content_type=kind.mime, extension=ALLOWED_TYPES[kind.mime])


@transaction.atomic
def add_attachment(*, actor: User, signal: Signal, upload: UploadedFile) -> SignalAttachment:
    if not can_attach(actor, signal):
        raise not_allowed(
            _("Who raised it, its initiative, its owner and the facilitators add files.")
        )
    checked = check_upload(upload)
    original = (upload.name or "").rsplit("/", 1)[-1].strip() or f"bijlage.{checked.extension}"
    attachment = SignalAttachment(
        signal=signal,
        name=original[:200],
        content_type=checked.content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    # Stored under a random name with the extension its content has, never the one given.
    attachment.file.save(f"upload.{checked.extension}", upload, save=False)
    attachment.save()
    content_changed(signal.community_id)
    return attachment


@transaction.atomic
def remove_attachment(*, actor: User, attachment: SignalAttachment) -> None:
    if not can_remove_attachment(actor, attachment):
        raise not_allowed(_("Only who added the file, or a facilitator, removes it."))
    stored = attachment.file.name
    storage = attachment.file.storage
    community_id = attachment.signal.community_id
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    content_changed(community_id)
