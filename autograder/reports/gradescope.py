"""Gradescope's results.json for one student (student-facing: no TA notes)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from autograder.results import SubmissionResult

_TEST = {"type": "object", "required": ["name", "score", "max_score", "status", "output", "visibility"],
         "properties": {"name": {"type": "string"}, "number": {"type": "string"}, "score": {"type": "number"},
                        "max_score": {"type": "number"}, "status": {"enum": ["passed", "failed"]},
                        "output": {"type": "string"}, "visibility": {"enum": ["visible", "hidden", "after_due_date",
                                                                              "after_published"]}}}
GRADESCOPE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
    "required": ["score", "tests", "output", "visibility"],
    "properties": {"score": {"type": "number"}, "output": {"type": "string"}, "visibility": {"type": "string"},
                   "stdout_visibility": {"type": "string"}, "tests": {"type": "array", "items": _TEST}},
}


def gradescope_results(result: SubmissionResult) -> dict[str, Any]:
    counters: dict[int, int] = {}
    tests = []
    for check in result.checks:
        counters[check.part] = counters.get(check.part, 0) + 1
        tests.append({"name": f"{check.description} ({check.id.split('::')[-1]})",
                      "number": f"{check.part}.{counters[check.part]}", "score": check.points,
                      "max_score": check.max_points, "status": "passed" if check.status == "passed" else "failed",
                      "output": check.message, "visibility": "visible"})
    lines = [*result.notes, *(f"{c['cell']} {c['status']}: {c['error']}" for c in result.failed_cells)]
    return {"score": result.total, "tests": tests, "visibility": "visible", "stdout_visibility": "hidden",
            "output": "\n".join([f"seed {result.seed}", *lines])}


def write_gradescope(result: SubmissionResult, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(gradescope_results(result), indent=2, ensure_ascii=False), encoding="utf-8")
    return path
