"""Run one submission's untrusted code: the notebook (nbclient worker) and the cell probe, each limited.

Everything lands as files in a records folder; the trusted side reads them through `records`.
Each process gets a pristine scratch copy of the submission, so the notebook cannot alter what
the cell probe imports.
"""
from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any

from autograder import challenges
from autograder.config import GradingConfig
from autograder.errors import SubmissionFault
from autograder.intake import Submission, SubmissionSource, open_submission
from autograder.sandbox.limits import ProcessOutcome, run_limited

PROBES = Path(__file__).parent / "probes"
WORKER = Path(__file__).parent / "notebook_worker.py"


def student_env(config: GradingConfig, home: Path) -> dict[str, str]:
    """A small, explicit environment for student processes; nothing of the grader's leaks in."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8",
        "PYTHONHASHSEED": str(config.seed), "PYTHONNOUSERSITE": "1", "MPLBACKEND": "Agg",
        "TF_CPP_MIN_LOG_LEVEL": "2", "CUDA_VISIBLE_DEVICES": "-1", "TF_DETERMINISTIC_OPS": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    if config.keras == "2":
        env["TF_USE_LEGACY_KERAS"] = "1"  # students wrote Keras-2-era code; tf-keras runs it as written
    return env


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def _write_outcome(path: Path, outcome: ProcessOutcome) -> None:
    data = dataclasses.asdict(outcome)
    data["log_tail"] = data.pop("stderr_tail")
    _write(path, data)


def run_notebook(submission: Submission, config: GradingConfig, records: Path) -> None:
    """Execute the notebook, then the network probe in the same kernel; write notebook_run/network_probe."""
    _write(records / "network_request.json", challenges.network_probe_request(config))
    job = {
        "notebook": str(submission.notebook), "workdir": str(submission.root), "seed": config.seed,
        "keras": config.keras,
        "cell_timeout_s": config.cell_timeout_s, "startup_timeout_s": config.startup_timeout_s,
        "run_record": str(records / "notebook_run.json"), "probe_source": str(PROBES / "network_probe.py"),
        "probe_request": str(records / "network_request.json"), "probe_out": str(records / "network_probe.json"),
    }
    _write(records / "notebook_job.json", job)
    outcome = run_limited([sys.executable, str(WORKER), str(records / "notebook_job.json")],
                          cwd=submission.root, env=student_env(config, records / "home"),
                          timeout_s=config.notebook_timeout_s, memory_mb=config.memory_limit_mb,
                          log_path=records / "notebook.log")
    _write_outcome(records / "notebook_process.json", outcome)


def run_cell_probe(submission: Submission, config: GradingConfig, records: Path) -> None:
    """Import utils/LSTM.py in a fresh process and evaluate LSTMCell on the grader's cases."""
    _write(records / "cell_request.json", challenges.cell_probe_request(config))
    outcome = run_limited([sys.executable, str(PROBES / "cell_probe.py"), str(records / "cell_request.json"),
                           str(records / "cell_probe.json")],
                          cwd=submission.root, env=student_env(config, records / "home"),
                          timeout_s=config.probe_timeout_s, memory_mb=config.memory_limit_mb,
                          log_path=records / "cell_probe.log")
    _write_outcome(records / "cell_process.json", outcome)


def collect_records(source: SubmissionSource, config: GradingConfig, records: Path) -> Path:
    """Run everything untrusted for one submission and leave plain records in `records`."""
    records.mkdir(parents=True, exist_ok=True)
    info: dict[str, Any] = {"name": source.name, "source": str(source.path), "fault": None, "notes": [],
                            "notebook": None, "utils": False, "seed": config.seed}
    try:
        for_notebook = open_submission(source, records / "scratch" / "notebook")
        for_probe = open_submission(source, records / "scratch" / "module")
    except SubmissionFault as fault:
        info["fault"] = {"type": type(fault).__name__, "message": fault.message}
        _write(records / "submission.json", info)
        return records
    info.update(notebook=str(for_notebook.notebook.relative_to(records / "scratch" / "notebook")),
                utils=for_notebook.utils_dir is not None, notes=list(for_notebook.notes))
    _write(records / "submission.json", info)
    run_notebook(for_notebook, config, records)
    if for_probe.utils_dir is not None:
        run_cell_probe(for_probe, config, records)
    return records
