"""Track 2 pages: signals, their moves, adjustments, the catalogue and the demo."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Community, Membership
from samenspel.core.models import Notification
from samenspel.learning import adjustments, services
from samenspel.learning.models import (
    Adjustment,
    AdjustmentStage,
    ExternalDevelopment,
    LoopEvent,
    PolicyObject,
    Signal,
    Theme,
)
from samenspel.learning.services import Move
from samenspel.learning.stages import Stage
from tests.factories import OrganisationFactory
from tests.initiative_factories import InitiativeFactory
from tests.mailbox import clear_outbox, outbox


@pytest.fixture
def initiative(world):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation, organisation_confirmed_at=timezone.now()
    )
    return InitiativeFactory(community=world.public, organisation=organisation, name="Noord")


def make_signal(world, community=None, title="Vergunning duurt te lang", **fields):
    raised = services.raise_signal(
        community=community or world.public,
        actor=world.initiatief_member,
        title=title,
        what_happened="De vergunning liet negen maanden op zich wachten.",
        **fields,
    )
    clear_outbox()  # the stewards heard of the new signal; tests look at what follows
    return raised


def walk(signal, actor, to_stage, **extra):
    services.move_signal(
        signal=signal,
        actor=actor,
        move=Move(to_stage=to_stage, **extra),
        seen_event_id=signal.last_event_id,
    )


@pytest.fixture
def policy_object(world):
    return PolicyObject.objects.create(community=world.public, kind="procedure", name="Vergunning")


PAGES = [
    "signals/",
    "signals/{signal}/",
    "adjustments/",
    "themes/",
    "policy-objects/",
    "developments/",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("persona", "public_status", "private_status"),
    [
        ("anonymous", 200, 404),
        ("outsider", 200, 404),
        ("observer", 200, 200),
        ("initiatief_member", 200, 200),
        ("steward", 200, 200),
    ],
)
def test_pages_for_each_persona(world, page, persona, public_status, private_status):
    user = world.persona(persona)
    client = client_for(None if persona == "anonymous" else user)
    for community, status in ((world.public, public_status), (world.private, private_status)):
        signal = make_signal(world, community=community)
        url = f"/en/c/{community.slug}/" + page.format(signal=signal.pk)
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    ("persona", "status"),
    [("observer", 404), ("outsider", 404), ("initiatief_member", 200), ("steward", 200)],
)
def test_write_forms_are_for_members(world, persona, status):
    client = client_for(world.persona(persona))
    for page in ("signals/new/", "adjustments/new/", "themes/new/", "policy-objects/new/"):
        assert client.get(f"/en/c/publiek/{page}").status_code == status, page


def test_the_signals_list_filters_and_its_queries_stay_flat(world, django_assert_max_num_queries):
    client = client_for(world.observer)
    client.get("/en/c/publiek/themes/")  # seeds the themes
    theme = Theme.objects.filter(community=world.public).first()
    make_signal(world, title="Alpha warmte", themes=[theme])
    beta = make_signal(world, title="Beta leges")
    walk(beta, world.steward, Stage.BESPROKEN)
    html = client.get(f"/en/c/publiek/signals/?theme={theme.pk}").content.decode()
    assert "Alpha warmte" in html and "Beta leges" not in html
    html = client.get("/en/c/publiek/signals/?stage=besproken").content.decode()
    assert "Beta leges" in html and "Alpha warmte" not in html
    html = client.get("/en/c/publiek/signals/?q=leges").content.decode()
    assert "Beta leges" in html and "Alpha warmte" not in html
    response = client.get("/en/c/publiek/signals/?q=leges", headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode() and "Beta leges" in response.content.decode()
    for n in range(30):
        make_signal(world, title=f"Signaal {n}", themes=[theme])
    with django_assert_max_num_queries(14):
        assert client.get("/c/publiek/signals/").status_code == 200


def test_catalogue_lists_keep_their_queries_flat(
    world, policy_object, django_assert_max_num_queries
):
    client = client_for(world.steward)
    client.get("/en/c/publiek/themes/")
    themes = list(Theme.objects.filter(community=world.public))
    for n in range(10):
        make_signal(world, title=f"S{n}", themes=themes[:2], policy_objects=[policy_object])
        development = ExternalDevelopment.objects.create(community=world.public, title=f"D{n}")
        development.themes.set(themes[:2])
    for page in ("themes/", "policy-objects/", "developments/", "adjustments/"):
        with django_assert_max_num_queries(14):
            assert client.get(f"/c/publiek/{page}").status_code == 200


def test_raising_a_signal_through_the_form(world, initiative, policy_object):
    client = client_for(world.initiatief_member)
    html = client.get("/en/c/publiek/signals/new/").content.decode()
    assert "Noord" in html and "Vergunning" in html
    theme = Theme.objects.filter(community=world.public).first()
    response = client.post(
        "/en/c/publiek/signals/new/",
        {
            "title": "Leges te hoog",
            "what_happened": "De leges kostten ons een half jaar sparen.",
            "initiative": initiative.pk,
            "themes": [theme.pk],
            "policy_objects": [policy_object.pk],
            "impact": "high",
            "urgency": "low",
        },
    )
    signal = Signal.objects.get(title="Leges te hoog")
    assert response.status_code == 302 and response["Location"].endswith(f"/signals/{signal.pk}/")
    assert signal.stage == Stage.GEMELD and signal.on_behalf_of == initiative
    assert list(signal.themes.all()) == [theme] and signal.impact == "high"


def test_bad_input_raises_nothing(world):
    client = client_for(world.initiatief_member)
    response = client.post("/en/c/publiek/signals/new/", {"title": "", "what_happened": "x"})
    assert response.status_code == 200 and not Signal.objects.exists()


def test_the_move_form_end_to_end_with_a_conflict(world):
    signal = make_signal(world)
    steward = client_for(world.steward)
    page = steward.get(f"/en/c/publiek/signals/{signal.pk}/").content.decode()
    assert 'id="move-besproken"' in page and f'value="{signal.last_event_id}"' in page
    url = f"/en/c/publiek/signals/{signal.pk}/move/"
    seen = signal.last_event_id
    response = steward.post(url, {"to_stage": "besproken", "seen_event": seen}, follow=True)
    signal.refresh_from_db()
    assert signal.stage == Stage.BESPROKEN
    assert "Discussed" in response.content.decode()
    # Someone else had the same page open and takes it up as its owner.
    gemeente = client_for(world.gemeente_member)
    response = gemeente.post(
        url,
        {"to_stage": "in-verkenning", "seen_event": seen, "owner": world.gemeente_member.pk},
        follow=True,
    )
    assert "Someone else moved this signal" in response.content.decode()
    signal.refresh_from_db()
    assert signal.stage == Stage.BESPROKEN and signal.owner is None
    assert signal.events.count() == 2


def test_the_same_post_twice_changes_nothing_the_second_time(world):
    signal = make_signal(world)
    client = client_for(world.steward)
    url = f"/en/c/publiek/signals/{signal.pk}/move/"
    data = {"to_stage": "in-verkenning", "seen_event": signal.last_event_id}
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert "Someone else moved this signal" in response.content.decode()
    assert LoopEvent.objects.filter(signal=signal).count() == 2


def test_a_move_without_its_required_note_changes_nothing(world):
    signal = make_signal(world)
    client = client_for(world.steward)
    url = f"/en/c/publiek/signals/{signal.pk}/move/"
    response = client.post(
        url, {"to_stage": "niet-opgepakt", "seen_event": signal.last_event_id}, follow=True
    )
    assert response.status_code == 200
    signal.refresh_from_db()
    assert signal.stage == Stage.GEMELD and not outbox()
    response = client.post(url, {"to_stage": "nonsense", "seen_event": "x"})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.stage == Stage.GEMELD


def test_a_move_someone_may_not_make_is_refused(world):
    signal = make_signal(world)
    url = f"/en/c/publiek/signals/{signal.pk}/move/"
    data = {"to_stage": "besproken", "seen_event": signal.last_event_id}
    for user in (world.gemeente_member, world.observer):
        response = client_for(user).post(url, data, follow=True)
        assert "You may not make this move" in response.content.decode()
    signal.refresh_from_db()
    assert signal.stage == Stage.GEMELD


def test_the_owner_is_the_actor_unless_named_and_feedback_then_closure(world, initiative):
    signal = make_signal(world, initiatives=[initiative])
    gemeente = client_for(world.gemeente_member)
    url = f"/en/c/publiek/signals/{signal.pk}/move/"
    gemeente.post(url, {"to_stage": "in-verkenning", "seen_event": signal.last_event_id})
    signal.refresh_from_db()
    assert signal.owner == world.gemeente_member
    assert [m.subject for m in outbox()] == [
        f"{world.gemeente_member.name} pakt dit op: Vergunning duurt te lang"
    ]
    clear_outbox()
    gemeente.post(
        url,
        {"to_stage": "teruggekoppeld", "seen_event": signal.last_event_id, "note": "Geregeld."},
    )
    signal.refresh_from_db()
    assert signal.stage == Stage.TERUGGEKOPPELD
    assert [m.to for m in outbox()] == [[world.initiatief_member.email]]
    page = client_for(world.initiatief_member).get(f"/en/c/publiek/signals/{signal.pk}/")
    assert 'id="move-afgesloten"' in page.content.decode()
    assert "Feedback after 0 days" in page.content.decode()
    client_for(world.initiatief_member).post(
        url, {"to_stage": "afgesloten", "seen_event": signal.last_event_id, "outcome": "solved"}
    )
    signal.refresh_from_db()
    assert signal.stage == Stage.AFGESLOTEN and signal.last_event.outcome == "solved"
    assert not signal.last_event.closed_without_answer


def test_adjustments_move_their_signals_and_send_feedback(world, initiative, policy_object):
    waiting = make_signal(world, title="Wacht", initiatives=[initiative])
    walk(waiting, world.gemeente_member, Stage.IN_VERKENNING)
    elsewhere = make_signal(world, title="Elders")
    client = client_for(world.gemeente_member)
    response = client.post(
        "/en/c/publiek/adjustments/new/",
        {
            "policy_object": policy_object.pk,
            "title": "Vaste termijn",
            "current": "Geen termijn.",
            "proposed": "Acht weken.",
            "why": "Planbaarheid.",
            "owner": world.gemeente_member.pk,
            "signals": [waiting.pk, elsewhere.pk],
        },
    )
    # "Elders" has no owner yet: only a steward links it. Nothing is saved.
    assert response.status_code == 200 and "You may not link" in response.content.decode()
    assert not Adjustment.objects.exists()
    response = client.post(
        "/en/c/publiek/adjustments/new/",
        {
            "policy_object": policy_object.pk,
            "title": "Vaste termijn",
            "current": "Geen termijn.",
            "proposed": "Acht weken.",
            "why": "Planbaarheid.",
            "owner": world.gemeente_member.pk,
            "signals": [waiting.pk],
        },
    )
    adjustment = Adjustment.objects.get()
    assert response.status_code == 302
    waiting.refresh_from_db()
    elsewhere.refresh_from_db()
    assert waiting.stage == Stage.AANPASSING_VOORGESTELD
    assert waiting.last_event.adjustment == adjustment
    assert elsewhere.stage == Stage.GEMELD
    url = f"/en/c/publiek/adjustments/{adjustment.pk}/move/"
    # A new adjustment is a proposal; no decision is chosen for whoever records it, and the
    # choices run from civil servants to the executive to the council.
    assert adjustment.stage == AdjustmentStage.VOORGESTELD
    html = client.get(f"/en/c/publiek/adjustments/{adjustment.pk}/").content.decode()
    assert " checked" not in html.split('name="seen_stage"')[1].split("</fieldset>")[0]
    order = [
        html.index(f'id="stage-{stage}"')
        for stage in ("besloten-ambtelijk", "besloten-college", "naar-de-raad")
    ]
    assert order == sorted(order)
    # Not in order: refused.
    client.post(url, {"stage": "ingevoerd", "seen_stage": "voorgesteld"})
    adjustment.refresh_from_db()
    assert adjustment.stage == AdjustmentStage.VOORGESTELD
    # The observer may not move it.
    response = client_for(world.observer).post(
        url, {"stage": "besloten-college", "seen_stage": "voorgesteld"}, follow=True
    )
    assert "Only its owner or a steward" in response.content.decode()
    adjustment.refresh_from_db()
    assert adjustment.stage == AdjustmentStage.VOORGESTELD
    # Who raised it hears of each step, but no outcome yet.
    assert not Notification.objects.filter(kind="loop-outcome").exists()
    clear_outbox()
    client.post(
        url,
        {
            "stage": "besloten-college",
            "seen_stage": "voorgesteld",
            "reference": "B&W 2026/114",
            "decided_on": "2026-11-24",
            "link": "https://ris.example.nl/besluit/114",
        },
    )
    adjustment.refresh_from_db()
    assert adjustment.stage == AdjustmentStage.BESLOTEN_COLLEGE
    assert str(adjustment.decided_on) == "2026-11-24"
    assert adjustment.decision_reference == "B&W 2026/114"
    assert adjustment.decision_link == "https://ris.example.nl/besluit/114"
    waiting.refresh_from_db()
    elsewhere.refresh_from_db()
    assert waiting.stage == Stage.TERUGGEKOPPELD
    assert list(waiting.events.values_list("to_stage", flat=True))[-2:] == [
        Stage.BESLOTEN,
        Stage.TERUGGEKOPPELD,
    ]
    assert waiting.last_event.note == "Decided: Vaste termijn — Acht weken."
    assert elsewhere.stage == Stage.GEMELD
    outcomes = Notification.objects.filter(kind="loop-outcome")
    assert [item.recipient for item in outcomes] == [world.initiatief_member]
    assert [world.initiatief_member.email] in [m.to for m in outbox()]
    html = client.get(f"/en/c/publiek/adjustments/{adjustment.pk}/").content.decode()
    assert "Proposed" in html and "Decided by the executive" in html
    assert 'href="https://ris.example.nl/besluit/114"' in html and "24 November 2026" in html


def test_a_conflicting_signal_never_fails_the_adjustment(world, policy_object):
    signal = make_signal(world)
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)
    adjustment = adjustments.create_adjustment(
        community=world.public,
        actor=world.gemeente_member,
        policy_object=policy_object,
        title="T",
        proposed="P",
        signals=[signal],
    )
    signal.refresh_from_db()
    # Meanwhile its owner gives up on it.
    walk(signal, world.gemeente_member, Stage.NIET_OPGEPAKT, note="Rijksbeleid.")
    adjustments.move_adjustment(
        adjustment=adjustment,
        actor=world.gemeente_member,
        to_stage=AdjustmentStage.BESLOTEN_AMBTELIJK,
    )
    adjustment.refresh_from_db()
    signal.refresh_from_db()
    assert adjustment.stage == AdjustmentStage.BESLOTEN_AMBTELIJK
    assert signal.stage == Stage.NIET_OPGEPAKT


def test_members_keep_the_catalogue(world):
    client = client_for(world.gemeente_member)
    client.get("/en/c/publiek/themes/")
    assert Theme.objects.filter(community=world.public).count() == 6
    client.post("/en/c/publiek/themes/new/", {"name": "Netcongestie", "description": "Vol."})
    theme = Theme.objects.get(name="Netcongestie")
    assert theme.slug == "netcongestie"
    organisation = OrganisationFactory(community=world.public, name="Afdeling Ruimte")
    client.post(
        "/en/c/publiek/policy-objects/new/",
        {"kind": "regel", "name": "APV", "department": organisation.pk, "reference": "art. 2"},
    )
    assert PolicyObject.objects.get(name="APV").department == organisation
    client.post(
        "/en/c/publiek/developments/new/",
        {"title": "Wet", "happened_on": "2026-01-01", "themes": [theme.pk]},
    )
    development = ExternalDevelopment.objects.get(title="Wet")
    assert list(development.themes.all()) == [theme] and not development.on_agenda
    client.post(f"/en/c/publiek/developments/{development.pk}/agenda/")
    development.refresh_from_db()
    assert development.on_agenda
    # An observer reads but does not write.
    observer = client_for(world.observer)
    assert observer.post("/en/c/publiek/themes/new/", {"name": "X"}).status_code == 404
    assert not Theme.objects.filter(name="X").exists()


def test_the_demo_loads_the_loop_twice_cleanly(db):
    for _ in range(2):
        call_command("demo", stdout=StringIO())
    zwolle = Community.objects.get(slug="zwolle")
    signals = Signal.objects.filter(community=zwolle)
    assert signals.count() >= 7 and all(s.is_example for s in signals)
    assert all(s.title.startswith("Voorbeeld") for s in signals)
    stages = {s.stage for s in signals}
    assert {Stage.GEMELD, Stage.BESPROKEN, Stage.IN_VERKENNING, Stage.AFGESLOTEN} <= stages
    closed = signals.get(last_event__to_stage=Stage.AFGESLOTEN)
    assert Stage.TERUGGEKOPPELD in closed.events.values_list("to_stage", flat=True)
    decided = Adjustment.objects.get(
        community=zwolle, policy_object__name__startswith="Procedure vergunning warmtenet"
    )
    assert decided.stage == AdjustmentStage.BESLOTEN_AMBTELIJK
    assert PolicyObject.objects.filter(community=zwolle).count() == 3
    assert ExternalDevelopment.objects.filter(
        community=zwolle, title="Voorbeeld: Wet collectieve warmte aangenomen"
    ).exists()
    client = client_for(None)
    for page in ("signals/", f"signals/{closed.pk}/", "adjustments/", "themes/"):
        assert client.get(f"/en/c/zwolle/{page}").status_code == 200


def test_a_steward_closes_after_waiting_without_the_initiatives_answer(world):
    from datetime import timedelta

    from django.utils import timezone

    signal = make_signal(world)
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Niet voor ons.")
    url = f"/en/c/publiek/signals/{signal.pk}/move/"
    data = {"to_stage": "afgesloten", "seen_event": signal.last_event_id, "outcome": "not-solved"}
    response = client_for(world.steward).post(url, data, follow=True)  # too early
    assert "You may not make this move" in response.content.decode()
    signal.refresh_from_db()
    assert signal.stage == Stage.NIET_OPGEPAKT
    LoopEvent.objects.filter(pk=signal.last_event_id).update(at=timezone.now() - timedelta(days=31))
    client_for(world.steward).post(url, data)
    signal.refresh_from_db()
    assert signal.stage == Stage.AFGESLOTEN and signal.last_event.closed_without_answer
    html = client_for(world.observer).get(f"/en/c/publiek/signals/{signal.pk}/").content.decode()
    assert "did not answer in time" in html


def _history_id(instance):
    return instance.history.order_by("-history_id").values_list("history_id", flat=True).first()


@pytest.mark.parametrize(
    ("persona", "may_edit"),
    [
        ("initiatief_member", True),  # raised it
        ("steward", True),
        ("gemeente_member", False),
        ("observer", False),
        ("outsider", False),
    ],
)
def test_who_may_change_a_signal(world, persona, may_edit):
    signal = make_signal(world)
    client = client_for(getattr(world, persona))
    page = client.get(f"/en/c/publiek/signals/{signal.pk}/").content.decode()
    assert ("/edit/" in page) is may_edit
    response = client.post(
        f"/en/c/publiek/signals/{signal.pk}/edit/",
        {
            "title": "Nieuwe titel",
            "what_happened": "Anders.",
            "impact": "high",
            "urgency": "high",
            "based_on": _history_id(signal),
        },
    )
    signal.refresh_from_db()
    assert (response.status_code == 302) is may_edit
    assert (signal.title == "Nieuwe titel") is may_edit


def test_changing_a_signal_keeps_a_move_made_meanwhile(world, initiative):
    signal = make_signal(world)
    client = client_for(world.initiatief_member)
    form = client.get(f"/en/c/publiek/signals/{signal.pk}/edit/").content.decode()
    theme = Theme.objects.filter(community=world.public).first()
    assert "Vergunning duurt te lang" in form and "Its stage changes only" in form
    based_on = _history_id(signal)
    # Meanwhile a steward discusses it.
    walk(signal, world.steward, Stage.BESPROKEN)
    response = client.post(
        f"/en/c/publiek/signals/{signal.pk}/edit/",
        {
            "title": "Vergunning duurt negen maanden",
            "what_happened": "Negen maanden.",
            "initiatives": [initiative.pk],
            "themes": [theme.pk],
            "impact": "high",
            "urgency": "low",
            "based_on": based_on,
        },
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.title == "Vergunning duurt negen maanden" and signal.urgency == "low"
    assert list(signal.themes.all()) == [theme] and list(signal.initiatives.all()) == [initiative]
    assert signal.stage == Stage.BESPROKEN  # the move was not overwritten
    assert signal.raised_by == world.initiatief_member


def test_two_people_changing_a_signal_at_once_overwrite_nothing(world):
    signal = make_signal(world)
    based_on = _history_id(signal)
    data = {"what_happened": "x", "impact": "low", "urgency": "low", "based_on": based_on}
    first = client_for(world.steward).post(
        f"/en/c/publiek/signals/{signal.pk}/edit/", {**data, "title": "Eerste"}
    )
    second = client_for(world.initiatief_member).post(
        f"/en/c/publiek/signals/{signal.pk}/edit/", {**data, "title": "Tweede"}
    )
    assert first.status_code == 302 and second.status_code == 200
    assert "changed this while you were editing" in second.content.decode()
    signal.refresh_from_db()
    assert signal.title == "Eerste"


def test_changing_an_adjustment_links_signals_and_keeps_its_stage(world, policy_object):
    adjustment = adjustments.create_adjustment(
        community=world.public,
        actor=world.gemeente_member,
        policy_object=policy_object,
        title="Vaste termijn",
        proposed="Acht weken.",
    )
    explored = make_signal(world, title="Onderzocht")
    walk(explored, world.gemeente_member, Stage.IN_VERKENNING)
    based_on = _history_id(adjustment)
    observer = client_for(world.observer)
    assert observer.get(f"/en/c/publiek/adjustments/{adjustment.pk}/edit/").status_code == 404
    client = client_for(world.gemeente_member)
    page = client.get(f"/en/c/publiek/adjustments/{adjustment.pk}/").content.decode()
    assert f"/adjustments/{adjustment.pk}/edit/" in page
    # Meanwhile a steward moves it on (it is decided).
    adjustments.move_adjustment(
        adjustment=adjustment, actor=world.steward, to_stage=AdjustmentStage.BESLOTEN_COLLEGE
    )
    data = {
        "policy_object": policy_object.pk,
        "title": "Termijn van zes weken",
        "proposed": "Zes weken.",
        "owner": world.gemeente_member.pk,
        "signals": [explored.pk],
        "based_on": based_on,
    }
    url = f"/en/c/publiek/adjustments/{adjustment.pk}/edit/"
    stale = client.post(url, data)
    assert (
        stale.status_code == 200 and "changed this while you were editing" in stale.content.decode()
    )
    adjustment.refresh_from_db()
    assert adjustment.title == "Vaste termijn"
    response = client.post(url, {**data, "based_on": _history_id(adjustment)})
    assert response.status_code == 302
    adjustment.refresh_from_db()
    explored.refresh_from_db()
    assert adjustment.title == "Termijn van zes weken"
    assert adjustment.stage == AdjustmentStage.BESLOTEN_COLLEGE
    assert list(adjustment.signals.all()) == [explored]
    assert explored.stage == Stage.AANPASSING_VOORGESTELD
    assert explored.last_event.adjustment == adjustment


def test_only_a_steward_names_someone_else_as_policy_owner(world):
    signal = make_signal(world)
    url = f"/en/c/publiek/signals/{signal.pk}/move/"
    member = client_for(world.gemeente_member)
    page = member.get(f"/en/c/publiek/signals/{signal.pk}/").content.decode()
    assert "You become the person who takes care of it." in page and 'name="owner"' not in page
    response = member.post(
        url,
        {
            "to_stage": "in-verkenning",
            "seen_event": signal.last_event_id,
            "owner": world.observer.pk,
        },
        follow=True,
    )
    assert "Only a steward names someone else" in response.content.decode()
    signal.refresh_from_db()
    assert signal.stage == Stage.GEMELD and signal.owner is None
    steward = client_for(world.steward)
    assert 'name="owner"' in steward.get(f"/en/c/publiek/signals/{signal.pk}/").content.decode()
    steward.post(
        url,
        {
            "to_stage": "in-verkenning",
            "seen_event": signal.last_event_id,
            "owner": world.observer.pk,
        },
    )
    signal.refresh_from_db()
    assert signal.stage == Stage.IN_VERKENNING and signal.owner == world.observer


def test_stewards_set_the_waiting_times(world):
    from samenspel.learning.models import LoopSettings
    from samenspel.learning.targets import DEFAULT_TARGET_DAYS, target_days

    url = "/en/c/publiek/loop/settings/"
    assert client_for(world.gemeente_member).get(url).status_code == 404
    steward = client_for(world.steward)
    assert "/loop/settings/" in steward.get("/en/c/publiek/themes/").content.decode()
    assert (
        "/loop/settings/"
        not in client_for(world.gemeente_member).get("/en/c/publiek/themes/").content.decode()
    )
    form = steward.get(url).content.decode()
    assert 'value="14"' in form and 'value="30"' in form
    settings = LoopSettings.objects.get(community=world.public)
    based_on = settings.history.latest("history_id").history_id
    bad = steward.post(
        url,
        {"remind_after_days": 0, "close_without_answer_after_days": 3, "based_on": based_on},
    )
    assert bad.status_code == 200 and "greater than or equal to" in bad.content.decode()
    settings.refresh_from_db()
    assert (settings.remind_after_days, settings.close_without_answer_after_days) == (14, 30)
    answers = {f"answer_{stage}": days for stage, days in DEFAULT_TARGET_DAYS.items()}
    steward.post(
        url,
        {
            "remind_after_days": 7,
            "close_without_answer_after_days": 60,
            "based_on": based_on,
            **answers,
            "answer_gemeld": 10,
        },
    )
    settings.refresh_from_db()
    assert (settings.remind_after_days, settings.close_without_answer_after_days) == (7, 60)
    assert target_days(world.public.pk)[Stage.GEMELD] == 10
    assert 'name="answer_gemeld" value="10"' in steward.get(url).content.decode()
    # A day count out of range changes nothing.
    latest = settings.history.latest("history_id").history_id
    steward.post(
        url,
        {
            "remind_after_days": 7,
            "close_without_answer_after_days": 60,
            "based_on": latest,
            **answers,
            "answer_gemeld": 0,
        },
    )
    assert target_days(world.public.pk)[Stage.GEMELD] == 10


def test_when_the_change_is_in_force_its_signals_raisers_hear_it(world, initiative, policy_object):
    from samenspel.core.models import Notification, NotificationPreference

    answered = make_signal(world, title="Beantwoord", initiatives=[initiative])
    walk(answered, world.gemeente_member, Stage.IN_VERKENNING)
    untouched = make_signal(world, title="Nog open")
    adjustment = adjustments.create_adjustment(
        community=world.public,
        actor=world.gemeente_member,
        policy_object=policy_object,
        title="Vaste termijn",
        proposed="Acht weken.",
        signals=[answered],  # "Nog open" is not its to link: it has no owner yet
    )
    adjustments.move_adjustment(
        adjustment=adjustment,
        actor=world.gemeente_member,
        to_stage=AdjustmentStage.BESLOTEN_AMBTELIJK,
    )
    answered.refresh_from_db()
    assert answered.stage == Stage.TERUGGEKOPPELD
    outbox().clear()
    # The raiser switched every notification off: this one still arrives.
    NotificationPreference.objects.update_or_create(
        user=world.initiatief_member,
        defaults={"email_enabled": False, "community": False, "initiatives": False, "loop": False},
    )
    adjustments.move_adjustment(
        adjustment=adjustment, actor=world.gemeente_member, to_stage=AdjustmentStage.INGEVOERD
    )
    assert [m.to for m in outbox()] == [[world.initiatief_member.email]]
    assert "Vaste termijn" in outbox()[0].body and "nu van kracht" in outbox()[0].body
    item = Notification.objects.filter(recipient=world.initiatief_member).latest("pk")
    assert item.always and item.url.endswith(f"/signals/{answered.pk}/")
    untouched.refresh_from_db()
    assert untouched.stage == Stage.GEMELD


def test_members_share_the_rendered_lists_until_something_changes(
    world, django_assert_max_num_queries
):
    member = client_for(world.gemeente_member)
    other = client_for(world.observer)
    member.get("/en/c/publiek/signals/")  # the first visit adds the default themes
    make_signal(world, title="Eerste")
    assert "Eerste" in member.get("/en/c/publiek/signals/").content.decode()
    member.get("/en/c/publiek/loop/")
    # Someone else sees the same list and dashboard from the shared fragments: no signal query.
    with django_assert_max_num_queries(15) as queries:
        other.get("/en/c/publiek/signals/")
        other.get("/en/c/publiek/loop/")
    assert not any("learning_signal" in q["sql"] for q in queries.captured_queries)
    make_signal(world, title="Tweede")
    assert "Tweede" in member.get("/en/c/publiek/signals/").content.decode()
    dashboard = member.get("/en/c/publiek/loop/").content.decode()
    assert "2 signals from practice" in dashboard


def test_the_signals_as_csv_follow_the_filters(world, initiative, django_assert_max_num_queries):
    import csv
    import io

    fed_back = make_signal(world, title="=Teruggekoppeld", initiatives=[initiative])
    walk(fed_back, world.gemeente_member, Stage.IN_VERKENNING)
    walk(fed_back, world.gemeente_member, Stage.TERUGGEKOPPELD, note="Geregeld.")
    make_signal(world, title="Nog open")
    client = client_for(world.gemeente_member)
    page = client.get("/en/c/publiek/signals/?stage=teruggekoppeld").content.decode()
    assert "/signals/export.csv?stage=teruggekoppeld" in page
    with django_assert_max_num_queries(16):
        response = client.get("/en/c/publiek/signals/export.csv?stage=teruggekoppeld")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="publiek-signals.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == [str(fed_back.pk)]
    row = rows[0]
    assert row["title"] == "'=Teruggekoppeld"  # never run as a formula
    assert row["stage"] == "teruggekoppeld" and row["days_to_feedback"] == "0.0"
    assert row["initiatives"] == "Noord" and row["policy_owner"] == world.gemeente_member.name
    assert row["url"].endswith(f"/c/publiek/signals/{fed_back.pk}/")
    everything = client.get("/en/c/publiek/signals/export.csv").content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(everything)))) == 2
    assert client_for(world.outsider).get("/en/c/besloten/signals/export.csv").status_code == 404
