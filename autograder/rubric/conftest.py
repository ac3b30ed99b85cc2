"""Rubric fixtures: each returns plain records loaded from the sandbox's output, never student objects."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import nbformat
import numpy as np
import pytest
from numpy.typing import NDArray

from autograder import challenges, records
from autograder.answers import Part1Answer, parse_part1
from autograder.decoding import UndecodableOutput, accuracy_verdict
from autograder.config import GradingConfig
from autograder.integrity import DELEGATE_NAMES, Finding, delegation_at_runtime, delegation_in_source
from autograder.errors import (CellFailed, GraderFault, NotebookMissing, NotebookUnreadable, ProbeFailed, RecordMalformed,
                               SubmissionFault)
from autograder.plugin import SESSION_KEY, GradingSession, recorded_seed, record_fraction, record_review, record_ta_note


@pytest.hookimpl(trylast=True)  # after the plugin and the CLI have registered their session
def pytest_configure(config: pytest.Config) -> None:
    if SESSION_KEY not in config.stash:
        raise pytest.UsageError("the rubric grades one submission: run it with --submission PATH (a folder or a zip), "
                                "or grade a whole class with `autograde grade FOLDER`")


@pytest.fixture(scope="session")
def grading_session(pytestconfig: pytest.Config) -> GradingSession:
    if SESSION_KEY not in pytestconfig.stash:
        pytest.fail("no submission to grade: run the rubric with --submission PATH", pytrace=False)
    return pytestconfig.stash[SESSION_KEY]


@pytest.fixture(scope="session")
def config(grading_session: GradingSession) -> GradingConfig:
    return grading_session.config


@pytest.fixture(scope="session")
def records_dir(grading_session: GradingSession) -> Path:
    records = grading_session.records_dir()
    seed = recorded_seed(records)
    if seed is not None and seed != grading_session.config.seed:
        raise GraderFault(f"the records in {records} were collected with seed {seed}, not "
                          f"{grading_session.config.seed}: grade them with --seed {seed}")
    return records


@pytest.fixture(scope="session")
def submission_info(records_dir: Path) -> dict[str, Any]:
    info: dict[str, Any] = json.loads((records_dir / "submission.json").read_text(encoding="utf-8"))
    fault = info.get("fault")
    if fault:
        raise SubmissionFault(fault["message"])
    return info


def _require_notebook(info: dict[str, Any]) -> str:
    """The notebook's path in the submission copy; a submission without one fails the notebook's checks only."""
    if info.get("notebook") is None:
        raise NotebookMissing(info.get("notebook_missing") or "no task1-xor notebook was found in the submission")
    return str(info["notebook"])


@pytest.fixture(scope="session")
def notebook(records_dir: Path, submission_info: dict[str, Any]) -> nbformat.NotebookNode:
    """The submitted notebook, read as data (its markdown and code text)."""
    path = records_dir / "submission" / _require_notebook(submission_info)
    try:
        nb: nbformat.NotebookNode = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    except Exception as exc:  # any parse failure is the submission's
        raise NotebookUnreadable(f"the notebook {path.name} cannot be read as a Jupyter notebook: "
                                 f"{type(exc).__name__}") from None
    return nb


@pytest.fixture(scope="session")
def part1_answer(notebook: nbformat.NotebookNode) -> Part1Answer:
    return parse_part1(list(notebook.cells))


@pytest.fixture(scope="session")
def notebook_run(records_dir: Path, submission_info: dict[str, Any]) -> records.NotebookRun:
    name = Path(_require_notebook(submission_info)).name
    run = records.load_notebook_run(records_dir)
    if run.status == "unreadable":  # worded as the `notebook` fixture words it; the parser's text is TA-only
        ename = (run.message or "").partition(":")[0] or "unknown error"
        raise NotebookUnreadable(f"the notebook {name} cannot be read as a Jupyter notebook: {ename}",
                                 detail=run.message or "")
    if run.worker_crashed:
        raise GraderFault(f"the notebook worker stopped unexpectedly (exit code {run.process.returncode}, "
                          f"{run.message or 'no message'}): {run.process.log_tail[-1500:]}")
    return run


@pytest.fixture(scope="session")
def networks(records_dir: Path, notebook_run: records.NotebookRun, config: GradingConfig
             ) -> dict[str, records.NetworkRecord]:
    try:
        return records.load_network_probe(records_dir, config.heldout_samples, config.seq_len)
    except RecordMalformed:
        reason = notebook_run.stop_reason()
        if reason:
            raise CellFailed(f"the trained networks could not be inspected: {reason}",
                             detail=notebook_run.process.log_tail) from None
        raise


@pytest.fixture(scope="session")
def heldout_labels(config: GradingConfig) -> NDArray[np.int64]:
    return challenges.heldout_data(config)[1]


@pytest.fixture(scope="session")
def cell_cases(config: GradingConfig) -> tuple[challenges.CellCase, ...]:
    return challenges.cell_cases(config.seed)


@pytest.fixture(scope="session")
def cell_probe(records_dir: Path, submission_info: dict[str, Any], config: GradingConfig,
               cell_cases: tuple[challenges.CellCase, ...]) -> records.CellProbe:
    if not submission_info["utils"]:
        raise ProbeFailed("utils/LSTM.py was not found next to the notebook; hand in the utils/ folder")
    dims = {case.name: case.dims for case in cell_cases}
    dims["ones"] = challenges.ones_case(config.seed).dims
    dims["large"] = challenges.large_case(config.seed).dims
    try:
        probe = records.load_cell_probe(records_dir, dims)
    except RecordMalformed:
        process = records.load_process(records_dir / "cell_process.json")
        if limit := process.limit_hit:
            raise ProbeFailed(f"importing and running utils/LSTM.py went past the {limit} limit",
                              detail=process.log_tail) from None
        if process.returncode not in (0, None):
            raise ProbeFailed(f"importing or running utils/LSTM.py ended its process (exit code "
                              f"{process.returncode}) before anything could be checked; look for sys.exit or "
                              "os._exit calls and code that runs at import time", detail=process.log_tail) from None
        raise
    if probe.import_error is not None:
        raise ProbeFailed(f"utils/LSTM.py could not be imported: {probe.import_error}",
                          detail=probe.process.log_tail)
    return probe


@pytest.fixture(scope="session")
def delegation(records_dir: Path, submission_info: dict[str, Any], cell_probe: records.CellProbe
               ) -> tuple[Finding, ...]:
    """Ways the student's LSTMCell hands its work to a library RNN cell (static scan + runtime view)."""
    source_path = records_dir / "submission" / submission_info["root"] / "utils" / "LSTM.py"
    source = source_path.read_text(encoding="utf-8", errors="replace") if source_path.is_file() else ""
    runtime = delegation_at_runtime(cell_probe.class_mro.get("LSTMCell"))
    parts = tuple(Finding(f"the built LSTMCell holds a {p}", "attributes") for s in cell_probe.shapes
                  for p in s.parts if p.split(".")[-1] in DELEGATE_NAMES)
    return tuple(dict.fromkeys(delegation_in_source(source) + runtime + parts))


@pytest.fixture
def partial_credit(request: pytest.FixtureRequest) -> Callable[[float, str], None]:
    """Record the share of this check's points earned (0..1) and the message that explains it."""
    return lambda fraction, message: record_fraction(request.node, fraction, message)


@pytest.fixture
def ta_note(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Record a note only TAs see."""
    return lambda note: record_ta_note(request.node, note)


@pytest.fixture
def review(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Put an item on the manual-review sheet (TA-only)."""
    return lambda note: record_review(request.node, note)


@pytest.fixture
def award_accuracy(config: GradingConfig, heldout_labels: NDArray[np.int64],
                   partial_credit: Callable[[float, str], None], ta_note: Callable[[str], None]
                   ) -> Callable[[records.NetworkRecord, str], None]:
    """Score a trained model's held-out token accuracy: partial credit, or a failure that says why.

    Predictions come from the student's kernel; a History or predict the notebook wrote itself is
    flagged for a TA (TA-only), since the score then rests on code the grader did not write.
    """
    def award(net: records.NetworkRecord, what: str) -> None:
        for note in net.integrity_notes():
            ta_note(f"integrity: {note}")  # reaches the manual-review sheet as an integrity row
        if net.predictions is None:
            pytest.fail(f"{what} could not predict on held-out sequences shaped like the assignment's data: "
                        + ("; ".join(net.layout_errors) or "no output"), pytrace=False)
        try:
            share, message = accuracy_verdict(net, heldout_labels, config)
        except UndecodableOutput as exc:
            pytest.fail(f"{what}: {exc}.", pytrace=False)
        if share <= 0:
            pytest.fail(message, pytrace=False)
        partial_credit(share, message)
    return award


@pytest.fixture
def history_of(networks: dict[str, records.NetworkRecord], notebook_run: records.NotebookRun
               ) -> Callable[[str], records.NetworkRecord]:
    """The record of a History variable the notebook left behind, or a failure that says what went wrong."""
    def get(var: str) -> records.NetworkRecord:
        net = networks[var]
        if not net.found:
            failed = "; ".join(f"{records.cell_label(c.index)} raised {c.ename}: {(c.evalue or '')[:100]}"
                               for c in notebook_run.failed_cells())
            why = notebook_run.stop_reason() or (f"failing cells: {failed}" if failed else "it is never assigned")
            pytest.fail(f"No variable `{var}` existed after running the notebook ({why}). Bind the History "
                        f"returned by model.fit(...) to `{var}`, as the notebook's plotting cells expect.",
                        pytrace=False)
        if not net.is_history:
            pytest.fail(f"`{var}` is a {net.model_class}, not the History object returned by model.fit(...); "
                        f"write `{var} = model.fit(...)`.", pytrace=False)
        if net.error is not None:
            pytest.fail(f"Inspecting `{var}.model` raised {net.error}.", pytrace=False)
        return net
    return get
