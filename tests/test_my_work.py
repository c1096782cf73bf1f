"""My work (issue 9 §1): one page per person across their communities, where they land
after logging in; each section lists what waits for them and links to the next step."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Membership, Role, Side
from samenspel.communities.services import invite, request_to_join
from samenspel.initiatives.growth import add_support_offer
from samenspel.initiatives.services import request_support
from samenspel.learning import following, services
from samenspel.learning.catalogue import save_theme
from samenspel.learning.models import Signal
from samenspel.learning.services import Move
from samenspel.learning.stages import Stage
from samenspel.learning.targets import set_stage_targets
from samenspel.work.queries import my_work
from tests.factories import (
    PASSWORD,
    CommunityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.initiative_factories import InitiativeFactory


@pytest.fixture
def setting(world):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation, organisation_confirmed_at=timezone.now()
    )
    initiative = InitiativeFactory(community=world.public, organisation=organisation)
    theme = save_theme(
        actor=world.steward,
        community=world.public,
        theme=None,
        name="Vergunningen",
        description="",
    )
    return {"initiative": initiative, "theme": theme, "organisation": organisation}


def raise_it(world, setting, title="Vergunning duurt te lang", community=None):
    return services.raise_signal(
        community=community or world.public,
        actor=world.initiatief_member,
        title=title,
        what_happened="De vergunning liet negen maanden op zich wachten.",
        initiatives=[setting["initiative"]] if community is None else [],
        themes=[setting["theme"]] if community is None else [],
    )


def walk(signal, actor, to_stage, **extra):
    return services.move_signal(
        signal=signal, actor=actor, move=Move(to_stage=to_stage, **extra), seen_event_id=None
    )


def without_tokens(response):
    """The page without its CSRF tokens (masked anew for every answer)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def page(user, language=""):
    prefix = f"/{language}" if language else ""
    response = client_for(user).get(f"{prefix}/my-work/")
    assert response.status_code == 200
    return response.content.decode()


def test_after_logging_in_a_member_lands_on_my_work(world):
    response = client_for(None).post(
        "/accounts/login/", {"login": world.gemeente_member.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/my-work/"


def test_a_visitor_is_asked_to_log_in(world):
    response = client_for(None).get("/my-work/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_raiser_sees_where_their_signal_stands_and_the_promised_date(world, setting):
    signal = raise_it(world, setting)
    work = my_work(world.initiatief_member)
    (row,) = work.raised
    assert row.signal == signal
    assert row.answer_due == timezone.localdate() + timedelta(days=14)
    html = page(world.initiatief_member)
    assert "Vergunning duurt te lang" in html
    assert f"/c/publiek/signals/{signal.pk}/" in html
    assert "Antwoord uiterlijk" in html


def test_the_promised_date_follows_the_stewards_answer_times(world, setting):
    set_stage_targets(actor=world.steward, community=world.public, days={Stage.GEMELD: 5})
    raise_it(world, setting)
    (row,) = my_work(world.initiatief_member).raised
    assert row.answer_due == timezone.localdate() + timedelta(days=5)
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        (late,) = my_work(world.initiatief_member).raised
        assert late.overdue
        assert "Te laat" in page(world.initiatief_member)


def test_after_feedback_it_is_the_raisers_turn(world, setting):
    signal = raise_it(world, setting)
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)
    walk(signal, world.gemeente_member, Stage.TERUGGEKOPPELD, note="De termijn wordt korter.")
    (row,) = my_work(world.initiatief_member).raised
    assert row.your_turn and row.answer_due is None
    assert "Jij bent aan de beurt" in page(world.initiatief_member)


def test_a_closed_signal_leaves_the_list(world, setting):
    signal = raise_it(world, setting)
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Dit ligt bij het Rijk.")
    walk(signal, world.initiatief_member, Stage.AFGESLOTEN, outcome="not-solved")
    assert my_work(world.initiatief_member).raised == []


def test_the_owner_sees_waiting_time_and_next_step(world, setting):
    signal = raise_it(world, setting)
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)
    with time_machine.travel(timezone.now() + timedelta(days=50)):
        (row,) = my_work(world.gemeente_member).owned
        assert row.signal == signal and row.days_waiting == 50 and row.overdue
        html = page(world.gemeente_member)
    assert "wacht 50 dagen" in html
    assert "Volgende stap: geef de melders antwoord" in html
    assert f"/c/publiek/signals/{signal.pk}/#moves" in html


def test_new_signals_in_what_i_follow_without_an_owner(world, setting):
    other_theme = save_theme(
        actor=world.steward,
        community=world.public,
        theme=None,
        name="Warmtenet",
        description="",
    )
    following.follow(actor=world.gemeente_member, subject=other_theme)
    signal = raise_it(world, setting)
    assert my_work(world.gemeente_member).to_take_up == []  # not in what they follow
    following.follow(actor=world.gemeente_member, subject=setting["theme"])
    assert [row.signal for row in my_work(world.gemeente_member).to_take_up] == [signal]
    walk(signal, world.steward, Stage.IN_VERKENNING)
    assert my_work(world.gemeente_member).to_take_up == []  # it has an owner now


def test_a_steward_sees_every_new_signal_of_their_community(world, setting):
    signal = raise_it(world, setting)
    assert [row.signal for row in my_work(world.steward).to_take_up] == [signal]
    assert my_work(world.observer).to_take_up == []


def test_requests_waiting_for_my_decision(world, setting):
    applicant = UserFactory(display_name="Anna Aanvrager")
    request_to_join(
        community=world.public, user=applicant, side=Side.INITIATIEF, motivation="Ik wil leren."
    )
    newcomer = MembershipFactory(
        community=world.public,
        organisation=setting["organisation"],
        organisation_confirmed_at=None,
    )
    offer = add_support_offer(
        actor=world.steward,
        community=world.public,
        phase="orientatie",
        name="Procesbegeleiding",
        offered_by=setting["organisation"],
    )
    request_support(
        actor=world.steward,
        initiative=setting["initiative"],
        offer_id=offer.pk,
        message="Hulp bij de vergunning.",
    )
    steward = my_work(world.steward)
    assert [r.user for r in steward.join_requests] == [applicant]
    assert newcomer in steward.organisation_requests
    assert len(steward.support_requests) == 1
    html = page(world.steward)
    assert "Anna Aanvrager vraagt of die mee mag doen" in html and "Ik wil leren." in html
    assert "/c/publiek/requests/" in html and "/c/publiek/growth/requests/" in html
    # A confirmed member of the organisation decides its support and its newcomers, not
    # who may join; a plain member decides nothing.
    member = my_work(world.initiatief_member)
    assert member.join_requests == []
    assert newcomer in member.organisation_requests and len(member.support_requests) == 1
    assert my_work(world.gemeente_member).waiting_for_decision == 0


def test_open_invitations_i_sent(world):
    invite(
        community=world.public,
        invited_by=world.steward,
        email="nieuw@example.org",
        side=Side.GEMEENTE,
    )
    work = my_work(world.steward)
    assert [i.email for i in work.invitations] == ["nieuw@example.org"]
    assert "nieuw@example.org" in page(world.steward)
    with time_machine.travel(timezone.now() + timedelta(days=60)):
        assert my_work(world.steward).invitations == []


def test_across_communities_and_never_an_archived_one(world, setting):
    raise_it(world, setting)
    raise_it(world, setting, title="Subsidie is te ingewikkeld", community=world.private)
    assert len(my_work(world.initiatief_member).raised) == 2
    world.private.archived_at = timezone.now()
    world.private.save()
    assert [r.signal.title for r in my_work(world.initiatief_member).raised] == [
        "Vergunning duurt te lang"
    ]


def test_never_someone_elses_work(world, setting):
    signal = raise_it(world, setting)
    stranger = UserFactory()
    MembershipFactory(user=stranger, community=CommunityFactory(), role=Role.STEWARD)
    work = my_work(stranger)
    assert work.raised == work.owned == work.to_take_up == []
    assert signal.title not in page(stranger)


def test_empty_states_say_what_to_do(world):
    assert "Je bent nog geen lid van een groep" in page(world.outsider)
    html = page(world.gemeente_member)
    assert "Er wacht nu niets op je" in html
    assert "Volg thema’s of regelingen" in html
    assert "Nothing waits for you right now" in page(world.gemeente_member, "en")


def test_my_work_runs_a_fixed_number_of_queries(world, setting, django_assert_max_num_queries):
    for n in range(5):
        raise_it(world, setting, title=f"Signaal {n}")
    following.follow(actor=world.steward, subject=setting["theme"])
    client = client_for(world.steward)
    # Built: session, user, the versions of their communities, memberships, answer times,
    # raised, owned, follows (exists), to take up, join requests, organisation requests,
    # support requests, invitations, and the unread count — whatever the number of rows.
    with django_assert_max_num_queries(17):
        first = client.get("/my-work/")
    assert first["X-Page-Cache"] == "member-miss"
    # Kept: session, user, the versions of their communities (the badge count is cached).
    with django_assert_max_num_queries(3):
        kept = client.get("/my-work/")
    assert kept["X-Page-Cache"] == "member-hit"
    assert without_tokens(kept) == without_tokens(first)
    for n in range(5, 15):
        raise_it(world, setting, title=f"Signaal {n}")
    with django_assert_max_num_queries(17):
        response = client.get("/my-work/")
    assert response["X-Page-Cache"] == "member-miss"
    assert len(response.context["work"].to_take_up) == 15


def test_the_kept_copy_is_never_stale_and_never_someone_elses(world, setting):
    client = client_for(world.gemeente_member)
    assert "Vergunning duurt te lang" not in client.get("/my-work/").content.decode()
    following.follow(actor=world.gemeente_member, subject=setting["theme"])
    raise_it(world, setting)
    assert "Vergunning duurt te lang" in client.get("/my-work/").content.decode()
    # Another member of the same kind reads their own page, not this one.
    other = UserFactory()
    MembershipFactory(user=other, community=world.public, side=Side.GEMEENTE)
    assert "Vergunning duurt te lang" not in client_for(other).get("/my-work/").content.decode()
    # Taking it up (another community member's move) shows at once.
    signal = Signal.objects.get(title="Vergunning duurt te lang")
    walk(signal, world.steward, Stage.IN_VERKENNING)
    assert "Vergunning duurt te lang" not in client.get("/my-work/").content.decode()
    # A message waiting to be shown makes the page personal (it is not kept).
    client.post(f"/c/publiek/follow/theme/{setting['theme'].pk}/", {"stop": "1"})
    response = client.get("/my-work/")
    assert "X-Page-Cache" not in response


# The API


def test_the_api_gives_my_work(world, setting):
    signal = raise_it(world, setting)
    response = client_for(world.initiatief_member).get("/api/v1/me/work")
    assert response.status_code == 200
    (row,) = response.json()["raised"]
    assert row["id"] == signal.pk and row["stage"] == "gemeld"
    assert row["answerDue"] == str(timezone.localdate() + timedelta(days=14))
    steward = client_for(world.steward).get("/api/v1/me/work").json()
    assert [r["id"] for r in steward["toTakeUp"]] == [signal.pk]
    assert client_for(None).get("/api/v1/me/work").status_code == 401


def test_the_api_follows_and_unfollows(world, setting):
    client = client_for(world.gemeente_member)
    created = client.post(
        "/api/v1/me/follows",
        {"themeId": setting["theme"].pk},
        content_type="application/json",
    )
    assert created.status_code == 201
    follow_id = created.json()["id"]
    assert client.get("/api/v1/me/follows").json()["count"] == 1
    both = client.post(
        "/api/v1/me/follows",
        {"themeId": setting["theme"].pk, "signalId": 1},
        content_type="application/json",
    )
    assert both.status_code == 400
    # Someone else's follow is not found; an outsider cannot follow.
    assert client_for(world.steward).delete(f"/api/v1/me/follows/{follow_id}").status_code == 404
    outsider = client_for(world.outsider).post(
        "/api/v1/me/follows",
        {"themeId": setting["theme"].pk},
        content_type="application/json",
    )
    assert outsider.status_code == 403
    assert client.delete(f"/api/v1/me/follows/{follow_id}").status_code == 204
    assert client.get("/api/v1/me/follows").json()["count"] == 0


def test_what_i_took_on_action_points_commitments_and_visits(world):
    from samenspel.council import followup
    from samenspel.council import services as council
    from samenspel.council.models import AdviceStage, CouncilAdvice, Instrument, Outcome
    from samenspel.practice import sessions, visits
    from samenspel.practice.models import VisitKind

    today = timezone.localdate()
    starts = timezone.now() - timedelta(days=1)
    session = sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Bijeenkomst",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Zaal",
    )
    sessions.add_action_point(
        actor=world.steward,
        session=session,
        description="Stuur het verslag rond",
        owner=world.gemeente_member,
        due_on=today - timedelta(days=1),
    )
    advice = council.start_advice(
        actor=world.steward, community=world.public, title="Borg", question="Borg of niet?"
    )
    CouncilAdvice.objects.filter(pk=advice.pk).update(stage=AdviceStage.AANGEBODEN)
    advice.refresh_from_db()
    council.record_decision(
        actor=world.steward,
        advice=advice,
        outcome=Outcome.VASTGESTELD,
        instrument=Instrument.MOTIE,
        decided_on=today,
    )
    followup.add_commitment(
        actor=world.steward,
        advice=advice,
        description="Evaluatie na een jaar",
        owner=world.gemeente_member,
        due_on=today + timedelta(days=300),
    )
    initiative = InitiativeFactory(community=world.public, name="Noord warm")
    visits.plan_visit(
        actor=world.gemeente_member,
        initiative=initiative,
        kind=VisitKind.SITE_VISIT,
        visit_on=today - timedelta(days=2),
        about="Langs de warmtepompen",
    )
    work = my_work(world.gemeente_member)
    assert [p.description for p in work.action_points] == ["Stuur het verslag rond"]
    assert [c.description for c in work.commitments] == ["Evaluatie na een jaar"]
    assert [v.initiative.name for v in work.visits] == ["Noord warm"]
    page = client_for(world.gemeente_member).get("/my-work/").content.decode()
    promised = page.split('id="promised-heading"')[1].split("</section>")[0]
    assert "Stuur het verslag rond" in promised and "Evaluatie na een jaar" in promised
    assert "Noord warm" in promised
    # Someone else's list holds none of it.
    assert my_work(world.initiatief_member).promised == 0
