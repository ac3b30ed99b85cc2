"""Notebook worker, run as a child process: executes a notebook copy with nbclient, then the probe.

It writes the run record after every cell, so a kill at the outer deadline still leaves what ran.
It imports nothing from the submission; the student's code runs in the kernel it starts.

Usage: python -m autograder.sandbox.notebook_worker JOB.json
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

PREAMBLE = """\
import random as _autograder_random, numpy as _autograder_np
_autograder_random.seed({seed}); _autograder_np.random.seed({seed})
try:
    import tensorflow as _autograder_tf
    _autograder_tf.random.set_seed({seed})
except Exception:  # a notebook without TensorFlow fails later, in its own cells
    pass
"""

# Keras 2 mode only. TF 2.4-2.10 honoured `Adam(lr=0.01)`; tf-keras 2.11+ drops `lr` with a log line
# and trains at the default rate, which would grade students' era-correct code as under-trained.
KERAS2_LR_ALIAS = """\
def _autograder_keras2_lr_alias():
    import functools
    import tensorflow as tf
    for name in ("Adam", "AdamW", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion"):
        cls = getattr(tf.keras.optimizers, name, None)
        if cls is None or getattr(cls.__init__, "_autograder_lr_alias", False):
            continue
        original = cls.__init__
        def __init__(self, *args, _original=original, **kwargs):
            if "lr" in kwargs and "learning_rate" not in kwargs and not args:
                kwargs["learning_rate"] = kwargs.pop("lr")
            _original(self, *args, **kwargs)
        __init__._autograder_lr_alias = True
        cls.__init__ = functools.wraps(original)(__init__)
try:
    _autograder_keras2_lr_alias()
except Exception:
    pass
del _autograder_keras2_lr_alias
"""

TIMEOUT_ENAME = "CellTimeoutError"
MAX_KERNEL_RESTARTS = 3


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def _cell_record(index: int, cell: Any, reply: dict[str, Any] | None, duration: float) -> dict[str, Any]:
    content = (reply or {}).get("content", {})
    status = "ok"
    ename = evalue = None
    if content.get("status") == "error":
        ename, evalue = str(content.get("ename", "")), str(content.get("evalue", ""))
        status = "timeout" if ename == TIMEOUT_ENAME else "error"
    return {"index": index, "status": status, "ename": ename, "evalue": (evalue or "")[:2000] or None,
            "source_head": cell.source[:300], "duration_s": round(duration, 2)}


def _execute(nb: Any, job: dict[str, Any], student_cells: list[tuple[int, Any]], probe_cell: Any,
             deadly: list[int], record: dict[str, Any], out: Path) -> None:
    """One run in a fresh kernel: the preamble, every student cell but the deadly ones, then the probe."""
    replies: dict[int, dict[str, Any]] = {}
    client = NotebookClient(
        nb, timeout=int(job["cell_timeout_s"]), startup_timeout=int(job["startup_timeout_s"]),
        kernel_name="python3", allow_errors=True, interrupt_on_timeout=True,
        error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": f"cell ran past {int(job['cell_timeout_s'])} s"},
        record_timing=False, resources={"metadata": {"path": job["workdir"]}},
        on_cell_executed=lambda cell, cell_index, execute_reply: replies.__setitem__(cell_index, execute_reply),
    )
    record["cells"] = []
    with client.setup_kernel():
        client.execute_cell(nb.cells[0], 0)
        for index, cell in student_cells:
            if index in deadly:
                record["cells"].append({"index": index, "status": "kernel_died", "ename": "DeadKernelError",
                                        "evalue": "the kernel died while running this cell, so it was left out "
                                                  "of the run that was graded", "source_head": cell.source[:300]})
                continue
            started = time.monotonic()
            client.execute_cell(cell, index + 1)
            record["cells"].append(_cell_record(index, cell, replies.get(index + 1), time.monotonic() - started))
            _write_json(out, record)
        client.execute_cell(probe_cell, len(nb.cells) - 1)
        record["probe"] = _cell_record(len(nb.cells) - 2, probe_cell, replies.get(len(nb.cells) - 1), 0.0)


def run(job: dict[str, Any]) -> None:
    out = Path(job["run_record"])
    record: dict[str, Any] = {"kind": "notebook_run", "version": 1, "status": "running", "message": None,
                              "cells": [], "probe": None}
    _write_json(out, record)
    try:
        nb = nbformat.read(job["notebook"], as_version=4)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the submission's
        record.update(status="unreadable", message=f"{type(exc).__name__}: {str(exc)[:500]}")
        return _write_json(out, record)

    probe_src = Path(job["probe_source"]).read_text(encoding="utf-8") + (
        f"\n_autograder_network_probe({job['probe_request']!r}, {job['probe_out']!r}, globals())\n")
    # nbclient stores outputs by position, so the injected cells live in the notebook too:
    # the preamble first (position 0), the probe last; student cells keep their own index + 1.
    student_cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    probe_cell = nbformat.v4.new_code_cell(probe_src)
    preamble = PREAMBLE.format(seed=int(job["seed"])) + (KERAS2_LR_ALIAS if job["keras"] == "2" else "")
    nb.cells = [nbformat.v4.new_code_cell(preamble), *nb.cells, probe_cell]
    # A cell that kills the kernel (often an import of a broken utils/LSTM.py) must not cost the work of
    # the cells around it: the notebook runs again in a fresh kernel without it, a few times at most.
    deadly: list[int] = []
    while True:
        try:
            _execute(nb, job, student_cells, probe_cell, deadly, record, out)
            record["status"] = "completed"
            break
        except DeadKernelError as exc:
            done = {c["index"] for c in record["cells"]}
            pending = next((i for i, _ in student_cells if i not in done), None)
            label = f"cell #{pending + 1}" if pending is not None else "the probe"  # as records.cell_label
            if pending is None or len(deadly) >= MAX_KERNEL_RESTARTS:
                record.update(status="kernel_died", message=f"the kernel died while running {label}: {exc}")
                break
            deadly.append(pending)
        except Exception as exc:  # noqa: BLE001 - kernel start failures and the like, recorded for the TA
            record.update(status="failed", message=f"{type(exc).__name__}: {str(exc)[:1000]}")
            break
    if deadly and record["status"] == "completed":
        cells, them = ("cell", "it") if len(deadly) == 1 else ("cells", "them")
        cells += " " + ", ".join(f"#{i + 1}" for i in deadly)
        record["message"] = (f"the kernel died while running {cells}; the notebook was run again in a fresh "
                             f"kernel without {them}, and everything else was graded from that run")
    _write_json(out, record)


if __name__ == "__main__":
    run(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
