"""Per-student JSON (student-facing: no TA notes) and the TA report (everything)."""
from __future__ import annotations

import json
from pathlib import Path

from autograder.results import SubmissionResult


def write_student_json(result: SubmissionResult, out_dir: Path, file_name: str) -> Path:
    """`students/<file_name>.json`; `file_name` comes from `intake.file_names`, distinct per submission."""
    path = out_dir / "students" / f"{file_name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.to_json(for_student=True), indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def write_ta_report(results: list[SubmissionResult], out_dir: Path) -> Path:
    path = out_dir / "ta_report.json"
    path.write_text(json.dumps([r.to_json() for r in results], indent=2, ensure_ascii=False), encoding="utf-8")
    return path
