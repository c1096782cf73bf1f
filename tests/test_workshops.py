"""Live workshops (issue 13): templates as data (the built-in Komedie, copies, acts in order),
making and playing a workshop (join with a code, cards per act, hold and reveal, groups,
hiding, dot-voting within the limit), the update channel (304 while nothing changed; what
a participant may not see never leaves the server), privacy and abuse (names go with the
workshop, codes expire, guessing is slowed, cards are short and not too fast), the harvest
(linked items in the loop, the practice and the accord) and the report (page and PDF).
Who may do what is written out by hand."""

import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import client_for
from samenspel.accords import services as accords
from samenspel.accords.models import Amendment, ArticleKind
from samenspel.communities.services import CommunityError
from samenspel.learning.models import Signal
from samenspel.practice.models import GlossaryTerm, LearningQuestion
from samenspel.workshops import harvest, live, permissions, services
from samenspel.workshops.komedie import KOMEDIE
from samenspel.workshops.models import (
    Audience,
    Card,
    Cluster,
    Harvest,
    HarvestKind,
    Participant,
    VotingState,
    Workshop,
    WorkshopStatus,
)


def make(world, audience=Audience.OPEN, hold=True, actor=None, **extra):
    return services.create_workshop(
        actor=actor or world.steward,
        community=world.public,
        title="De Komedie in de raadszaal",
        template="komedie",
        audience=audience,
        hold_cards=hold,
        **extra,
    )


def started(world, **extra):
    workshop = make(world, **extra)
    services.start_workshop(actor=world.steward, workshop=workshop)
    services.go_to_act(actor=world.steward, workshop=workshop, position=1)
    workshop.refresh_from_db()
    return workshop


def guest(workshop, name="Anna", side="initiatief"):
    from django.contrib.auth.models import AnonymousUser

    participant, _token = services.join_workshop(
        workshop=workshop, user=AnonymousUser(), name=name, side=side
    )
    return participant


def fresh(workshop):
    return Workshop.objects.select_related("community").get(pk=workshop.pk)


# --- Templates -------------------------------------------------------------------------


def test_the_komedie_has_four_acts_in_order_with_two_sided_prompts_in_the_first():
    titles = [act["title"] for act in KOMEDIE["acts"]]
    assert len(titles) == 4
    assert ["Vooroordelen" in titles[0], "Waarden" in titles[1], "Opgaven" in titles[2]] == [
        True,
        True,
        True,
    ]
    assert "Bestendiging" in titles[3]
    sides = {prompt["side"] for prompt in KOMEDIE["acts"][0]["prompts"]}
    assert sides == {"gemeente", "initiatief"}


def test_a_workshop_copies_the_acts_so_a_later_edit_of_the_template_leaves_it_alone(world):
    template = services.create_template(
        actor=world.gemeente_member, community=world.public, name="Onze komedie", copy_of="komedie"
    )
    assert list(template.acts.values_list("position", flat=True)) == [1, 2, 3, 4]
    workshop = services.create_workshop(
        actor=world.gemeente_member,
        community=world.public,
        title="Proef",
        template=template,
        audience=Audience.OPEN,
    )
    first = template.acts.get(position=1)
    services.save_act(
        actor=world.gemeente_member, template=template, act=first, title="Nieuw", minutes=5
    )
    assert workshop.acts.get(position=1).title == KOMEDIE["acts"][0]["title"]
    assert workshop.template_name == "Onze komedie"


def test_acts_move_up_and_down_and_are_renumbered_after_removal(world):
    template = services.create_template(
        actor=world.steward, community=world.public, name="Retro", copy_of=None
    )
    for title in ("Wat ging goed", "Wat kan beter", "Wat gaan we doen"):
        services.save_act(actor=world.steward, template=template, act=None, title=title)
    third = template.acts.get(title="Wat gaan we doen")
    services.move_act(actor=world.steward, act=third, step=-1)
    assert list(template.acts.values_list("title", flat=True)) == [
        "Wat ging goed",
        "Wat gaan we doen",
        "Wat kan beter",
    ]
    services.move_act(actor=world.steward, act=template.acts.get(title="Wat ging goed"), step=-1)
    assert template.acts.first().title == "Wat ging goed"  # the first stays first
    services.remove_act(actor=world.steward, act=template.acts.get(title="Wat gaan we doen"))
    assert list(template.acts.values_list("position", "title")) == [
        (1, "Wat ging goed"),
        (2, "Wat kan beter"),
    ]


def test_a_prompt_for_one_side_and_bad_act_input_are_refused_with_a_message(world):
    template = services.create_template(actor=world.steward, community=world.public, name="Retro")
    act = services.save_act(
        actor=world.steward,
        template=template,
        act=None,
        title="Beelden",
        prompts=[{"side": "gemeente", "text": "Wat denk jij?"}, {"side": "", "text": " "}],
    )
    assert act.prompts == [{"side": "gemeente", "text": "Wat denk jij?"}]
    with pytest.raises(CommunityError) as refused:
        services.save_act(actor=world.steward, template=template, act=None, title="X", minutes=0)
    assert refused.value.code == "invalid_minutes"
    with pytest.raises(CommunityError):
        services.save_act(
            actor=world.steward,
            template=template,
            act=None,
            title="X",
            prompts=[{"side": "raad", "text": "?"}],
        )
    assert template.acts.count() == 1


def test_a_participant_sees_the_prompts_for_their_side():
    from samenspel.workshops.models import WorkshopAct

    act = WorkshopAct(prompts=KOMEDIE["acts"][0]["prompts"])
    assert [p["side"] for p in act.prompts_for("gemeente")] == ["gemeente"]
    assert [p["side"] for p in act.prompts_for("initiatief")] == ["initiatief"]
    assert len(act.prompts_for("anders")) == 2


# --- Permissions, by hand -------------------------------------------------------------

# (persona, make a workshop, facilitate the steward's workshop, see the report)
RIGHTS = [
    ("anonymous", False, False, False),
    ("outsider", False, False, False),
    ("observer", False, False, True),
    ("gemeente_member", True, False, True),
    ("initiatief_member", True, False, True),
    ("steward", True, True, True),
    ("admin", True, True, True),
]


@pytest.mark.parametrize(("persona", "make_one", "facilitate", "report"), RIGHTS)
def test_who_may_make_facilitate_and_read(world, persona, make_one, facilitate, report):
    user = world.persona(persona)
    workshop = make(world)
    assert permissions.can_make_workshop(user, world.public) is make_one
    assert permissions.can_facilitate(user, workshop) is facilitate
    assert permissions.can_see_report(user, workshop, None) is report


def test_the_member_who_made_a_workshop_facilitates_it_and_another_member_does_not(world):
    workshop = make(world, actor=world.gemeente_member)
    assert permissions.can_facilitate(world.gemeente_member, workshop)
    assert not permissions.can_facilitate(world.initiatief_member, workshop)
    with pytest.raises(CommunityError):
        services.start_workshop(actor=world.initiatief_member, workshop=workshop)


def test_a_participant_reads_the_report_of_their_workshop_only(world):
    workshop, other = make(world), make(world)
    anna = guest(workshop)
    assert permissions.can_see_report(world.persona("anonymous"), workshop, anna)
    assert not permissions.can_see_report(world.persona("anonymous"), other, anna)


# (audience, persona, may join)
JOINING = [
    (Audience.OPEN, "anonymous", True),
    (Audience.OPEN, "outsider", True),
    (Audience.MEMBERS, "anonymous", False),
    (Audience.MEMBERS, "outsider", False),
    (Audience.MEMBERS, "observer", True),
    (Audience.MEMBERS, "initiatief_member", True),
]


@pytest.mark.parametrize(("audience", "persona", "allowed"), JOINING)
def test_who_may_join(world, audience, persona, allowed):
    workshop = make(world, audience=audience)
    services.start_workshop(actor=world.steward, workshop=workshop)
    assert permissions.can_join(world.persona(persona), fresh(workshop)) is allowed


# --- Playing -------------------------------------------------------------------------


def test_acts_go_forward_and_back_and_leaving_an_act_closes_its_voting(world):
    workshop = started(world)
    assert workshop.current_position == 1
    services.set_voting(actor=world.steward, workshop=workshop, state=VotingState.OPEN)
    services.go_to_act(actor=world.steward, workshop=workshop, position=2)
    assert workshop.acts.get(position=1).voting == VotingState.DONE
    services.go_to_act(actor=world.steward, workshop=workshop, position=1)
    assert fresh(workshop).current_position == 1
    with pytest.raises(CommunityError):
        services.go_to_act(actor=world.steward, workshop=workshop, position=5)


def test_acts_need_open_doors_and_an_ended_workshop_takes_no_cards(world):
    workshop = make(world)
    with pytest.raises(CommunityError) as refused:
        services.go_to_act(actor=world.steward, workshop=workshop, position=1)
    assert refused.value.code == "not_running"
    services.start_workshop(actor=world.steward, workshop=workshop)
    anna = guest(fresh(workshop))
    with pytest.raises(CommunityError):
        services.write_card(participant=anna, text="Nog geen akte")  # the welcome screen
    services.go_to_act(actor=world.steward, workshop=workshop, position=1)
    services.write_card(participant=anna, text="Nu wel")
    services.end_workshop(actor=world.steward, workshop=workshop)
    with pytest.raises(CommunityError):
        services.write_card(participant=anna, text="Te laat")
    assert Card.objects.filter(workshop=workshop).count() == 1


def test_every_change_raises_the_revision_and_stamps_what_changed(world):
    workshop = started(world)
    anna = guest(workshop)
    before = fresh(workshop).revision
    card = services.write_card(participant=anna, text="Traag")
    assert card.revision == before + 1 == fresh(workshop).revision
    services.reveal_cards(actor=world.steward, workshop=workshop)
    card.refresh_from_db()
    assert card.revision == before + 2 == fresh(workshop).revision


def test_a_card_is_short_plain_and_not_too_fast(world, settings):
    settings.WORKSHOP_CARDS_PER_MINUTE = 3
    workshop = started(world)
    anna = guest(workshop)
    with pytest.raises(CommunityError, match="280"):
        services.write_card(participant=anna, text="x" * 281)
    with pytest.raises(CommunityError):
        services.write_card(participant=anna, text="   ")
    for number in range(3):
        services.write_card(participant=anna, text=f"Kaart {number}")
    with pytest.raises(CommunityError) as refused:
        services.write_card(participant=anna, text="Nog een")
    assert refused.value.status == 429
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        services.write_card(participant=anna, text="Na een minuut weer")
    assert Card.objects.filter(participant=anna).count() == 4


def test_votes_cannot_exceed_the_limit_and_a_vote_taken_back_can_be_given_again(world):
    workshop = started(world, votes_per_participant=2)
    anna, bram = guest(workshop), guest(workshop, "Bram", "gemeente")
    card = services.write_card(participant=bram, text="Regels zijn regels")
    with pytest.raises(CommunityError) as refused:
        services.vote(participant=anna, card=card)
    assert refused.value.code == "voting_closed"
    services.set_voting(actor=world.steward, workshop=workshop, state=VotingState.OPEN)
    services.vote(participant=anna, card=card)
    services.vote(participant=anna, card=card)  # two dots on one card is allowed
    with pytest.raises(CommunityError) as refused:
        services.vote(participant=anna, card=card)
    assert refused.value.code == "no_votes_left"
    card.refresh_from_db()
    assert card.votes == 2
    services.take_back_vote(participant=anna, card=card)
    services.vote(participant=anna, card=card)
    card.refresh_from_db()
    assert card.votes == 2
    assert services.votes_left(anna, fresh(workshop), workshop.acts.get(position=1)) == 0


def test_votes_on_a_group_go_back_when_the_group_is_undone(world):
    workshop = started(world, votes_per_participant=1)
    anna = guest(workshop)
    cards = [services.write_card(participant=anna, text=t) for t in ("Traag", "Langzaam")]
    cluster = services.group_cards(
        actor=world.steward, workshop=workshop, cards=cards, title="Tempo"
    )
    services.set_voting(actor=world.steward, workshop=workshop, state=VotingState.OPEN)
    services.vote(participant=anna, cluster=cluster)
    cluster.refresh_from_db()
    assert cluster.votes == 1
    services.dissolve_cluster(actor=world.steward, cluster=cluster)
    assert Card.objects.filter(cluster__isnull=False).count() == 0
    act = workshop.acts.get(position=1)
    assert services.votes_left(anna, fresh(workshop), act) == 1


def test_cards_of_two_acts_are_not_grouped_together(world):
    workshop = started(world)
    anna = guest(workshop)
    first = services.write_card(participant=anna, text="Akte een")
    services.go_to_act(actor=world.steward, workshop=workshop, position=2)
    second = services.write_card(participant=anna, text="Akte twee")
    with pytest.raises(CommunityError) as refused:
        services.group_cards(actor=world.steward, workshop=workshop, cards=[first, second])
    assert refused.value.code == "several_acts"
    assert not Cluster.objects.exists()


def test_joining_again_with_an_account_gives_the_same_participant(world):
    workshop = started(world)
    first, _ = services.join_workshop(workshop=workshop, user=world.initiatief_member)
    again, _ = services.join_workshop(workshop=workshop, user=world.initiatief_member)
    assert first.pk == again.pk
    assert first.side == "initiatief"  # from the membership
    assert first.name == world.initiatief_member.name


# --- The update channel -----------------------------------------------------------------


def poll(client, workshop, since=0, act=None, **params):
    act = workshop.current_position if act is None else act
    return client.get(
        reverse("workshop_changes", args=[workshop.code]),
        {"w": workshop.pk, "since": since, "act": act, **params},
    )


def joined_client(workshop, name="Anna", side="initiatief"):
    client = client_for(None)
    response = client.post(reverse("play", args=[workshop.code]), {"name": name, "side": side})
    assert response.status_code == 302
    return client, Participant.objects.get(workshop=workshop, name=name)


def test_nothing_changed_is_304_from_one_query_and_a_change_costs_three(world):
    workshop = started(world, hold=False)
    client, anna = joined_client(workshop)
    workshop = fresh(workshop)
    with CaptureQueriesContext(connection) as queries:
        response = poll(client, workshop, since=workshop.revision)
    assert response.status_code == 304
    assert len(queries) == 1
    since = fresh(workshop).revision
    services.write_card(participant=anna, text="Nieuw")
    now = fresh(workshop)
    poll(client_for(None), now, since=since, key=workshop.screen_key)  # loads what is shared
    with CaptureQueriesContext(connection) as queries:
        response = poll(client, now, since=since)
    assert [card["text"] for card in response.json()["cards"]] == ["Nieuw"]
    # the participant and workshop; the cards and the groups changed since: the act and the
    # counts are shared by every screen at this revision
    assert len(queries) == 3


def test_a_participant_cannot_see_others_cards_before_the_reveal_nor_hidden_cards_ever(world):
    workshop = started(world)
    client, anna = joined_client(workshop)
    bram = guest(workshop, "Bram", "gemeente")
    mine = services.write_card(participant=anna, text="Mijn kaart")
    theirs = services.write_card(participant=bram, text="Geheim van Bram")
    state = poll(client, fresh(workshop)).json()
    assert [card["id"] for card in state["cards"]] == [mine.pk]
    assert "Geheim" not in json.dumps(state)

    services.reveal_cards(actor=world.steward, workshop=workshop)
    state = poll(client, fresh(workshop)).json()
    assert {card["id"] for card in state["cards"]} == {mine.pk, theirs.pk}

    before = fresh(workshop).revision
    services.hide_card(actor=world.steward, card=theirs)
    text = poll(client, fresh(workshop), since=before).content.decode()
    assert "Geheim" not in text
    assert json.loads(text)["cards"] == [
        {"id": theirs.pk, "removed": True, "mine": False, "hidden": False}
    ]
    full = poll(client, fresh(workshop)).content.decode()  # also not in a full snapshot
    assert "Geheim" not in full
    page = client.get(reverse("play", args=[workshop.code])).content.decode()
    assert "Geheim" not in page


def test_the_facilitator_sees_hidden_cards_marked_and_the_projector_does_not(world):
    workshop = started(world, hold=False)
    bram = guest(workshop, "Bram", "gemeente")
    card = services.write_card(participant=bram, text="Scheldwoord")
    services.hide_card(actor=world.steward, card=card)
    facilitator = poll(client_for(world.steward), fresh(workshop)).json()
    assert facilitator["cards"][0]["hidden"] is True
    assert facilitator["cards"][0]["text"] == "Scheldwoord"
    screen = poll(client_for(None), fresh(workshop), key=workshop.screen_key).content.decode()
    assert "Scheldwoord" not in screen
    assert poll(client_for(None), fresh(workshop), key="wrong").status_code == 404


def test_changes_since_a_revision_hold_only_what_changed_and_a_new_act_resets(world):
    workshop = started(world, hold=False)
    client, anna = joined_client(workshop)
    first = services.write_card(participant=anna, text="Een")
    revision = fresh(workshop).revision
    second = services.write_card(participant=anna, text="Twee")
    state = poll(client, fresh(workshop), since=revision).json()
    assert [card["id"] for card in state["cards"]] == [second.pk]
    assert state["reset"] is False
    services.go_to_act(actor=world.steward, workshop=workshop, position=2)
    state = poll(client, fresh(workshop), since=fresh(workshop).revision, act=1).json()
    assert state["reset"] is True and state["act"] == 2 and state["cards"] == []
    assert first.pk


def test_an_outsider_gets_nothing_from_the_update_channel(world):
    workshop = started(world)
    guest(workshop)
    assert poll(client_for(world.outsider), fresh(workshop)).status_code == 404
    assert poll(client_for(None), fresh(workshop)).status_code == 404


# --- Pages -----------------------------------------------------------------------------


def test_joining_by_code_on_a_phone_and_writing_a_card_without_javascript(world):
    workshop = started(world)
    client = client_for(None)
    response = client.post(reverse("join_workshop"), {"code": workshop.code.lower()})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/w/{workshop.code}/")
    page = client.get(response["Location"])
    assert "Waar sta je" in page.content.decode() or "Where do you stand" in page.content.decode()
    client.post(reverse("play", args=[workshop.code]), {"name": "Anna", "side": "initiatief"})
    screen = client.get(reverse("play", args=[workshop.code])).content.decode()
    assert "Vooroordelen" in screen
    assert "Wat denken initiatieven over de gemeente?" in screen  # her side's prompt
    assert "Wat denkt de gemeente over initiatieven?" not in screen
    client.post(reverse("workshop_write", args=[workshop.code]), {"text": "<b>Traag</b>"})
    screen = client.get(reverse("play", args=[workshop.code])).content.decode()
    assert "&lt;b&gt;Traag&lt;/b&gt;" in screen and "<b>Traag</b>" not in screen


def test_a_card_posted_with_fetch_answers_json(world):
    workshop = started(world)
    client, _ = joined_client(workshop)
    url = reverse("workshop_write", args=[workshop.code])
    answer = client.post(url, {"text": "Snel"}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 200 and answer.json()["text"] == "Snel"
    refused = client.post(url, {"text": ""}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and refused.json()["detail"]


def test_wrong_codes_are_slowed_per_address_and_right_ones_never(world, settings):
    settings.WORKSHOP_WRONG_CODES_RATE = "3/10m"
    workshop = started(world)
    client = client_for(None)
    for _ in range(3):
        assert client.post(reverse("join_workshop"), {"code": "ZZZZZZ"}).status_code == 404
    assert client.post(reverse("join_workshop"), {"code": "ZZZZZZ"}).status_code == 429
    # the same address, with the right code, is now refused too until the window passes
    assert client.post(reverse("join_workshop"), {"code": workshop.code}).status_code == 429


def test_a_code_expires_when_the_workshop_ends_and_a_day_after_it_opened(world):
    workshop = started(world)
    assert fresh(workshop).code_works()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert not fresh(workshop).code_works()
        response = client_for(None).get(reverse("play", args=[workshop.code]))
        assert response.status_code == 410
    services.end_workshop(actor=world.steward, workshop=workshop)
    assert not fresh(workshop).code_works()
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(CommunityError) as refused:
        services.join_workshop(
            workshop=fresh(workshop), user=AnonymousUser(), name="Laat", side="anders"
        )
    assert refused.value.status == 410


def test_a_members_workshop_asks_visitors_to_log_in(world):
    workshop = started(world, audience=Audience.MEMBERS)
    response = client_for(None).get(reverse("play", args=[workshop.code]))
    assert response.status_code == 403
    member = client_for(world.initiatief_member)
    assert member.get(reverse("play", args=[workshop.code])).status_code == 200


def test_the_projector_shows_the_code_and_a_qr_code_a_reader_can_parse(world):
    workshop = make(world)
    services.start_workshop(actor=world.steward, workshop=workshop)
    url = reverse("workshop_screen", args=[workshop.code, workshop.screen_key])
    page = client_for(None).get(url).content.decode()
    assert workshop.code in page
    svg = client_for(None).get(reverse("workshop_qr", args=[workshop.code]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content and b"<path" in svg.content
    assert (
        client_for(None).get(reverse("workshop_screen", args=[workshop.code, "guess"])).status_code
        == 404
    )


def test_the_console_is_for_the_facilitator_only(world):
    workshop = make(world)
    url = reverse("workshop", args=["publiek", workshop.pk])
    assert client_for(world.steward).get(url).status_code == 200
    assert client_for(world.gemeente_member).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404


def test_the_console_buttons_call_the_services(world):
    workshop = make(world)
    client = client_for(world.steward)
    control = reverse("workshop_control", args=["publiek", workshop.pk])
    client.post(control, {"action": "start"})
    client.post(control, {"action": "next"})
    assert fresh(workshop).current_position == 1
    client.post(control, {"action": "timer_start", "minutes": "5"})
    assert 290 <= fresh(workshop).timer_left() <= 300
    client.post(control, {"action": "timer_pause"})
    assert fresh(workshop).timer_paused_left is not None
    client.post(control, {"action": "voting_open", "votes": "4"})
    assert fresh(workshop).votes_per_participant == 4
    anna = guest(fresh(workshop))
    cards = [services.write_card(participant=anna, text=t) for t in ("Een", "Twee")]
    client.post(
        reverse("workshop_cards", args=["publiek", workshop.pk]),
        {"action": "group", "cards": [c.pk for c in cards], "cluster": "", "title": "Samen"},
    )
    assert Cluster.objects.get().title == "Samen"
    client.post(reverse("workshop_cards", args=["publiek", workshop.pk]), {"hide": cards[0].pk})
    assert Card.objects.get(pk=cards[0].pk).hidden
    client.post(control, {"action": "end"})
    assert fresh(workshop).status == WorkshopStatus.ENDED
    # a member who does not facilitate changes nothing
    client_for(world.gemeente_member).post(control, {"action": "start"})
    assert fresh(workshop).status == WorkshopStatus.ENDED


# --- Harvest and report ------------------------------------------------------------------


@pytest.fixture
def played(world):
    workshop = started(world, hold=False)
    anna, bram = guest(workshop), guest(workshop, "Bram", "gemeente")
    services.write_card(participant=bram, text="Initiatieven willen alles meteen")
    services.write_card(participant=anna, text="De gemeente is traag")
    slow = services.write_card(participant=anna, text="Vergunningen duren maanden")
    hidden = services.write_card(participant=bram, text="Onaardige kaart")
    services.hide_card(actor=world.steward, card=hidden)
    services.go_to_act(actor=world.steward, workshop=workshop, position=3)
    task = services.write_card(participant=anna, text="Eén loket voor warmte")
    services.end_workshop(actor=world.steward, workshop=workshop)
    return fresh(workshop), slow, task, hidden


def test_harvest_creates_items_linked_back_to_the_workshop(world, played):
    workshop, slow, task, _ = played
    signal_h = harvest.harvest(
        actor=world.steward,
        workshop=workshop,
        card=slow,
        kind=HarvestKind.SIGNAL,
        title="Vergunningen duren te lang",
        text=slow.text,
    )
    signal = Signal.objects.get()
    assert signal_h.target == signal
    assert not signal.is_example  # a real workshop's harvest is real
    assert reverse("workshop_report", args=["publiek", workshop.pk]) in signal.what_happened
    harvest.harvest(
        actor=world.steward,
        workshop=workshop,
        card=task,
        kind=HarvestKind.QUESTION,
        title="Hoe maken we één loket?",
    )
    assert LearningQuestion.objects.get().question == "Hoe maken we één loket?"
    cluster = services.group_cards(
        actor=world.steward, workshop=workshop, cards=[task], title="Loket"
    )
    harvest.harvest(
        actor=world.steward,
        workshop=workshop,
        cluster=cluster,
        kind=HarvestKind.TERM,
        title="Loket",
    )
    term = GlossaryTerm.objects.get()
    assert "Eén loket voor warmte" in term.initiatives_view
    accord = accords.start_accord(
        actor=world.steward,
        community=world.public,
        title="Akkoord",
        preamble="Begin.",
        articles=[(ArticleKind.PRINCIPLE, "Samen", "We werken samen.")],
    )
    accords.publish_draft(actor=world.steward, version=accord.versions.get())
    harvest.harvest(
        actor=world.steward,
        workshop=workshop,
        card=task,
        kind=HarvestKind.AMENDMENT,
        title="Eén loket",
        text="De gemeente heeft één loket voor warmte.",
        accord=accord,
    )
    amendment = Amendment.objects.get()
    assert amendment.title == "Eén loket" and "workshop" in amendment.rationale.lower()
    assert Harvest.objects.filter(workshop=workshop).count() == 4


def test_a_hidden_card_is_not_harvested_and_a_participant_does_not_harvest(world, played):
    workshop, slow, _task, hidden = played
    with pytest.raises(CommunityError):
        harvest.harvest(
            actor=world.steward, workshop=workshop, card=hidden, kind=HarvestKind.SIGNAL, title="x"
        )
    with pytest.raises(CommunityError):
        harvest.harvest(
            actor=world.gemeente_member,
            workshop=workshop,
            card=slow,
            kind=HarvestKind.SIGNAL,
            title="x",
        )
    assert not Signal.objects.exists()


def test_the_harvest_page_makes_a_signal(world, played):
    workshop, slow, _task, _hidden = played
    client = client_for(world.steward)
    url = reverse("workshop_harvest", args=["publiek", workshop.pk, "card", slow.pk])
    assert slow.text in client.get(url).content.decode()
    response = client.post(url, {"kind": "signal", "title": "Vergunningen", "text": "Te lang"})
    assert response.status_code == 302
    assert Signal.objects.get().title == "Vergunningen"
    report = client.get(reverse("workshop_report", args=["publiek", workshop.pk])).content.decode()
    assert Signal.objects.get().get_absolute_url() in report


def test_the_report_shows_cards_by_act_and_side_without_hidden_ones_in_few_queries(world, played):
    workshop = played[0]
    client = client_for(world.initiatief_member)
    url = reverse("workshop_report", args=["publiek", workshop.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "De gemeente is traag" in page and "Eén loket voor warmte" in page
    assert "Onaardige kaart" not in page
    assert "Anna" not in page  # cards carry no names
    small = len(queries)
    anna = Participant.objects.get(workshop=workshop, name="Anna")
    Card.objects.bulk_create(
        Card(
            workshop=workshop,
            act=workshop.acts.get(position=1),
            participant=anna,
            side="initiatief",
            text=f"Extra {n}",
        )
        for n in range(30)
    )
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) == small
    assert client_for(world.outsider).get(url).status_code == 404


def test_the_report_pdf_is_a4_and_holds_the_cards(world, played):
    workshop = played[0]
    response = client_for(world.steward).get(
        reverse("workshop_report_pdf", args=["publiek", workshop.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "De gemeente is traag" in text and "Onaardige kaart" not in text


def test_removing_a_workshop_removes_the_names_and_keeps_the_harvest(world, played):
    workshop, slow, _task, _hidden = played
    harvest.harvest(
        actor=world.steward, workshop=workshop, card=slow, kind=HarvestKind.SIGNAL, title="Traag"
    )
    with pytest.raises(CommunityError):
        services.remove_workshop(actor=world.gemeente_member, workshop=workshop)
    client_for(world.steward).post(reverse("remove_workshop", args=["publiek", workshop.pk]))
    assert not Participant.objects.filter(name="Anna").exists()
    assert not Card.objects.exists()
    assert Signal.objects.count() == 1


def test_live_cards_escape_and_the_viewer_kinds_differ():
    assert live.Viewer(live.FACILITATOR).sees_hidden
    assert not live.Viewer(live.SCREEN).sees_hidden


def test_who_took_part_with_an_account_hears_that_the_report_is_ready(world):
    from samenspel.core.models import Notification

    workshop = started(world)
    services.join_workshop(workshop=workshop, user=world.initiatief_member)
    guest(workshop)
    services.end_workshop(actor=world.steward, workshop=fresh(workshop))
    told = Notification.objects.filter(recipient=world.initiatief_member)
    assert told.count() == 1
    assert reverse("workshop_report", args=["publiek", workshop.pk]) in told.get().url
    assert not Notification.objects.filter(recipient=world.steward).exists()


def _queries(client, url):
    client.get(url)  # the first request warms what is kept per process
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_three_screens_take_as_many_queries_with_ten_times_the_cards(world):
    workshop = started(world, hold=False)
    participant_client, anna = joined_client(workshop)
    act = workshop.acts.get(position=1)

    def add(n):
        Card.objects.bulk_create(
            Card(workshop=workshop, act=act, participant=anna, side="initiatief", text=f"K{i}")
            for i in range(n)
        )
        services.touch(workshop)

    cluster = services.group_cards(
        actor=world.steward,
        workshop=workshop,
        cards=[services.write_card(participant=anna, text="Eerste")],
        title="Groep",
    )
    urls = {
        "participant": (participant_client, reverse("play", args=[workshop.code])),
        "screen": (
            client_for(None),
            reverse("workshop_screen", args=[workshop.code, workshop.screen_key]),
        ),
        "console": (client_for(world.steward), reverse("workshop", args=["publiek", workshop.pk])),
    }
    add(5)
    few = {name: _queries(client, url) for name, (client, url) in urls.items()}
    add(50)
    many = {name: _queries(client, url) for name, (client, url) in urls.items()}
    assert many == few
    assert cluster.pk


@pytest.mark.django_db(transaction=True)
def test_the_vote_limit_holds_under_concurrent_requests(world):
    import threading

    from django.db import OperationalError

    workshop = started(world, hold=False, votes_per_participant=1)
    anna = guest(workshop)
    card = services.write_card(participant=guest(workshop, "Bram", "gemeente"), text="Kies mij")
    services.set_voting(actor=world.steward, workshop=fresh(workshop), state=VotingState.OPEN)
    barrier = threading.Barrier(3)
    results: list[str] = []

    def vote_once() -> None:
        try:
            participant = Participant.objects.select_related("workshop").get(pk=anna.pk)
            barrier.wait(timeout=10)
            services.vote(participant=participant, card=card)
            results.append("ok")
        except CommunityError as error:
            results.append(error.code)
        except OperationalError:
            results.append("locked")  # SQLite: one writer at a time, the other may give up
        finally:
            connection.close()

    threads = [threading.Thread(target=vote_once) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results.count("ok") == 1
    assert set(results) <= {"ok", "no_votes_left", "locked"}
    card.refresh_from_db()
    assert card.votes == 1


def test_two_people_editing_an_act_never_overwrite_each_other(world):
    template = services.create_template(
        actor=world.steward, community=world.public, name="Onze komedie", copy_of="komedie"
    )
    act = template.acts.get(position=1)
    seen = services.latest_change(act)
    client = client_for(world.steward)
    url = reverse("edit_template_act", args=["publiek", template.pk, act.pk])
    form = {"title": "Eerst", "minutes": 10, "based_on": seen}
    assert client.post(url, form).status_code == 302
    act.refresh_from_db()
    assert act.title == "Eerst"
    stale = client.post(url, {**form, "title": "Later, op een oude versie"})
    assert stale.status_code == 200
    act.refresh_from_db()
    assert act.title == "Eerst"
    with pytest.raises(CommunityError) as refused:
        services.update_template(
            actor=world.steward, template=template, name="X", description="", based_on=-1
        )
    assert refused.value.code == "edit_conflict"


def test_members_find_a_workshop_being_played_on_the_community_home(world):
    workshop = make(world)
    home = reverse("community_home", args=["publiek"])
    join = reverse("play", args=[workshop.code])
    assert join in client_for(world.initiatief_member).get(home).content.decode()
    assert join not in client_for(None).get(home).content.decode()  # members only
    services.start_workshop(actor=world.steward, workshop=workshop)
    services.end_workshop(actor=world.steward, workshop=fresh(workshop))
    assert join not in client_for(world.initiatief_member).get(home).content.decode()
