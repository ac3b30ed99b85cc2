"""Run a child process tree under a wall-clock deadline and a resident-memory cap.

An outer limit is needed because nbclient cannot stop a cell that ignores SIGINT, and the kernel
starts in its own session (jupyter_client), so the whole tree is found through psutil and killed.
A process that detached itself (double fork, setsid) leaves the tree; `kill_marked` finds it by the
marker in its environment or by its working directory inside the sandbox.
"""
from __future__ import annotations

import os
import subprocess
import signal
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
    log_exceeded: bool = False


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


def _marked(proc: psutil.Process, marker: tuple[str, str], inside: Path) -> bool:
    try:
        if proc.environ().get(marker[0]) == marker[1]:
            return True
        return Path(proc.cwd()).is_relative_to(inside)
    except (psutil.Error, OSError):
        return False


def kill_marked(marker: tuple[str, str], inside: Path, rounds: int = 5) -> int:
    """Kill every process carrying `marker` in its environment or working inside `inside`; how many."""
    killed = 0
    me = os.getpid()
    for _ in range(rounds):  # a forking process may spawn between scans: scan until one finds nothing
        found = [p for p in psutil.process_iter() if p.pid != me and _marked(p, marker, inside)]
        if not found:
            break
        for p in found:
            try:
                p.send_signal(signal.SIGKILL)
            except psutil.Error:
                continue
        psutil.wait_procs(found, timeout=5)
        killed += len(found)
    return killed


def run_limited(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout_s: float, memory_mb: int,
                log_path: Path, poll_s: float = 0.25, max_log_bytes: int = 64 * 2**20,
                user: int | None = None) -> ProcessOutcome:
    """Run `cmd`, killing its whole process tree at the deadline, when its total RSS passes the cap or
    when its log passes `max_log_bytes` (a cell printing forever must not fill the disk).
    `user` (a uid; the grader must be root) runs the tree as that user and group, with no other groups."""
    start = time.monotonic()
    peak = 0.0
    timed_out = memory_exceeded = log_exceeded = False
    with open(log_path, "wb") as log:
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, start_new_session=True,
                                 user=user, group=user, extra_groups=None if user is None else [])
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
            elif log_path.stat().st_size > max_log_bytes:
                log_exceeded = True
            if timed_out or memory_exceeded or log_exceeded:
                _kill(procs)
                break
            time.sleep(poll_s)
        # Leftovers (a kernel whose worker died) are killed too; they were seen while the tree was alive.
        _kill([p for p in known.values() if p.is_running() and p.pid != os.getpid()])
        child.wait()
    with open(log_path, "rb") as log:
        log.seek(max(0, log_path.stat().st_size - 4000))
        tail = log.read().decode("utf-8", "replace")
    if log_path.stat().st_size > max_log_bytes:  # it grew between two polls; keep the cap
        os.truncate(log_path, max_log_bytes)
    return ProcessOutcome(returncode=child.returncode, timed_out=timed_out, memory_exceeded=memory_exceeded,
                          peak_rss_mb=round(peak, 1), duration_s=round(time.monotonic() - start, 2),
                          stderr_tail=tail, log_exceeded=log_exceeded)
