"""autograder.sandbox.runner: the student environment is small, explicit and follows the Keras option."""
from autograder.config import GradingConfig
from autograder.sandbox.runner import student_env


def test_keras2_by_default_and_keras3_on_request(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "do-not-leak")
    env2 = student_env(GradingConfig(seed=7), tmp_path / "home")
    env3 = student_env(GradingConfig(seed=7, keras="3"), tmp_path / "home")
    assert env2["TF_USE_LEGACY_KERAS"] == "1" and "TF_USE_LEGACY_KERAS" not in env3
    assert env2["MPLBACKEND"] == "Agg" and env2["PYTHONHASHSEED"] == "7" and env2["HOME"] == str(tmp_path / "home")
    assert "AWS_SECRET_ACCESS_KEY" not in env2
