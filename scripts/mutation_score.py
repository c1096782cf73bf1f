"""Print the score of the last `make mutants` run: killed / checked, per module and in all.

Run from the project's root: reads what mutmut stored under mutants/ (one .meta file per
mutated module). A timeout counts as killed (the tests noticed); a mutant no test reaches
counts as surviving; mutants not (yet) checked, e.g. after an interrupted run, are counted
apart.
"""

import json
import sys
from collections import Counter
from pathlib import Path

MUTANTS = Path("mutants")
KILLED = {1, 3, 24, -24, 36, 152, 255}  # mutmut's exit codes for killed and timeout
SURVIVED = {0, 5, 33}  # survived, and no test reached it


def main() -> int:
    metas = sorted(MUTANTS.glob("samenspel/**/*.py.meta"))
    if not metas:
        print("No mutation results: run `make mutants` first.")
        return 1
    totals: Counter[str] = Counter()
    for meta in metas:
        codes = json.loads(meta.read_text())["exit_code_by_key"].values()
        counts = Counter(
            "killed" if code in KILLED else "survived" if code in SURVIVED else "other"
            for code in codes
        )
        totals.update(counts)
        checked = counts["killed"] + counts["survived"]
        module = meta.relative_to(MUTANTS).as_posix().removesuffix(".meta")
        print(f"{module:45} {counts['killed']:5} / {checked:5} killed")
    checked = totals["killed"] + totals["survived"]
    score = totals["killed"] / checked if checked else 0.0
    print(f"{'All':45} {totals['killed']:5} / {checked:5} killed: score {score:.1%}")
    if totals["other"]:
        print(f"({totals['other']} more not checked, skipped or suspicious)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
