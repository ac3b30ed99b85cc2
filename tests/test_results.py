"""autograder.results and the report writers: the student view drops TA-only fields; files match schemas."""
import csv
import json

import jsonschema
import pytest

from autograder.reports.gradebook import write_gradebook
from autograder.reports.manual_review import write_manual_review
from autograder.reports.student_json import write_student_json, write_ta_report
from autograder.results import STUDENT_RESULT_SCHEMA, CheckResult, SubmissionResult


def _result(name="alice"):
    checks = (CheckResult("test_part1_bptt.py::a", 1, "d", 2.0, 2.0, "passed", "ok"),
              CheckResult("test_part3_lstm.py::b", 3, "d", 0.0, 6.0, "failed", "no", ("integrity: uses keras",)),
              CheckResult("test_part2_keras_rnns.py::c", 2, "d", 2.5, 5.0, "partial", "half"))
    return SubmissionResult(student=name, checks=checks, seed=9,
                            config={"seed": 9, "integrity_patterns_file": "/srv/course/canaries.txt"},
                            environment={"python": "3.11", "sandbox_user": "the grader's (/root is private)"},
                            ta_notes=("log tail",), review=("Part 1: derivation placeholder",),
                            notes=("the kernel died while running cell 7",),
                            failed_cells=({"cell": "cell #19", "status": "timeout", "error": "CellTimeoutError: cell "
                                           "ran past 300 s", "source": "while True:"},
                                          {"cell": "cell #20", "status": "error", "error": "NameError: x",
                                           "source": "x"}))


def test_totals_per_part():
    r = _result()
    assert (r.part_points(1), r.part_points(2), r.part_points(3), r.total, r.max_total) == (2, 2.5, 0, 4.5, 13)


def test_student_json_drops_ta_only_fields_and_matches_schema(tmp_path):
    path = write_student_json(_result("bob"), tmp_path, "bob")
    assert path == tmp_path / "students" / "bob.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, STUDENT_RESULT_SCHEMA)
    assert "integrity" not in path.read_text(encoding="utf-8") and "review" not in data
    assert "sandbox_user" not in data["environment"] and data["config"] == {"seed": 9}
    ta_view = _result().to_json()
    assert ta_view["config"]["integrity_patterns_file"] and ta_view["environment"]["sandbox_user"]
    with pytest.raises(jsonschema.ValidationError):  # the schema itself refuses a leaked patterns file
        jsonschema.validate({**data, "config": ta_view["config"]}, STUDENT_RESULT_SCHEMA)


def test_ta_report_keeps_everything(tmp_path):
    data = json.loads(write_ta_report([_result()], tmp_path).read_text(encoding="utf-8"))
    assert data[0]["ta_notes"] == ["log tail"] and data[0]["checks"][1]["ta_notes"] == ["integrity: uses keras"]


def test_gradebook_columns_and_manual_review(tmp_path):
    with open(write_gradebook([_result("b"), _result("a")], tmp_path), newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:5] == ["student", "part1", "part2", "part3", "total"] and [r[0] for r in rows[1:]] == ["a", "b"]
    assert rows[1][1:5] == ["2", "2.5", "0", "4.5"]
    review = write_manual_review([_result()], tmp_path, unexamined=[tmp_path / "empty-student"]
                                 ).read_text(encoding="utf-8")
    assert "derivation placeholder" in review and "integrity" in review
    assert "alice,submission,the kernel died while running cell 7" in review
    assert "alice,stopped cell,cell #19: CellTimeoutError" in review and "cell #20" not in review
    assert "empty-student,not graded,\"the folder holds no notebook" in review


def test_gradescope_results_match_the_schema_and_hide_ta_notes(tmp_path):
    from autograder.reports.gradescope import GRADESCOPE_SCHEMA, write_gradescope

    path = write_gradescope(_result(), tmp_path / "results.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, GRADESCOPE_SCHEMA)
    assert data["score"] == 4.5 and [t["number"] for t in data["tests"]] == ["1.1", "3.1", "2.1"]
    assert "integrity" not in path.read_text(encoding="utf-8")


def test_terminal_line_tells_lost_points_from_not_graded():
    from rich.console import Console

    from autograder.reports.terminal import print_student_line
    lost = CheckResult(id="test_part3_lstm.py::test_x", part=3, description="d", points=1, max_points=4,
                       status="partial", message="half right")
    broken = CheckResult(id="test_part3_lstm.py::test_y", part=3, description="d", points=0, max_points=4,
                         status="not_graded", message="could not be graded")
    console = Console(record=True, width=200)
    print_student_line(console, SubmissionResult(student="zoe", checks=(lost, broken), seed=1, config={},
                                                 environment={}))
    text = console.export_text()
    assert "1 check lost points; 1 check not graded" in text
    assert "half right" in text and "could not be graded" not in text
