"""autograder.sandbox.runner: the student environment is small, explicit and follows the Keras option."""
import os
import sys

import psutil
import pytest

from autograder.config import GradingConfig
from autograder.errors import GraderFault, UsageError
from autograder.intake import SubmissionSource
from autograder.sandbox.runner import (Sandbox, collect_records, prepare, sandbox_uid, separate_users_unavailable,
                                       student_env)


def test_keras2_by_default_and_keras3_on_request(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "do-not-leak")
    env2 = student_env(GradingConfig(seed=7), tmp_path / "home")
    env3 = student_env(GradingConfig(seed=7, keras="3"), tmp_path / "home")
    assert env2["TF_USE_LEGACY_KERAS"] == "1" and "TF_USE_LEGACY_KERAS" not in env3
    assert env2["MPLBACKEND"] == "Agg" and env2["PYTHONHASHSEED"] == "7" and env2["HOME"] == str(tmp_path / "home")
    assert "AWS_SECRET_ACCESS_KEY" not in env2


@pytest.mark.skipif(bool(separate_users_unavailable()), reason=f"{separate_users_unavailable()}")
def test_sandbox_user_cannot_touch_records_or_outlive_its_run(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    (records / "cell_probe.json").write_text("{}")
    sandbox = Sandbox(GradingConfig(seed=1), sandbox_uid(3))
    attack = ("import os, subprocess, sys\n"
              f"try:\n    open({str(records / 'cell_probe.json')!r}, 'w').write('forged')\n"
              "except PermissionError:\n    print('denied')\n"
              "print('uid', os.getuid())\n"
              "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], start_new_session=True)\n")
    try:
        outcome = sandbox.run([sys.executable, "-c", attack], cwd=sandbox.root, timeout_s=30,
                              log_path=records / "attack.log")
        assert outcome.returncode == 0, outcome.stderr_tail
        assert "denied" in outcome.stderr_tail and f"uid {sandbox_uid(3)}" in outcome.stderr_tail
        assert (records / "cell_probe.json").read_text() == "{}"
        assert not [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == sandbox_uid(3)]
    finally:
        sandbox.close(None)
    assert not sandbox.root.exists()


def test_without_separate_users_the_reason_is_specific():
    reason = separate_users_unavailable()
    assert reason is None or "root" in reason or "another user" in reason
    assert (sandbox_uid(0) is None) == (reason is not None)


def test_kept_sandbox_skips_fifos_and_leaves_nothing_behind(tmp_path):
    sandbox = Sandbox(GradingConfig(seed=1), None)
    (sandbox.root / "notebook").mkdir()
    (sandbox.root / "notebook" / "result.txt").write_text("kept")
    os.mkfifo(sandbox.root / "notebook" / "pipe")
    sandbox.close(tmp_path / "kept")
    assert (tmp_path / "kept" / "notebook" / "result.txt").read_text() == "kept"
    assert not (tmp_path / "kept" / "notebook" / "pipe").exists()
    assert not sandbox.root.exists()


def _prepared(tmp_path, notebook=True):
    """Without a notebook, only a README: nothing of the student's runs, so these tests stay fast."""
    src = tmp_path / "alice"
    src.mkdir(parents=True, exist_ok=True)
    (src / "README.md").write_text("my homework\n")
    if notebook:
        (src / "utils").mkdir(exist_ok=True)
        (src / "utils" / "LSTM.py").write_text("# cell\n")
        (src / "task1-xor.ipynb").write_text("{}")
    return prepare(SubmissionSource("alice", src), GradingConfig(seed=1), tmp_path / "records" / "alice")


def test_files_planted_in_the_records_are_dropped(tmp_path):
    job = _prepared(tmp_path, notebook=False)
    assert not job.has_notebook and "no Jupyter notebook" in (job.records / "submission.json").read_text()
    (job.records / "cell_probe.json").write_text('{"forged": true}')
    assert set(collect_records(job, GradingConfig(seed=1))) == {"submission.json", "submission/README.md"}
    assert not (job.records / "cell_probe.json").exists()


def test_a_changed_pristine_copy_is_never_scored(tmp_path):
    job = _prepared(tmp_path, notebook=False)
    (job.records / "submission" / "README.md").write_text("# rewritten by someone else\n")
    with pytest.raises(GraderFault, match="changed while student code ran"):
        collect_records(job, GradingConfig(seed=1))


def test_prepare_never_wipes_a_folder_that_is_not_records(tmp_path):
    (tmp_path / "records" / "alice").mkdir(parents=True)
    (tmp_path / "records" / "alice" / "thesis.tex").write_text("precious")
    with pytest.raises(UsageError, match="not empty"):
        _prepared(tmp_path)
    assert (tmp_path / "records" / "alice" / "thesis.tex").exists()
    (tmp_path / "records" / "alice" / "thesis.tex").unlink()
    assert _prepared(tmp_path).has_notebook and _prepared(tmp_path).has_utils  # earlier records are replaced
