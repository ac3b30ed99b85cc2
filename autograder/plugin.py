"""pytest plugin: the `points` marker, options, outcome classification and score collection.

Loaded through the `pytest11` entry point. It stays inert unless a grading session is active: the
CLI registers a `GradingSession` itself, and `pytest <rubric> --submission PATH` makes one here.
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
import traceback
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from autograder.config import GradingConfig, config_fields, field_converter, load_points_overrides
from autograder.errors import SubmissionFault, UsageError
from autograder.intake import discover
from autograder.results import CheckResult, Status, SubmissionResult

SESSION_KEY = pytest.StashKey["GradingSession"]()
SESSION_PLUGIN_NAME = "autograder-session"
PART_TOTALS = {1: 10.0, 2: 15.0, 3: 25.0}  # SPEC §4: the assignment's points per part
NOT_GRADED_MESSAGE = "This check could not be graded because of a grader error; the TAs have been notified."


@dataclass(frozen=True)
class Points:
    """What one collected check is worth and which part it belongs to."""

    max_points: float
    part: int


def points_of(item: pytest.Item, overrides: dict[str, float]) -> Points:
    """Read the `points` marker (the default) and apply the override file; the only place that does."""
    marker = item.get_closest_marker("points")
    if marker is None or len(marker.args) != 1:
        raise UsageError(f"rubric check {item.nodeid} has no @pytest.mark.points(n) marker")
    match = re.search(r"test_part(\d)", item.nodeid)
    if match is None:
        raise UsageError(f"rubric check {item.nodeid} is not in a test_partN_*.py module")
    default = float(marker.args[0])
    for key in override_keys(item):  # most specific first
        if key in overrides:
            return Points(max_points=overrides[key], part=int(match.group(1)))
    return Points(max_points=default, part=int(match.group(1)))


def override_keys(item: pytest.Item) -> tuple[str, ...]:
    """The names a points file may use for a check: its id as `autograde checks` lists it (one case of a
    parametrized check), the id without the case (every case), or the bare function name."""
    check_id = item.nodeid.split("/")[-1]
    return tuple(dict.fromkeys((check_id, check_id.split("[")[0], getattr(item, "originalname", item.name))))


def record_fraction(item: pytest.Item, fraction: float, message: str) -> None:
    """Partial credit: the share of the check's points earned, with the message explaining it."""
    item.user_properties.append(("fraction", float(min(max(fraction, 0.0), 1.0))))
    item.user_properties.append(("message", message))


def record_ta_note(item: pytest.Item, note: str) -> None:
    """A note only TAs see (integrity flags, diagnostics that would reveal expected values)."""
    item.user_properties.append(("ta_note", note))


def record_review(item: pytest.Item, note: str) -> None:
    """An item for the manual-review sheet (TA-only): something a person should read or decide."""
    item.user_properties.append(("review", note))


def _failure_message(exc: BaseException) -> str:
    if isinstance(exc, SubmissionFault):
        return exc.message
    if isinstance(exc, pytest.fail.Exception):
        return str(exc.msg)
    return str(exc).split("\nassert ")[0].strip() or "the check's condition did not hold"


class GradingSession:
    """The plugin instance for grading one submission: config, records, and the collected results."""

    def __init__(self, config: GradingConfig, *, submission: Path | None = None, records: Path | None = None,
                 keep_records: Path | None = None) -> None:
        if submission is None and records is None:
            raise UsageError("nothing to grade", hint="pass --submission PATH (or --records DIR)")
        self.config = config
        self.submission = submission
        self._records = records
        self._keep_records = keep_records
        self._tmp: Path | None = None
        self._points: dict[str, Points] = {}
        self._descriptions: dict[str, str] = {}
        self.checks: dict[str, CheckResult] = {}
        self.review: dict[str, None] = {}  # ordered set of manual-review notes
        self.usage_error: UsageError | None = None

    # -- records -------------------------------------------------------------------------------
    def check_inputs(self) -> None:
        """Fail before any check runs when the submission or records path cannot be graded."""
        if self._records is not None and not (Path(self._records) / "submission.json").is_file():
            raise UsageError(f"{self._records} is not a records folder (it has no submission.json)",
                             hint="pass a folder written by --keep-records, or grade with --submission PATH")
        keep = self._keep_records
        if keep is not None and keep.is_dir() and any(keep.iterdir()) and not (keep / "submission.json").is_file():
            raise UsageError(f"{keep} is not empty and holds no earlier records; it is left as it is",
                             hint="give --keep-records a new or empty folder")
        if self.submission is not None:
            if len(sources := discover(self.submission)) != 1:
                raise UsageError(f"{self.submission} holds {len(sources)} submissions; --submission takes one",
                                 hint="use `autograde grade FOLDER` for a whole class")

    def records_dir(self) -> Path:
        """Where the sandbox's records are; runs the sandbox on first use when given a submission."""
        if self._records is None:
            from autograder.sandbox.runner import collect_records, prepare, sandbox_uid

            assert self.submission is not None
            self.check_inputs()
            sources = discover(self.submission)
            target = self._keep_records
            if target is None:
                self._tmp = Path(tempfile.mkdtemp(prefix="autograde-"))
                target = self._tmp / "records"
            collect_records(prepare(sources[0], self.config, target), self.config, uid=sandbox_uid(0),
                            keep_sandbox=self._keep_records is not None)
            self._records = target
        return self._records

    def collected(self) -> list[tuple[str, int, float, str]]:
        """(check id, part, points, description) of every collected check, in rubric order."""
        return [(nodeid.split("/")[-1], p.part, p.max_points, self._descriptions[nodeid])
                for nodeid, p in self._points.items()]

    # -- hooks ---------------------------------------------------------------------------------
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[SESSION_KEY] = self

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, session: pytest.Session, config: pytest.Config,
                                      items: list[pytest.Item]) -> None:
        try:
            self._assign_points(items)
        except UsageError as exc:
            self.usage_error = exc
            raise pytest.UsageError(exc.format_message(prefix="")) from None

    def _assign_points(self, items: list[pytest.Item]) -> None:
        overrides = load_points_overrides(self.config.points_file)
        names = {key for item in items for key in override_keys(item)}
        unknown = sorted(set(overrides) - names)
        if unknown:
            raise UsageError(f"the points file names checks that do not exist: {', '.join(unknown)}",
                             hint="run `autograde checks` to list the check names")
        totals: dict[int, float] = {}
        for item in items:
            pts = points_of(item, overrides)
            self._points[item.nodeid] = pts
            doc = (getattr(getattr(item, "obj", None), "__doc__", None) or item.name).strip().splitlines()[0]
            self._descriptions[item.nodeid] = doc
            totals[pts.part] = totals.get(pts.part, 0.0) + pts.max_points
        for part, total in totals.items():
            if part in PART_TOTALS and abs(total - PART_TOTALS[part]) > 1e-9 and overrides:
                raise UsageError(f"with the points file, Part {part} totals {total:g} points, "
                                 f"but the assignment gives it {PART_TOTALS[part]:g}",
                                 hint="move points between the part's checks; keep each part's total")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]
                                  ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if report.when == "teardown" or item.nodeid not in self._points:
            return report
        props: dict[str, Any] = dict(item.user_properties)
        self.review.update((str(v), None) for k, v in item.user_properties if k == "review")
        ta_notes = tuple(str(v) for k, v in item.user_properties if k == "ta_note")
        status: Status
        if report.when == "call" and report.passed:
            fraction = float(props.get("fraction", 1.0))
            status = "passed" if fraction >= 1.0 else "partial" if fraction > 0 else "failed"
            message = str(props.get("message", "Correct."))
        elif call.excinfo is None:
            return report  # setup passed: the call phase decides
        else:
            exc = call.excinfo.value
            fraction = 0.0
            if isinstance(exc, (AssertionError, SubmissionFault, pytest.fail.Exception)):
                status, message = "failed", _failure_message(exc)
                if isinstance(exc, SubmissionFault) and exc.detail:
                    ta_notes += (exc.detail,)
                report.longrepr = message  # plain pytest shows the student the message, not grader code
            else:
                status, message = "not_graded", NOT_GRADED_MESSAGE  # details are for the TA only
                ta_notes += ("grader error: " + "".join(traceback.format_exception(exc))[-3000:],)
                report.longrepr = f"{message}\n(grader error: {type(exc).__name__}: {exc})"
        pts = self._points[item.nodeid]
        self.checks[item.nodeid] = CheckResult(
            id=item.nodeid.split("/")[-1], part=pts.part, description=self._descriptions[item.nodeid],
            points=round(pts.max_points * fraction, 4), max_points=pts.max_points, status=status,
            message=message, ta_notes=ta_notes)
        return report

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.checks:
            return
        tr = terminalreporter
        tr.section("autograder points")
        for check in self.checks.values():
            tr.write_line(f"{check.points:6.2f} / {check.max_points:<5g} {check.status:<10} {check.id}")
            if check.status != "passed":
                tr.write_line(f"{'':17}→ {check.message}")
        total = sum(c.points for c in self.checks.values())
        tr.write_line(f"total: {total:g} / {sum(c.max_points for c in self.checks.values()):g}  (seed {self.config.seed})")

    def result(self, student: str, *, notes: tuple[str, ...] = (), ta_notes: tuple[str, ...] = (),
               failed_cells: tuple[dict[str, Any], ...] = (), environment: dict[str, str] | None = None,
               resources: dict[str, float] | None = None) -> SubmissionResult:
        return SubmissionResult(student=student, checks=tuple(self.checks.values()), seed=self.config.seed,
                                config=self.config.public_dict(), environment=environment or {},
                                notes=notes, ta_notes=ta_notes, review=tuple(self.review),
                                failed_cells=failed_cells, resources=resources or {})


# -- module-level hooks: options and the plain-pytest entry ------------------------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("autograder", "XOR homework autograder")
    group.addoption("--submission", type=Path, help="grade this submission folder or zip with the rubric")
    group.addoption("--records", type=Path, help="grade already collected sandbox records (advanced)")
    group.addoption("--keep-records", type=Path, help="keep the sandbox records of --submission in this folder")
    for f in config_fields():
        if f.name == "jobs":
            continue
        group.addoption(f"--{f.name.replace('_', '-')}", dest=f"ag_{f.name}", type=field_converter(f), default=None,
                        choices=f.metadata.get("choices"), help=f.metadata["help"])


def recorded_seed(records: Path) -> int | None:
    """The seed a records folder was collected with (its inputs only make sense under that seed)."""
    try:
        seed = json.loads((Path(records) / "submission.json").read_text(encoding="utf-8")).get("seed")
    except (OSError, ValueError):
        return None
    return seed if isinstance(seed, int) else None


def config_from_options(config: pytest.Config) -> GradingConfig:
    values = {f.name: config.getoption(f"ag_{f.name}") for f in config_fields() if f.name != "jobs"}
    return GradingConfig(**{k: v for k, v in values.items() if v is not None})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): the check's default points (override: --points-file)")
    if any(isinstance(p, GradingSession) for p in config.pluginmanager.get_plugins()):
        return  # the CLI passed its own session in
    if config.getoption("submission", None) or config.getoption("records", None):
        try:  # a bad option or path: one clear line and exit code 4, not a traceback per check
            grading = config_from_options(config)
            records = config.getoption("records")
            if records is not None and config.getoption("ag_seed") is None:
                grading = grading.replace(seed=recorded_seed(records) or grading.seed)  # grade what was collected
            session = GradingSession(grading, submission=config.getoption("submission"), records=records,
                                     keep_records=config.getoption("keep_records"))
            session.check_inputs()
        except UsageError as exc:
            raise pytest.UsageError(exc.format_message(prefix="")) from None
        config.pluginmanager.register(session, SESSION_PLUGIN_NAME)
