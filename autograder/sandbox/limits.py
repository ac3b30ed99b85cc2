"""Run a child process tree under a wall-clock deadline and a resident-memory cap.

An outer limit is needed because nbclient cannot stop a cell that ignores SIGINT, and the kernel
starts in its own session (jupyter_client), so the whole tree is found through psutil and killed.
"""
from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil


@dataclass(frozen=True)
class ProcessOutcome:
    """How a limited child process ended, observed by the trusted parent."""

    returncode: int | None
    timed_out: bool
    memory_exceeded: bool
    peak_rss_mb: float
    duration_s: float
    stderr_tail: str


def _tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _rss_mb(procs: list[psutil.Process]) -> float:
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total / 2**20


def _kill(procs: list[psutil.Process]) -> None:
    for p in procs:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            continue
    psutil.wait_procs(procs, timeout=10)


def run_limited(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout_s: float, memory_mb: int,
                log_path: Path, poll_s: float = 0.25) -> ProcessOutcome:
    """Run `cmd`, killing its whole process tree at the deadline or when its total RSS passes the cap."""
    start = time.monotonic()
    peak = 0.0
    timed_out = memory_exceeded = False
    with open(log_path, "wb") as log:
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        root = psutil.Process(child.pid)
        known: dict[int, psutil.Process] = {}
        while child.poll() is None:
            procs = _tree(root)
            known.update({p.pid: p for p in procs})
            rss = _rss_mb(procs)
            peak = max(peak, rss)
            if rss > memory_mb:
                memory_exceeded = True
            elif time.monotonic() - start > timeout_s:
                timed_out = True
            if timed_out or memory_exceeded:
                _kill(procs)
                break
            time.sleep(poll_s)
        # Leftovers (a kernel whose worker died) are killed too; they were seen while the tree was alive.
        _kill([p for p in known.values() if p.is_running() and p.pid != os.getpid()])
        child.wait()
    tail = log_path.read_bytes()[-4000:].decode("utf-8", "replace")
    return ProcessOutcome(returncode=child.returncode, timed_out=timed_out, memory_exceeded=memory_exceeded,
                          peak_rss_mb=round(peak, 1), duration_s=round(time.monotonic() - start, 2),
                          stderr_tail=tail)
