"""Fail when the translation catalogues are out of date or the Dutch one is incomplete.

Runs `makemessages` (as `make messages` does), compares the entries with the committed
catalogue (ignoring the header date), checks that every Dutch entry is translated and not
fuzzy, and that the committed .mo matches the .po. The committed files are left untouched.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# Only the app is translated; tests may quote its strings.
IGNORE = [
    f"--ignore={d}" for d in (".venv", "node_modules", "var", "tests", "e2e", "bench", "scripts")
]


def entries(po: polib.POFile) -> dict[tuple[str, str, str], polib.POEntry]:
    return {(e.msgctxt or "", e.msgid, e.msgid_plural or ""): e for e in po if not e.obsolete}


def main() -> int:
    problems: list[str] = []
    committed = polib.pofile(str(PO))
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "django.po"
        shutil.copy2(PO, backup)
        try:
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    "-l",
                    "nl",
                    "--no-location",
                    "--no-obsolete",
                    *IGNORE,
                ],
                cwd=ROOT,
                check=True,
                capture_output=True,
                env={**os.environ, "DEBUG": "true"},
            )
            fresh = polib.pofile(str(PO))
        finally:
            shutil.copy2(backup, PO)
    old, new = entries(committed), entries(fresh)
    for key in sorted(set(new) - set(old)):
        problems.append(f"missing from the catalogue: {key[1]!r}")
    for key in sorted(set(old) - set(new)):
        problems.append(f"no longer used in the code: {key[1]!r}")
    for entry in committed:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy (check the translation): {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"not translated into Dutch: {entry.msgid!r}")
    compiled = {
        (e.msgctxt or "", e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(MO))
        if e.msgid
    }
    expected = {
        (e.msgctxt or "", e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in committed.translated_entries()
    }
    if compiled != expected:
        problems.append("locale/nl/LC_MESSAGES/django.mo is out of date: run `make messages`")
    if problems:
        print("Translation catalogues need work (run `make messages`, then translate):")
        for problem in problems:
            print("  -", problem)
        return 1
    print(f"Translations: {len(expected)} Dutch entries, complete and up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
