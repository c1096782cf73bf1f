"""The workshops' API (issue 13): join with a code and get a participant token, write cards
and vote with it, follow the state with since=<revision> (304 while nothing changed), the
facilitator's controls, the report — and what a participant may not see never comes
through it."""

import json

import pytest
from django.test import Client

from conftest import client_for
from samenspel.workshops import services
from samenspel.workshops.models import Card, Participant, Workshop
from tests.test_workshops import guest, make, started

JSON = "application/json"


def post(client, url, body, **headers):
    return client.post(f"/api/v1{url}", json.dumps(body), content_type=JSON, **headers)


def join(workshop, name="Kiosk", side="anders"):
    answer = post(
        Client(), "/workshops/join", {"code": workshop.code.lower(), "name": name, "side": side}
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def as_participant(token):
    return {"HTTP_PARTICIPANT_TOKEN": token}


def test_a_kiosk_joins_writes_a_card_and_follows_the_state(world):
    workshop = started(world, hold=False)
    joined = join(workshop)
    assert joined["workshopId"] == workshop.pk and joined["side"] == "anders"
    headers = as_participant(joined["token"])
    card = post(Client(), f"/workshops/{workshop.pk}/cards", {"text": "Snel loket"}, **headers)
    assert card.status_code == 201 and card.json()["mine"] is True
    state = Client().get(f"/api/v1/workshops/{workshop.pk}", **headers).json()
    assert [c["text"] for c in state["cards"]] == ["Snel loket"]
    again = Client().get(
        f"/api/v1/workshops/{workshop.pk}?since={state['revision']}&act={state['act']}", **headers
    )
    assert again.status_code == 304
    listed = Client().get(f"/api/v1/workshops/{workshop.pk}/cards", **headers).json()
    assert [c["id"] for c in listed] == [card.json()["id"]]


def test_a_participant_cannot_see_hidden_cards_through_the_api(world):
    workshop = started(world, hold=False)
    joined = join(workshop)
    bram = guest(workshop, "Bram", "gemeente")
    secret = services.write_card(participant=bram, text="Geheime tekst")
    services.hide_card(actor=world.steward, card=secret)
    headers = as_participant(joined["token"])
    for url in (
        f"/workshops/{workshop.pk}",
        f"/workshops/{workshop.pk}/cards",
        f"/workshops/{workshop.pk}/report",
    ):
        body = Client().get(f"/api/v1{url}", **headers).content.decode()
        assert "Geheime tekst" not in body, url


def test_held_cards_of_others_stay_out_of_the_api_until_the_reveal(world):
    workshop = started(world)
    joined = join(workshop)
    bram = guest(workshop, "Bram", "gemeente")
    services.write_card(participant=bram, text="Nog even geheim")
    headers = as_participant(joined["token"])
    assert (
        "Nog even geheim"
        not in Client().get(f"/api/v1/workshops/{workshop.pk}", **headers).content.decode()
    )
    services.reveal_cards(actor=world.steward, workshop=workshop)
    assert (
        "Nog even geheim"
        in Client().get(f"/api/v1/workshops/{workshop.pk}", **headers).content.decode()
    )


def test_votes_through_the_api_stop_at_the_limit(world):
    workshop = started(world, hold=False, votes_per_participant=1)
    joined = join(workshop)
    bram = guest(workshop, "Bram", "gemeente")
    card = services.write_card(participant=bram, text="Stem op mij")
    headers = as_participant(joined["token"])
    closed = post(Client(), f"/workshops/{workshop.pk}/votes", {"cardId": card.pk}, **headers)
    assert closed.status_code == 409
    client = client_for(world.steward)
    opened = post(client, f"/workshops/{workshop.pk}/state", {"action": "openVoting", "votes": 1})
    assert opened.status_code == 200, opened.content
    first = post(Client(), f"/workshops/{workshop.pk}/votes", {"cardId": card.pk}, **headers)
    assert first.json() == {"votesLeft": 0}
    second = post(Client(), f"/workshops/{workshop.pk}/votes", {"cardId": card.pk}, **headers)
    assert second.status_code == 409
    assert Card.objects.get(pk=card.pk).votes == 1


def test_the_controls_are_for_the_facilitator_and_a_participant_token_is_checked(world):
    workshop = make(world)
    url = f"/workshops/{workshop.pk}/state"
    assert post(client_for(world.gemeente_member), url, {"action": "start"}).status_code == 404
    assert post(client_for(world.steward), url, {"action": "start"}).status_code == 200
    assert (
        post(client_for(world.steward), url, {"action": "goTo", "position": 1}).json()["act"] == 1
    )
    assert post(client_for(world.steward), url, {"action": "goTo"}).status_code == 400
    bad = Client().get(f"/api/v1/workshops/{workshop.pk}", HTTP_PARTICIPANT_TOKEN="nonsense")
    assert bad.status_code == 401
    assert Client().get(f"/api/v1/workshops/{workshop.pk}").status_code == 404


def test_a_member_makes_a_workshop_and_lists_them(world):
    client = client_for(world.initiatief_member)
    made = post(client, "/communities/publiek/workshops", {"title": "Komedie op het plein"})
    assert made.status_code == 201, made.content
    assert made.json()["acts"][0].startswith("Akte 1")
    listed = client.get("/api/v1/communities/publiek/workshops").json()
    assert [w["title"] for w in listed] == ["Komedie op het plein"]
    assert (
        client_for(world.outsider).get("/api/v1/communities/publiek/workshops").status_code == 404
    )
    refused = post(client_for(world.observer), "/communities/publiek/workshops", {"title": "X"})
    assert refused.status_code == 403
    assert Workshop.objects.count() == 1


def test_a_wrong_code_is_404_and_too_many_are_429(world, settings):
    settings.WORKSHOP_WRONG_CODES_RATE = "2/10m"
    for _ in range(2):
        assert (
            post(
                Client(), "/workshops/join", {"code": "ZZZZZZ", "name": "X", "side": "anders"}
            ).status_code
            == 404
        )
    assert (
        post(
            Client(), "/workshops/join", {"code": "ZZZZZZ", "name": "X", "side": "anders"}
        ).status_code
        == 429
    )
    assert not Participant.objects.exists()


def test_the_report_through_the_api(world):
    workshop = started(world, hold=False)
    joined = join(workshop)
    post(
        Client(),
        f"/workshops/{workshop.pk}/cards",
        {"text": "Voor het verslag"},
        **as_participant(joined["token"]),
    )
    report = (
        Client()
        .get(f"/api/v1/workshops/{workshop.pk}/report", **as_participant(joined["token"]))
        .json()
    )
    assert report["acts"][0]["cards"][0]["text"] == "Voor het verslag"
    assert len(report["acts"]) == 4
    assert (
        client_for(world.outsider).get(f"/api/v1/workshops/{workshop.pk}/report").status_code == 404
    )


# (role, write a card, lead it (open the voting), see a hidden card's text, read the report)
MATRIX = [
    ("participant", True, False, False, True),
    ("facilitator", False, True, True, True),
    ("steward", False, True, True, True),
    ("outsider", False, False, False, False),
]


@pytest.mark.parametrize(("role", "write", "lead", "see_hidden", "report"), MATRIX)
def test_the_permission_matrix_of_a_workshop(world, role, write, lead, see_hidden, report):
    workshop = services.create_workshop(
        actor=world.gemeente_member,  # the facilitator: the member who made it
        community=world.public,
        title="Matrix",
        template="komedie",
        audience="open",
        hold_cards=False,
    )
    services.start_workshop(actor=world.gemeente_member, workshop=workshop)
    services.go_to_act(actor=world.gemeente_member, workshop=workshop, position=1)
    bram = guest(Workshop.objects.get(pk=workshop.pk), "Bram", "gemeente")
    hidden = services.write_card(participant=bram, text="Verborgen tekst")
    services.hide_card(actor=world.gemeente_member, card=hidden)
    if role == "participant":
        token = join(workshop)["token"]
        client, headers = Client(), as_participant(token)
    else:
        user = {
            "facilitator": world.gemeente_member,
            "steward": world.steward,
            "outsider": world.outsider,
        }[role]
        client, headers = client_for(user), {}
    base = f"/workshops/{workshop.pk}"
    written = post(client, f"{base}/cards", {"text": "Mijn kaart"}, **headers)
    assert (written.status_code == 201) is write, written.content
    led = post(client, f"{base}/state", {"action": "openVoting"}, **headers)
    assert (led.status_code == 200) is lead, led.content
    state = client.get(f"/api/v1{base}", **headers)
    assert ("Verborgen tekst" in state.content.decode()) is see_hidden
    assert (client.get(f"/api/v1{base}/report", **headers).status_code == 200) is report
