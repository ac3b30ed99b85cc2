"""The README's two set-up commands stay true: CI runs the test one; the grade one grades submissions/."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands():
    lines = ROOT.joinpath("README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("```bash")
    return lines[start + 1], lines[start + 2]


def test_ci_runs_the_readme_test_command():
    _, test_cmd = _readme_commands()
    assert test_cmd in ROOT.joinpath(".ci", "run").read_text(encoding="utf-8").splitlines()


def test_readme_grade_command_grades_the_example_folder():
    grade_cmd, _ = _readme_commands()
    assert grade_cmd.endswith("autograde grade submissions")
    assert any(ROOT.joinpath("submissions").glob("*.expected.json"))
