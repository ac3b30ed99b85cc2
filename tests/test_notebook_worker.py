"""The notebook sandbox on hostile notebooks: dead kernels, SIGINT-proof loops, unreadable files."""
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder import records
from autograder.config import GradingConfig
from autograder.intake import SubmissionSource
from autograder.sandbox.runner import RUN_FILES, Sandbox, _write_outcome, run_notebook

pytestmark = pytest.mark.slow


@pytest.fixture
def run(tmp_path):
    def _run(cells, **config):
        root = tmp_path / "sub"
        root.mkdir()
        path = root / "task1-xor.ipynb"
        if isinstance(cells, str):
            path.write_text(cells)
        else:
            nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), path)
        rec = tmp_path / "records"
        rec.mkdir()
        sandbox = Sandbox(GradingConfig(seed=3, **config), None)
        started = time.monotonic()
        try:
            outcome = run_notebook(sandbox, sandbox.copy(SubmissionSource("t", root), "notebook"))
            sandbox.bring_back(RUN_FILES["notebook"], rec)
            _write_outcome(rec / "notebook_process.json", outcome)
        finally:
            sandbox.close(None)
        return records.load_notebook_run(rec), time.monotonic() - started
    return _run


def test_cell_error_is_recorded_and_later_cells_run(run):
    nb, _ = run(["x = 1", "raise ValueError('boom')", "y = x + 1"])
    assert [c.status for c in nb.cells] == ["ok", "error", "ok"]
    assert nb.cells[1].ename == "ValueError" and nb.status == "completed"


def test_cell_that_kills_the_kernel_is_left_out_of_a_fresh_run(run):
    nb, _ = run(["x = 1", "import os; os._exit(1)", "y = x + 1"])
    assert nb.status == "completed" and [c.status for c in nb.cells] == ["ok", "kernel_died", "ok"]
    assert nb.stop_reason() is None and "cell #2" in (nb.message or "")


def test_kernel_that_keeps_dying_is_reported_with_the_cells_that_ran(run):
    nb, _ = run(["x = 1", *["import os; os._exit(1)"] * 4, "y = 2"])
    assert nb.status == "kernel_died" and [c.status for c in nb.cells] == ["ok", *["kernel_died"] * 3]
    assert "died while running cell #5" in (nb.stop_reason() or "")


def test_sigint_proof_loop_is_stopped_by_the_outer_deadline(run):
    loop = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    nb, took = run(["x = 1", loop, "y = 2"], cell_timeout_s=3, notebook_timeout_s=25)
    assert nb.cells[0].status == "ok" and took < 60
    assert nb.process.timed_out or all(c.status == "timeout" for c in nb.cells[1:])
    assert nb.stop_reason() is not None or nb.cells[1].status == "timeout"


def test_unreadable_notebook(run):
    nb, _ = run("{ this is not json")
    assert nb.status == "unreadable" and nb.message
