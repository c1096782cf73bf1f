"""Factories for track 1 tests."""

from decimal import Decimal

import factory

from samenspel.initiatives.choices import Phase, Review
from samenspel.initiatives.models import Initiative
from tests.factories import CommunityFactory


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Initiatief {n}")
    slug = factory.Sequence(lambda n: f"initiatief-{n}")
    pitch = "Samen van het gas af."
    phase = Phase.VERKENNING
    review = Review.LISTED
    latitude = Decimal("52.5168")
    longitude = Decimal("6.0830")
    solutions = factory.LazyFunction(lambda: ["teo", "isolatie"])
