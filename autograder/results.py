"""Scored result records: what the plugin produces and every report consumes."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["passed", "partial", "failed", "not_graded"]
PARTS = (1, 2, 3)
TA_ONLY_CONFIG = ("integrity_patterns_file",)


@dataclass(frozen=True)
class CheckResult:
    """One rubric check for one student."""

    id: str  # pytest node id relative to the rubric, e.g. test_part1_bptt.py::test_...[w_x]
    part: int
    description: str  # the test's docstring first line: the rubric text
    points: float
    max_points: float
    status: Status
    message: str  # student-facing: what was checked, what was seen, what to try
    ta_notes: tuple[str, ...] = ()  # TA-only: integrity flags, stderr tails, grader tracebacks


@dataclass(frozen=True)
class SubmissionResult:
    """Every check of one submission plus the context needed to reproduce it."""

    student: str
    checks: tuple[CheckResult, ...]
    seed: int
    config: dict[str, Any]
    environment: dict[str, str]
    notes: tuple[str, ...] = ()  # submission-level observations for the student (renamed notebook, …)
    ta_notes: tuple[str, ...] = ()  # TA-only: integrity flags, process logs, grader faults
    review: tuple[str, ...] = ()  # TA-only: items a person should look at (the manual-review sheet)
    failed_cells: tuple[dict[str, Any], ...] = field(default=())
    resources: dict[str, float] = field(default_factory=dict)  # seconds and peak MiB of the sandbox processes

    def part_points(self, part: int) -> float:
        return round(sum(c.points for c in self.checks if c.part == part), 4)

    def part_max(self, part: int) -> float:
        return round(sum(c.max_points for c in self.checks if c.part == part), 4)

    @property
    def total(self) -> float:
        return round(sum(c.points for c in self.checks), 4)

    @property
    def max_total(self) -> float:
        return round(sum(c.max_points for c in self.checks), 4)

    @property
    def not_graded(self) -> int:
        return sum(c.status == "not_graded" for c in self.checks)

    def to_json(self, *, for_student: bool = False) -> dict[str, Any]:
        """Plain data; `for_student` drops TA-only notes and what would tell students how they are watched
        (that a patterns file exists, the grader's paths)."""
        data = asdict(self)
        data["parts"] = {str(p): {"points": self.part_points(p), "max_points": self.part_max(p)} for p in PARTS}
        data["total"], data["max_total"] = self.total, self.max_total
        if for_student:
            data.pop("ta_notes")
            data.pop("review")
            for key in TA_ONLY_CONFIG:
                data["config"].pop(key, None)
            data["environment"].pop("sandbox_user", None)
            for check in data["checks"]:
                check.pop("ta_notes")
        return data


_CHECK_SCHEMA = {
    "type": "object", "required": ["id", "part", "description", "points", "max_points", "status", "message"],
    "properties": {"id": {"type": "string"}, "part": {"enum": list(PARTS)}, "description": {"type": "string"},
                   "points": {"type": "number", "minimum": 0}, "max_points": {"type": "number", "minimum": 0},
                   "status": {"enum": ["passed", "partial", "failed", "not_graded"]}, "message": {"type": "string"}},
}
STUDENT_RESULT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["student", "checks", "seed", "config", "environment", "parts", "total", "max_total"],
    "properties": {"student": {"type": "string"}, "checks": {"type": "array", "items": _CHECK_SCHEMA},
                   "seed": {"type": "integer"}, "config": {"type": "object"}, "environment": {"type": "object"},
                   "total": {"type": "number"}, "max_total": {"type": "number"},
                   "parts": {"type": "object", "required": [str(p) for p in PARTS]},
                   "failed_cells": {"type": "array"}, "notes": {"type": "array", "items": {"type": "string"}}},
    "not": {"anyOf": [{"required": ["ta_notes"]}, {"required": ["review"]},
                      {"properties": {"config": {"anyOf": [{"required": [k]} for k in TA_ONLY_CONFIG]}},
                       "required": ["config"]}]},
}
