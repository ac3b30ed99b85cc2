"""A hostile notebook graded in a batch with the solution: it plants forged records, rewrites the other
student's files and leaves a detached process behind. No forged file may be scored, the other
student is either graded right or reported not graded (never scored from altered files), and
nothing of the hostile submission outlives its run."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import psutil
import pytest

from autograder.sandbox.runner import MARKER
from tests.mutants import REFERENCE

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]

ATTACK = """
import json, pathlib, subprocess, sys
records = pathlib.Path({records!r})
forged = {{"kind": "cell_probe", "version": 1, "import_error": None, "classes": {{}}, "shapes": [], "ones": None,
          "cases": []}}
for folder in records.glob("*"):
    for name in ("cell_probe.json", "network_probe.json"):
        try:
            (folder / name).write_text(json.dumps(forged))
        except OSError:
            pass
    if folder.name != "00-hostile":
        try:
            (folder / "submission" / "utils" / "LSTM.py").write_text("raise SystemExit('vandalised')")
        except OSError:
            pass
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True, cwd="/")
print("attack done")
"""


def test_hostile_notebook_cannot_forge_or_outlive(tmp_path):
    classroom, records = tmp_path / "class", tmp_path / "records"
    hostile = classroom / "00-hostile"
    (hostile / "utils").mkdir(parents=True)
    (hostile / "utils" / "LSTM.py").write_text("raise ImportError('this cell is not written yet')\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(ATTACK.format(records=str(records)))])
    nbformat.write(nb, hostile / "task1-xor.ipynb")
    shutil.copytree(REFERENCE, classroom / "01-solution", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "grades"
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(classroom), "--out", str(out),
                           "--keep-records", str(records), "--seed", "7"], capture_output=True, text=True,
                          cwd=ROOT, timeout=1200)
    ta = {r["student"]: r for r in json.loads((out / "ta_report.json").read_text(encoding="utf-8"))}

    hostile_checks = {c["id"]: c for c in ta["00-hostile"]["checks"]}
    part3 = [c for c in hostile_checks.values() if c["part"] == 3]
    assert all(c["points"] == 0 for c in part3)
    assert any("could not be imported" in c["message"] for c in part3), [c["message"] for c in part3]
    run = json.loads((records / "00-hostile" / "notebook_run.json").read_text(encoding="utf-8"))
    assert [c["status"] for c in run["cells"]] == ["ok"]  # the attack itself ran

    solution = ta["01-solution"]
    changed = any("changed while student code ran" in n for n in solution["ta_notes"])
    assert solution["total"] == 50 or (changed and all(c["status"] == "not_graded" for c in solution["checks"]))
    assert proc.returncode == (3 if changed else 0), proc.stderr[-3000:]  # a check not graded is the grader's fault

    survivors = []
    for p in psutil.process_iter():
        try:
            if MARKER in p.environ() and "time.sleep(600)" in " ".join(p.cmdline()):
                survivors.append(p.pid)
        except psutil.Error:
            continue
    assert not survivors
