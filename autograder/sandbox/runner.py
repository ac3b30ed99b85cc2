"""Run one submission's untrusted code: the notebook (nbclient worker) and the cell probe, each limited.

Every submission of a batch is first copied into its records folder (`prepare`) before any student
code runs. Student processes then work in a private sandbox folder outside the records tree; the
trusted parent writes the record files it expects only after every process of that sandbox is
gone, checks its own copy is unchanged, and fingerprints the records so a later change is caught
before scoring. The cell probe's copy is made only after the notebook's processes are killed, so
the notebook cannot alter what the probe imports. When the grader runs as root, each submission's processes run as their own
unprivileged user, so they can neither read nor write the records or another student's sandbox.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder import challenges
from autograder.config import GradingConfig
from autograder.errors import GraderFault, SubmissionFault, UsageError
from autograder.intake import Submission, SubmissionSource, open_submission
from autograder.sandbox.limits import ProcessOutcome, kill_marked, run_limited

PROBES = Path(__file__).parent / "probes"
WORKER = Path(__file__).parent / "notebook_worker.py"
MARKER = "XOR_AUTOGRADER_SANDBOX"
FIRST_SANDBOX_UID = 61000  # per-submission users when the grader runs as root (uids, no accounts needed)


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


@functools.cache
def separate_users_unavailable() -> str | None:
    """Why submissions cannot run as their own users here, or None when they can.

    Needs a root grader and a Python that another user can start and import from (a Python under a
    private /root cannot be); tried once by starting it as the first sandbox user.
    """
    if os.geteuid() != 0:
        return "the grader does not run as root"
    try:
        done = subprocess.run([sys.executable, "-c", "import numpy, nbclient, ipykernel"], cwd="/",
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/tmp"},
                              user=FIRST_SANDBOX_UID, group=FIRST_SANDBOX_UID, extra_groups=[],
                              capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"another user cannot start {sys.executable} ({exc})"
    if done.returncode != 0:
        return f"another user cannot import the grader's packages ({(done.stderr.strip().splitlines() or ['?'])[-1]})"
    return None


def sandbox_uid(index: int) -> int | None:
    """The user a submission's processes run as: its own where possible (see above), else the grader's."""
    return None if separate_users_unavailable() else FIRST_SANDBOX_UID + index


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def _chown_tree(root: Path, uid: int) -> None:
    for path in (root, *root.rglob("*")):
        os.chown(path, uid, uid, follow_symlinks=False)


class Sandbox:
    """One submission's private workspace: fresh copies, an out/ folder, a home, one marker, one user."""

    def __init__(self, config: GradingConfig, uid: int | None) -> None:
        self.config = config
        self.uid = uid
        self.root = Path(tempfile.mkdtemp(prefix="xor-sandbox-"))
        self.marker = (MARKER, secrets.token_hex(16))
        self.out, self.logs = self.root / "out", self.root / "logs"
        self.out.mkdir()
        self.logs.mkdir()
        self.env = {**student_env(config, self.root / "home"), self.marker[0]: self.marker[1]}
        if uid is not None:
            _chown_tree(self.root, uid)

    def copy(self, source: SubmissionSource, name: str) -> Submission:
        """A fresh scratch copy of the submission, owned by the sandbox user."""
        sub = open_submission(source, self.root / name)
        if self.uid is not None:
            _chown_tree(self.root / name, self.uid)
        return sub

    def request(self, name: str, data: Any) -> Path:
        path = self.out / name
        _write(path, data)
        if self.uid is not None:
            os.chown(path, self.uid, self.uid)
        return path

    def run(self, cmd: list[str], *, cwd: Path, timeout_s: float, log_path: Path) -> ProcessOutcome:
        """Run one limited process as the sandbox user; afterwards nothing of this sandbox stays alive."""
        try:
            return run_limited(cmd, cwd=cwd, env=self.env, timeout_s=timeout_s,
                               memory_mb=self.config.memory_limit_mb, log_path=log_path, user=self.uid)
        finally:
            kill_marked(self.marker, self.root)

    def bring_back(self, names: tuple[str, ...], records: Path) -> None:
        """Copy the expected files (plain files only, never links) from out/ and logs/ into the records."""
        for name in names:
            for folder in (self.out, self.logs):
                path = folder / name
                if path.is_file() and not path.is_symlink():
                    shutil.copyfile(path, records / name)

    def close(self, keep_in: Path | None) -> None:
        kill_marked(self.marker, self.root)
        if keep_in is not None:  # regular files only: a student's FIFO or socket must not break the copy
            shutil.copytree(self.root, keep_in, symlinks=True, dirs_exist_ok=True, copy_function=_copy_regular)
        shutil.rmtree(self.root, ignore_errors=True)


def _copy_regular(src: str, dst: str) -> None:
    if os.path.isfile(src) and not os.path.islink(src):
        shutil.copy2(src, dst)


def _write_outcome(path: Path, outcome: ProcessOutcome) -> None:
    data = dataclasses.asdict(outcome)
    data["log_tail"] = data.pop("stderr_tail")
    _write(path, data)


def run_notebook(sandbox: Sandbox, submission: Submission) -> ProcessOutcome:
    """Execute the notebook, then the network probe in the same kernel; outputs stay in the sandbox."""
    config, out = sandbox.config, sandbox.out
    request = sandbox.request("network_request.json", challenges.network_probe_request(config))
    job = sandbox.request("notebook_job.json", {
        "notebook": str(submission.notebook), "workdir": str(submission.root), "seed": config.seed,
        "keras": config.keras,
        "cell_timeout_s": config.cell_timeout_s, "startup_timeout_s": config.startup_timeout_s,
        "run_record": str(out / "notebook_run.json"), "probe_source": str(PROBES / "network_probe.py"),
        "probe_request": str(request), "probe_out": str(out / "network_probe.json"),
    })
    return sandbox.run([sys.executable, str(WORKER), str(job)], cwd=submission.root,
                       timeout_s=config.notebook_timeout_s, log_path=sandbox.logs / "notebook.log")


def run_cell_probe(sandbox: Sandbox, submission: Submission) -> ProcessOutcome:
    """Import utils/LSTM.py in a fresh process and evaluate LSTMCell on the grader's cases."""
    request = sandbox.request("cell_request.json", challenges.cell_probe_request(sandbox.config))
    return sandbox.run([sys.executable, str(PROBES / "cell_probe.py"), str(request),
                        str(sandbox.out / "cell_probe.json")], cwd=submission.root,
                       timeout_s=sandbox.config.probe_timeout_s, log_path=sandbox.logs / "cell_probe.log")


# What each run leaves for the trusted side, and the outcome file the parent writes for it.
RUN_FILES = {"notebook": ("notebook_run.json", "network_probe.json", "notebook.log"),
             "cell": ("cell_probe.json", "cell_probe.log")}
PREPARED = frozenset({"submission", "submission.json"})


def fingerprint(records: Path) -> dict[str, str]:
    """SHA-256 of every record file the scoring reads."""
    return {str(p.relative_to(records)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(records.rglob("*"))
            if p.is_file() and not p.is_symlink() and p.relative_to(records).parts[0] != "sandbox"}


@dataclass(frozen=True)
class Prepared:
    """A submission's records folder before any student code of the batch ran: pristine copy + facts."""

    source: SubmissionSource
    records: Path
    has_notebook: bool  # a task1-xor notebook was found: run it
    has_utils: bool  # utils/LSTM.py was found: probe it (with or without a notebook)
    fingerprint: dict[str, str]


def prepare(source: SubmissionSource, config: GradingConfig, records: Path) -> Prepared:
    """Write `records/submission` (the trusted side's own copy: Part 1 text, source scans) and
    `submission.json`. Done for every submission before any student code runs."""
    if records.exists() and any(records.iterdir()):
        if not (records / "submission.json").is_file():
            raise UsageError(f"{records} is not empty and holds no earlier records; it is left as it is",
                             hint="give --keep-records a new or empty folder")
        shutil.rmtree(records)  # earlier records of this submission
    records.mkdir(parents=True, exist_ok=True)
    info: dict[str, Any] = {"name": source.name, "source": str(source.path), "fault": None, "notes": [],
                            "notebook": None, "notebook_missing": None, "root": None, "utils": False,
                            "seed": config.seed}
    copy = records / "submission"
    try:
        pristine = open_submission(source, copy)
    except SubmissionFault as fault:
        info["fault"] = {"type": type(fault).__name__, "message": fault.message}
    else:
        info.update(notebook=str(pristine.notebook.relative_to(copy)) if pristine.notebook else None,
                    notebook_missing=pristine.notebook_missing, root=str(pristine.root.relative_to(copy)),
                    utils=pristine.utils_dir is not None, notes=list(pristine.notes))
    _write(records / "submission.json", info)
    return Prepared(source, records, has_notebook=info["notebook"] is not None, has_utils=info["utils"],
                    fingerprint=fingerprint(records))


def _keep_only_prepared(prepared: Prepared) -> None:
    """Drop whatever appeared in the records while student code ran; the prepared files must be intact."""
    for path in prepared.records.iterdir():
        if path.name in PREPARED:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if fingerprint(prepared.records) != prepared.fingerprint:
        raise GraderFault("the grader's copy of this submission changed while student code ran (another process "
                          "wrote to it), so nothing of it is scored; regrade this submission alone")


def collect_records(prepared: Prepared, config: GradingConfig, *, uid: int | None = None,
                    keep_sandbox: bool = False) -> dict[str, str]:
    """Run everything untrusted for one prepared submission, then write what came back into its records.

    The records get the sandbox's files only after every student process is gone. Returns the
    records' fingerprint, taken then.
    """
    records = prepared.records
    if not (prepared.has_notebook or prepared.has_utils):
        _keep_only_prepared(prepared)
        return fingerprint(records)
    copy_from = SubmissionSource(prepared.source.name, records / "submission")
    sandbox = Sandbox(config, uid)
    try:
        outcomes = {}
        if prepared.has_notebook:
            outcomes["notebook"] = run_notebook(sandbox, sandbox.copy(copy_from, "notebook"))
        if prepared.has_utils:
            outcomes["cell"] = run_cell_probe(sandbox, sandbox.copy(copy_from, "module"))
        kill_marked(sandbox.marker, sandbox.root)
        _keep_only_prepared(prepared)
        for kind, outcome in outcomes.items():
            sandbox.bring_back(RUN_FILES[kind], records)
            _write_outcome(records / f"{kind}_process.json", outcome)
    finally:
        sandbox.close(records / "sandbox" if keep_sandbox else None)
    return fingerprint(records)
