"""autograder.plugin end to end with pytester: points, partial credit, classification, override validation."""
from pathlib import Path

import pytest

RUBRIC_DIR = Path(__file__).resolve().parents[1] / "autograder" / "rubric"

CONFTEST = """
import pytest
from autograder.plugin import record_fraction

@pytest.fixture
def partial_credit(request):
    return lambda f, m: record_fraction(request.node, f, m)
"""

RUBRIC = """
import pytest

@pytest.mark.points(4)
def test_passes():
    '''A check that passes.'''

@pytest.mark.points(2)
def test_partial(partial_credit):
    partial_credit(0.25, "a quarter")

@pytest.mark.points(2)
def test_fails():
    pytest.fail("student-facing reason", pytrace=False)

@pytest.mark.points(2)
def test_grader_bug():
    {}["missing"]
"""

FAULTY_FIXTURE = """
import pytest
from autograder.errors import NotebookMissing

@pytest.fixture
def notebook():
    raise NotebookMissing("no Jupyter notebook (.ipynb) was found in the submission")

@pytest.mark.points(10)
def test_needs_notebook(notebook):
    pass
"""


@pytest.fixture
def records(tmp_path):
    """The smallest records folder: the plugin only checks that submission.json is there."""
    (tmp_path / "submission.json").write_text("{}")
    return tmp_path


@pytest.fixture
def rubric(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_part1_demo=RUBRIC)
    return pytester


def _points(result):
    lines = [line for line in result.outlines if "test_part1_demo.py::" in line and " / " in line]
    return {line.split("::")[-1]: (float(line.split("/")[0]), line.split()[3]) for line in lines}


def test_points_statuses_and_partial_credit(rubric, records, tmp_path):
    result = rubric.runpytest("--records", str(records), "--seed", "5")
    points = _points(result)
    assert points == {"test_passes": (4.0, "passed"), "test_partial": (0.5, "partial"),
                      "test_fails": (0.0, "failed"), "test_grader_bug": (0.0, "not_graded")}
    result.stdout.fnmatch_lines(["total: 4.5 / 10  (seed 5)"])


def test_points_file_overrides_and_keeps_part_total(rubric, records, tmp_path):
    (tmp_path / "p.toml").write_text("[points]\ntest_passes = 2\ntest_fails = 4\n")
    points = _points(rubric.runpytest("--records", str(records), "--points-file", str(tmp_path / "p.toml")))
    assert points["test_passes"] == (2.0, "passed")


def test_points_file_takes_the_ids_that_checks_lists(rubric, records, tmp_path):
    (tmp_path / "p.toml").write_text('[points]\n"test_part1_demo.py::test_passes" = 1\ntest_fails = 5\n')
    points = _points(rubric.runpytest("--records", str(records), "--points-file", str(tmp_path / "p.toml")))
    assert points["test_passes"] == (1.0, "passed") and points["test_fails"] == (0.0, "failed")


def test_submission_faults_show_the_message_not_a_traceback(pytester, records):
    pytester.makepyfile(test_part1_demo=FAULTY_FIXTURE)
    result = pytester.runpytest("--records", str(records))
    out = result.stdout.str()
    assert "no Jupyter notebook (.ipynb) was found" in out and "  0.00 / 10" in out
    assert "raise NotebookMissing" not in out and "Traceback" not in out and "conftest" not in out


def test_bad_option_values_are_one_usage_error(rubric, records):
    result = rubric.runpytest("--records", str(records), "--seed", "-3")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--seed must be between 0*"])


def test_points_file_with_unknown_check_is_a_usage_error(rubric, records, tmp_path):
    (tmp_path / "p.toml").write_text("[points]\ntest_nonexistent = 2\n")
    result = rubric.runpytest("--records", str(records), "--points-file", str(tmp_path / "p.toml"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*do not exist: test_nonexistent*"])


def test_points_file_changing_a_part_total_is_a_usage_error(pytester, records, tmp_path):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_part1_demo="import pytest\n\n@pytest.mark.points(10)\ndef test_all():\n    pass\n")
    (tmp_path / "p.toml").write_text("[points]\ntest_all = 12\n")
    result = pytester.runpytest("--records", str(records), "--points-file", str(tmp_path / "p.toml"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*Part 1 totals 12 points*"])


def test_check_without_points_marker_is_a_usage_error(pytester, records, tmp_path):
    pytester.makepyfile(test_part2_demo="def test_unmarked():\n    pass\n")
    result = pytester.runpytest("--records", str(records))
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_misspelled_marker_fails_under_strict_markers(pytester, records, tmp_path):
    pytester.makepyfile(test_part2_demo="import pytest\n\n@pytest.mark.point(2)\ndef test_x():\n    pass\n")
    result = pytester.runpytest("--records", str(records), "--strict-markers")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*'point' not found in `markers`*"])


def test_plugin_is_inert_without_a_submission(pytester):
    pytester.makepyfile(test_plain="def test_ok():\n    pass\n")
    result = pytester.runpytest()
    assert result.ret == 0 and "autograder points" not in result.stdout.str()


def test_rubric_without_a_submission_is_one_usage_error(pytester):
    result = pytester.runpytest(str(RUBRIC_DIR))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*run it with --submission PATH*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_rubric_with_a_missing_submission_is_one_usage_error(pytester, tmp_path):
    result = pytester.runpytest(str(RUBRIC_DIR), "--submission", str(tmp_path / "nope"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*nope does not exist*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_records_folder_must_be_one(pytester, tmp_path):
    result = pytester.runpytest(str(RUBRIC_DIR), "--records", str(tmp_path))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*is not a records folder*"])


def test_points_file_without_points_table_is_a_usage_error(rubric, records, tmp_path):
    (tmp_path / "p.toml").write_text("test_passes = 2\n")
    result = rubric.runpytest("--records", str(records), "--points-file", str(tmp_path / "p.toml"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*has no [[]points[]] table (found test_passes)*"])


def test_keep_records_never_overwrites_a_folder_of_other_things(pytester, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "task1-xor.ipynb").write_text("{}")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    result = pytester.runpytest(str(RUBRIC_DIR), "--submission", str(tmp_path / "sub"),
                                "--keep-records", str(tmp_path / "mine"))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*is not empty and holds no earlier records*"])
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "precious"
