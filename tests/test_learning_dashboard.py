"""The loop's figures (stats.py) on a small hand-made history, and the lemniscate dashboard."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from conftest import client_for
from samenspel.learning import services, stats
from samenspel.learning.models import Signal, Theme
from samenspel.learning.services import Move
from samenspel.learning.stages import Stage

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=UTC)


def raise_on(world, when, title, themes=()):
    with time_machine.travel(when, tick=False):
        return services.raise_signal(
            community=world.public,
            actor=world.initiatief_member,
            title=title,
            what_happened="In practice.",
            themes=list(themes),
        )


def move_on(world, signal, when, to_stage, **extra):
    if to_stage in (Stage.TERUGGEKOPPELD, Stage.NIET_OPGEPAKT):
        extra.setdefault("note", "What was found.")
    if to_stage == Stage.AFGESLOTEN:
        extra.setdefault("outcome", "solved")
    # The initiative's side confirms or reopens; the steward makes every other move.
    raiser_side = to_stage in (Stage.AFGESLOTEN, Stage.HEROPEND)
    with time_machine.travel(when, tick=False):
        services.move_signal(
            signal=signal,
            actor=world.initiatief_member if raiser_side else world.steward,
            move=Move(to_stage=to_stage, **extra),
            seen_event_id=signal.last_event_id,
        )


@pytest.fixture
def history(world):
    """Leads to first feedback: Q1 2026 30, 10, 50 days (median 30); Q2 70, 20 (median 45)."""
    permits = Theme.objects.create(community=world.public, name="Permits", slug="permits")
    grants = Theme.objects.create(community=world.public, name="Grants", slug="grants")
    Theme.objects.create(community=world.public, name="Empty", slug="empty")
    a = raise_on(world, at(1, 5), "A", [permits])
    move_on(world, a, at(1, 10), Stage.BESPROKEN)
    move_on(world, a, at(1, 12), Stage.IN_VERKENNING)
    move_on(world, a, at(2, 4), Stage.TERUGGEKOPPELD)  # 30 days
    move_on(world, a, at(2, 10), Stage.AFGESLOTEN)
    b = raise_on(world, at(1, 20), "B", [permits])
    move_on(world, b, at(1, 30), Stage.NIET_OPGEPAKT)  # 10 days
    c = raise_on(world, at(2, 1), "C", [grants])
    move_on(world, c, at(2, 3), Stage.IN_VERKENNING)
    move_on(world, c, at(3, 23), Stage.TERUGGEKOPPELD)  # 50 days
    move_on(world, c, at(3, 25), Stage.HEROPEND)
    move_on(world, c, at(4, 10), Stage.NIET_OPGEPAKT)  # a second feedback: not counted
    d = raise_on(world, at(3, 1), "D")
    move_on(world, d, at(4, 1), Stage.IN_VERKENNING)
    move_on(world, d, at(5, 10), Stage.TERUGGEKOPPELD)  # 70 days
    g = raise_on(world, at(4, 1), "G")
    move_on(world, g, at(4, 21), Stage.NIET_OPGEPAKT)  # 20 days
    raise_on(world, at(5, 1), "E")
    f = raise_on(world, at(5, 15), "F")
    move_on(world, f, at(5, 20), Stage.BESPROKEN)
    # Another community's signals never count.
    services.raise_signal(
        community=world.private, actor=world.steward, title="X", what_happened="Y"
    )
    return world


def test_counts_and_ages_per_stage(history):
    figures = {s.stage: s for s in stats.stage_figures(history.public, now=NOW)}
    assert {stage: f.count for stage, f in figures.items() if f.count} == {
        Stage.AFGESLOTEN: 1,
        Stage.NIET_OPGEPAKT: 3,
        Stage.TERUGGEKOPPELD: 1,
        Stage.GEMELD: 1,
        Stage.BESPROKEN: 1,
    }
    assert (
        figures[Stage.NIET_OPGEPAKT].oldest_days,
        figures[Stage.NIET_OPGEPAKT].oldest_raised_days,
    ) == (122, 132)
    assert (
        figures[Stage.TERUGGEKOPPELD].oldest_days,
        figures[Stage.TERUGGEKOPPELD].oldest_raised_days,
    ) == (22, 92)
    assert figures[Stage.GEMELD].oldest_days == 31
    assert (figures[Stage.BESPROKEN].oldest_days, figures[Stage.BESPROKEN].oldest_raised_days) == (
        12,
        17,
    )
    assert figures[Stage.AFGESLOTEN].oldest_days is None  # closed: no age
    assert figures[Stage.BESLOTEN].count == 0 and figures[Stage.BESLOTEN].oldest_days is None


def test_median_lead_time_per_quarter(history):
    quarters = stats.quarterly_lead_times(history.public)
    assert [(q.label, q.signals, q.median_days) for q in quarters] == [
        ("1e kwartaal 2026", 3, 30.0),
        ("2e kwartaal 2026", 2, 45.0),
    ]


def test_figures_per_theme(history):
    themes = {t.slug: t for t in stats.theme_figures(history.public)}
    assert (themes["permits"].open, themes["permits"].closed, themes["permits"].median_days) == (
        1,
        1,
        20.0,
    )
    assert (themes["grants"].open, themes["grants"].closed, themes["grants"].median_days) == (
        1,
        0,
        50.0,
    )
    assert (themes["empty"].open, themes["empty"].closed, themes["empty"].median_days) == (
        0,
        0,
        None,
    )


def test_the_sql_median_and_the_fetched_median_agree(history):
    events = stats.first_feedback_events(history.public).annotate(
        year=stats.ExtractYear("at"), quarter=stats.ExtractQuarter("at")
    )
    fetched = stats.median_by_fetch(events, ["year", "quarter"])
    assert fetched == {(2026, 1): (3, 30 * stats.DAY), (2026, 2): (2, 45 * stats.DAY)}
    if connection.vendor != "postgresql":
        pytest.skip("percentile_cont is PostgreSQL's; SQLite uses the fetched median")
    by_sql = stats.median_by_sql(events, ["year", "quarter"])
    assert by_sql.keys() == fetched.keys()
    for key, (count, seconds) in fetched.items():
        assert by_sql[key][0] == count
        assert by_sql[key][1] == pytest.approx(seconds)


def test_the_figures_take_a_constant_number_of_queries(history, django_assert_max_num_queries):
    # The version, then the four aggregates; then only the version until something changes.
    with django_assert_max_num_queries(6):
        first = stats.loop_figures(history.public)
    with django_assert_max_num_queries(1):
        assert stats.loop_figures(history.public) == first


def test_the_kept_figures_change_with_every_move_and_ages_with_the_clock(history):
    before = stats.loop_figures(history.public, now=NOW)
    signal = Signal.objects.filter(community=history.public, last_event__to_stage=Stage.GEMELD)[0]
    services.move_signal(
        signal=signal,
        actor=history.steward,
        move=Move(to_stage=Stage.BESPROKEN),
        seen_event_id=signal.last_event_id,
    )
    after = stats.loop_figures(history.public, now=NOW)
    assert after.stage(Stage.GEMELD).count == before.stage(Stage.GEMELD).count - 1
    assert after.stage(Stage.BESPROKEN).count == before.stage(Stage.BESPROKEN).count + 1
    later = stats.loop_figures(history.public, now=NOW + timedelta(days=10))
    oldest = after.stage(Stage.NIET_OPGEPAKT).oldest_days
    assert later.stage(Stage.NIET_OPGEPAKT).oldest_days == oldest + 10


# -- the dashboard ----------------------------------------------------------------------------


def test_the_dashboard_shows_counts_ages_and_links(history, client, django_assert_max_num_queries):
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(12):
        response = client.get("/en/c/publiek/loop/")
    assert response.status_code == 200
    html = response.content.decode()
    for stage in Stage:
        assert f'href="/en/c/publiek/signals/?stage={stage.value}"' in html
    assert '<tr class="utrecht-table__row" data-stage="niet-opgepakt">' in html
    row = html.split('<tr class="utrecht-table__row" data-stage="niet-opgepakt">', 1)[1]
    row = row.split("</tr>")[0]
    assert ">3<" in row and ">122<" in row and ">132<" in row
    assert "quarter 1 of 2026" in html and "45.0" in html
    assert 'data-theme="permits"' in html
    assert ">Together<" in html
    # The lead time in plain words: the median over all answered signals.
    assert "Half of the signals got an answer within" in html
    assert 'aria-current="page"' in html.split('href="/en/c/publiek/loop/"')[1][:40]


def test_the_lead_time_chart_is_drawn_like_every_other_bar_chart(history, client):
    """The quarters' bar chart comes from core/charts.py: gridlines with round steps, one
    bar per quarter labelled with its median as the table shows it, and a text summary."""
    import re

    with time_machine.travel(NOW, tick=False):
        html = client.get("/en/c/publiek/loop/").content.decode()
    summary = (
        "Median days from raised to feedback, per quarter: "
        "quarter 1 of 2026: 30.0; quarter 2 of 2026: 45.0."
    )
    svg = html.split(f'aria-label="{summary}"', 1)[1].split("</svg>", 1)[0]
    assert re.findall(r'class="ss-chart__value"[^>]*>([^<]+)<', svg) == ["30.0", "45.0"]
    assert re.findall(r'class="ss-chart__year"[^>]*>([^<]+)<', svg) == [
        "quarter 1 of 2026",
        "quarter 2 of 2026",
    ]
    # Gridlines in round steps of 20 days: the scale of core/charts.py.
    ticks = re.findall(r'class="ss-chart__tick"[^>]*>([^<]+)<', svg)
    assert ticks == ["0", "20", "40", "60"]
    with time_machine.travel(NOW, tick=False):
        dutch = client.get("/c/publiek/loop/").content.decode()
    assert re.findall(r'class="ss-chart__value"[^>]*>([^<]+)<', dutch) == ["30,0", "45,0"]


def test_the_dashboard_is_as_public_as_its_community(world):
    assert client_for(world.outsider).get("/en/c/besloten/loop/").status_code == 404
    assert client_for(world.observer).get("/en/c/besloten/loop/").status_code == 200
    assert client_for(None).get("/en/c/publiek/loop/").status_code == 200


def test_an_empty_community_has_a_dashboard_too(world, client):
    response = client.get("/en/c/publiek/loop/")
    assert response.status_code == 200
    assert "No signal has had feedback yet." in response.content.decode()


def test_the_home_page_links_to_the_loop(world, client):
    assert 'href="/en/c/publiek/loop/"' in client.get("/en/c/publiek/").content.decode()


def test_signals_are_stored_with_their_stage_pointer(history):
    # The figures rely on last_event; every signal has one.
    assert not Signal.objects.filter(last_event__isnull=True).exists()


def test_the_dashboard_shows_the_cops_agenda(history, client):
    from samenspel.learning.models import ExternalDevelopment

    ExternalDevelopment.objects.create(
        community=history.public, title="Wet collectieve warmte aangenomen", on_agenda=True
    )
    ExternalDevelopment.objects.create(community=history.public, title="Niet op de agenda")
    html = client.get("/en/c/publiek/loop/").content.decode()
    agenda = html.split('id="agenda-heading"')[1]
    waiting = stats.loop_figures(history.public).stage(Stage.GEMELD).count
    assert f"{waiting} signal" in agenda and "?stage=gemeld" in agenda
    assert "Wet collectieve warmte aangenomen" in agenda and "Niet op de agenda" not in agenda
