"""How readable the Dutch interface is: the Flesch-Douma reading ease (textstat, Dutch) of
the Dutch catalogue as a whole, and of the Dutch text of each template and module, so that
`make lint` names the pages that read hardest. A figure to watch, not a gate: 60–70 is
plain Dutch for most adults, above 70 is easy (B1), below 50 is hard.

The Dutch text of a file is the translation of every string it marks for translation
(`{% translate %}`, `{% blocktranslate %}`, `_()`), with markup and placeholders removed.
Only sentences count (texts of at least four words): a label or heading of one long Dutch
compound ("Indicatorwaarden importeren") would otherwise make a page of clear sentences
look hard.
"""

import re
import sys
from pathlib import Path

import polib
import textstat

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
WORST = 8
# Field names and choices: labels, not sentences (they are read beside a form field).
LABELS_ONLY = {"models.py", "choices.py", "schemas.py"}
# A text with fewer words is a label or a heading, not a sentence.
SENTENCE_WORDS = 4
# Files with fewer words than this are too short to score fairly.
MIN_WORDS = 30

TRANSLATE = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""", re.S)
BLOCK = re.compile(r"{%\s*blocktranslate\b([^%]*)%}(.*?){%\s*endblocktranslate\s*%}", re.S)
PYTHON = re.compile(
    r"""(?:\b_|gettext_lazy|gettext|pgettext_lazy\(\s*"[^"]*",)\(\s*\n?\s*((?:"[^"]*"\s*)+)\)"""
)
TAG = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}")


def clean(text: str) -> str:
    text = PLACEHOLDER.sub("iets", TAG.sub(" ", text))
    text = " ".join(text.split())
    # A label without a full stop still counts as a sentence of its own.
    return text if text.endswith((".", "?", "!", ":")) else text + "."


def is_sentence(text: str) -> bool:
    return len(PLACEHOLDER.sub("iets", TAG.sub(" ", text)).split()) >= SENTENCE_WORDS


def block_source(options: str, body: str) -> str:
    """The msgid of a blocktranslate: trimmed, and the singular before {% plural %}."""
    body = re.split(r"{%\s*plural\s*%}", body)[0]
    if "trimmed" in options:
        body = " ".join(line.strip() for line in body.strip().splitlines())
    return re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", body)


def sources(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html" or path.suffix == ".txt":
        found = [m.group(2) for m in TRANSLATE.finditer(text)]
        found += [block_source(m.group(1), m.group(2)) for m in BLOCK.finditer(text)]
        return found
    return ["".join(re.findall(r'"([^"]*)"', m.group(1))) for m in PYTHON.finditer(text)]


def main() -> int:
    textstat.set_lang("nl")
    catalogue = {e.msgid: (e.msgstr or e.msgstr_plural.get(0, "")) for e in polib.pofile(str(PO))}
    everything = " ".join(clean(t) for t in catalogue.values() if is_sentence(t))
    print(
        f"Readability of the Dutch interface (Flesch-Douma, higher is easier): "
        f"{textstat.flesch_reading_ease(everything):.0f}"
    )
    scores = []
    for path in sorted((ROOT / "samenspel").rglob("*")):
        if path.suffix not in (".html", ".txt", ".py") or "migrations" in path.parts:
            continue
        if path.name in LABELS_ONLY:
            continue
        dutch = [clean(catalogue[s]) for s in sources(path) if is_sentence(catalogue.get(s, ""))]
        text = " ".join(dutch)
        if len(text.split()) < MIN_WORDS:
            continue
        scores.append((textstat.flesch_reading_ease(text), path.relative_to(ROOT)))
    print(f"Hardest to read ({WORST} of {len(scores)} files with at least {MIN_WORDS} words):")
    for score, path in sorted(scores)[:WORST]:
        print(f"  {score:5.0f}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
