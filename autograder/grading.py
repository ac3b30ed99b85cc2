"""Grade one submission or a folder: sandbox → records → the rubric under pytest → SubmissionResult."""
from __future__ import annotations

import contextlib
import io
import json
import platform
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from autograder.config import GradingConfig
from autograder.errors import GraderFault, RecordMalformed, UsageError
from autograder.integrity import load_patterns, pattern_hits
from autograder.intake import SubmissionSource, discover, file_names
from autograder.plugin import NOT_GRADED_MESSAGE, GradingSession
from autograder.records import cell_label, load_notebook_run, load_process
from autograder.results import CheckResult, SubmissionResult
from autograder.sandbox.runner import (Prepared, collect_records, fingerprint, prepare, sandbox_uid,
                                       separate_users_unavailable)

RUBRIC_DIR = Path(__file__).parent / "rubric"
_PYTEST_ARGS = ["-p", "no:cacheprovider", "-p", "no:randomly", "-q", "--no-header", "-o", "console_output_style=classic"]


def environment() -> dict[str, str]:
    """Versions that decide how student code runs, without importing TensorFlow here."""
    why_not = separate_users_unavailable()
    out = {"python": platform.python_version(),
           "sandbox_user": f"the grader's ({why_not})" if why_not else "one unprivileged user per submission"}
    for dist in ("xor-autograder", "tensorflow", "tf-keras", "keras", "numpy", "nbclient", "ipykernel"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[dist] = metadata.version(dist)
    return out


def _run_rubric(session: GradingSession) -> int:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):  # the CLI reports usage errors itself
        code = pytest.main([str(RUBRIC_DIR), *_PYTEST_ARGS], plugins=[session])
    if session.usage_error is not None:
        raise session.usage_error
    if int(code) not in (0, 1):
        raise GraderFault(f"the rubric run ended with pytest exit code {int(code)}:\n{out.getvalue()[-3000:]}")
    return int(code)


def list_checks(config: GradingConfig) -> list[tuple[str, int, float, str]]:
    """(check id, part, points, description) of every rubric check under this config's points."""
    session = GradingSession(config, records=Path(tempfile.gettempdir()))
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = pytest.main([str(RUBRIC_DIR), *_PYTEST_ARGS, "--collect-only"], plugins=[session])
    if session.usage_error is not None:
        raise session.usage_error
    if int(code) != 0:
        raise GraderFault(f"collecting the rubric failed (pytest exit code {int(code)})")
    return session.collected()


def validate(config: GradingConfig) -> None:
    """Fail on a bad points file or patterns file (UsageError) before any student code runs."""
    list_checks(config)
    load_patterns(config.integrity_patterns_file)


def _submission_context(records: Path, config: GradingConfig) -> dict[str, Any]:
    """Submission-level notes, failed cells and TA notes from the records (all plain data)."""
    ctx: dict[str, Any] = {"notes": [], "ta_notes": [], "failed_cells": [], "resources": {}}
    for name in ("notebook", "cell"):
        path = records / f"{name}_process.json"
        if path.exists():
            process = load_process(path)
            ctx["resources"].update({f"{name}_s": process.duration_s, f"{name}_peak_mb": process.peak_rss_mb})
    info_path = records / "submission.json"
    if info_path.exists():
        info = json.loads(info_path.read_text(encoding="utf-8"))
        ctx["notes"] += info.get("notes", [])
        if info.get("fault"):
            ctx["notes"].append(info["fault"]["message"])
        if info.get("notebook_missing"):
            ctx["notes"].append(info["notebook_missing"])
    copy = records / "submission"
    if copy.is_dir():
        for finding in pattern_hits(copy, load_patterns(config.integrity_patterns_file)):
            ctx["ta_notes"].append(f"integrity: {finding.what} in {finding.where}")
    run_path = records / "notebook_run.json"
    if run_path.exists():
        try:
            run = load_notebook_run(records)
        except (RecordMalformed, OSError, ValueError, TypeError):
            return ctx
        ctx["failed_cells"] = [{"cell": cell_label(c.index), "status": c.status, "error": f"{c.ename}: {c.evalue}",
                                "source": c.source_head.splitlines()[0][:120] if c.source_head else ""}
                               for c in run.failed_cells()]
        if reason := run.stop_reason():
            ctx["notes"].append(reason)
            ctx["ta_notes"].append("notebook process log tail:\n" + run.process.log_tail[-1500:])
        elif run.message:  # completed, but only after leaving out a cell that killed the kernel
            ctx["notes"].append(run.message)
    return ctx


def score_records(student: str, records: Path, config: GradingConfig) -> SubmissionResult:
    """Run the rubric over collected records in this (trusted) process."""
    session = GradingSession(config, records=records)
    _run_rubric(session)
    ctx = _submission_context(records, config)
    return session.result(student, notes=tuple(ctx["notes"]), ta_notes=tuple(ctx["ta_notes"]),
                          failed_cells=tuple(ctx["failed_cells"]), environment=environment(),
                          resources=ctx["resources"])


def not_graded(student: str, config: GradingConfig, exc: BaseException) -> SubmissionResult:
    """Every check marked not graded (never 0) after a grader fault; the traceback goes to the TA."""
    checks = tuple(CheckResult(id=cid, part=part, description=desc, points=0.0, max_points=pts,
                               status="not_graded", message=NOT_GRADED_MESSAGE)
                   for cid, part, pts, desc in list_checks(config))
    why = (f"grader fault: {exc}" if isinstance(exc, GraderFault)
           else "grader fault: " + "".join(traceback.format_exception(exc))[-4000:])
    return SubmissionResult(student=student, checks=checks, seed=config.seed, config=config.public_dict(),
                            environment=environment(), ta_notes=(why,))


def _check_untouched(records: Path, expected: dict[str, str]) -> None:
    """Records must be byte for byte what collection left: anything else means a process wrote to them."""
    now = fingerprint(records)
    changed = sorted(k for k in expected.keys() | now.keys() if expected.get(k) != now.get(k))
    if changed:
        raise GraderFault(f"the records changed after collection ({', '.join(changed[:5])}): some other process "
                          "wrote to them, so nothing from them is scored; regrade this submission alone")


def _graded(source: SubmissionSource, records: Path, config: GradingConfig,
            sandbox: Callable[[], dict[str, str]]) -> SubmissionResult:
    """The per-submission boundary: a grader fault yields a not-graded result, never stops the batch."""
    try:
        _check_untouched(records, sandbox())
        return score_records(source.name, records, config)
    except UsageError:
        raise
    except Exception as exc:  # noqa: BLE001 - record it for the TA and go on with the next student
        return not_graded(source.name, config, exc)


def grade_submission(source: SubmissionSource, config: GradingConfig, *, records: Path) -> SubmissionResult:
    """Grade one submission end to end, leaving its sandbox records in `records`."""
    return _graded(source, records, config,
                   lambda: collect_records(prepare(source, config, records), config, uid=sandbox_uid(0)))


@contextlib.contextmanager
def _records_root(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    tmp = Path(tempfile.mkdtemp(prefix="autograde-records-"))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def grade_folder(path: Path, config: GradingConfig, *, keep_records: Path | None = None,
                 on_result: Callable[[SubmissionResult], None] | None = None) -> list[SubmissionResult]:
    """Grade every submission under `path`; `on_result` sees each result as soon as it exists.

    Sandboxes run `config.jobs` at a time; scoring happens in this thread, one pytest session each.
    """
    sources = discover(path)
    validate(config)  # the CLI has checked already; other callers get the same guard
    results: list[SubmissionResult] = []
    with _records_root(keep_records) as root, ThreadPoolExecutor(max_workers=max(1, config.jobs)) as pool:
        names = file_names(sources)
        # Every submission is copied into its records before any student code of the batch runs.
        jobs = [(index, source, root / names[source.name]) for index, source in enumerate(sources)]
        prepared = [_prepare_or_fault(source, config, records) for _, source, records in jobs]
        futures: list[tuple[SubmissionSource, Path, Future[Any]]] = []
        for (index, source, records), job in zip(jobs, prepared):
            if isinstance(job, Prepared):
                future = pool.submit(collect_records, job, config, uid=sandbox_uid(index),
                                     keep_sandbox=keep_records is not None)
            else:
                future = Future()
                future.set_exception(job)
            futures.append((source, records, future))
        for source, records, future in futures:
            result = _graded(source, records, config, future.result)
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results


def _prepare_or_fault(source: SubmissionSource, config: GradingConfig, records: Path) -> Prepared | Exception:
    try:
        return prepare(source, config, records)
    except UsageError:
        raise
    except Exception as exc:  # noqa: BLE001 - becomes this student's not-graded result, the batch goes on
        return exc

