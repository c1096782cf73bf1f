"""Policy makers in practice (meelopen, issue 10 §4): planning a visit to an initiative's
activity, who hears of it, writing down afterwards what it taught (notes, a lesson, a
learning question, a signal linked to the visit), the reminder the day after, the pages and
the API. Who may do what is written out by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Membership
from samenspel.communities.services import CommunityError
from samenspel.core.models import Notification
from samenspel.initiatives.choices import Review
from samenspel.learning.models import Signal
from samenspel.learning.stages import Stage
from samenspel.practice import permissions, questions, reminders, visits
from samenspel.practice.models import FieldVisit, Lesson, VisitKind
from tests.factories import CommunityFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.initiative_factories import InitiativeFactory
from tests.mailbox import outbox


@pytest.fixture
def cast(world):
    """Noord warm is the initiative of the initiatief member (confirmed) and of Nina."""
    noord = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=noord, organisation_confirmed_at=timezone.now()
    )
    nina = UserFactory(email="nina@example.org", display_name="Nina Noord")
    MembershipFactory(user=nina, community=world.public, organisation=noord)
    noord_warm = InitiativeFactory(
        community=world.public, organisation=noord, name="Noord warm", slug="noord-warm"
    )
    return {"initiative": noord_warm, "nina": nina}


def plan(actor, initiative, *, days=7, visitor=None, **extra):
    return visits.plan_visit(
        actor=actor,
        initiative=initiative,
        visitor=visitor,
        kind=extra.pop("kind", VisitKind.RESIDENTS_EVENING),
        visit_on=timezone.localdate() + timedelta(days=days),
        about=extra.pop("about", "De bewonersavond over het warmtenet"),
    )


def inbox_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


# Who may do what, by hand: (persona, plan for oneself, invite someone else, see visits).
RIGHTS = [
    ("anonymous", False, False, False),
    ("outsider", False, False, False),
    ("gemeente_member", True, False, True),
    ("initiatief_member", True, True, True),  # Noord warm's own person
    ("observer", False, False, True),  # observers see, but do not take part
    ("steward", True, True, True),
    ("admin", True, True, False),  # site admins act, they are no member of the group
]


@pytest.mark.parametrize(("persona", "may_plan", "may_invite", "may_see"), RIGHTS)
def test_who_plans_invites_and_sees_visits(world, cast, persona, may_plan, may_invite, may_see):
    user = world.persona(persona)
    initiative = cast["initiative"]
    assert permissions.can_plan_visit(user, initiative) is may_plan
    assert permissions.can_invite_visitor(user, initiative) is may_invite
    assert permissions.can_see_visits(user, world.public) is (may_see or persona == "admin")


# (persona, cancel, write down what it taught) for a visit the gemeente member planned for
# themselves to Noord warm.
VISIT_RIGHTS = [
    ("anonymous", False, False),
    ("outsider", False, False),
    ("gemeente_member", True, True),  # who joins
    ("initiatief_member", True, True),  # the initiative's own person
    ("observer", False, False),
    ("steward", True, True),
    ("admin", True, True),
]


@pytest.mark.parametrize(("persona", "may_cancel", "may_report"), VISIT_RIGHTS)
def test_who_cancels_and_writes_down_a_visit(world, cast, persona, may_cancel, may_report):
    visit = plan(world.gemeente_member, cast["initiative"])
    user = world.persona(persona)
    assert permissions.can_change_visit(user, visit) is may_cancel
    assert permissions.can_report_visit(user, visit) is may_report


def test_a_member_of_another_initiative_neither_cancels_nor_reports(world, cast):
    other = UserFactory(email="zuid@example.org")
    zuid = OrganisationFactory(community=world.public, name="Warmte Zuid")
    MembershipFactory(user=other, community=world.public, organisation=zuid)
    visit = plan(world.gemeente_member, cast["initiative"])
    assert not permissions.can_change_visit(other, visit)
    assert not permissions.can_report_visit(other, visit)
    assert not permissions.can_invite_visitor(other, cast["initiative"])


def test_planning_tells_the_initiatives_people_and_the_visitor_never_the_actor(world, cast):
    visit = plan(world.initiatief_member, cast["initiative"], visitor=world.gemeente_member)
    assert visit.visitor == world.gemeente_member
    assert visit.planned_by == world.initiatief_member
    assert inbox_of(world.initiatief_member) == []
    for person in (world.gemeente_member, cast["nina"]):
        assert len(inbox_of(person)) == 1
        assert "Noord warm" in inbox_of(person)[0]
    assert inbox_of(world.steward) == []
    sent = outbox()
    assert sorted(m.to[0] for m in sent) == ["gemeente@example.org", "nina@example.org"]
    assert "bewonersavond" in sent[0].body.lower()


def test_only_the_initiative_or_a_steward_invites_someone_else(world, cast):
    with pytest.raises(CommunityError) as refused:
        plan(world.gemeente_member, cast["initiative"], visitor=world.steward)
    assert refused.value.status == 403
    assert not FieldVisit.objects.exists()
    plan(world.steward, cast["initiative"], visitor=world.gemeente_member)
    assert FieldVisit.objects.get().visitor == world.gemeente_member


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"about": "  "}, "about_required"),
        ({"kind": "feest"}, "invalid_kind"),
    ],
)
def test_bad_input_changes_nothing(world, cast, change, code):
    with pytest.raises(CommunityError) as refused:
        plan(world.gemeente_member, cast["initiative"], **change)
    assert refused.value.code == code
    assert not FieldVisit.objects.exists()
    assert not Notification.objects.exists()


def test_who_joins_must_be_a_member_and_a_visit_is_planned_once(world, cast):
    for not_taking_part in (world.outsider, world.observer):
        with pytest.raises(CommunityError) as refused:
            plan(world.steward, cast["initiative"], visitor=not_taking_part)
        assert refused.value.code == "visitor_not_member"
    form = client_for(world.steward).get("/c/publiek/visits/new/?initiative=noord-warm")
    assert f'value="{world.observer.pk}"' not in form.content.decode()
    assert f'value="{world.gemeente_member.pk}"' in form.content.decode()
    plan(world.gemeente_member, cast["initiative"])
    with pytest.raises(CommunityError) as twice:
        plan(world.gemeente_member, cast["initiative"])
    assert twice.value.code == "duplicate_visit"
    assert FieldVisit.objects.count() == 1


def test_an_unlisted_initiative_cannot_be_visited(world, cast):
    initiative = cast["initiative"]
    initiative.review = Review.PENDING
    initiative.save()
    with pytest.raises(CommunityError):
        plan(world.gemeente_member, initiative)
    assert not FieldVisit.objects.exists()


def test_cancelling_tells_everyone_it_concerns_once(world, cast):
    visit = plan(world.gemeente_member, cast["initiative"])
    Notification.objects.all().delete()
    visits.cancel_visit(actor=cast["nina"], visit=visit)
    assert visit.is_cancelled
    assert len(inbox_of(world.gemeente_member)) == 1
    assert len(inbox_of(world.initiatief_member)) == 1
    assert inbox_of(cast["nina"]) == []
    with pytest.raises(CommunityError):
        visits.cancel_visit(actor=world.steward, visit=visit)


def test_what_was_learned_is_written_after_the_visit_and_goes_back_to_the_initiative(world, cast):
    visit = plan(world.gemeente_member, cast["initiative"], days=3)
    with pytest.raises(CommunityError) as early:
        visits.write_visit_notes(actor=world.gemeente_member, visit=visit, notes="Te vroeg")
    assert early.value.code == "not_yet"
    FieldVisit.objects.filter(pk=visit.pk).update(visit_on=timezone.localdate())
    visit.refresh_from_db()
    Notification.objects.all().delete()
    visits.write_visit_notes(
        actor=world.gemeente_member, visit=visit, notes="Bewoners willen weten wat het kost."
    )
    assert FieldVisit.objects.get(pk=visit.pk).notes == "Bewoners willen weten wat het kost."
    assert len(inbox_of(world.initiatief_member)) == 1
    assert len(inbox_of(cast["nina"])) == 1
    # Changing it later is no news.
    visits.write_visit_notes(actor=world.gemeente_member, visit=visit, notes="Ook: wie beslist.")
    assert len(inbox_of(cast["nina"])) == 1
    with pytest.raises(CommunityError):
        visits.write_visit_notes(actor=world.observer, visit=visit, notes="Niet van mij")
    assert FieldVisit.objects.get(pk=visit.pk).notes == "Ook: wie beslist."


def test_a_signal_raised_from_a_visit_enters_the_loop_linked_to_it(world, cast):
    visit = plan(world.gemeente_member, cast["initiative"], days=-1)
    signal = visits.raise_signal_from_visit(
        actor=world.gemeente_member,
        visit=visit,
        title="Niemand ziet waar de vergunning ligt",
        what_happened="Op de bewonersavond wist niemand hoe ver de vergunning was.",
        initiatives=[cast["initiative"]],
    )
    assert signal.stage == Stage.GEMELD
    assert list(visit.signals.all()) == [signal]
    with pytest.raises(CommunityError):
        visits.raise_signal_from_visit(
            actor=world.observer, visit=visit, title="x", what_happened="y"
        )
    assert Signal.objects.count() == 1


def test_lessons_and_questions_name_their_visit_of_the_same_community(world, cast):
    visit = plan(world.gemeente_member, cast["initiative"], days=-1)
    lesson = questions.write_lesson(
        actor=world.gemeente_member,
        community=world.public,
        title="Begin bij de kosten",
        visit=visit,
    )
    question = questions.raise_question(
        actor=world.gemeente_member,
        community=world.public,
        question="Hoe leggen we de kosten uit?",
        visit=visit,
    )
    assert list(visit.lessons.all()) == [lesson]
    assert list(visit.learning_questions.all()) == [question]
    elsewhere = CommunityFactory()
    MembershipFactory(user=world.gemeente_member, community=elsewhere)
    with pytest.raises(CommunityError):
        questions.write_lesson(
            actor=world.gemeente_member, community=elsewhere, title="Elders", visit=visit
        )
    assert not Lesson.objects.filter(community=elsewhere).exists()


def test_the_day_after_who_joined_is_asked_once_what_they_learned(world, cast):
    asked = plan(world.gemeente_member, cast["initiative"], days=-1)
    written = plan(world.steward, cast["initiative"], days=-1)
    visits.write_visit_notes(actor=world.steward, visit=written, notes="Al opgeschreven.")
    cancelled = plan(world.initiatief_member, cast["initiative"], days=-2)
    visits.cancel_visit(actor=world.initiatief_member, visit=cancelled)
    plan(cast["nina"], cast["initiative"], days=0)  # today: not yet
    Notification.objects.all().delete()
    assert reminders.ask_what_visits_taught() == 1
    assert reminders.ask_what_visits_taught() == 0
    assert [n.url.endswith(asked.get_absolute_url()) for n in Notification.objects.all()] == [True]
    assert Notification.objects.get().recipient == world.gemeente_member


def test_a_visit_with_a_lesson_is_not_asked_about(world, cast):
    visit = plan(world.gemeente_member, cast["initiative"], days=-1)
    questions.write_lesson(
        actor=world.gemeente_member, community=world.public, title="Geleerd", visit=visit
    )
    assert reminders.ask_what_visits_taught() == 0


# Pages.


def test_the_initiative_page_shows_visits_to_members_only(world, cast):
    plan(world.gemeente_member, cast["initiative"], about="Het bestuur praat over de straat")
    url = "/c/publiek/initiatives/noord-warm/"
    for visitor in (None, world.outsider):
        page = client_for(visitor).get(url).content.decode()
        assert 'id="initiative-visits"' not in page
        assert "Het bestuur praat" not in page
    member_page = client_for(world.gemeente_member).get(url).content.decode()
    assert 'id="initiative-visits"' in member_page
    assert "/c/publiek/visits/new/?initiative=noord-warm" in member_page
    observer_page = client_for(world.observer).get(url).content.decode()
    assert 'id="initiative-visits"' in observer_page
    assert "/c/publiek/visits/new/" not in observer_page


def test_the_visit_pages_are_for_members(world, cast):
    visit = plan(world.gemeente_member, cast["initiative"])
    for path in ("/c/publiek/visits/", visit.get_absolute_url()):
        assert client_for(None).get(path).status_code == 404
        assert client_for(world.outsider).get(path).status_code == 404
        assert client_for(world.observer).get(path).status_code == 200
    listing = client_for(world.observer).get("/c/publiek/visits/").content.decode()
    assert 'id="upcoming-visits"' in listing and "Noord warm" in listing


def test_planning_through_the_page(world, cast):
    client = client_for(world.gemeente_member)
    form = client.get("/c/publiek/visits/new/?initiative=noord-warm").content.decode()
    assert 'name="visitor"' not in form  # they plan for themselves
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        "/c/publiek/visits/new/",
        {
            "initiative": cast["initiative"].pk,
            "kind": VisitKind.SITE_VISIT,
            "visit_on": day,
            "about": "Een rondje langs de warmtepompen",
        },
    )
    visit = FieldVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert visit.visitor == world.gemeente_member and visit.kind == VisitKind.SITE_VISIT


def test_the_initiatives_people_invite_through_the_page(world, cast):
    client = client_for(world.initiatief_member)
    form = client.get("/c/publiek/visits/new/?initiative=noord-warm").content.decode()
    assert 'name="visitor"' in form
    client.post(
        "/c/publiek/visits/new/",
        {
            "initiative": cast["initiative"].pk,
            "kind": VisitKind.BOARD_MEETING,
            "visit_on": timezone.localdate().isoformat(),
            "about": "De bestuursvergadering",
            "visitor": world.gemeente_member.pk,
        },
    )
    assert FieldVisit.objects.get().visitor == world.gemeente_member


def test_a_form_without_a_date_says_so_and_plans_nothing(world, cast):
    response = client_for(world.gemeente_member).post(
        "/c/publiek/visits/new/",
        {"initiative": cast["initiative"].pk, "kind": VisitKind.SITE_VISIT, "about": "x"},
    )
    assert response.status_code == 200
    assert "Vul dit veld in" in response.content.decode()
    assert not FieldVisit.objects.exists()


def test_after_the_visit_the_page_leads_to_notes_lesson_question_and_signal(world, cast):
    visit = plan(world.gemeente_member, cast["initiative"], days=-1)
    client = client_for(world.gemeente_member)
    page = client.get(visit.get_absolute_url()).content.decode()
    assert f'action="/c/publiek/visits/{visit.pk}/notes/"' in page
    assert f"/c/publiek/lessons/new/?visit={visit.pk}" in page
    assert f"/c/publiek/learning-questions/new/?visit={visit.pk}" in page
    client.post(f"/c/publiek/visits/{visit.pk}/notes/", {"notes": "Wat een opkomst."})
    assert FieldVisit.objects.get().notes == "Wat een opkomst."
    lesson_form = client.get(f"/c/publiek/lessons/new/?visit={visit.pk}").content.decode()
    assert f'<option value="{visit.pk}" selected>' in lesson_form
    response = client.post(
        "/c/publiek/lessons/new/", {"title": "Begin bij de kosten", "visit": visit.pk}
    )
    assert response["Location"] == visit.get_absolute_url()
    response = client.post(
        f"/c/publiek/visits/{visit.pk}/signal/",
        {
            "title": "Vergunning onvindbaar",
            "what_happened": "Niemand wist waar de aanvraag lag.",
            "initiative": cast["initiative"].pk,
            "impact": "medium",
            "urgency": "medium",
        },
    )
    signal = Signal.objects.get()
    assert response["Location"] == signal.get_absolute_url()
    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Begin bij de kosten" in page and "Vergunning onvindbaar" in page
    assert "Wat een opkomst." in page


def test_the_visit_page_runs_a_fixed_number_of_queries(world, cast, django_assert_max_num_queries):
    visit = plan(world.gemeente_member, cast["initiative"], days=-1)
    for n in range(5):
        questions.write_lesson(
            actor=world.gemeente_member, community=world.public, title=f"Les {n}", visit=visit
        )
    client = client_for(world.gemeente_member)
    client.get(visit.get_absolute_url())
    with django_assert_max_num_queries(14):
        assert client.get(visit.get_absolute_url()).status_code == 200


# API.


def test_api_lists_plans_and_shows_visits_for_members(world, cast):
    client = client_for(world.gemeente_member)
    day = (timezone.localdate() + timedelta(days=4)).isoformat()
    created = client.post(
        "/api/v1/communities/publiek/field-visits",
        {
            "initiativeId": cast["initiative"].pk,
            "kind": "locatiebezoek",
            "visitOn": day,
            "about": "Langs de warmtepompen",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["visitor"] == world.gemeente_member.name and body["visitOn"] == day
    assert body["lessonIds"] == [] and body["signalIds"] == []
    listing = client_for(world.observer).get("/api/v1/communities/publiek/field-visits").json()
    assert [item["id"] for item in listing["items"]] == [body["id"]]
    assert client_for(None).get("/api/v1/communities/publiek/field-visits").status_code == 404
    assert client_for(world.outsider).get(f"/api/v1/field-visits/{body['id']}").status_code == 404
    one = client_for(world.observer).get(f"/api/v1/field-visits/{body['id']}").json()
    assert one["about"] == "Langs de warmtepompen" and one["kind"] == "locatiebezoek"


def test_api_reports_every_problem_and_plans_nothing(world, cast):
    response = client_for(world.gemeente_member).post(
        "/api/v1/communities/publiek/field-visits",
        {
            "initiativeId": 999999,
            "kind": "locatiebezoek",
            "visitOn": timezone.localdate().isoformat(),
            "about": "x",
            "visitorId": 999999,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    names = {problem["name"] for problem in response.json()["invalidParams"]}
    assert {"initiativeId", "visitorId"} <= names
    assert not FieldVisit.objects.exists()
