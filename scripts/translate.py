"""Apply Dutch translations given as a JSON object {msgid: msgstr} on stdin to locale/nl.

Used after `make messages` to fill new or fuzzy entries; compiles the catalogue afterwards.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def main() -> int:
    translations: dict[str, str | list[str]] = json.load(sys.stdin)
    po = polib.pofile(str(PO))
    for entry in po:
        if entry.msgid in translations:
            value = translations[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = dict(enumerate(value))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    subprocess.run(
        [
            str(ROOT / ".venv/bin/python"),
            "manage.py",
            "compilemessages",
            "-l",
            "nl",
            "--ignore=.venv",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
    )
    left = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    print("still to translate:", left)
    return 0


if __name__ == "__main__":
    sys.exit(main())
