"""Personas shared by every test: anonymous, outsider, members of each side, observer,
steward and site admin, around a public and a private community."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Role, Side
from tests.factories import CommunityFactory, MembershipFactory, UserFactory


@dataclass
class World:
    public: Community
    private: Community
    outsider: User
    gemeente_member: User
    initiatief_member: User
    observer: User
    steward: User
    admin: User

    def persona(self, name: str) -> User | AnonymousUser:
        return AnonymousUser() if name == "anonymous" else getattr(self, name)


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    public = CommunityFactory(name="Publiek", slug="publiek", is_public=True)
    private = CommunityFactory(name="Besloten", slug="besloten", is_public=False)
    people = {
        "outsider": UserFactory(email="outsider@example.org"),
        "gemeente_member": UserFactory(email="gemeente@example.org"),
        "initiatief_member": UserFactory(email="initiatief@example.org"),
        "observer": UserFactory(email="observer@example.org"),
        "steward": UserFactory(email="steward@example.org"),
        "admin": UserFactory(email="admin@example.org", is_staff=True, is_superuser=True),
    }
    for community in (public, private):
        MembershipFactory(user=people["gemeente_member"], community=community, side=Side.GEMEENTE)
        MembershipFactory(
            user=people["initiatief_member"], community=community, side=Side.INITIATIEF
        )
        MembershipFactory(
            user=people["observer"], community=community, side=Side.OVERIG, role=Role.WAARNEMER
        )
        MembershipFactory(
            user=people["steward"], community=community, side=Side.FACILITATIE, role=Role.STEWARD
        )
    return World(public=public, private=private, **people)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def clear_caches() -> None:
    """Every cache, also the per-process ones kept per content version."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """Each test starts with empty caches: databases are rebuilt, so versions repeat."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Each test starts in the default language: a request in the same thread (the test
    client) leaves its language active, which would leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
