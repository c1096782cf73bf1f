"""The one way a short name (slug) is made from a name: Django's slugify, cut to a length
that leaves room for a number, and numbered until it is free."""

from collections.abc import Callable, Collection

from django.utils.text import slugify

MAX_BASE = 70  # slug fields hold 80; the rest is for "-2", "-3", …


def base_slug(name: str, *, fallback: str) -> str:
    """The slug of a name, or the fallback when the name has no letters or digits."""
    return slugify(name)[:MAX_BASE].strip("-") or fallback


def unique_slug(
    name: str,
    *,
    fallback: str,
    taken: Callable[[str], bool] | Collection[str],
    reserved: Collection[str] = (),
) -> str:
    """The first of name, name-2, name-3, … that is neither reserved nor taken. `taken` is
    a set of slugs in use, or a function that asks the database."""
    is_taken = taken if callable(taken) else taken.__contains__
    base = base_slug(name, fallback=fallback)
    slug, n = base, 2
    while slug in reserved or is_taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug
