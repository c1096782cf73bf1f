"""Word-level differences between two texts, and between two versions of the accord, with
Python's difflib (no hand-made algorithm): a list of segments — unchanged, inserted,
deleted — that templates render as <ins> and <del> with words that say so, so a difference
is readable without colour and by a screen reader. Articles are matched by their key, so
a moved article is reported as moved, not as deleted and added."""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from samenspel.accords.models import AccordVersion, Article, ArticleKind

# Words with what follows them (spaces, a line break): whitespace changes alone are kept
# as part of the word before them, so a new line break is not reported as a change.
TOKEN = re.compile(r"\S+\s*")

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


@dataclass(frozen=True)
class Segment:
    op: str
    text: str


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def word_diff(before: str, after: str) -> list[Segment]:
    """The changes from `before` to `after`, word by word. Whitespace-only differences
    (a double space, a new line) count as no change."""
    old, new = _tokens(before), _tokens(after)
    matcher = SequenceMatcher(
        a=[t.strip() for t in old], b=[t.strip() for t in new], autojunk=False
    )
    segments: list[Segment] = []

    def add(op: str, words: list[str]) -> None:
        if not words:
            return
        text = "".join(words)
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(EQUAL, new[j1:j2])
        else:
            add(DELETE, old[i1:i2])
            add(INSERT, new[j1:j2])
    return segments


@dataclass
class ArticleChange:
    """One article across two versions."""

    key: str
    kind: str
    status: str  # "same", "changed", "added", "removed"
    title: list[Segment] = field(default_factory=list)
    text: list[Segment] = field(default_factory=list)
    moved: bool = False
    number_before: int | None = None
    number_after: int | None = None

    @property
    def kind_label(self) -> str:
        return str(ArticleKind(self.kind).label)


@dataclass
class VersionDiff:
    before: int
    after: int
    preamble: list[Segment]
    articles: list[ArticleChange]

    @property
    def changed(self) -> bool:
        return any(s.op != EQUAL for s in self.preamble) or any(
            a.status != "same" or a.moved for a in self.articles
        )


def _numbered(version: AccordVersion) -> dict[str, tuple[int, Article]]:
    """Each article by key, with its number within its kind (1, 2, … as shown)."""
    found: dict[str, tuple[int, Article]] = {}
    counters: dict[str, int] = {}
    for article in version.articles.order_by("kind", "position", "pk"):
        counters[article.kind] = counters.get(article.kind, 0) + 1
        found[str(article.key)] = (counters[article.kind], article)
    return found


def version_diff(before: AccordVersion, after: AccordVersion) -> VersionDiff:
    old, new = _numbered(before), _numbered(after)
    changes: list[ArticleChange] = []
    for key, (number, article) in new.items():
        if key in old:
            old_number, previous = old[key]
            title = word_diff(previous.title, article.title)
            text = word_diff(previous.text, article.text)
            edited = any(s.op != EQUAL for s in (*title, *text))
            changes.append(
                ArticleChange(
                    key,
                    article.kind,
                    "changed" if edited else "same",
                    title,
                    text,
                    moved=old_number != number,
                    number_before=old_number,
                    number_after=number,
                )
            )
        else:
            changes.append(
                ArticleChange(
                    key,
                    article.kind,
                    "added",
                    [Segment(INSERT, article.title)],
                    [Segment(INSERT, article.text)],
                    number_after=number,
                )
            )
    for key, (number, article) in old.items():
        if key not in new:
            changes.append(
                ArticleChange(
                    key,
                    article.kind,
                    "removed",
                    [Segment(DELETE, article.title)],
                    [Segment(DELETE, article.text)],
                    number_before=number,
                )
            )
    order: dict[str, int] = {ArticleKind.PRINCIPLE: 0, ArticleKind.FORM: 1}
    changes.sort(key=lambda c: (order.get(c.kind, 2), c.number_after or 0, c.number_before or 0))
    return VersionDiff(
        before=before.number,
        after=after.number,
        preamble=word_diff(before.preamble, after.preamble),
        articles=changes,
    )
