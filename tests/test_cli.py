"""autograder.cli: every flag reaches the config; operator mistakes are one line and exit 4."""
import pytest

from autograder.cli import build_parser, config_from_args, main
from autograder.config import GradingConfig, config_fields


def test_every_config_field_has_a_flag_that_reaches_the_config(tmp_path):
    argv = ["grade", "x", "--seed", "17", "--keras", "3", "--cell-timeout-s", "12", "--notebook-timeout-s", "99",
            "--probe-timeout-s", "33", "--startup-timeout-s", "44", "--memory-limit-mb", "1234",
            "--heldout-samples", "200", "--seq-len", "8", "--accuracy-full", "0.9", "--accuracy-none", "0.5",
            "--gradient-tolerance", "0.001", "--sum-convention-credit", "0.25", "--fewer-decimals-credit", "0.75",
            "--cell-atol", "0.01", "--cell-rtol", "0.02", "--points-file", str(tmp_path / "p.toml"), "--jobs", "2"]
    config = config_from_args(build_parser().parse_args(argv))
    assert config == GradingConfig(seed=17, keras="3", cell_timeout_s=12, notebook_timeout_s=99, probe_timeout_s=33,
                                   startup_timeout_s=44, memory_limit_mb=1234, heldout_samples=200, seq_len=8,
                                   accuracy_full=0.9, accuracy_none=0.5, gradient_tolerance=0.001,
                                   sum_convention_credit=0.25, fewer_decimals_credit=0.75, cell_atol=0.01,
                                   cell_rtol=0.02, points_file=tmp_path / "p.toml", jobs=2)
    flags = {a.dest for a in build_parser()._subparsers._group_actions[0].choices["grade"]._actions}
    assert {f.name for f in config_fields()} <= flags


def test_seed_is_drawn_per_run_when_not_given():
    seeds = {config_from_args(build_parser().parse_args(["grade"])).seed for _ in range(5)}
    assert len(seeds) > 1


@pytest.mark.parametrize("argv, text", [
    (["grade", "/no/such/folder"], "does not exist"),
    (["grade", "submissions", "--jobs", "0"], "--jobs must be at least 1"),
    (["grade", "submissions", "--points-file", "/no/such.toml"], "does not exist"),
    (["grade", "submissions", "--seed", "-5"], "--seed must be between 0"),
    (["grade", "submissions", "--memory-limit-mb", "-1"], "--memory-limit-mb must be at least"),
    (["grade", "submissions", "--gradient-tolerance", "nan"], "--gradient-tolerance must be a non-negative"),
    (["grade", "submissions", "--sum-convention-credit", "2"], "between 0 and 1"),
    (["grade", "submissions", "--cell-timeout-s", "0"], "--cell-timeout-s must be a positive"),
    (["grade", "submissions", "--accuracy-none", "0.97"], "--accuracy-none < --accuracy-full"),
    (["checks", "--seed", "-1"], "--seed must be between 0"),
])
def test_usage_errors_exit_4_without_traceback(argv, text, capsys, tmp_path):
    out = ["--out", str(tmp_path / "out")] if argv[0] == "grade" else []
    assert main([*argv, *out]) == 4
    captured = capsys.readouterr()
    assert text in captured.err and "Traceback" not in captured.err
    assert captured.out == ""  # the error alone: no "grading …" banner or intake listing before it


def test_points_file_and_gradescope_errors_come_before_any_output(tmp_path, capsys):
    points = tmp_path / "points.toml"
    points.write_text("[points]\ntest_no_such_check = 3\n")
    for argv in (["submissions", "--points-file", str(points)],
                 ["submissions", "--gradescope", str(tmp_path / "results.json")]):
        assert main(["grade", *argv, "--out", str(tmp_path / "o")]) == 4, argv
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.startswith("error: "), (argv, captured)


@pytest.mark.parametrize("argv, text", [
    (["grade", "--jobs", "abc"], "invalid int value"),
    (["grade", "--keras", "4"], "invalid choice"),
    (["grade", "--nonfinite-costs-points", "maybe"], "expected yes or no, got 'maybe'"),
    (["frobnicate"], "invalid choice"),
])
def test_argument_errors_exit_4_too(argv, text, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 4 and text in capsys.readouterr().err


def test_output_paths_that_cannot_be_folders_fail_before_grading(tmp_path, capsys):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    for argv in (["--out", str(blocker)], ["--keep-records", str(blocker)],
                 ["--gradescope", str(blocker / "results.json")], ["--gradescope", str(tmp_path)]):
        assert main(["grade", "submissions/01-solution", "--out", str(tmp_path / "o"), *argv]) == 4, argv
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "Traceback" not in err, err


def test_checks_lists_fifty_points(capsys):
    assert main(["checks"]) == 0
    out = capsys.readouterr().out
    assert out.count("test_part1_gradient_within_tolerance[") == 5
    assert "test_lstm_model_heldout_accuracy" in out


def test_names_that_sanitize_alike_get_separate_student_files(tmp_path, monkeypatch):
    from autograder import cli
    from autograder.results import SubmissionResult

    for name in ("a b", "a_b"):
        (tmp_path / "class" / name).mkdir(parents=True)
        (tmp_path / "class" / name / "task1-xor.ipynb").write_text("{}")

    def fake_grade_folder(path, config, *, keep_records=None, on_result=None):
        results = [SubmissionResult(student=s, checks=(), seed=config.seed, config={}, environment={})
                   for s in ("a b", "a_b")]
        for r in results:
            on_result(r)
        return results

    monkeypatch.setattr(cli, "grade_folder", fake_grade_folder)
    assert main(["grade", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--seed", "1"]) == 0
    files = sorted(p.name for p in (tmp_path / "out" / "students").iterdir())
    assert files == ["a_b-2.json", "a_b.json"]
