"""Site-wide behaviour: health check, languages, the demo."""

from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db.utils import OperationalError

from conftest import client_for
from samenspel.accounts.models import User
from samenspel.communities.models import Community, JoinRequest, Membership, Role, Side


def test_healthz_reports_the_database(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(db, client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_dutch_is_the_default_and_english_lives_under_en(db, client):
    dutch = client.get("/")
    assert dutch["Content-Language"] == "nl"
    assert '<html lang="nl"' in dutch.content.decode()
    assert "Inloggen" in dutch.content.decode()
    english = client.get("/en/")
    assert english["Content-Language"] == "en"
    assert "Log in" in english.content.decode()


def test_an_unknown_language_prefix_is_404(db, client):
    assert client.get("/de/").status_code == 404
    assert client.get("/fr/c/zwolle/").status_code == 404


def test_the_language_switcher_keeps_the_page_and_remembers_the_choice(world):
    user = world.gemeente_member
    client = client_for(user)
    response = client.get("/i18n/setlang/", {"language": "en", "next": "/c/publiek/members/"})
    assert response["Location"] == "/en/c/publiek/members/"
    user.refresh_from_db()
    assert user.preferred_language == "en"
    back = client.get("/i18n/setlang/", {"language": "nl", "next": "/en/c/publiek/"})
    assert back["Location"] == "/c/publiek/"


def test_the_language_switcher_refuses_foreign_redirects(db, client):
    response = client.get("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/en/"


def test_the_demo_loads_zwolle_as_example_content_and_reloads_cleanly(db):
    for _ in range(2):
        call_command("demo", stdout=StringIO())
    zwolle = Community.objects.get(slug="zwolle")
    assert zwolle.is_example and zwolle.is_public
    assert "Voorbeeld" in zwolle.description
    members = Membership.objects.active().filter(community=zwolle)
    assert {m.side for m in members} == set(Side.values)
    assert members.filter(role=Role.STEWARD).exists()
    assert members.filter(role=Role.WAARNEMER).exists()
    assert {o.name for o in zwolle.organisations.all()} >= {
        "Gemeente Zwolle",
        "Berkum Energieneutraal",
        "50 Tinten Groen Assendorp",
        "Wijbedrijf Dieze",
        "Blauwvinger Energie",
        "DRIFT",
    }
    assert all("(voorbeeld)" in m.user.display_name for m in members)
    assert JoinRequest.objects.filter(community=zwolle, status="pending").count() == 1
    assert User.objects.get(email="steward@example.org").check_password("samenspel-demo")


def test_the_demo_with_if_empty_leaves_existing_data_alone(world):
    call_command("demo", "--if-empty", stdout=StringIO())
    assert not Community.objects.filter(slug="zwolle").exists()


def test_demo_pages_show_the_example_label(db, client):
    call_command("demo", stdout=StringIO())
    html = client.get("/c/zwolle/").content.decode()
    assert "ss-example-banner" in html


def test_visitors_go_straight_to_the_translated_page(world, client):
    html = client.get("/c/publiek/members/?side=gemeente").content.decode()
    assert 'href="/en/c/publiek/members/?side=gemeente"' in html
    assert 'hreflang="en"' in html
