"""The group's own practice as one story (issue 10), in Dutch and English, axe on every page:
a steward plans a session with a signal and a learning question on its agenda; a member says
they are coming; after the session the steward records the discussion (the signal is now
"discussed"), writes the minutes and gives the member an action point; the member's case is
worked through in a peer consultation, round by round, and ends in a lesson in the library;
three members answer the pulse, and the group's health page shows figures for the session
once the third has answered."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect

from e2e.helpers import (
    Site,
    answer_pulse,
    check_a11y,
    label,
    log_in,
    open_invitation,
    write_round,
)
from samenspel.accounts.models import User
from samenspel.communities.models import Side
from samenspel.learning import services as loop
from samenspel.learning.stages import Stage
from samenspel.practice import questions
from samenspel.practice.models import ActionStatus, Session

TITLE = "Bijeenkomst over de planning van de wijk"
SIGNAL = "De warmtevisie noemt onze wijk pas na 2030"
QUESTION = "Hoe houden we bewoners betrokken als het lang duurt?"
SAID = "De gemeente legt in maart uit waarom de wijk later komt."
ACTION = "Bewonersbrief over de planning schrijven"
CASE_QUESTION = "Hoe vertel ik de buurt dat het later wordt?"
ROUNDS = (
    "Wie heeft de buurt iets beloofd?",
    "Het wachten is niet het probleem, wel de stilte.",
    "Stuur elk kwartaal een korte brief.",
    "Ik maak een tijdlijn en deel die op de buurtavond.",
)
LESSON = "Een tijdlijn op papier houdt bewoners betrokken"


def _pulse_row(page: Page, session: Session, side: str = "all") -> Locator:
    """The row of the health page's pulse table for `session` and `side` ("all": everyone);
    the session's date links to it in the row of everyone only, so sides come after it."""
    everyone = page.locator('#pulse-table tr[data-side="all"]').filter(
        has=page.locator(f'a[href$="/sessions/{session.pk}/"]')
    )
    if side == "all":
        return everyone
    return everyone.locator(f'xpath=following-sibling::tr[@data-side="{side}"][1]')


def _figure(site: Site, value: str) -> str:
    """An average as the page writes it: a decimal comma in Dutch."""
    return value.replace(".", ",") if site.language == "nl" else value


def test_from_the_invitation_to_how_the_group_is_doing(
    page: Page,
    new_context: Callable[..., BrowserContext],
    site: Site,
    world,
    time_machine,
):
    member, other, observer, steward_user = (
        world.gemeente_member,
        world.initiatief_member,
        world.observer,
        world.steward,
    )
    for user in (member, other, observer, steward_user):
        user.preferred_language = site.language
        user.save(update_fields=["preferred_language"])
    signal = loop.raise_signal(
        community=world.public,
        actor=other,
        title=SIGNAL,
        what_happened="Op de kaart van de warmtevisie staat onze wijk in de laatste fase.",
    )
    questions.raise_question(actor=other, community=world.public, question=QUESTION)

    def browser_for(user: User) -> Page:
        opened = new_context().new_page()
        log_in(opened, site.base_url, user)
        return opened

    # 1. The steward plans a session for tomorrow evening …
    steward = page
    log_in(steward, site.base_url, steward_user)
    site.visit(steward, "/c/publiek/sessions/")
    steward.get_by_role("link", name=site._("Plan a session")).click()
    check_a11y(steward)
    steward.get_by_label(label(site._("Title"))).fill(TITLE)
    steward.get_by_label(label(site._("Date"))).fill(
        (timezone.localdate() + timedelta(days=1)).isoformat()
    )
    steward.get_by_label(label(site._("From"))).fill("19:30")
    steward.get_by_label(label(site._("Until"))).fill("21:30")
    steward.get_by_label(label(site._("Place"))).fill("Buurthuis De Klomp")
    steward.get_by_role("button", name=site._("Plan and invite")).click()
    expect(steward.get_by_role("heading", level=2)).to_have_text(TITLE)
    check_a11y(steward)
    session = Session.objects.get(title=TITLE)

    # … and puts the signal and the learning question on its agenda.
    agenda_form = steward.locator("#agenda-form")
    steward.get_by_text(site._("Add to the agenda"), exact=True).click()
    agenda_form.get_by_label(label(site._("Signal"))).select_option(str(signal.pk))
    agenda_form.get_by_role("button", name=site._("Add")).click()
    expect(steward.locator("#agenda").get_by_role("link", name=SIGNAL)).to_be_visible()
    steward.get_by_text(site._("Add to the agenda"), exact=True).click()
    agenda_form.get_by_label(label(site._("Learning question"))).select_option(label=QUESTION)
    agenda_form.get_by_role("button", name=site._("Add")).click()
    expect(steward.locator("#agenda").get_by_role("link", name=QUESTION)).to_be_visible()
    expect(steward.locator("#agenda > li")).to_have_count(2)
    check_a11y(steward)

    # 2. A member opens the invitation in their messages and answers: I am coming.
    member_page = browser_for(member)
    open_invitation(member_page, site, TITLE)
    member_page.get_by_label(site._("I am coming"), exact=True).check()
    member_page.get_by_role("button", name=site._("Save my answer")).click()
    expect(member_page.locator("#my-answer")).to_contain_text(site._("I am coming"))
    check_a11y(member_page)
    steward.reload()
    expect(steward.locator("#who-comes + ul")).to_contain_text(member.name)
    check_a11y(steward)

    # 3. After the session (the page knows: no more "who comes"), the steward records the
    #    discussion of the signal …
    time_machine.move_to(session.ends_at + timedelta(hours=1))
    steward.reload()
    expect(steward.locator("#who-heading")).to_have_count(0)
    item = steward.locator("#agenda > li", has_text=SIGNAL)
    item.get_by_text(site._("Record the discussion of “%(title)s”") % {"title": SIGNAL}).click()
    item.get_by_label(label(site._("What was said"))).fill(SAID)
    item.get_by_role("button", name=site._("Discussed"), exact=True).click()
    expect(item).to_contain_text(SAID)
    discussed = site._(Stage.BESPROKEN.label)
    expect(item.locator(".ss-badge")).to_have_text(site._("Now: %(stage)s") % {"stage": discussed})
    check_a11y(steward)

    # … and the signal's own page says it was discussed, at this session.
    item.get_by_role("link", name=SIGNAL).click()
    expect(steward.get_by_role("heading", level=2)).to_have_text(SIGNAL)
    expect(steward.locator("h2 + p > .ss-badge").first).to_have_text(discussed)
    step = steward.locator(".ss-activity > li").filter(has_text=SAID)
    expect(step.locator(".ss-badge")).to_have_text(discussed)
    expect(step).to_contain_text(TITLE)
    check_a11y(steward)
    steward.go_back()
    expect(steward.get_by_role("heading", level=2)).to_have_text(TITLE)

    # 4. The steward writes the minutes and gives the member an action point.
    steward.get_by_text(site._("Write the minutes"), exact=True).click()
    minutes_form = steward.locator("#minutes-form")
    minutes_form.get_by_label(label(site._("Minutes"))).fill(
        "**Afgesproken:** elk kwartaal een brief aan de buurt."
    )
    minutes_form.get_by_role("button", name=site._("Save the minutes")).click()
    expect(steward.locator("#minutes strong")).to_have_text("Afgesproken:")
    steward.get_by_text(site._("Add an action point"), exact=True).click()
    action_form = steward.locator("#action-form")
    action_form.get_by_label(label(site._("What needs to be done"))).fill(ACTION)
    action_form.get_by_label(label(site._("Who does it"))).select_option(str(member.pk))
    action_form.get_by_role("button", name=site._("Add")).click()
    expect(steward.locator("#action-points tbody tr", has_text=ACTION)).to_contain_text(member.name)
    check_a11y(steward)

    # The member reads the minutes, and may mark the action point: it is theirs.
    member_page.reload()
    expect(member_page.locator("#answer-heading")).to_have_count(0)
    expect(member_page.locator("#minutes strong")).to_have_text("Afgesproken:")
    expect(
        member_page.get_by_label(site._("Status of “%(what)s”") % {"what": ACTION})
    ).to_have_value(ActionStatus.OPEN)
    check_a11y(member_page)

    # 5. The steward starts a peer consultation for the member's case and writes down the
    #    first rounds …
    steward.get_by_role("link", name=site._("Start a peer consultation")).click()
    check_a11y(steward)
    steward.get_by_label(label(site._("Who brings the case"))).select_option(str(member.pk))
    steward.get_by_label(label(site._("Their question"))).fill(CASE_QUESTION)
    steward.get_by_label(label(site._("The case"))).fill(
        "Bewoners vragen elke week wanneer ze van het gas af kunnen."
    )
    steward.get_by_role("button", name=site._("Start"), exact=True).click()
    expect(steward.get_by_role("heading", level=2)).to_have_text(CASE_QUESTION)
    check_a11y(steward)
    for number, notes in enumerate(ROUNDS[:-1], start=1):
        write_round(steward, site, number, notes)
    check_a11y(steward)

    # … the member finds it on the session's page and writes down their reflection.
    member_page.reload()
    case = member_page.locator("#consultations").get_by_role("link", name=CASE_QUESTION)
    expect(case).to_be_visible()
    check_a11y(member_page)
    case.click()
    expect(member_page.get_by_role("heading", level=2)).to_have_text(CASE_QUESTION)
    for number, notes in enumerate(ROUNDS[:-1], start=1):
        expect(member_page.locator(f"#round-{number} .ss-story")).to_have_text(notes)
    check_a11y(member_page)
    write_round(member_page, site, len(ROUNDS), ROUNDS[-1])
    check_a11y(member_page)

    # 6. The consultation ends in a lesson, for the learning question; the library has it.
    member_page.get_by_role("link", name=site._("Write down a lesson")).click()
    check_a11y(member_page)
    member_page.get_by_label(label(site._("What did you learn?"))).fill(LESSON)
    member_page.get_by_label(label(site._("Learning question"))).select_option(label=QUESTION)
    member_page.get_by_role("button", name=site._("Save")).click()
    expect(member_page.get_by_role("heading", level=2)).to_have_text(CASE_QUESTION)
    expect(member_page.locator("#consultation-lessons")).to_contain_text(LESSON)
    check_a11y(member_page)
    site.visit(member_page, "/c/publiek/lessons/")
    lesson = member_page.locator("#lessons > li", has_text=LESSON)
    expect(lesson.get_by_role("link", name=QUESTION)).to_be_visible()

    # 7. The health page has no pulse of the session yet. The member answers it: one answer
    #    is counted, but shows no figures …
    site.visit(member_page, "/c/publiek/health/")
    expect(
        member_page.get_by_role("heading", level=2, name=site._("How the group is doing"))
    ).to_be_visible()
    expect(_pulse_row(member_page, session)).to_have_count(0)
    site.visit(member_page, session.get_absolute_url())
    answer_pulse(member_page, site, TITLE, "4")
    check_a11y(member_page)
    site.visit(member_page, "/c/publiek/health/")
    everyone = _pulse_row(member_page, session).locator("td")
    expect(everyone.nth(1)).to_have_text("1")  # answers
    expect(everyone.nth(2)).to_have_text("–")  # trust

    # … two more members answer, and from three answers on the figures show (for everyone;
    #   each side, with one answer, still shows none).
    for who, score in ((other, "5"), (observer, "3")):
        answering = browser_for(who)
        site.visit(answering, session.get_absolute_url())
        answer_pulse(answering, site, TITLE, score)
        check_a11y(answering)
        answering.context.close()
    member_page.reload()
    everyone = _pulse_row(member_page, session).locator("td")
    expect(everyone.nth(1)).to_have_text("3")
    for column in (2, 3, 4):  # trust, mutual understanding, usefulness
        expect(everyone.nth(column)).to_have_text(_figure(site, "4.0"))
    own_side = _pulse_row(member_page, session, side=Side.GEMEENTE)
    expect(own_side.locator("td").nth(2)).to_have_text("–")
    check_a11y(member_page)
