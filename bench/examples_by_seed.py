"""Do the example submissions grade to their expected results under any seed, not only the tests' one?

The README's grade command draws a fresh seed per run, while tests/test_examples.py pins one. This
regrades `submissions/` under seeds 1..N and counts, per example, the runs whose points differ from
`<name>.expected.json` on any check. Not a test: about 5 minutes a seed per process on 2 cores.

    .venv/bin/python bench/examples_by_seed.py --seeds 10 --jobs 2

Writes bench/results/examples_by_seed.json after every seed; any differing run can be repeated with
`autograde grade submissions --seed N`.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.config import GradingConfig  # noqa: E402
from autograder.grading import grade_folder  # noqa: E402

SUBMISSIONS = ROOT / "submissions"
Differences = dict[str, list[float | None]]  # check id -> [expected points, points given]


def _expected() -> dict[str, dict[str, float]]:
    return {p.name.removesuffix(".expected.json"): json.loads(p.read_text(encoding="utf-8"))["checks"]
            for p in sorted(SUBMISSIONS.glob("*.expected.json"))}


def _grade_seed(seed: int) -> tuple[int, dict[str, dict[str, float]], float]:
    started = time.monotonic()
    results = grade_folder(SUBMISSIONS, GradingConfig(seed=seed, jobs=1))
    return seed, {r.student: {c.id: c.points for c in r.checks} for r in results}, time.monotonic() - started


def _differences(expected: dict[str, float], got: dict[str, float] | None) -> Differences:
    if got is None:
        return {"(not graded)": [None, None]}
    return {cid: [want, got.get(cid)] for cid, want in expected.items() if got.get(cid) != want}


def _commit() -> str:
    done = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def _write(out: Path, seeds_asked: int, seeds_done: list[int],
           differing: dict[str, dict[int, Differences]]) -> None:
    report = {"commit": _commit(), "seeds_asked": seeds_asked, "seeds_done": sorted(seeds_done),
              "examples": {name: {"runs": len(seeds_done), "differing_runs": len(diffs),
                                  "differences": {str(seed): d for seed, d in sorted(diffs.items())}}
                           for name, diffs in differing.items()}}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="grade under seeds 1..N")
    parser.add_argument("--jobs", type=int, default=2, help="seeds graded at once")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "examples_by_seed.json")
    args = parser.parse_args()
    expected = _expected()
    seeds_done: list[int] = []
    differing: dict[str, dict[int, Differences]] = {name: {} for name in expected}
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for seed, graded, took in pool.map(_grade_seed, range(1, args.seeds + 1)):
            seeds_done.append(seed)
            bad = []
            for name, checks in expected.items():
                if diff := _differences(checks, graded.get(name)):
                    differing[name][seed] = diff
                    bad.append(name)
            print(f"seed {seed}: {len(expected) - len(bad)}/{len(expected)} examples as expected"
                  f"{' (differ: ' + ', '.join(bad) + ')' if bad else ''} in {took:.0f} s", flush=True)
            _write(args.out, args.seeds, seeds_done, differing)  # an interrupted run keeps its numbers
    for name, diffs in differing.items():
        print(f"{name:<32} runs {len(seeds_done):>3}  differing {len(diffs):>3}")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
