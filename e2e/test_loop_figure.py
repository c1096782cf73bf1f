"""The ∞ reads at a glance (issue 9 §5): on a wide screen no two labels of the figure
overlap, arrows show the direction and a legend explains it; on a phone a list of the same
numbered steps replaces the figure, and its lines do not overlap either."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.helpers import Site, assert_no_horizontal_scrolling
from samenspel.learning import services
from samenspel.learning.models import LoopEvent, Signal
from samenspel.learning.services import Move
from samenspel.learning.stages import LOOP_ORDER, SIDE_PATHS, Stage
from tests.initiative_factories import InitiativeFactory

COMMUNITY = "/c/publiek"
# A way to each stage from "raised", and who takes each step.
ROUTES = {
    Stage.GEMELD: [],
    Stage.BESPROKEN: [Stage.BESPROKEN],
    Stage.IN_VERKENNING: [Stage.IN_VERKENNING],
    Stage.AANPASSING_VOORGESTELD: [Stage.IN_VERKENNING, Stage.AANPASSING_VOORGESTELD],
    Stage.BESLOTEN: [Stage.IN_VERKENNING, Stage.AANPASSING_VOORGESTELD, Stage.BESLOTEN],
    Stage.TERUGGEKOPPELD: [Stage.IN_VERKENNING, Stage.TERUGGEKOPPELD],
    Stage.AFGESLOTEN: [Stage.NIET_OPGEPAKT, Stage.AFGESLOTEN],
    Stage.NIET_OPGEPAKT: [Stage.NIET_OPGEPAKT],
    Stage.HEROPEND: [Stage.NIET_OPGEPAKT, Stage.HEROPEND],
}


@pytest.fixture
def every_stage(world):
    """A signal in every stage, each waiting a long time (so every label has its age)."""
    initiative = InitiativeFactory(community=world.public)
    for stage, route in ROUTES.items():
        signal = services.raise_signal(
            community=world.public,
            actor=world.initiatief_member,
            title=f"Signaal in {stage}",
            what_happened="Voorbeeld.",
            initiatives=[initiative],
        )
        for to_stage in route:
            raiser_moves = to_stage in (Stage.AFGESLOTEN, Stage.HEROPEND)
            services.move_signal(
                signal=signal,
                actor=world.initiatief_member if raiser_moves else world.steward,
                move=Move(
                    to_stage=to_stage,
                    note="Omdat.",
                    outcome="solved" if to_stage == Stage.AFGESLOTEN else "",
                ),
                seen_event_id=None,
            )
        long_ago = timezone.now() - timedelta(days=365)
        LoopEvent.objects.filter(signal=signal).update(at=long_ago)
        Signal.objects.filter(pk=signal.pk).update(raised_at=long_ago)


def boxes(page: Page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector,
        """els => els.map(e => { const r = e.getBoundingClientRect();
             return {text: e.textContent.trim(), x: r.x, y: r.y, w: r.width, h: r.height}; })""",
    )


def overlapping(found: list[dict]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            if (
                a["x"] < b["x"] + b["w"]
                and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"]
                and b["y"] < a["y"] + a["h"]
            ):
                pairs.append((a["text"], b["text"]))
    return pairs


def test_on_a_wide_screen_no_two_labels_of_the_figure_overlap(
    page: Page, site: Site, world, every_stage
):
    page.set_viewport_size({"width": 1280, "height": 900})
    site.visit(page, f"{COMMUNITY}/loop/")
    figure = page.locator("svg.ss-lemniscate")
    expect(figure).to_be_visible()
    expect(page.locator(".ss-loop-steps")).to_be_hidden()
    labels = boxes(page, "svg.ss-lemniscate .ss-lemniscate__label")
    # The name of each step, and the age of the oldest open signal (a closed one has none).
    steps = len(LOOP_ORDER) + len(SIDE_PATHS)
    assert len(labels) == steps + steps - 1
    assert all(label["h"] >= 12 for label in labels), "labels readable, not a few pixels"
    assert overlapping(labels) == []
    # Nor does a label sit on a step's circle.
    circles = boxes(page, "svg.ss-lemniscate circle")
    assert overlapping(labels + circles) == overlapping(circles)
    # The steps are numbered in the loop's order; arrows and a legend explain the figure.
    first = page.locator("svg.ss-lemniscate .ss-lemniscate__node").first
    expect(first.locator("text").nth(1)).to_have_text("1. " + site._("Raised"))
    assert page.locator("svg.ss-lemniscate .ss-lemniscate__arrow").count() >= 7
    expect(page.locator(".ss-legend li")).to_have_count(4)


def test_on_a_phone_a_list_of_the_same_steps_replaces_the_figure(
    page: Page, site: Site, world, every_stage
):
    page.set_viewport_size({"width": 390, "height": 800})
    site.visit(page, f"{COMMUNITY}/loop/")
    expect(page.locator("svg.ss-lemniscate")).to_be_hidden()
    steps = page.locator(".ss-loop-steps > li")
    expect(steps).to_have_count(len(LOOP_ORDER) + len(SIDE_PATHS))
    expect(steps.first).to_contain_text("1. " + site._("Raised"))
    expect(steps.first).to_contain_text(
        site._("Someone ran into a problem in practice and reported it.")
    )
    assert overlapping(boxes(page, ".ss-loop-steps > li")) == []
    assert all(b["h"] >= 40 for b in boxes(page, ".ss-loop-steps > li"))
    assert_no_horizontal_scrolling(page)
