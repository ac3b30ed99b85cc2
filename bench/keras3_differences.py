"""Grade the example submissions and the rubric's mutants with Keras 3 in the student processes and list
every check that scores differently from the default (legacy Keras 2) expectations.

    .venv/bin/python bench/keras3_differences.py --jobs 2

Examples are compared with `submissions/<name>.expected.json` (their Keras 2 results); mutants with
their Keras 2 contract (`tests/mutants.py`: the checks they must lose, full marks elsewhere).
Writes bench/results/keras3_differences.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.config import GradingConfig  # noqa: E402
from autograder.grading import grade_folder  # noqa: E402
from tests.mutants import fair_variants, mutants  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--mutants", nargs="*", default=None, metavar="NAME",
                        help="grade only these mutants (default: all of tests/mutants.py)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "keras3_differences.json")
    args = parser.parse_args()
    all_mutants = {m.name: m for m in mutants() + fair_variants()
                   if args.mutants is None or m.name in args.mutants}
    expected = {p.name.removesuffix(".expected.json"): json.loads(p.read_text(encoding="utf-8"))["checks"]
                for p in (ROOT / "submissions").glob("*.expected.json")}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in expected:
            shutil.copytree(ROOT / "submissions" / name, folder / name)
        for name, mutant in all_mutants.items():
            mutant.write(folder / f"mutant-{name}")
        results = grade_folder(folder, GradingConfig(seed=args.seed, keras="3", jobs=args.jobs))
    report: dict[str, list[dict[str, object]]] = {}
    for r in sorted(results, key=lambda r: r.student):
        diffs = []
        for c in r.checks:
            if r.student.startswith("mutant-"):
                m = all_mutants[r.student.removeprefix("mutant-")]
                full_expected = c.id not in m.loses and c.id not in m.unsure
                differs = full_expected and c.points < c.max_points or c.id in m.loses and c.points == c.max_points
            else:
                differs = abs(c.points - expected[r.student][c.id]) > 1e-9
            if differs:
                diffs.append({"check": c.id, "points": c.points, "max": c.max_points, "message": c.message})
        report[r.student] = diffs
        print(f"{r.student:<45} {r.total:>6g}/50  {'same as Keras 2' if not diffs else f'{len(diffs)} checks differ'}")
        for d in diffs:
            print(f"    {d['check']}: {d['points']:g}/{d['max']:g} — {str(d['message'])[:200]}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"seed": args.seed, "mutants": sorted(all_mutants), "differences": report}, indent=2, ensure_ascii=False),
                        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
