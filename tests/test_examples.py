"""Integration: every example submission grades to exactly its expected result, through the CLI and pytest."""
import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from autograder.results import STUDENT_RESULT_SCHEMA

ROOT = Path(__file__).resolve().parents[1]
SUBMISSIONS = ROOT / "submissions"
SEED = 20261203  # fixed and recorded; bench/flake_rate.py measures other seeds
EXPECTED = {p.name.removesuffix(".expected.json"): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(SUBMISSIONS.glob("*.expected.json"))}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("grades")
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(SUBMISSIONS), "--out", str(out),
                           "--seed", str(SEED), "--jobs", "2"], capture_output=True, text=True, cwd=ROOT,
                          timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out, proc


def test_at_least_six_examples_including_the_solution():
    assert len(EXPECTED) >= 6 and EXPECTED["01-solution"]["total"] == 50


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_example_grades_exactly_as_expected(graded, student):
    out, _ = graded
    result = json.loads((out / "students" / f"{student}.json").read_text(encoding="utf-8"))
    jsonschema.validate(result, STUDENT_RESULT_SCHEMA)
    got = {c["id"]: c["points"] for c in result["checks"]}
    expected = EXPECTED[student]
    assert got == expected["checks"], {k: (got.get(k), v) for k, v in expected["checks"].items() if got.get(k) != v}
    assert result["total"] == expected["total"] and result["seed"] == SEED
    for check in result["checks"]:
        assert check["message"], check["id"]


def test_gradebook_and_terminal_summary(graded):
    out, proc = graded
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:5] == ["student", "part1", "part2", "part3", "total"]
    assert {r["student"]: float(r["total"]) for r in rows} == {s: e["total"] for s, e in EXPECTED.items()}
    assert "XOR homework grades" in proc.stdout and "Traceback" not in proc.stdout + proc.stderr


def test_plain_pytest_gives_the_cli_points(graded, tmp_path):
    """`pytest <rubric> --submission PATH` is the same grader as the CLI, not a second one."""
    out, _ = graded
    student = "06-part2-cell-raises"
    proc = subprocess.run([sys.executable, "-m", "pytest", str(ROOT / "autograder" / "rubric"), "--submission",
                           str(SUBMISSIONS / student), "--seed", str(SEED)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=900)
    rows = [re.match(r"^\s*([\d.]+) / \S+\s+\w+\s+(\S+::\S+)$", line) for line in proc.stdout.splitlines()]
    points = {m.group(2): float(m.group(1)) for m in rows if m}
    cli = json.loads((out / "students" / f"{student}.json").read_text(encoding="utf-8"))
    assert points == {c["id"]: c["points"] for c in cli["checks"]}, proc.stdout[-3000:]


def test_integrity_flags_reach_the_ta_report_only(graded):
    out, _ = graded
    ta = {r["student"]: r for r in json.loads((out / "ta_report.json").read_text(encoding="utf-8"))}
    notes = [n for c in ta["09-delegates-to-keras-cell"]["checks"] for n in c["ta_notes"]]
    assert any(n.startswith("integrity:") for n in notes)
    for path in (out / "students").glob("*.json"):
        text = path.read_text(encoding="utf-8")
        assert "integrity:" not in text and "ta_notes" not in text, path.name
    assert "09-delegates-to-keras-cell,integrity" in (out / "manual_review.csv").read_text(encoding="utf-8")


def test_gradescope_results_for_one_submission(tmp_path):
    from autograder.reports.gradescope import GRADESCOPE_SCHEMA

    target = tmp_path / "results" / "results.json"
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(SUBMISSIONS / "05-lstmmodel-unimplemented"),
                           "--out", str(tmp_path / "out"), "--seed", str(SEED), "--gradescope", str(target)],
                          capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.validate(data, GRADESCOPE_SCHEMA)
    assert data["score"] == EXPECTED["05-lstmmodel-unimplemented"]["total"]
