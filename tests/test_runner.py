"""autograder.sandbox.runner: the student environment is small, explicit and follows the Keras option."""
import os
import sys

import psutil
import pytest

from autograder.config import GradingConfig
from autograder.sandbox.runner import Sandbox, sandbox_uid, separate_users_unavailable, student_env


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
