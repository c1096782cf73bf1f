"""A signal is a conversation (issue 9 §3): messages that move nothing and reach the
people involved, other initiatives that run into it too (once each, counted, sortable),
and attachments checked by their content and shown only to who may see the signal."""

import io
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Membership, Role
from samenspel.communities.services import CommunityError
from samenspel.core.models import Notification
from samenspel.learning import conversation, following, services
from samenspel.learning.models import Signal, SignalAttachment, SignalMessage, SignalSupport
from samenspel.learning.stages import Stage
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.initiative_factories import InitiativeFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cast(world):
    noord = OrganisationFactory(community=world.public, name="Warmte Noord")
    zuid = OrganisationFactory(community=world.public, name="Warmte Zuid")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=noord, organisation_confirmed_at=timezone.now()
    )
    other = UserFactory(email="zuid@example.org", display_name="Zoë Zuid")
    MembershipFactory(
        user=other, community=world.public, organisation=zuid, organisation_confirmed_at=None
    )
    own = InitiativeFactory(community=world.public, organisation=noord, name="Noord warm")
    theirs = InitiativeFactory(community=world.public, organisation=zuid, name="Zuid warm")
    signal = services.raise_signal(
        community=world.public,
        actor=world.initiatief_member,
        title="Vergunning duurt te lang",
        what_happened="De vergunning liet negen maanden op zich wachten.",
        initiatives=[own],
    )
    Notification.objects.all().delete()
    return {"signal": signal, "other": other, "own": own, "theirs": theirs}


def titles(user):
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True)
    )


# Messages


def test_a_question_moves_nothing_and_reaches_the_people_involved(world, cast):
    signal = cast["signal"]
    services.move_signal(
        actor=world.gemeente_member,
        signal=signal,
        move=services.Move(to_stage=Stage.IN_VERKENNING),
        seen_event_id=None,
    )
    Notification.objects.all().delete()
    conversation.post_message(
        actor=world.gemeente_member, signal=signal, text="Welke straat was het?"
    )
    assert Signal.objects.get(pk=signal.pk).stage == Stage.IN_VERKENNING
    assert titles(world.initiatief_member) == ["Nieuw bericht over: Vergunning duurt te lang"]
    assert titles(world.gemeente_member) == []  # who wrote it
    # The answer reaches the owner, who asked.
    conversation.post_message(actor=world.initiatief_member, signal=signal, text="De Dijkstraat.")
    assert titles(world.gemeente_member) == ["Nieuw bericht over: Vergunning duurt te lang"]
    item = Notification.objects.get(recipient=world.gemeente_member)
    message = SignalMessage.objects.get(text="De Dijkstraat.")
    assert item.url.endswith(f"/c/publiek/signals/{signal.pk}/#message-{message.pk}")
    assert "De Dijkstraat." in item.body


def test_who_took_part_in_the_conversation_hears_the_replies(world, cast):
    signal = cast["signal"]
    conversation.post_message(actor=world.steward, signal=signal, text="Wie kent dit?")
    conversation.post_message(actor=world.initiatief_member, signal=signal, text="Wij.")
    assert "Nieuw bericht over: Vergunning duurt te lang" in titles(world.steward)


def test_observers_and_outsiders_cannot_write_and_empty_or_long_text_is_refused(world, cast):
    signal = cast["signal"]
    for person in (world.observer, world.outsider):
        with pytest.raises(CommunityError) as refused:
            conversation.post_message(actor=person, signal=signal, text="Hallo")
        assert refused.value.status == 403
    with pytest.raises(CommunityError):
        conversation.post_message(actor=world.gemeente_member, signal=signal, text="   ")
    with pytest.raises(CommunityError) as too_long:
        conversation.post_message(actor=world.gemeente_member, signal=signal, text="x" * 4001)
    assert "maximaal 4000 tekens, nu 4001" in too_long.value.message
    assert not SignalMessage.objects.exists()


def test_the_page_shows_the_conversation_and_takes_a_message(world, cast):
    signal = cast["signal"]
    client = client_for(world.gemeente_member)
    response = client.post(
        f"/c/publiek/signals/{signal.pk}/messages/", {"text": "Is er al een aanvraag?"}
    )
    message = SignalMessage.objects.get()
    assert response["Location"].endswith(f"#message-{message.pk}")
    page = client_for(world.initiatief_member).get(signal.get_absolute_url()).content.decode()
    assert "Is er al een aanvraag?" in page and f'id="message-{message.pk}"' in page
    # A visitor reads it but finds no form.
    visitor = client_for(None).get(signal.get_absolute_url()).content.decode()
    assert "Is er al een aanvraag?" in visitor and 'id="message-form"' not in visitor


# "Wij lopen hier ook tegenaan"


def test_another_initiative_adds_its_weight_once(world, cast):
    signal, other = cast["signal"], cast["other"]
    Membership.objects.filter(user=other).update(organisation_confirmed_at=timezone.now())
    assert conversation.supporting_initiatives(other, signal) == [cast["theirs"]]
    conversation.add_support(
        actor=other, signal=signal, initiative=cast["theirs"], note="Ook bij ons."
    )
    signal.refresh_from_db()
    assert signal.support_count == 1
    assert titles(world.initiatief_member) == [
        "Zuid warm loopt hier ook tegenaan: Vergunning duurt te lang"
    ]
    with pytest.raises(CommunityError) as twice:
        conversation.add_support(actor=other, signal=signal, initiative=cast["theirs"])
    assert twice.value.status == 409
    assert SignalSupport.objects.count() == 1


def test_only_for_your_own_confirmed_initiative_and_not_the_signals_own(world, cast):
    signal, other = cast["signal"], cast["other"]
    # Unconfirmed: may not speak for Zuid.
    assert conversation.supporting_initiatives(other, signal) == []
    with pytest.raises(CommunityError):
        conversation.add_support(actor=other, signal=signal, initiative=cast["theirs"])
    # The signal's own initiative does not add weight to itself.
    with pytest.raises(CommunityError):
        conversation.add_support(
            actor=world.initiatief_member, signal=signal, initiative=cast["own"]
        )
    assert Signal.objects.get(pk=signal.pk).support_count == 0


def test_taking_the_weight_back(world, cast):
    signal, other = cast["signal"], cast["other"]
    Membership.objects.filter(user=other).update(organisation_confirmed_at=timezone.now())
    support = conversation.add_support(actor=other, signal=signal, initiative=cast["theirs"])
    with pytest.raises(CommunityError):
        conversation.withdraw_support(actor=world.gemeente_member, support=support)
    conversation.withdraw_support(actor=other, support=support)
    assert Signal.objects.get(pk=signal.pk).support_count == 0


def test_the_page_and_the_list_show_and_sort_by_weight(world, cast):
    signal, other = cast["signal"], cast["other"]
    Membership.objects.filter(user=other).update(organisation_confirmed_at=timezone.now())
    quiet = services.raise_signal(
        community=world.public,
        actor=world.gemeente_member,
        title="Stil signaal",
        what_happened="Niemand anders.",
    )
    client = client_for(other)
    client.post(
        f"/c/publiek/signals/{signal.pk}/supports/", {"initiative": cast["theirs"].pk, "note": ""}
    )
    assert Signal.objects.get(pk=signal.pk).support_count == 1
    page = client_for(world.gemeente_member).get(signal.get_absolute_url()).content.decode()
    assert "Zuid warm" in page
    listing = client_for(world.gemeente_member).get("/c/publiek/signals/?sort=weight")
    html = listing.content.decode()
    assert html.index("Vergunning duurt te lang") < html.index("Stil signaal")
    assert quiet.pk


# Attachments


def test_a_pdf_is_stored_and_only_who_may_see_the_signal_opens_it(world, cast):
    signal = cast["signal"]
    signal.community = world.private
    Signal.objects.filter(pk=signal.pk).update(community=world.private)
    signal = Signal.objects.get(pk=signal.pk)
    upload = SimpleUploadedFile("brief gemeente.pdf", PDF, content_type="text/plain")
    attachment = conversation.add_attachment(
        actor=world.initiatief_member, signal=signal, upload=upload
    )
    assert attachment.content_type == "application/pdf"
    assert attachment.name == "brief gemeente.pdf"
    assert attachment.file.name.endswith(".pdf") and "brief" not in attachment.file.name
    url = f"/c/besloten/signals/{signal.pk}/attachments/{attachment.pk}/"
    response = client_for(world.gemeente_member).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404


def test_a_file_is_judged_by_its_content_not_its_name(world, cast):
    signal = cast["signal"]
    fake = SimpleUploadedFile("foto.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(CommunityError) as refused:
        conversation.add_attachment(actor=world.initiatief_member, signal=signal, upload=fake)
    assert refused.value.code == "file_type"
    photo = SimpleUploadedFile("foto.txt", PNG)
    stored = conversation.add_attachment(actor=world.initiatief_member, signal=signal, upload=photo)
    assert stored.content_type == "image/png" and stored.file.name.endswith(".png")


def test_a_file_too_large_is_refused_and_nothing_is_kept(world, cast, settings, tmp_path):
    settings.MAX_ATTACHMENT_BYTES = 100
    big = SimpleUploadedFile("groot.pdf", PDF + b"0" * 200)
    with pytest.raises(CommunityError) as refused:
        conversation.add_attachment(
            actor=world.initiatief_member, signal=cast["signal"], upload=big
        )
    assert "te groot" in refused.value.message
    assert not SignalAttachment.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_who_may_add_and_remove_files(world, cast):
    signal = cast["signal"]
    upload = SimpleUploadedFile("brief.pdf", PDF)
    for person in (world.gemeente_member, world.observer, world.outsider):
        with pytest.raises(CommunityError):
            conversation.add_attachment(actor=person, signal=signal, upload=upload)
    attachment = conversation.add_attachment(
        actor=world.initiatief_member, signal=signal, upload=upload
    )
    with pytest.raises(CommunityError):
        conversation.remove_attachment(actor=world.gemeente_member, attachment=attachment)
    conversation.remove_attachment(actor=world.steward, attachment=attachment)
    assert not SignalAttachment.objects.exists()


def test_uploading_through_the_page(world, cast):
    signal = cast["signal"]
    client = client_for(world.initiatief_member)
    response = client.post(
        f"/c/publiek/signals/{signal.pk}/attachments/",
        {"file": io.BytesIO(PDF)},
    )
    assert response.status_code == 302
    (attachment,) = SignalAttachment.objects.all()
    page = client.get(signal.get_absolute_url()).content.decode()
    assert f"/attachments/{attachment.pk}/remove/" in page  # the uploader's own copy
    colleague = UserFactory()
    MembershipFactory(
        user=colleague,
        community=world.public,
        organisation=Membership.objects.get(
            user=world.initiatief_member, community=world.public
        ).organisation,
    )
    their_page = client_for(colleague).get(signal.get_absolute_url()).content.decode()
    assert f"/attachments/{attachment.pk}/" in their_page
    assert f"/attachments/{attachment.pk}/remove/" not in their_page


def test_following_a_signal_brings_its_messages(world, cast):
    following.follow(actor=world.observer, subject=cast["signal"])
    conversation.post_message(actor=world.steward, signal=cast["signal"], text="Update.")
    assert titles(world.observer) == ["Nieuw bericht over: Vergunning duurt te lang"]


def test_a_steward_is_no_exception_to_writing(world, cast):
    Membership.objects.filter(user=world.steward, community=world.public).update(role=Role.STEWARD)
    conversation.post_message(actor=world.steward, signal=cast["signal"], text="Welkom.")
    assert SignalMessage.objects.count() == 1


# The API


def test_the_api_takes_messages_supports_and_attachments(world, cast):
    import base64

    signal, other = cast["signal"], cast["other"]
    Membership.objects.filter(user=other).update(organisation_confirmed_at=timezone.now())
    member = client_for(world.gemeente_member)
    posted = member.post(
        f"/api/v1/signals/{signal.pk}/messages",
        {"text": "Welke straat?"},
        content_type="application/json",
    )
    assert posted.status_code == 201 and posted.json()["author"] == world.gemeente_member.name
    listed = client_for(None).get(f"/api/v1/signals/{signal.pk}/messages").json()
    assert listed["count"] == 1 and listed["items"][0]["text"] == "Welke straat?"
    empty = member.post(
        f"/api/v1/signals/{signal.pk}/messages", {"text": "  "}, content_type="application/json"
    )
    assert empty.status_code == 400

    support = client_for(other).post(
        f"/api/v1/signals/{signal.pk}/supports",
        {"initiativeId": cast["theirs"].pk},
        content_type="application/json",
    )
    assert support.status_code == 201
    again = client_for(other).post(
        f"/api/v1/signals/{signal.pk}/supports",
        {"initiativeId": cast["theirs"].pk},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert client_for(None).get(f"/api/v1/signals/{signal.pk}/supports").json()["count"] == 1

    raiser = client_for(world.initiatief_member)
    added = raiser.post(
        f"/api/v1/signals/{signal.pk}/attachments",
        {"name": "brief.pdf", "content": base64.b64encode(PDF).decode()},
        content_type="application/json",
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["contentType"] == "application/pdf" and body["size"] == len(PDF)
    assert body["url"].startswith("http://testserver/api/v1/signals/")
    download = client_for(world.gemeente_member).get(urlsplit(body["url"]).path)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    refused = raiser.post(
        f"/api/v1/signals/{signal.pk}/attachments",
        {"name": "x.pdf", "content": base64.b64encode(b"MZ\x90\x00 not a pdf").decode()},
        content_type="application/json",
    )
    assert refused.status_code == 400
    attachment_id = body["id"]
    assert (
        member.delete(f"/api/v1/signals/{signal.pk}/attachments/{attachment_id}").status_code == 403
    )
    assert (
        raiser.delete(f"/api/v1/signals/{signal.pk}/attachments/{attachment_id}").status_code == 204
    )


def test_the_dashboard_shows_the_weight_and_the_late_signals(world, cast):
    from datetime import timedelta

    import time_machine

    signal, other = cast["signal"], cast["other"]
    Membership.objects.filter(user=other).update(organisation_confirmed_at=timezone.now())
    conversation.add_support(actor=other, signal=signal, initiative=cast["theirs"])
    html = client_for(world.gemeente_member).get("/c/publiek/loop/").content.decode()
    weighty = html.split('id="weighty-signals"', 1)[1].split("</ol>", 1)[0]
    assert signal.title in weighty and "nog 1 initiatief" in weighty
    assert "0 signalen wachten langer" in html
    with time_machine.travel(timezone.now() + timedelta(days=20)):
        later = client_for(world.gemeente_member).get("/c/publiek/loop/").content.decode()
        assert "1 signaal wacht langer dan de beloofde antwoordtijd." in later
        listed = client_for(world.gemeente_member).get("/c/publiek/signals/?late=on")
        assert signal.title in listed.content.decode()
    assert (
        signal.title
        not in client_for(world.gemeente_member)
        .get("/c/publiek/signals/?late=on")
        .content.decode()
        .split('id="results"', 1)[1]
    )
