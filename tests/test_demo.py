"""manage.py demo: every app adds its own part of the example community 'zwolle', found
through the app registry, and a second run replaces the first."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from samenspel.accounts.models import User
from samenspel.communities.models import Community, JoinRequest, Membership
from samenspel.communities.permissions import confirmed_organisation_id
from samenspel.core.demo import DEMO_PASSWORD, demo_email
from samenspel.core.discovery import app_modules
from samenspel.initiatives.models import Initiative
from samenspel.initiatives.permissions import can_edit_initiative
from samenspel.learning.models import Signal

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_apps_take_part_in_installed_order_and_apps_without_a_demo_are_skipped():
    names = [module.__name__ for module in app_modules("demo", hook="load_demo")]

    assert names == [
        "samenspel.accounts.demo",
        "samenspel.communities.demo",
        "samenspel.initiatives.demo",
        "samenspel.learning.demo",
        "samenspel.practice.demo",
        "samenspel.council.demo",
        "samenspel.accords.demo",
        "samenspel.workshops.demo",
    ]
    with override_settings(INSTALLED_APPS=["samenspel.core", "samenspel.accounts"]):
        assert [m.__name__ for m in app_modules("demo", hook="load_demo")] == [
            "samenspel.accounts.demo"
        ]


def test_the_demo_loads_and_reloads_zwolle_with_its_initiatives_signals_and_organisations():
    first = load()
    second = load()

    assert first == second
    assert "Loaded the example community 'zwolle' with 9 members." in second
    zwolle = Community.objects.get(slug="zwolle")
    assert Community.objects.filter(slug="zwolle").count() == 1
    assert Initiative.objects.filter(community=zwolle).count() >= 4
    assert Signal.objects.filter(community=zwolle).count() >= 7
    # Whoever speaks for an organisation does so confirmed, so its rights are theirs.
    with_organisation = Membership.objects.filter(community=zwolle, organisation__isnull=False)
    assert with_organisation.count() == 8
    assert all(m.confirmed_organisation_id == m.organisation_id for m in with_organisation)
    assert all(m.organisation_confirmed_by_id for m in with_organisation)
    initiatief = User.objects.get(email=demo_email("initiatief"))
    berkum = Initiative.objects.get(community=zwolle, name="Berkum Energieneutraal")
    assert confirmed_organisation_id(initiatief, zwolle) == berkum.organisation_id
    assert can_edit_initiative(initiatief, berkum)
    # The accounts: one each, the administrator and the newcomer with a pending request.
    admin = User.objects.get(email=demo_email("admin"))
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    newcomer = User.objects.get(email=demo_email("nieuw"))
    assert JoinRequest.objects.get(community=zwolle, status="pending").user == newcomer
    assert User.objects.filter(email__endswith="@example.org").count() == 11


def test_the_demo_if_empty_leaves_a_database_with_communities_alone():
    load()
    Community.objects.filter(slug="zwolle").update(name="Changed")

    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)

    assert "was not loaded" in out.getvalue()
    assert Community.objects.get(slug="zwolle").name == "Changed"


def test_the_demos_people_find_their_work_and_heard_of_the_steps():
    from samenspel.core.models import Notification
    from samenspel.work.queries import my_work

    load()
    servant = User.objects.get(email=demo_email("gemeente"))
    volunteer = User.objects.get(email=demo_email("initiatief"))
    work = my_work(servant)
    assert work.to_take_up, "the civil servant follows every theme: new signals wait"
    assert work.owned, "and owns signals that wait for their next step"
    assert my_work(volunteer).raised
    kinds = set(Notification.objects.filter(recipient=volunteer).values_list("kind", flat=True))
    assert {"loop-step", "loop-outcome"} <= kinds


def test_the_demo_has_six_example_sessions_and_one_to_come():
    from samenspel.practice.models import Answer, Session

    load()
    load()  # reloading makes no second set
    zwolle = Community.objects.get(slug="zwolle")
    held = list(Session.objects.filter(community=zwolle).past())
    assert len(held) == 6
    assert all(s.is_example and s.title.startswith("Voorbeeld:") for s in held)
    assert all(s.minutes and s.attendance.exists() for s in held)
    last = held[0]
    assert [i.signal_id is not None for i in last.agenda_items.all()] == [True, True, False, False]
    assert all(i.discussed_at for i in last.agenda_items.filter(signal__isnull=False))
    assert last.action_points.overdue().count() == 1
    coming = Session.objects.filter(community=zwolle).upcoming().get()
    assert coming.responses.filter(answer=Answer.YES).count() == 2


def test_the_demo_has_ground_rules_words_and_learning_questions_with_lessons():
    from samenspel.practice.models import (
        GlossaryTerm,
        GroundRule,
        LearningQuestion,
        QuestionStatus,
        TermStatus,
    )

    load()
    zwolle = Community.objects.get(slug="zwolle")
    rules = GroundRule.objects.filter(community=zwolle)
    assert rules.count() == 4 and all(r.is_example for r in rules)
    assert max(r.history.count() for r in rules) == 2  # one was reworded
    assert GlossaryTerm.objects.filter(community=zwolle, status=TermStatus.AGREED).count() == 3
    statuses = set(
        LearningQuestion.objects.filter(community=zwolle).values_list("status", flat=True)
    )
    assert statuses == {QuestionStatus.OPEN, QuestionStatus.EXPLORING, QuestionStatus.ANSWERED}
    answered = LearningQuestion.objects.get(community=zwolle, status=QuestionStatus.ANSWERED)
    assert answered.lessons.exists() and answered.signals.exists()


def test_the_demo_has_pulses_that_show_and_stages_assessed():
    from samenspel.practice import health
    from samenspel.practice.models import StageAssessment

    load()
    zwolle = Community.objects.get(slug="zwolle")
    rows = health.pulse_rows(zwolle)
    everyone = [row for row in rows if not row.side]
    assert len(everyone) == 6 and all(row.trust is not None for row in everyone)
    assert everyone[-1].trust > everyone[0].trust  # trust grew
    assert StageAssessment.objects.filter(community=zwolle).count() == 3


def test_the_demo_has_a_visit_that_came_back_as_a_lesson_and_a_signal_and_one_to_come():
    from samenspel.practice.models import FieldVisit

    load()
    load()  # reloading makes no second set
    zwolle = Community.objects.get(slug="zwolle")
    past = FieldVisit.objects.filter(community=zwolle).past().get()
    assert past.is_example and past.notes.startswith("Voorbeeld:")
    assert past.visitor.email == "beleid@example.org"
    assert past.planned_by.email == "initiatief@example.org"
    lesson = past.lessons.get()
    assert lesson.is_public and lesson.is_example
    assert past.signals.get().title.startswith("Voorbeeld:")
    assert FieldVisit.objects.filter(community=zwolle).upcoming().count() == 1


def test_the_demo_has_an_advice_that_went_the_whole_route():
    from samenspel.council.models import AdviceStage, Arrangement, CouncilAdvice, CouncilMeeting
    from samenspel.learning.stages import Stage

    load()
    load()  # reloading makes no second set
    zwolle = Community.objects.get(slug="zwolle")
    advice = CouncilAdvice.objects.get(community=zwolle)
    assert advice.is_example and advice.title.startswith("Voorbeeld:")
    assert advice.stage == AdviceStage.AFGEROND
    assert [e.to_stage for e in advice.events.order_by("at", "pk")] == [
        AdviceStage.CONCEPT,
        AdviceStage.ONDERSCHREVEN,
        AdviceStage.AANGEBODEN,
        AdviceStage.GEAGENDEERD,
        AdviceStage.BESLUIT,
        AdviceStage.OPVOLGING,
        AdviceStage.AFGEROND,
    ]
    assert advice.decisions.get().is_adopted
    signal = advice.adjustments.get().signals.get()
    assert signal.stage == Stage.TERUGGEKOPPELD and signal.is_example
    assert Arrangement.objects.filter(community=zwolle, decision__advice=advice).exists()
    assert CouncilMeeting.objects.filter(community=zwolle).count() == 2


def test_the_demo_has_an_example_accord_with_two_versions_and_amendments_in_every_state():
    from samenspel.accords.models import Accord, AmendmentStatus

    load()
    load()  # reloading makes no second set
    zwolle = Community.objects.get(slug="zwolle")
    accord = Accord.objects.get(community=zwolle)
    assert accord.is_example and accord.title.startswith("Voorbeeld:")
    assert accord.current_version().number == 2
    statuses = set(accord.amendments.values_list("status", flat=True))
    assert statuses == set(AmendmentStatus.values)
    assert accord.versions.get(number=1).endorsements.count() > 3
    assert accord.versions.get(number=2).endorsements.exists()
    assert accord.amendments.filter(
        status=AmendmentStatus.OPEN, objections__resolved_at=None
    ).exists()
