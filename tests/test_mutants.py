"""The rubric is tested like code: every mutant of the reference loses points on the check meant to catch
it and keeps every other point; unusual-but-correct variants keep theirs; the reference keeps 50/50."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mutants import REFERENCE, fair_variants, mutants

ROOT = Path(__file__).resolve().parents[1]
SEED = 424242  # fixed and recorded
MUTANTS = {m.name: m for m in mutants() + fair_variants()}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mutants")
    shutil.copytree(REFERENCE, folder / "00-reference", ignore=shutil.ignore_patterns("__pycache__"))
    for mutant in MUTANTS.values():
        mutant.write(folder / mutant.name)
    out = tmp_path_factory.mktemp("grades")
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(folder), "--out", str(out),
                           "--seed", str(SEED), "--jobs", "2"], capture_output=True, text=True, cwd=ROOT,
                          timeout=3600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ta = {r["student"]: r for r in json.loads((out / "ta_report.json").read_text(encoding="utf-8"))}
    return ta


def test_there_are_at_least_thirty_mutants():
    assert len(mutants()) >= 30


def test_reference_keeps_full_marks(graded):
    result = graded["00-reference"]
    assert result["total"] == 50, [(c["id"], c["message"]) for c in result["checks"] if c["status"] != "passed"]


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_loses_exactly_the_intended_points(graded, name):
    mutant, result = MUTANTS[name], graded[name]
    checks = {c["id"]: c for c in result["checks"]}
    assert all(c["status"] != "not_graded" for c in checks.values()), "grader fault"
    for cid in mutant.loses:
        assert checks[cid]["points"] < checks[cid]["max_points"], f"{cid} did not catch {mutant.description}"
    for cid, check in checks.items():
        if cid not in mutant.loses and cid not in mutant.unsure:
            assert check["points"] == check["max_points"], f"{cid} lost points: {check['message']}"
    if mutant.ta_note:
        notes = [n for c in result["checks"] for n in c["ta_notes"]] + result["ta_notes"]
        assert any(n.startswith(mutant.ta_note) for n in notes), notes
