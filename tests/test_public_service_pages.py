"""The pages a Dutch public service must have (issue 9 §6): help, accessibility and
privacy statements, 404/403/500 in the site's own layout (with DEBUG off), a contact route
to the facilitators on every community page, and the newcomer's three steps."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client, override_settings
from django.urls import path

from conftest import client_for
from samenspel import urls as site_urls
from samenspel.communities.models import JoinRequest
from samenspel.communities.services import CommunityError, request_to_join
from samenspel.core.models import Notification
from tests.factories import UserFactory
from tests.mailbox import outbox


@pytest.mark.parametrize(
    ("path", "dutch", "english"),
    [
        ("/help/", "Meedoen in drie stappen", "Taking part in three steps"),
        ("/accessibility/", "Toegankelijkheidsverklaring", "Accessibility statement"),
        ("/privacy/", "Privacyverklaring", "Privacy statement"),
    ],
)
def test_the_statements_and_help_in_both_languages(db, path, dutch, english):
    nl = Client().get(path)
    en = Client().get(f"/en{path}")
    assert nl.status_code == en.status_code == 200
    assert dutch in nl.content.decode() and english in en.content.decode()
    # Every page links to them.
    assert f'href="{path}"' in Client().get("/").content.decode()


def test_the_help_page_explains_every_step_of_the_loop(db):
    html = Client().get("/help/").content.decode()
    for step in ("Gemeld", "In verkenning", "Teruggekoppeld", "Heropend"):
        assert step in html


@override_settings(SITE_OWNER="Gemeente Voorbeeldstad", CONTACT_EMAIL="loket@example.org")
def test_the_statements_name_who_runs_the_site(db):
    html = Client().get("/accessibility/").content.decode()
    assert "Gemeente Voorbeeldstad" in html and "mailto:loket@example.org" in html
    assert "Voldoet gedeeltelijk" in html


def boom(request):
    raise RuntimeError("kapot")


# A URL configuration with one failing page beside the site's own.
urlpatterns = [path("boom/", boom), *site_urls.urlpatterns]
handler500 = site_urls.handler500


@override_settings(DEBUG=False)
def test_a_missing_page_in_the_sites_layout_in_both_languages(db):
    nl = Client().get("/c/bestaat-niet/")
    en = Client().get("/en/c/bestaat-niet/")
    assert nl.status_code == en.status_code == 404
    assert "Pagina niet gevonden" in nl.content.decode()
    assert "Page not found" in en.content.decode()
    assert 'class="ss-header"' in nl.content.decode()  # the site's own frame


@override_settings(DEBUG=False)
def test_a_refused_page_in_the_sites_layout(world):
    from django.core.exceptions import PermissionDenied

    from samenspel.core.views import permission_denied

    request = Client().get("/").wsgi_request
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Dit mag je niet doen" in response.content.decode()


@override_settings(DEBUG=False, ROOT_URLCONF="tests.test_public_service_pages")
def test_a_server_error_in_the_sites_layout(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html and "kapot" not in html and "Traceback" not in html


# Contact


def test_every_community_page_leads_to_the_facilitators(world):
    html = client_for(None).get("/c/publiek/").content.decode()
    assert 'href="/c/publiek/contact/"' in html
    page = client_for(None).get("/c/publiek/contact/").content.decode()
    assert world.steward.name in page and "Log in om de begeleiders te schrijven" in page


def test_a_message_to_the_facilitators_reaches_them_with_the_senders_address(world):
    client = client_for(world.gemeente_member)
    response = client.post("/c/publiek/contact/", {"text": "Hoe meld ik een signaal?"})
    assert response.status_code == 302
    item = Notification.objects.get(recipient=world.steward, kind="contact")
    assert "Hoe meld ik een signaal?" in item.body and world.gemeente_member.email in item.body
    assert [m.to for m in outbox()] == [[world.steward.email]]


def test_an_empty_message_is_refused_with_a_summary(world):
    response = client_for(world.gemeente_member).post("/c/publiek/contact/", {"text": " "})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert not Notification.objects.exists()


def test_outsiders_cannot_reach_a_private_communitys_facilitators(world):
    assert client_for(world.outsider).get("/c/besloten/contact/").status_code == 404
    client_for(world.outsider).post("/c/besloten/contact/", {"text": "Hallo"})
    assert not Notification.objects.exists()


# The newcomer


def test_a_visitor_sees_three_steps(world):
    html = client_for(None).get("/c/publiek/").content.decode()
    assert "Meedoen in drie stappen" in html and "/accounts/signup/" in html


def test_an_unconfirmed_newcomer_can_have_the_link_sent_again_and_cannot_ask_yet(world):
    newcomer = UserFactory()
    EmailAddress.objects.filter(user=newcomer).update(verified=False)
    client = client_for(newcomer)
    html = client.get("/c/publiek/").content.decode()
    assert "Stuur de link opnieuw" in html and 'href="/c/publiek/join/"' not in html
    mail.outbox.clear()
    client.post("/accounts/email/", {"email": newcomer.email, "action_send": ""})
    assert [m.to for m in outbox()] == [[newcomer.email]]
    with pytest.raises(CommunityError):
        request_to_join(community=world.public, user=newcomer, side="initiatief")
    assert not JoinRequest.objects.exists()


def test_while_waiting_the_newcomer_reads_that_a_facilitator_will_answer(world):
    newcomer = UserFactory()
    client = client_for(newcomer)
    assert 'href="/c/publiek/join/"' in client.get("/c/publiek/").content.decode()
    request_to_join(community=world.public, user=newcomer, side="initiatief")
    html = client.get("/c/publiek/").content.decode()
    assert "Je aanvraag wacht op een begeleider" in html
