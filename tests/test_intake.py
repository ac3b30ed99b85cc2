"""autograder.intake: notebooks found in real-world layouts; bad zips and paths handled."""
import zipfile

import pytest

from autograder.errors import SubmissionFault, UsageError
from autograder.intake import SubmissionSource, discover, file_names, open_submission, passed_over


def _make(root, notebook="task1-xor.ipynb"):
    (root / "utils").mkdir(parents=True)
    (root / "utils" / "LSTM.py").write_text("# cell\n")
    (root / notebook).write_text("{}")
    return root


def test_renamed_and_nested_notebook(tmp_path):
    _make(tmp_path / "src" / "solved", "Task1-XOR (1).ipynb")
    (tmp_path / "src" / "solved" / "task2-other.ipynb").write_text("{}")
    (tmp_path / "src" / "__MACOSX").mkdir()
    (tmp_path / "src" / "__MACOSX" / "task1-xor.ipynb").write_text("junk")
    sub = open_submission(SubmissionSource("s", tmp_path / "src"), tmp_path / "scratch")
    assert sub.notebook.name == "Task1-XOR (1).ipynb" and sub.utils_dir is not None
    assert any("not named" in n for n in sub.notes)
    assert not (tmp_path / "scratch" / "__MACOSX").exists()


def test_checkpoint_copies_are_ignored(tmp_path):
    _make(tmp_path / "src")
    (tmp_path / "src" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "src" / ".ipynb_checkpoints" / "task1-xor-checkpoint.ipynb").write_text("{}")
    sub = open_submission(SubmissionSource("s", tmp_path / "src"), tmp_path / "scratch")
    assert sub.notebook.parent == tmp_path / "scratch"


def test_no_notebook_is_said_and_utils_still_found(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "README.md").write_text("hi")
    sub = open_submission(SubmissionSource("s", tmp_path / "src"), tmp_path / "scratch")
    assert sub.notebook is None and sub.utils_dir is None and "no Jupyter notebook" in sub.notebook_missing
    (tmp_path / "src2" / "hw3" / "utils").mkdir(parents=True)
    (tmp_path / "src2" / "hw3" / "utils" / "LSTM.py").write_text("# cell\n")
    (tmp_path / "src2" / "task2-other.ipynb").write_text("{}")
    (tmp_path / "src2" / "task3-other.ipynb").write_text("{}")
    sub = open_submission(SubmissionSource("s", tmp_path / "src2"), tmp_path / "scratch2")
    assert sub.notebook is None and sub.root == tmp_path / "scratch2" / "hw3"
    assert sub.utils_dir == sub.root / "utils" and "no task1-xor notebook among" in sub.notebook_missing


def test_zip_with_traversal_and_junk_is_unpacked_safely(tmp_path):
    z = tmp_path / "bob.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("assignment_3/task1-xor.ipynb", "{}")
        zf.writestr("assignment_3/utils/LSTM.py", "# cell")
        zf.writestr("../evil.py", "boom")
        zf.writestr("__MACOSX/assignment_3/._task1-xor.ipynb", "junk")
        link = zipfile.ZipInfo("assignment_3/utils/link.py")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
    sub = open_submission(SubmissionSource("bob", z), tmp_path / "scratch")
    assert sub.notebook.relative_to(tmp_path / "scratch").parts == ("assignment_3", "task1-xor.ipynb")
    assert not (tmp_path / "evil.py").exists() and not (sub.root / "utils" / "link.py").exists()
    assert "left out 2 zip entries that are links or point outside the submission folder" in sub.notes


def test_corrupt_zip_is_a_submission_fault(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    with pytest.raises(SubmissionFault, match="not a readable zip"):
        open_submission(SubmissionSource("x", tmp_path / "x.zip"), tmp_path / "scratch")


def test_discover_folder_of_submissions(tmp_path):
    _make(tmp_path / "class" / "alice")
    _make(tmp_path / "class" / "bob")
    (tmp_path / "class" / "carol.zip").write_bytes(b"")
    (tmp_path / "class" / "notes.txt").write_text("")
    names = [s.name for s in discover(tmp_path / "class")]
    assert names == ["alice", "bob", "carol"]
    assert [s.name for s in discover(tmp_path / "class" / "alice")] == ["alice"]


def test_discover_bad_paths_are_usage_errors(tmp_path):
    with pytest.raises(UsageError):
        discover(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no submissions"):
        discover(tmp_path / "empty")


def test_folder_without_notebook_is_reported_not_dropped(tmp_path):
    _make(tmp_path / "class" / "alice")
    (tmp_path / "class" / "dave" / "utils").mkdir(parents=True)
    (tmp_path / "class" / "dave" / "utils" / "LSTM.py").write_text("# forgot the notebook\n")
    (tmp_path / "class" / "empty-folder" / "__MACOSX").mkdir(parents=True)
    (tmp_path / "class" / "empty-folder" / "__MACOSX" / "x").write_text("junk only")
    sources = discover(tmp_path / "class")
    assert [s.name for s in sources] == ["alice", "dave"]
    dave = open_submission(sources[1], tmp_path / "scratch")
    assert dave.notebook is None and dave.utils_dir is not None


def test_folders_of_reports_or_notes_are_not_students_and_are_listed(tmp_path):
    _make(tmp_path / "class" / "alice")
    for folder, name in (("grades", "gradebook.csv"), ("grades/students", "alice.json"), ("notes", "README.md")):
        (tmp_path / "class" / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / "class" / folder / name).write_text("x")
    (tmp_path / "class" / "roster.csv").write_text("alice")
    assert [s.name for s in discover(tmp_path / "class")] == ["alice"]
    assert [p.name for p in passed_over(tmp_path / "class")] == ["grades", "notes", "roster.csv"]
    assert passed_over(tmp_path / "class" / "alice") == []


def test_folder_and_zip_of_the_same_name_keep_apart(tmp_path):
    _make(tmp_path / "class" / "alice")
    (tmp_path / "class" / "alice.zip").write_bytes(b"")
    (tmp_path / "class" / "bob.zip").write_bytes(b"")
    assert [s.name for s in discover(tmp_path / "class")] == ["alice", "alice.zip", "bob"]


def test_zip_with_a_file_and_a_folder_of_one_name_is_a_submission_fault(tmp_path):
    z = tmp_path / "eve.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("utils", "a file named utils")
        zf.writestr("utils/LSTM.py", "# cell")
        zf.writestr("task1-xor.ipynb", "{}")
    with pytest.raises(SubmissionFault, match="zip the submission folder again"):
        open_submission(SubmissionSource("eve", z), tmp_path / "scratch")


def test_special_files_in_a_folder_are_skipped(tmp_path):
    import os
    _make(tmp_path / "src")
    os.mkfifo(tmp_path / "src" / "pipe")
    sub = open_submission(SubmissionSource("s", tmp_path / "src"), tmp_path / "scratch")
    assert sub.utils_dir is not None and not (tmp_path / "scratch" / "pipe").exists()


def test_file_names_are_safe_and_never_collide(tmp_path):
    sources = [SubmissionSource(n, tmp_path / n) for n in ("a b", "a_b", "a?b", "../x", "..", "Zoë")]
    names = file_names(sources)
    assert list(names.values()) == ["a_b", "a_b-2", "a_b-3", "_x", "submission", "Zoë"]
    assert all("/" not in n for n in names.values())


def test_a_second_task1_notebook_is_named_in_the_notes(tmp_path):
    _make(tmp_path / "src")
    (tmp_path / "src" / "task1-xor (1).ipynb").write_text("{}")
    sub = open_submission(SubmissionSource("s", tmp_path / "src"), tmp_path / "scratch")
    assert sub.notebook.name == "task1-xor.ipynb"
    assert any("other task1-xor notebooks too: task1-xor (1).ipynb" in n for n in sub.notes), sub.notes
