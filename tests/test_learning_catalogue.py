"""The loop's catalogue — themes, policy objects, external developments, waiting times — is
written by one service per use case, which checks who may; and a community's content
version, the key of every shared cached copy, goes up once per change, by one function."""

from datetime import date

import pytest
from django.utils import translation

from samenspel.communities import versions
from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
from samenspel.learning import catalogue, services
from samenspel.learning.models import ExternalDevelopment, LoopSettings, PolicyObject, Theme
from samenspel.learning.stages import Stage
from tests.factories import OrganisationFactory


def version(community: Community) -> int:
    return Community.objects.values_list("content_version", flat=True).get(pk=community.pk)


def snapshot(community: Community) -> tuple[object, ...]:
    """Everything the catalogue services may write, to show that a refusal wrote nothing."""
    settings = LoopSettings.objects.get(community=community)
    return (
        sorted(Theme.objects.filter(community=community).values_list("name", "slug")),
        sorted(PolicyObject.objects.filter(community=community).values_list("name", "kind")),
        sorted(
            ExternalDevelopment.objects.filter(community=community).values_list(
                "title", "on_agenda"
            )
        ),
        (settings.remind_after_days, settings.close_without_answer_after_days),
        version(community),
    )


def test_members_who_contribute_keep_the_catalogue(world):
    community, actor = world.public, world.gemeente_member
    theme = catalogue.save_theme(actor=actor, community=community, name="Netcongestie")
    assert (theme.slug, theme.community_id) == ("netcongestie", community.pk)
    again = catalogue.save_theme(actor=actor, community=community, name="Netcongestie!")
    assert again.slug == "netcongestie-2"  # numbered until free, as before
    renamed = catalogue.save_theme(
        actor=world.steward, community=community, theme=theme, name="Net", description="Vol."
    )
    assert (renamed.name, renamed.slug, renamed.description) == ("Net", "netcongestie", "Vol.")

    department = OrganisationFactory(community=community, name="Afdeling Ruimte")
    item = catalogue.save_policy_object(
        actor=actor,
        community=community,
        kind="regel",
        name=" APV ",
        department=department,
        reference="art. 2",
    )
    assert (item.name, item.department) == ("APV", department)

    development = catalogue.save_development(
        actor=actor,
        community=community,
        title="Wet",
        happened_on=date(2026, 1, 1),
        themes=[theme],
    )
    assert list(development.themes.all()) == [theme] and development.created_by == actor
    assert not development.on_agenda
    catalogue.set_on_agenda(actor=actor, development=development, on_agenda=True)
    development.refresh_from_db()
    assert development.on_agenda


def test_stewards_set_the_waiting_times(world):
    settings = catalogue.set_waiting_times(
        actor=world.steward,
        community=world.public,
        remind_after_days=7,
        close_without_answer_after_days=21,
    )
    assert (settings.remind_after_days, settings.close_without_answer_after_days) == (7, 21)
    settings = catalogue.set_waiting_times(
        actor=world.steward, community=world.public, remind_after_days=10
    )
    assert (settings.remind_after_days, settings.close_without_answer_after_days) == (10, 21)


@pytest.mark.parametrize("persona", ["observer", "outsider"])
def test_observers_and_outsiders_change_nothing_in_the_catalogue(world, persona):
    community, actor = world.public, getattr(world, persona)
    theme = Theme.objects.filter(community=community).first()
    development = ExternalDevelopment.objects.create(community=community, title="Wet")
    before = snapshot(community)
    attempts = [
        lambda: catalogue.save_theme(actor=actor, community=community, name="X"),
        lambda: catalogue.save_theme(actor=actor, community=community, theme=theme, name="X"),
        lambda: catalogue.save_policy_object(
            actor=actor, community=community, kind="regel", name="X"
        ),
        lambda: catalogue.save_development(actor=actor, community=community, title="X"),
        lambda: catalogue.save_development(
            actor=actor, community=community, development=development, title="X"
        ),
        lambda: catalogue.set_on_agenda(actor=actor, development=development, on_agenda=True),
        lambda: catalogue.set_waiting_times(actor=actor, community=community, remind_after_days=3),
    ]
    for attempt in attempts:
        with pytest.raises(CommunityError) as refused:
            attempt()
        assert (refused.value.status, refused.value.code) == (403, "not_allowed")
    assert snapshot(community) == before


def test_only_stewards_set_the_waiting_times(world):
    before = snapshot(world.public)
    with pytest.raises(CommunityError) as refused:
        catalogue.set_waiting_times(
            actor=world.gemeente_member, community=world.public, remind_after_days=3
        )
    assert refused.value.status == 403
    assert snapshot(world.public) == before


def test_bad_catalogue_input_is_refused_with_a_reason_and_changes_nothing(world):
    community, actor = world.public, world.gemeente_member
    other = OrganisationFactory(community=world.private)
    foreign_theme = Theme.objects.filter(community=world.private).first()
    catalogue.save_policy_object(actor=actor, community=community, kind="regel", name="APV")
    before = snapshot(community)
    attempts = {
        "slug_taken": lambda: catalogue.save_theme(
            actor=actor, community=community, name="Grants", slug="gebiedsrecht"
        ),
        "name_taken": lambda: catalogue.save_policy_object(
            actor=actor, community=community, kind="regel", name="APV"
        ),
        "wrong_community": lambda: catalogue.save_policy_object(
            actor=actor, community=community, kind="regel", name="Y", department=other
        ),
        "invalid": lambda: catalogue.save_theme(actor=actor, community=community, name="  "),
    }
    with translation.override("en"):
        for code, attempt in attempts.items():
            with pytest.raises(CommunityError) as refused:
                attempt()
            assert (refused.value.status, refused.value.code) == (400, code), code
            assert refused.value.message
        with pytest.raises(CommunityError) as refused:
            catalogue.save_development(
                actor=actor, community=community, title="Wet", themes=[foreign_theme]
            )
        assert refused.value.code == "wrong_community"
        with pytest.raises(CommunityError) as refused:
            catalogue.set_waiting_times(
                actor=world.steward, community=community, remind_after_days=0
            )
        assert refused.value.code == "invalid" and "greater than" in refused.value.message
    assert snapshot(community) == before


# -- the content version ------------------------------------------------------------------


def test_a_catalogue_change_raises_the_content_version_once(world):
    community = world.public
    start, elsewhere = version(community), version(world.private)
    theme = catalogue.save_theme(actor=world.gemeente_member, community=community, name="Net")
    assert version(community) == start + 1
    development = catalogue.save_development(
        actor=world.gemeente_member, community=community, title="Wet", themes=[theme]
    )
    assert version(community) == start + 2
    catalogue.set_on_agenda(actor=world.gemeente_member, development=development, on_agenda=True)
    assert version(community) == start + 3
    catalogue.set_waiting_times(actor=world.steward, community=community, remind_after_days=9)
    assert version(community) == start + 4
    assert version(world.private) == elsewhere


def test_a_loop_move_raises_the_content_version_once(world):
    community = world.public
    signal = services.raise_signal(
        actor=world.gemeente_member, community=community, title="Wacht", what_happened="Lang."
    )
    start = version(community)
    services.move_signal(
        actor=world.steward,
        signal=signal,
        move=services.Move(to_stage=Stage.BESPROKEN),
        seen_event_id=signal.last_event_id,
    )
    assert version(community) == start + 1


def test_raising_and_changing_a_signal_raise_the_content_version_once_each(world):
    community = world.public
    start = version(community)
    signal = services.raise_signal(
        actor=world.gemeente_member, community=community, title="Wacht", what_happened="Lang."
    )
    assert version(community) == start + 1
    services.change_signal(actor=world.gemeente_member, signal=signal, fields={"title": "Lang"})
    assert version(community) == start + 2


def test_a_rolled_back_change_leaves_the_version_alone(world):
    community = world.public
    start = version(community)
    with pytest.raises(CommunityError):
        catalogue.save_theme(actor=world.gemeente_member, community=community, name="")
    assert version(community) == start
    versions.content_changed(community.pk)
    assert version(community) == start + 1


def test_content_changed_is_the_only_writer_of_the_version():
    import pathlib

    import samenspel

    root = pathlib.Path(samenspel.__file__).parent
    writers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "bump_content_version" in path.read_text() or "content_version=" in path.read_text()
    )
    assert writers == ["communities/versions.py"]


def test_short_names_come_from_the_one_slug_helper(world):
    from samenspel.learning.defaults import THEMES

    slugs = dict(Theme.objects.filter(community=world.public).values_list("name", "slug"))
    assert slugs[THEMES[2]] == "positie-van-cooperaties-in-de-transitievisie-warmte-20"
    theme = catalogue.save_theme(actor=world.steward, community=world.public, name="???")
    assert theme.slug == "thema"
