"""The manual-review sheet: what a person should read or decide, one row per item (TA-only)."""
from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from autograder.results import SubmissionResult


def write_manual_review(results: list[SubmissionResult], out_dir: Path, unexamined: Sequence[Path] = ()) -> Path:
    """`unexamined`: class-folder entries passed over as holding no submission (e.g. an empty student folder)."""
    path = out_dir / "manual_review.csv"
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "kind", "note"])
        for entry in sorted(unexamined):
            writer.writerow([entry.name, "not graded", "the folder holds no notebook, Python file or zip"])
        for r in sorted(results, key=lambda r: r.student):
            for note in r.notes:  # what intake decided or why the notebook stopped: worth a person's look
                writer.writerow([r.student, "submission", note])
            for note in r.review:
                writer.writerow([r.student, "review", note])
            for cell in r.failed_cells:  # stopped at the cell time limit: did the student's work get its chance?
                if cell["status"] == "timeout":
                    writer.writerow([r.student, "stopped cell", f"{cell['cell']}: {cell['error']}"])
            flagged = [*r.ta_notes, *(n for c in r.checks for n in c.ta_notes)]
            for note in dict.fromkeys(n for n in flagged if n.startswith(("integrity:", "numerics:"))):
                kind, _, text = note.partition(":")
                writer.writerow([r.student, kind, text.strip()])
            if r.not_graded:
                writer.writerow([r.student, "grader fault", f"{r.not_graded} checks not graded; see ta_report.json"])
    tmp.replace(path)
    return path
