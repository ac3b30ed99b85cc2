"""autograder.sandbox.limits: the deadline and the memory cap kill the whole process tree."""
import sys
import time

import psutil

from autograder.sandbox.limits import kill_marked, run_limited

SPAWNS_DETACHED_GRANDCHILD = """
import subprocess, sys, time
p = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(60)"],
                     start_new_session=True)
open("grandchild.pid", "w").write(str(p.pid))
time.sleep(60)
"""


def test_deadline_kills_detached_grandchild(tmp_path):
    started = time.monotonic()
    outcome = run_limited([sys.executable, "-c", SPAWNS_DETACHED_GRANDCHILD], cwd=tmp_path, env={}, timeout_s=2,
                          memory_mb=10_000, log_path=tmp_path / "log")
    assert outcome.timed_out and not outcome.memory_exceeded
    assert time.monotonic() - started < 20
    pid = int((tmp_path / "grandchild.pid").read_text())
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_memory_cap(tmp_path):
    hog = "import time\nx = bytearray(600 * 2**20)\nfor i in range(0, len(x), 4096): x[i] = 1\ntime.sleep(30)"
    outcome = run_limited([sys.executable, "-c", hog], cwd=tmp_path, env={}, timeout_s=25, memory_mb=200,
                          log_path=tmp_path / "log")
    assert outcome.memory_exceeded and not outcome.timed_out and outcome.peak_rss_mb > 200


def test_normal_exit_keeps_output_tail(tmp_path):
    outcome = run_limited([sys.executable, "-c", "print('hello'); raise SystemExit(3)"], cwd=tmp_path, env={},
                          timeout_s=20, memory_mb=10_000, log_path=tmp_path / "log")
    assert outcome.returncode == 3 and "hello" in outcome.stderr_tail and not outcome.timed_out


def test_kill_marked_finds_a_process_that_left_the_tree(tmp_path):
    env = {"XOR_AUTOGRADER_SANDBOX": "token-1"}
    daemon = "import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], " \
             "start_new_session=True, cwd='/')\nprint('spawned')"
    outcome = run_limited([sys.executable, "-c", daemon], cwd=tmp_path, env=env, timeout_s=20, memory_mb=10_000,
                          log_path=tmp_path / "log")
    assert outcome.returncode == 0  # the tree is gone; the daemon lives on outside it
    assert kill_marked(("XOR_AUTOGRADER_SANDBOX", "token-1"), tmp_path) == 1
    assert kill_marked(("XOR_AUTOGRADER_SANDBOX", "token-1"), tmp_path) == 0


def test_endless_output_is_stopped(tmp_path):
    outcome = run_limited([sys.executable, "-c", "while True: print('x' * 1000)"], cwd=tmp_path, env={},
                          timeout_s=30, memory_mb=10_000, log_path=tmp_path / "log", max_log_bytes=2**20)
    assert outcome.log_exceeded and not outcome.timed_out
    assert (tmp_path / "log").stat().st_size <= 2**20
