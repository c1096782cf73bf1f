"""Forms that speak the user's language (issue 9 §4): "for which initiative?" asked once
and filled in, a hint under every field, and errors after the NL Design System pattern —
a summary at the top linking to each field, messages that say what to do, in Dutch."""

import pytest
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Membership
from samenspel.learning.models import Signal
from tests.factories import OrganisationFactory
from tests.initiative_factories import InitiativeFactory

URL = "/c/publiek/signals/new/"


@pytest.fixture
def own(world):
    noord = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=noord, organisation_confirmed_at=timezone.now()
    )
    return InitiativeFactory(community=world.public, organisation=noord, name="Noord warm")


def test_for_which_initiative_is_asked_once_and_filled_in(world, own):
    other = InitiativeFactory(community=world.public, name="Zuid warm")
    html = client_for(world.initiatief_member).get(URL).content.decode()
    assert html.count("Voor welk initiatief?") == 1
    assert f'<option value="{own.pk}" selected>' in html
    assert 'name="on_behalf_of"' not in html and 'name="initiatives"' not in html
    assert "Wat ging er mis, in een paar woorden." in html  # a hint under the title
    client = client_for(world.initiatief_member)
    client.post(
        URL,
        {
            "title": "Eigen",
            "what_happened": "Bij ons.",
            "initiative": own.pk,
            "impact": "medium",
            "urgency": "medium",
        },
    )
    signal = Signal.objects.get(title="Eigen")
    assert signal.on_behalf_of == own and list(signal.initiatives.all()) == [own]
    client.post(
        URL,
        {
            "title": "Ander",
            "what_happened": "Bij hen.",
            "initiative": other.pk,
            "impact": "medium",
            "urgency": "medium",
        },
    )
    signal = Signal.objects.get(title="Ander")
    assert signal.on_behalf_of is None and list(signal.initiatives.all()) == [other]


def test_an_empty_form_gets_a_summary_that_links_to_each_field(world):
    response = client_for(world.gemeente_member).post(
        URL, {"impact": "medium", "urgency": "medium"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html and "Kijk nog even naar wat je hebt ingevuld" in html
    assert '<a class="utrecht-link" href="#id_title">Titel: Vul dit veld in.</a>' in html
    assert 'href="#id_what_happened"' in html
    assert not Signal.objects.exists()


def test_a_too_long_title_says_how_long_it_may_be_and_is(world):
    response = client_for(world.gemeente_member).post(
        URL, {"title": "x" * 319, "what_happened": "Iets.", "impact": "medium", "urgency": "medium"}
    )
    assert "Te lang: maximaal 200 tekens, nu 319." in response.content.decode()
    english = client_for(world.gemeente_member).post(
        "/en" + URL,
        {"title": "x" * 319, "what_happened": "Iets.", "impact": "medium", "urgency": "medium"},
    )
    assert "Too long: at most 200 characters, now 319." in english.content.decode()


def test_the_account_forms_have_the_summary_too_in_dutch(db):
    from django.test import Client

    response = Client().post("/accounts/signup/", {"email": "geen-adres", "password1": "kort"})
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert "Vul een heel e-mailadres in" in html or "geldig e-mailadres" in html
    assert "Het wachtwoord is te kort: gebruik minstens 8 tekens." in html
