"""Lessons a group shares with everyone (issue 10 §3): a lesson marked public can be read by
anyone at its own address, also when the group is private — without the group's menu —
and appears in the national list of lessons from practice and its API. A lesson not marked
public stays with whoever may see the group."""

import pytest
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Community
from samenspel.practice import permissions, questions


@pytest.fixture
def lessons(world):
    shared = questions.write_lesson(
        actor=world.gemeente_member,
        community=world.private,
        title="Een vast loket maakt de vergunning voorspelbaar",
        text="Vraag naar de doorlooptijd vóór je begint.",
        is_public=True,
    )
    kept = questions.write_lesson(
        actor=world.gemeente_member,
        community=world.private,
        title="Wat we binnenskamers leerden",
    )
    open_group = questions.write_lesson(
        actor=world.gemeente_member, community=world.public, title="Een les van een open groep"
    )
    return {"shared": shared, "kept": kept, "open": open_group}


# (persona, reads the shared lesson, reads the kept one) of the private group.
READERS = [
    ("anonymous", True, False),
    ("outsider", True, False),
    ("gemeente_member", True, True),
    ("observer", True, True),
    ("steward", True, True),
    ("admin", True, True),
]


@pytest.mark.parametrize(("persona", "shared", "kept"), READERS)
def test_who_reads_which_lesson(world, lessons, persona, shared, kept):
    user = world.persona(persona)
    assert permissions.can_read_lesson(user, lessons["shared"]) is shared
    assert permissions.can_read_lesson(user, lessons["kept"]) is kept
    # Of a public group, everyone reads every lesson.
    assert permissions.can_read_lesson(user, lessons["open"]) is True


def test_a_shared_lesson_of_a_private_group_has_a_page_for_everyone(world, lessons):
    shared, kept = lessons["shared"], lessons["kept"]
    response = client_for(None).get(f"/c/besloten/lessons/{shared.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Een vast loket maakt de vergunning voorspelbaar" in page
    assert "Vraag naar de doorlooptijd" in page
    # The group's menu leads to pages an outsider may not see: it is not there.
    assert 'aria-label="Community menu"' not in page and "/c/besloten/sessions/" not in page
    assert client_for(None).get(f"/c/besloten/lessons/{kept.pk}/").status_code == 404
    assert client_for(world.outsider).get(f"/c/besloten/lessons/{kept.pk}/").status_code == 404
    member_page = client_for(world.observer).get(f"/c/besloten/lessons/{kept.pk}/")
    assert member_page.status_code == 200
    assert "/c/besloten/sessions/" in member_page.content.decode()
    # Under another community's address it is not found.
    assert client_for(None).get(f"/c/publiek/lessons/{shared.pk}/").status_code == 404


def test_the_national_list_holds_only_shared_lessons(world, lessons):
    page = client_for(None).get("/lessons/").content.decode()
    assert "Een vast loket maakt de vergunning voorspelbaar" in page
    assert f"/c/besloten/lessons/{lessons['shared'].pk}/" in page
    assert "Wat we binnenskamers leerden" not in page
    assert "Een les van een open groep" not in page  # not marked for sharing
    found = client_for(None).get("/lessons/?q=loket").content.decode()
    assert "Een vast loket" in found
    missing = client_for(None).get("/lessons/?q=zonnepanelen").content.decode()
    assert "Een vast loket" not in missing and 'role="status"' in missing


def test_an_archived_group_shares_nothing_any_more(world, lessons):
    Community.objects.filter(pk=world.private.pk).update(archived_at=timezone.now())
    assert client_for(None).get(f"/c/besloten/lessons/{lessons['shared'].pk}/").status_code == 404
    assert "Een vast loket" not in client_for(None).get("/lessons/").content.decode()


def test_the_api_lists_shared_lessons(world, lessons):
    response = client_for(None).get("/api/v1/lessons")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(item["community"], item["title"]) for item in items] == [
        ("besloten", "Een vast loket maakt de vergunning voorspelbaar")
    ]
    assert items[0]["url"].endswith(f"/c/besloten/lessons/{lessons['shared'].pk}/")
    assert client_for(None).get("/api/v1/lessons?q=zonnepanelen").json()["count"] == 0


def test_the_library_links_each_lesson_and_marks_the_shared_ones(world, lessons):
    page = client_for(world.observer).get("/c/besloten/lessons/").content.decode()
    assert f"/c/besloten/lessons/{lessons['shared'].pk}/" in page
    assert f"/c/besloten/lessons/{lessons['kept'].pk}/" in page
    assert page.count("Shared with everyone") + page.count("Gedeeld met iedereen") == 1
