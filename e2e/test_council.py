"""The council's route (issue 11) in the browser, in Dutch and English, axe on every page
and after each change: an advice dossier from its draft to completed, through the pages
only. The initiative's member writes the draft from the community's Council tab, with the
adjustment a civil servant proposed for her signal and with the civil servant as co-author;
her endorsement alone cannot make it endorsed by the group (the page says both sides are
needed); the civil servant endorses too, and she moves it on and offers it to the council;
the civil servant adds a council meeting and puts the advice on its agenda; after the
meeting she records the council's decision, which carries the adjustment and her signal
on through the loop (the signal's page: feedback given); a commitment with the civil
servant as its owner puts the dossier in follow-up, the civil servant marks it done, and
she completes the dossier, whose history lists every step in order, and writes down in
the register what was established. The PDF link answers a PDF. An anonymous visitor reads
the register and the advice, without a single form, also on a phone.

The world is set up by services (tests/test_council.py): both sides have confirmed
organisations (`cast`), and the initiative's signal was taken up by the civil servant
with an adjustment linked to it (`_signal_and_adjustment`)."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from playwright.sync_api import BrowserContext, Locator, Page, expect

from e2e.helpers import Site, assert_no_horizontal_scrolling, check_a11y, label, log_in, tr
from samenspel.accounts.models import User
from samenspel.communities.models import Side
from samenspel.council.models import (
    AdviceStage,
    Arrangement,
    Commitment,
    CommitmentStatus,
    CouncilAdvice,
    CouncilMeeting,
    Instrument,
    MeetingBody,
    OfferedTo,
    Outcome,
)
from samenspel.learning.models import AdjustmentStage
from samenspel.learning.stages import Stage
from tests.test_council import _signal_and_adjustment, cast  # noqa: F401  (cast: a fixture)

TITLE = "Borg voor coöperatieve warmtenetten"
QUESTION = "Staat de gemeente borg voor leningen van coöperatieve warmtenetten?"
ADVICE = "De groep adviseert: ja, tot 5 miljoen euro per warmtenet."
CHANNEL = "Per brief aan de griffie"
MEETING = "Raad over het warmteprogramma"
DECISION = "De raad stelt de garantieregeling voor coöperaties vast."
REFERENCE = "RV-2026-17"
DECISION_LINK = "https://raad.example.org/besluit/17"
COMMITMENT = "De wethouder stuurt de raad voor de zomer de uitwerking"
ARRANGEMENT = "Garantieregeling voor coöperaties vastgesteld"


def path_of(site: Site, path: str) -> str:
    """A link's href as the page writes it in this language (no host)."""
    return site.url(path).removeprefix(site.base_url)


def in_language(site: Site, day: Any) -> str:
    with translation.override(site.language):
        return date_format(day, "j F Y")


def field(page: Page | Locator, site: Site, message: Any) -> Locator:
    """The form control labelled by `message` (a model field's name is capitalised)."""
    return page.get_by_label(label(capfirst(tr(site, message))))


def group(page: Page | Locator, site: Site, message: Any) -> Locator:
    """A group of radios or checkboxes, named by its question (fieldset and legend)."""
    return page.get_by_role("group", name=label(capfirst(tr(site, message))))


def counts(site: Site, municipality: int, initiative: int) -> list[str]:
    """The endorsement counts as #endorsement-counts lists them (one needed per side)."""
    lines = []
    for side, confirmed in ((Side.GEMEENTE, municipality), (Side.INITIATIEF, initiative)):
        needed = tr(site, "%(confirmed)s of the %(needed)s needed") % {
            "confirmed": confirmed,
            "needed": 1,
        }
        lines.append(f"{tr(site, Side(side).label)}: {needed}{' ✓' if confirmed else ''}")
    return lines


def expect_stage(page: Page, site: Site, stage: AdviceStage) -> None:
    shown = tr(site, stage.label)
    expect(page.locator("#advice-stage")).to_have_text(shown)
    expect(page.locator('#advice-stages [aria-current="step"]')).to_have_text(shown)


def move_on(page: Page, site: Site, stage: AdviceStage) -> None:
    """Press the next step's button towards `stage` (on the advice's page)."""
    button = tr(site, "Move on to: %(label)s") % {"label": tr(site, stage.label)}
    page.locator("section[aria-labelledby=next-heading]").get_by_role(
        "button", name=button, exact=True
    ).click()


def saved(page: Page, site: Site, message: str) -> None:
    """The page confirms the change with `message` (and shows no error)."""
    expect(page.get_by_role("status")).to_contain_text(tr(site, message))
    expect(page.locator(".utrecht-alert--error")).to_have_count(0)


@pytest.mark.usefixtures("cast")
def test_an_advice_from_its_draft_through_the_council_to_completed(
    page: Page,
    new_context: Callable[..., BrowserContext],
    site: Site,
    world,
    time_machine,
):
    community = world.public
    own, civil_servant = world.initiatief_member, world.gemeente_member
    for user, name in ((own, "Ilse Initiatief"), (civil_servant, "Gert Gemeente")):
        user.display_name = name
        user.preferred_language = site.language
        user.save(update_fields=["display_name", "preferred_language"])
    signal, _direct, adjustment = _signal_and_adjustment(world)
    today = timezone.localdate()
    meeting_day = today + timedelta(days=7)
    due = meeting_day + timedelta(days=60)

    def browser_for(user: User | None) -> Page:
        opened = new_context().new_page()
        if user is not None:
            log_in(opened, site.base_url, user)
        return opened

    # 1. The initiative's member opens the community's Council tab …
    log_in(page, site.base_url, own)
    site.visit(page, f"/c/{community.slug}/")
    menu = page.get_by_role("navigation", name=tr(site, "Community menu"))
    menu.get_by_role("link", name=tr(site, "Council"), exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(tr(site, "Advice to the council"))
    expect(menu.get_by_role("link", name=tr(site, "Council"), exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("#advices")).to_have_count(0)
    check_a11y(page)

    # … and writes the draft, with the adjustment and the civil servant as co-author.
    page.get_by_role("link", name=tr(site, "Write an advice"), exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(
        tr(site, "Write an advice to the council")
    )
    check_a11y(page)
    field(page, site, "title").fill(TITLE)
    field(page, site, "the question the council must decide").fill(QUESTION)
    field(page, site, "the group's advice").fill(ADVICE)
    group(page, site, "adjustments").get_by_role("checkbox", name=adjustment.title).check()
    co_authors = group(page, site, "Co-authors")
    co_authors.get_by_role("checkbox", name=civil_servant.name, exact=True).check()
    page.get_by_role("button", name=tr(site, "Save the draft")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(TITLE)
    saved(page, site, "The draft is there. Ask members of both sides to endorse it.")
    expect_stage(page, site, AdviceStage.CONCEPT)
    expect(page.locator("#advice-question")).to_have_text(QUESTION)
    expect(page.locator("#advice-text")).to_have_text(ADVICE)
    facts = page.get_by_role("complementary", name=tr(site, "Facts about this advice"))
    written_by = facts.locator("dd").first  # the authors, in the order of their names
    expect(written_by).to_have_text(", ".join(sorted((own.name, civil_servant.name))))
    # What it links to, as it stands now: the adjustment proposed, the signal with it.
    adjustment_line = page.locator("#advice-adjustments > li")
    expect(adjustment_line).to_have_count(1)
    expect(adjustment_line.get_by_role("link")).to_have_text(adjustment.title)
    expect(adjustment_line.locator(".ss-badge")).to_have_text(
        tr(site, AdjustmentStage.VOORGESTELD.label)
    )
    signal_line = page.locator("#advice-signals > li")
    expect(signal_line).to_have_count(1)
    expect(signal_line.get_by_role("link")).to_have_text(signal.title)
    expect(signal_line.locator(".ss-badge")).to_have_text(
        tr(site, Stage.AANPASSING_VOORGESTELD.label)
    )
    expect(page.locator("#advice-history > li")).to_have_count(1)
    check_a11y(page)
    advice = CouncilAdvice.objects.get()
    assert set(advice.authors.all()) == {own, civil_servant}
    assert list(advice.adjustments.all()) == [adjustment]
    advice_path = advice.get_absolute_url()

    # 2. She endorses it; alone, her side cannot make it endorsed by the group.
    page.get_by_role("button", name=tr(site, "I endorse this advice")).click()
    saved(page, site, "Thank you: you endorse this advice.")
    expect(page.locator("#endorsement-counts > li")).to_have_text(counts(site, 0, 1))
    expect(page.locator("#endorsements > li")).to_have_count(1)
    expect(page.get_by_role("button", name=tr(site, "Withdraw my endorsement"))).to_be_visible()
    check_a11y(page)
    move_on(page, site, AdviceStage.ONDERSCHREVEN)
    refusal = tr(
        site,
        "The group has not endorsed it yet: it needs confirmed endorsers of the "
        "municipality and of the initiatives.",
    )
    expect(page.locator(".utrecht-alert--error")).to_have_text(refusal)
    expect(page.get_by_role("status")).to_contain_text(refusal)
    expect_stage(page, site, AdviceStage.CONCEPT)
    expect(page.locator("#advice-history > li")).to_have_count(1)
    check_a11y(page)
    advice.refresh_from_db()
    assert advice.stage == AdviceStage.CONCEPT

    # 3. The civil servant opens the advice in their own browser and endorses it too:
    #    both sides are met.
    civil = browser_for(civil_servant)
    site.visit(civil, advice_path)
    expect(civil.get_by_role("heading", level=2)).to_have_text(TITLE)
    expect(civil.locator("#endorsement-counts > li")).to_have_text(counts(site, 0, 1))
    civil.get_by_role("button", name=tr(site, "I endorse this advice")).click()
    saved(civil, site, "Thank you: you endorse this advice.")
    expect(civil.locator("#endorsement-counts > li")).to_have_text(counts(site, 1, 1))
    expect(civil.get_by_role("main")).to_contain_text(
        tr(site, "Both sides endorse it: its authors can now mark it endorsed by the group.")
    )
    endorsers = civil.locator("#endorsements > li")
    expect(endorsers).to_have_count(2)
    for endorser in (own, civil_servant):
        expect(endorsers.filter(has_text=endorser.name).locator(".ss-badge")).to_have_text(
            tr(site, "side confirmed")
        )
    check_a11y(civil)

    # 4. She moves it on: endorsed by the group …
    page.reload()
    expect(page.locator("#endorsement-counts > li")).to_have_text(counts(site, 1, 1))
    check_a11y(page)
    move_on(page, site, AdviceStage.ONDERSCHREVEN)
    saved(page, site, "Saved. Its authors and endorsers have been told.")
    expect_stage(page, site, AdviceStage.ONDERSCHREVEN)
    check_a11y(page)

    # … and offers it to the municipal council, by letter to the griffie.
    next_step = page.locator("section[aria-labelledby=next-heading]")
    offered_to = group(next_step, site, "Offered to")
    offered_to.get_by_role("radio", name=tr(site, OfferedTo.RAAD.label), exact=True).check()
    next_step.get_by_label(label(tr(site, "On"))).fill(today.isoformat())
    next_step.get_by_label(label(tr(site, "How"))).fill(CHANNEL)
    move_on(page, site, AdviceStage.AANGEBODEN)
    saved(page, site, "Saved. Its authors and endorsers have been told.")
    expect_stage(page, site, AdviceStage.AANGEBODEN)
    offer = facts.locator("dd").filter(has_text=CHANNEL)
    expect(offer).to_contain_text(tr(site, OfferedTo.RAAD.label))
    expect(offer.locator("time")).to_have_attribute("datetime", today.isoformat())
    expect(page.get_by_role("button", name=tr(site, "Withdraw my endorsement"))).to_have_count(0)
    check_a11y(page)

    # 5. The civil servant adds the council meeting to the group's calendar …
    site.visit(civil, f"/c/{community.slug}/advices/")
    expect(civil.locator("#advices > li", has_text=TITLE).locator(".ss-badge")).to_have_text(
        tr(site, AdviceStage.AANGEBODEN.label)
    )
    route = civil.get_by_role("navigation", name=tr(site, "The council’s route"))
    route.get_by_role("link", name=tr(site, "Council meetings")).click()
    expect(civil.get_by_role("heading", level=2)).to_have_text(tr(site, "Council meetings"))
    expect(civil.locator("#upcoming-meetings")).to_have_count(0)
    check_a11y(civil)
    civil.get_by_role("link", name=tr(site, "Add a meeting")).click()
    expect(civil.get_by_role("heading", level=2)).to_have_text(tr(site, "Add a council meeting"))
    check_a11y(civil)
    field(civil, site, "What kind of meeting").select_option(label=tr(site, MeetingBody.RAAD.label))
    field(civil, site, "Title").fill(MEETING)
    field(civil, site, "Date").fill(meeting_day.isoformat())
    field(civil, site, "From").fill("19:30")
    field(civil, site, "Until").fill("22:00")
    field(civil, site, "Place").fill("Raadzaal")
    civil.get_by_role("button", name=tr(site, "Add the meeting")).click()
    expect(civil.get_by_role("heading", level=2)).to_have_text(MEETING)
    saved(civil, site, "The meeting is in the group's calendar.")
    expect(civil.locator("#meeting-facts time")).to_have_attribute(
        "datetime", re.compile(rf"^{meeting_day.isoformat()}T19:30")
    )
    expect(civil.locator("#meeting-agenda")).to_have_count(0)
    check_a11y(civil)
    meeting = CouncilMeeting.objects.get()

    # … and puts the advice on its agenda: the advice is on the agenda.
    field(civil, site, "Which advice?").select_option(label=TITLE)
    field(civil, site, "Note").fill("Agendapunt 7")
    civil.get_by_role("button", name=tr(site, "Put it on the agenda")).click()
    saved(civil, site, "The advice is on the agenda.")
    item = civil.locator("#meeting-agenda > li")
    expect(item).to_have_count(1)
    expect(item.get_by_role("link", name=TITLE)).to_have_attribute(
        "href", path_of(site, advice_path)
    )
    expect(item.locator(".ss-badge")).to_have_text(tr(site, AdviceStage.GEAGENDEERD.label))
    check_a11y(civil)
    item.get_by_role("link", name=TITLE).click()
    expect(civil.get_by_role("heading", level=2)).to_have_text(TITLE)
    expect_stage(civil, site, AdviceStage.GEAGENDEERD)
    check_a11y(civil)

    # 6. After the meeting, she records the council's decision …
    time_machine.move_to(meeting.ends_at + timedelta(hours=12))
    site.visit(page, advice_path)
    expect_stage(page, site, AdviceStage.GEAGENDEERD)
    page.get_by_role("link", name=tr(site, "Record the council's decision")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(
        tr(site, "Record the council's decision")
    )
    check_a11y(page)
    group(page, site, "What did the council decide?").get_by_role(
        "radio", name=tr(site, Outcome.VASTGESTELD.label), exact=True
    ).check()
    field(page, site, "By which instrument?").select_option(
        label=tr(site, Instrument.RAADSVOORSTEL.label)
    )
    field(page, site, "On which date?").fill(meeting_day.isoformat())
    field(page, site, "What was decided").fill(DECISION)
    field(page, site, "Reference").fill(REFERENCE)
    page.get_by_label(label(site._("Link"))).fill(DECISION_LINK)  # "Link" in Dutch too
    page.get_by_role("button", name=tr(site, "Record the decision")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(TITLE)
    saved(page, site, "The decision is recorded. Everyone whose signal it answers hears of it.")
    expect_stage(page, site, AdviceStage.BESLUIT)
    decision_card = page.locator("section[aria-labelledby=decision-heading] .ss-card")
    expect(decision_card).to_have_count(1)
    expect(decision_card).to_contain_text(
        f"{tr(site, Outcome.VASTGESTELD.label)} · {tr(site, Instrument.RAADSVOORSTEL.label)}"
    )
    expect(decision_card).to_contain_text(REFERENCE)
    expect(decision_card.locator("time")).to_have_attribute("datetime", meeting_day.isoformat())
    expect(decision_card.locator(".ss-story")).to_have_text(DECISION)
    expect(decision_card.get_by_role("link", name=tr(site, "Read the decision"))).to_have_attribute(
        "href", DECISION_LINK
    )
    # … and the loop moved: the adjustment is decided by the council, the signal has
    #   its feedback.
    decided = tr(site, AdjustmentStage.BESLOTEN_RAAD.label)
    feedback = tr(site, Stage.TERUGGEKOPPELD.label)
    expect(adjustment_line.locator(".ss-badge")).to_have_text(decided)
    expect(signal_line.locator(".ss-badge")).to_have_text(feedback)
    check_a11y(page)
    signal_line.get_by_role("link", name=signal.title).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(signal.title)
    expect(page.locator("h2 + p > .ss-badge").first).to_have_text(feedback)
    story = page.locator("#lead-time + ol > li")
    expect(story.locator(":scope > .ss-badge")).to_have_text(
        [
            tr(site, stage.label)
            for stage in (
                Stage.GEMELD,
                Stage.IN_VERKENNING,
                Stage.AANPASSING_VOORGESTELD,
                Stage.BESLOTEN,
                Stage.TERUGGEKOPPELD,
            )
        ]
    )
    expect(story.last).to_contain_text(own.name)  # who recorded the decision
    expect(story.last.get_by_role("link", name=adjustment.title)).to_be_visible()
    check_a11y(page)
    page.go_back()
    expect(page.get_by_role("heading", level=2)).to_have_text(TITLE)
    adjustment_line.get_by_role("link", name=adjustment.title).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(adjustment.title)
    expect(page.locator("h2 + p > .ss-badge").first).to_have_text(decided)
    check_a11y(page)
    signal.refresh_from_db()
    adjustment.refresh_from_db()
    assert (signal.stage, adjustment.stage) == (
        Stage.TERUGGEKOPPELD,
        AdjustmentStage.BESLOTEN_RAAD,
    )

    # 7. She writes down what the decision promised, the civil servant to follow it up:
    #    the dossier is in follow-up …
    site.visit(page, advice_path)
    promised = page.locator("section[aria-labelledby=commitments-heading]")
    field(promised, site, "What was promised").fill(COMMITMENT)
    field(promised, site, "Who follows it up").select_option(label=civil_servant.name)
    field(promised, site, "By when").fill(due.isoformat())
    promised.get_by_role("button", name=tr(site, "Save the commitment")).click()
    saved(page, site, "The commitment is written down. Who follows it up has been told.")
    expect_stage(page, site, AdviceStage.OPVOLGING)
    commitment_line = page.locator("#commitments > li")
    expect(commitment_line).to_have_count(1)
    expect(commitment_line).to_contain_text(COMMITMENT)
    expect(commitment_line.locator(".ss-badge")).to_have_text(tr(site, CommitmentStatus.OPEN.label))
    expect(commitment_line.locator(".ss-muted")).to_have_text(
        f"{civil_servant.name} · " + tr(site, "by %(date)s") % {"date": in_language(site, due)}
    )
    check_a11y(page)

    # … and the civil servant marks it done.
    site.visit(civil, advice_path)
    civil_commitment = civil.locator("#commitments > li", has_text=COMMITMENT)
    civil_commitment.get_by_label(
        tr(site, "Status of “%(what)s”") % {"what": COMMITMENT}, exact=True
    ).select_option(label=tr(site, CommitmentStatus.DONE.label))
    civil_commitment.get_by_role("button", name=tr(site, "Save")).click()
    saved(civil, site, "The status is saved.")
    expect(civil_commitment.locator(".ss-badge")).to_have_text(
        tr(site, CommitmentStatus.DONE.label)
    )
    check_a11y(civil)
    assert Commitment.objects.get().status == CommitmentStatus.DONE

    # 8. She completes the dossier; its history lists every step, in order, and by whom.
    page.reload()
    expect(commitment_line.locator(".ss-badge")).to_have_text(tr(site, CommitmentStatus.DONE.label))
    move_on(page, site, AdviceStage.AFGEROND)
    saved(page, site, "Saved. Its authors and endorsers have been told.")
    expect_stage(page, site, AdviceStage.AFGEROND)
    expect(page.locator("section[aria-labelledby=next-heading]")).to_have_count(0)
    steps = [
        (AdviceStage.CONCEPT, own),
        (AdviceStage.ONDERSCHREVEN, own),
        (AdviceStage.AANGEBODEN, own),
        (AdviceStage.GEAGENDEERD, civil_servant),
        (AdviceStage.BESLUIT, own),
        (AdviceStage.OPVOLGING, own),
        (AdviceStage.AFGEROND, own),
    ]
    expect(page.locator("#advice-history > li")).to_have_text(
        [
            re.compile(rf"^\s*{re.escape(tr(site, stage.label))} · {re.escape(who.name)}\s")
            for stage, who in steps
        ]
    )
    expect(page.locator("#advice-history > li").nth(5)).to_contain_text(COMMITMENT)
    check_a11y(page)

    # She writes down in the register what was established, with the council's decision.
    page.get_by_role("link", name=tr(site, "All advices")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(tr(site, "Advice to the council"))
    route = page.get_by_role("navigation", name=tr(site, "The council’s route"))
    route.get_by_role("link", name=tr(site, "What has been established")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(tr(site, "What has been established"))
    expect(page.locator("#register")).to_have_count(0)
    check_a11y(page)
    page.get_by_role("link", name=tr(site, "Add to the register")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(tr(site, "Add to the register"))
    check_a11y(page)
    field(page, site, "What was established").fill(ARRANGEMENT)
    decision_option = f"{TITLE}: {tr(site, Outcome.VASTGESTELD.label)}"
    field(page, site, "The decision").select_option(label=decision_option)
    field(page, site, "Established on").fill(meeting_day.isoformat())
    page.get_by_role("button", name=tr(site, "Save")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(tr(site, "What has been established"))
    saved(page, site, "It is in the register.")
    row = page.locator("#register tbody tr", has_text=ARRANGEMENT)
    in_register = f"{TITLE}: {tr(site, Outcome.VASTGESTELD.label)}"  # the decision, linked
    expect(row.get_by_role("link", name=in_register)).to_have_attribute(
        "href", path_of(site, advice_path)
    )
    expect(row.locator("td").last).to_contain_text(tr(site, "Yes"))
    expect(page.get_by_role("main").locator("form")).to_have_count(1)  # no longer in force
    check_a11y(page)
    assert Arrangement.objects.get().decision == advice.decisions.get()

    # 9. The PDF link answers the dossier as a PDF.
    site.visit(page, advice_path)
    pdf_link = page.get_by_role("link", name=tr(site, "Download as PDF (A4, for the griffie)"))
    href = pdf_link.get_attribute("href")
    assert href == path_of(site, f"{advice_path}advice.pdf"), href
    response = page.request.get(site.base_url + href)
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf", response.headers
    assert response.body().startswith(b"%PDF"), response.body()[:20]
    expect(page.get_by_role("main").locator("form")).to_have_count(1)  # the commitment's status

    # 10. An anonymous visitor reads the register and the advice, without any form.
    visitor = browser_for(None)
    site.visit(visitor, f"/c/{community.slug}/register/")
    visitor_row = visitor.locator("#register tbody tr", has_text=ARRANGEMENT)
    expect(visitor_row).to_have_count(1)
    expect(visitor.get_by_role("main").locator("form")).to_have_count(0)
    expect(visitor.get_by_role("link", name=tr(site, "Add to the register"))).to_have_count(0)
    visitor_row.get_by_role("link", name=in_register).click()
    expect(visitor.get_by_role("heading", level=2)).to_have_text(TITLE)
    expect_stage(visitor, site, AdviceStage.AFGEROND)
    expect(visitor.locator("#advice-text")).to_have_text(ADVICE)
    expect(visitor.locator("section[aria-labelledby=decision-heading] .ss-story")).to_have_text(
        DECISION
    )
    expect(visitor.locator("#commitments > li .ss-badge")).to_have_text(
        tr(site, CommitmentStatus.DONE.label)
    )
    expect(visitor.locator("#advice-history > li")).to_have_count(len(steps))
    expect(visitor.get_by_role("main").locator("form")).to_have_count(0)
    expect(visitor.get_by_role("link", name=tr(site, "Change the draft"))).to_have_count(0)
    check_a11y(visitor)

    # On a phone, the advice's page does not scroll sideways.
    visitor.set_viewport_size({"width": 390, "height": 800})
    visitor.reload()
    expect(visitor.get_by_role("heading", level=2)).to_have_text(TITLE)
    assert_no_horizontal_scrolling(visitor)
    check_a11y(visitor)
