"""Flake-rate benchmark: regrade the solution and borderline submissions under many seeds and count how
often each check's outcome changes. Not a test: it takes an hour at the defaults on 2 cores.

    .venv/bin/python bench/flake_rate.py --runs 200 --borderline-runs 20 --jobs 2
    .venv/bin/python bench/flake_rate.py --resume      # go on after an interrupted run

Writes bench/results/flake_rate.json after every seed and prints a table. Seeds are 1..N, so any run
can be repeated with `autograde grade --seed N`.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.config import GradingConfig  # noqa: E402
from autograder.grading import grade_folder  # noqa: E402
from tests.mutants import NOTEBOOK, REFERENCE, Mutant  # noqa: E402

# Borderline on purpose: accuracy near the scale's edges, so outcomes may legitimately vary by seed.
BORDERLINE = [
    # Mutant.write replaces every occurrence: all three networks train at the default rate.
    Mutant("default-learning-rate", "Adam at its default learning rate (0.001) for every network",
           ((NOTEBOOK, "tf.keras.optimizers.Adam(learning_rate=0.01)", "tf.keras.optimizers.Adam()"),),
           loses=frozenset()),
]


def _write_submissions(folder: Path, with_borderline: bool) -> None:
    shutil.copytree(REFERENCE, folder / "solution", ignore=shutil.ignore_patterns("__pycache__"))
    if with_borderline:
        for mutant in BORDERLINE:
            mutant.write(folder / mutant.name)
        shutil.copytree(ROOT / "submissions" / "04-forget-gate-bug", folder / "forget-gate-bug")


def _grade_seed(seed: int, borderline_runs: int) -> tuple[int, dict[str, dict[str, float]], float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "subs"
        folder.mkdir()
        _write_submissions(folder, seed <= borderline_runs)
        started = time.monotonic()
        results = grade_folder(folder, GradingConfig(seed=seed, jobs=1))
        took = time.monotonic() - started
    return seed, {r.student: {c.id: c.points for c in r.checks} for r in results}, took


Outcomes = dict[str, dict[str, Counter[float]]]  # student -> check id -> points -> runs


def _summary(outcomes: Outcomes) -> dict[str, dict[str, dict[str, object]]]:
    out: dict[str, dict[str, dict[str, object]]] = {}
    for student, checks in outcomes.items():
        for cid, counts in checks.items():
            runs = sum(counts.values())
            out.setdefault(student, {})[cid] = {
                "runs": runs, "changed": runs - counts.most_common(1)[0][1],
                "outcomes": {f"{k:g}": v for k, v in sorted(counts.items())}}
    return out


def _load(path: Path) -> tuple[dict[str, object], Outcomes]:
    """Counts are all a resumed run needs: how often each check gave each number of points."""
    report = json.loads(path.read_text(encoding="utf-8"))
    outcomes: Outcomes = {
        student: {cid: Counter({float(k): int(v) for k, v in row["outcomes"].items()}) for cid, row in checks.items()}
        for student, checks in report["submissions"].items()}
    return report, outcomes


def _commit() -> str:
    done = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def _write_report(args: argparse.Namespace, outcomes: Outcomes, runs_done: int, seconds: float,
                  segments: list[dict[str, object]]) -> None:
    report = {"runs_done": runs_done, "runs_asked": args.runs, "borderline_runs": args.borderline_runs,
              "jobs": args.jobs, "mean_seed_s": round(seconds / max(runs_done, 1), 1),
              "segments": segments, "submissions": _summary(outcomes)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")


def _print_table(outcomes: Outcomes) -> None:
    print(f"\n{'submission':<24} {'check':<72} runs  changed  outcomes")
    for student, checks in _summary(outcomes).items():
        for cid, row in checks.items():
            print(f"{student:<24} {cid:<72} {row['runs']:>4}  {row['changed']:>7}  {row['outcomes']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="seeds for the solution")
    parser.add_argument("--borderline-runs", type=int, default=20, help="seeds for the borderline submissions")
    parser.add_argument("--jobs", type=int, default=2, help="seeds graded at once")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "flake_rate.json")
    parser.add_argument("--resume", action="store_true",
                        help="go on from the seeds already in --out (its --runs and --borderline-runs are kept)")
    args = parser.parse_args()
    outcomes: Outcomes = {}
    runs_done, seconds, segments = 0, 0.0, []
    if args.resume:
        report, outcomes = _load(args.out)
        runs_done = int(report["runs_done"])  # type: ignore[arg-type]
        args.runs, args.borderline_runs = report["runs_asked"], report["borderline_runs"]
        seconds = float(report["mean_seed_s"]) * runs_done  # type: ignore[arg-type]
        segments = list(report.get("segments") or [{"seeds": f"1-{runs_done}", "commit": "unrecorded"}])  # type: ignore[call-overload]
    seeds = range(runs_done + 1, args.runs + 1)
    segments.append({"seeds": f"{seeds.start}-{seeds.stop - 1}", "commit": _commit()})
    # Seeds run side by side, one process each: a single batch cannot use two cores for one submission.
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for seed, graded, took in pool.map(_grade_seed, seeds, [args.borderline_runs] * len(seeds)):
            runs_done, seconds = runs_done + 1, seconds + took
            for student, checks in graded.items():
                per = outcomes.setdefault(student, {})
                for cid, points in checks.items():
                    per.setdefault(cid, Counter())[points] += 1
            total = sum(graded["solution"].values())
            print(f"seed {seed}: solution {total:g}/50, {len(graded)} submissions in {took:.0f} s", flush=True)
            _write_report(args, outcomes, runs_done, seconds, segments)  # an interrupted run keeps its numbers
    _print_table(outcomes)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
