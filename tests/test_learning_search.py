"""Search over signals and adjustments, similar signals (htmx partial and API): what each
person may see, on SQLite and PostgreSQL alike."""

import pytest

from samenspel.learning import services
from samenspel.learning.models import Signal
from samenspel.learning.search import search_signals
from samenspel.learning.similar import similar_signals
from tests.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def raise_signal(community, user, title, text="Bewoners wachten al maanden."):  # type: ignore[no-untyped-def]
    return services.raise_signal(community=community, actor=user, title=title, what_happened=text)


@pytest.fixture
def signals(world):  # type: ignore[no-untyped-def]
    other_public = CommunityFactory(name="Elders", slug="elders", is_public=True)
    other_private = CommunityFactory(name="Geheim", slug="geheim", is_public=False)
    user = world.steward
    for community in (other_public, other_private):  # only members raise signals
        MembershipFactory(user=user, community=community)
    return {
        "own": raise_signal(world.public, user, "Subsidieaanvraag warmtepomp duurt te lang"),
        "own2": raise_signal(world.public, user, "Vergunning warmtenet loopt vast"),
        "unrelated": raise_signal(world.public, user, "Parkeren bij het buurthuis", "Geen plek."),
        "public": raise_signal(other_public, user, "Warmtepomp subsidie is onduidelijk"),
        "secret": raise_signal(other_private, user, "Warmtepomp subsidie geheim"),
    }


def test_search_finds_all_words_and_not_others(signals):  # type: ignore[no-untyped-def]
    found = list(search_signals(Signal.objects.all(), "warmtepomp subsidieaanvraag"))
    assert found == [signals["own"]]
    assert set(search_signals(Signal.objects.all(), "vergunning")) == {signals["own2"]}
    assert search_signals(Signal.objects.all(), "  ").count() == 5


def test_similar_prefers_own_community_includes_public_never_private(world, signals):  # type: ignore[no-untyped-def]
    found = similar_signals(world.public, "De subsidie voor een warmtepomp")
    titles = [s.title for s in found]
    assert signals["own"] in found and signals["public"] in found
    assert signals["secret"] not in found and signals["unrelated"] not in found
    assert len(titles) == 2
    # At equal likeness, this community's signal comes first.
    twin = raise_signal(signals["public"].community, world.steward, signals["own"].title)
    found = similar_signals(world.public, signals["own"].title)
    assert found.index(signals["own"]) < found.index(twin)


def test_similar_excludes_the_signal_itself(world, signals):  # type: ignore[no-untyped-def]
    own = signals["own"]
    found = similar_signals(world.public, own.title, exclude=own.pk)
    assert own not in found
    assert signals["public"] in found


def test_similar_partial(client, world, signals):  # type: ignore[no-untyped-def]
    url = "/en/c/publiek/signals/similar/"
    response = client.get(url, {"text": "warmtepomp subsidie"})
    assert response.status_code == 200
    body = response.content.decode()
    assert signals["own"].title in body and "geheim" not in body.lower()
    assert client.get(url, {"text": ""}).status_code == 200
    assert client.get("/en/c/besloten/signals/similar/", {"text": "x"}).status_code == 404


def test_similar_api(client, world, signals, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    own = signals["own"]
    # PostgreSQL adds a savepoint, its release and SET LOCAL; constant in the number of rows.
    with django_assert_max_num_queries(9):
        response = client.get(f"/api/v1/signals/{own.pk}/similar")
    assert response.status_code == 200
    items = response.json()["items"]
    ids = [item["id"] for item in items]
    assert own.pk not in ids and signals["secret"].pk not in ids
    assert signals["public"].pk in ids
    assert {"id", "title", "community", "stage", "similarity", "url"} <= set(items[0])
    assert client.get(f"/api/v1/signals/{signals['secret'].pk}/similar").status_code == 404
    assert client.get(f"/api/v1/signals/{own.pk}/similar?limit=99").status_code == 400


def test_similar_looks_past_the_newest_window_for_rare_words(world, signals, monkeypatch):  # type: ignore[no-untyped-def]
    """The newest signals are searched first; when they hold too few matches, older ones
    are found too (PostgreSQL's two steps; SQLite looks at everything at once)."""
    from samenspel.learning import similar

    monkeypatch.setattr(similar, "WINDOW", 2)
    monkeypatch.setattr(similar, "CANDIDATES", 2)
    old = raise_signal(world.public, world.steward, "Bodemlus vergunning kwijt")
    for n in range(3):
        raise_signal(world.public, world.steward, f"Nieuwer signaal {n}", "Iets anders.")
    elsewhere_old = raise_signal(signals["public"].community, world.steward, "Bodemlus elders")
    for n in range(3):
        raise_signal(signals["public"].community, world.steward, f"Recent {n}", "Anders.")
    found = similar.candidates(world.public, "bodemlus")
    assert found == [old, elsewhere_old]
    # Common words fill the candidates from the newest signals alone.
    newest = similar.candidates(world.public, "signaal")
    assert [s.title for s in newest] == ["Nieuwer signaal 2", "Nieuwer signaal 1"]
