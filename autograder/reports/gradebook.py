"""The class gradebook: one CSV row per student, parts first."""
from __future__ import annotations

import csv
from pathlib import Path

from autograder.results import PARTS, SubmissionResult

COLUMNS = ["student", "part1", "part2", "part3", "total", "max_total", "not_graded", "seed"]


def write_gradebook(results: list[SubmissionResult], out_dir: Path) -> Path:
    path = out_dir / "gradebook.csv"
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for r in sorted(results, key=lambda r: r.student):
            writer.writerow([r.student, *(f"{r.part_points(p):g}" for p in PARTS), f"{r.total:g}",
                             f"{r.max_total:g}", r.not_graded, r.seed])
    tmp.replace(path)
    return path
