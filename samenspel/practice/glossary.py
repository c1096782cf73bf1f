"""The group's shared language: writing terms down (services), and recognising the agreed
ones in the community's Markdown texts, where each is explained on hover and focus and
for screen readers.

Recognising terms: a text is split into words; at each word the longest run of words that
forms an agreed term (or one of its other forms) wins, so "collectief warmtenet" is one
term even when "warmtenet" is another. Words are compared without case and without
diacritics ("cooperatie" finds "coöperatie"), whole words only. A dictionary keyed by the
first word makes this one lookup per word and term length, whatever the number of terms:
a 5,000-word text against 5,000 terms takes a few milliseconds (`make bench` reports it).
Only text is touched, never inside a link, code or an earlier explanation.
"""

import re
import unicodedata
from dataclasses import dataclass
from html import escape

from django.core.cache import caches
from django.db import transaction
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.core.slugs import unique_slug
from samenspel.learning.services import not_allowed
from samenspel.practice import permissions
from samenspel.practice.models import GlossaryTerm, TermStatus
from samenspel.practice.sessions import invalid

WORD = re.compile(r"\w+", re.UNICODE)
TAG = re.compile(r"(<[^>]*>)")
# Inside these elements text is never linked.
SKIP = {"a", "code", "pre", "abbr", "dfn", "h2", "h3", "h4"}


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one: positions stay the same."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFD", char)[0].lower()
        out.append(base if len(base) == 1 else char)
    return "".join(out)


@dataclass(frozen=True)
class Explained:
    slug: str
    term: str
    definition: str


@dataclass
class TermIndex:
    """Agreed terms by their folded first word: (words, term) pairs, longest first."""

    by_first: dict[str, list[tuple[tuple[str, ...], Explained]]]

    @classmethod
    def build(cls, terms: list[Explained], forms: dict[str, list[str]]) -> "TermIndex":
        by_first: dict[str, list[tuple[tuple[str, ...], Explained]]] = {}
        for term in terms:
            for form in forms[term.slug]:
                words = tuple(WORD.findall(fold(form)))
                if words:
                    by_first.setdefault(words[0], []).append((words, term))
        for entries in by_first.values():
            entries.sort(key=lambda entry: len(entry[0]), reverse=True)
        return cls(by_first)

    def matches(self, text: str) -> list[tuple[int, int, Explained]]:
        """(start, end, term) of every recognised term in `text`, left to right."""
        words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(fold(text))]
        found = []
        position = 0
        while position < len(words):
            entries = self.by_first.get(words[position][2], ())
            for term_words, term in entries:
                end = position + len(term_words)
                if end <= len(words) and all(
                    words[position + i][2] == w for i, w in enumerate(term_words)
                ):
                    found.append((words[position][0], words[end - 1][1], term))
                    position = end
                    break
            else:
                position += 1
        return found


def agreed_index(community: Community) -> TermIndex:
    """The community's agreed terms, kept per content version (every change of a term
    writes history, which raises the version)."""
    key = f"glossary:{community.pk}:{community.content_version}"
    cache = caches["versioned"]
    found = cache.get(key)
    if isinstance(found, TermIndex):
        return found
    terms = list(
        GlossaryTerm.objects.filter(community=community, status=TermStatus.AGREED).only(
            "slug", "term", "variants", "definition"
        )
    )
    index = TermIndex.build(
        [Explained(t.slug, t.term, t.definition) for t in terms],
        {t.slug: t.forms() for t in terms},
    )
    cache.set(key, index, 3600)
    return index


def link_terms(html: str, index: TermIndex, glossary_url: str) -> str:
    """`html` (already safe) with every agreed term wrapped in a link to its explanation,
    the definition as its description (shown on hover and focus, read by screen readers)."""
    if not index.by_first:
        return html
    parts = TAG.split(html)
    open_skips = 0
    number = 0
    for i, part in enumerate(parts):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in SKIP:
                open_skips += -1 if part.startswith("</") else 1
            continue
        if open_skips or not part.strip():
            continue
        pieces = []
        last = 0
        for start, end, term in index.matches(part):
            number += 1
            tip = f"term-{term.slug}-{number}"
            pieces.append(part[last:start])
            pieces.append(
                f'<span class="ss-term"><a class="utrecht-link ss-term__link" '
                f'href="{escape(glossary_url)}#{escape(term.slug)}" '
                f'aria-describedby="{tip}">{part[start:end]}</a>'
                f'<span class="ss-term__tip" role="tooltip" id="{tip}">'
                f"{escape(term.definition)}</span></span>"
            )
            last = end
        if pieces:
            pieces.append(part[last:])
            parts[i] = "".join(pieces)
    return "".join(parts)


def explain_terms(html: str, community: Community) -> str:
    """The enricher of core.markdown: the community's agreed terms explained."""
    from django.urls import reverse

    return link_terms(html, agreed_index(community), reverse("glossary", args=[community.slug]))


# Writes.


def _unique_slug(community: Community, term: str, exclude: int | None) -> str:
    others = GlossaryTerm.objects.filter(community=community)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    return unique_slug(term, fallback="term", taken=set(others.values_list("slug", flat=True)))


def _check(actor: User, community: Community, fields: dict[str, str]) -> None:
    if not permissions.can_write_glossary(actor, community):
        raise not_allowed(_("Only members write in the glossary."))
    if not fields.get("term", "").strip():
        raise invalid(_("Write the term."), "term_required")
    if fields.get("status") == TermStatus.AGREED:
        if not permissions.can_agree_terms(actor, community):
            raise not_allowed(_("Only a steward marks a term as agreed, as the group decided."))
        if not fields.get("definition", "").strip():
            raise invalid(
                _("An agreed term needs the definition the group agreed."), "definition_required"
            )


TERM_FIELDS = ("term", "variants", "municipality_view", "initiatives_view", "definition", "status")


@transaction.atomic
def save_term(
    *,
    actor: User,
    community: Community,
    term: GlossaryTerm | None,
    fields: dict[str, str],
    is_example: bool = False,
) -> GlossaryTerm:
    """Add a term (term None) or change one. Any member writes how each side understands a
    word; a steward marks the definition as agreed."""
    fields = {name: str(fields.get(name, "")).strip() for name in TERM_FIELDS}
    fields["status"] = fields["status"] or TermStatus.IN_DISCUSSION
    if (
        term is not None
        and term.status == TermStatus.AGREED
        and not permissions.can_agree_terms(actor, community)
    ):
        raise not_allowed(_("Only a steward changes an agreed term."))
    _check(actor, community, fields)
    duplicate = GlossaryTerm.objects.filter(community=community, term__iexact=fields["term"])
    if term is not None:
        duplicate = duplicate.exclude(pk=term.pk)
    if duplicate.exists():
        raise invalid(_("This term is already in the glossary."), "duplicate")
    if term is None:
        term = GlossaryTerm(community=community, is_example=is_example)
    for name, value in fields.items():
        setattr(term, name, value)
    term.slug = _unique_slug(community, term.term, exclude=term.pk)
    term.save()
    return term
