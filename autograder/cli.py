"""`autograde`: parse arguments, build the config, call one library function, map errors to exit codes."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from rich.console import Console

from autograder.config import GradingConfig, config_fields, field_converter
from autograder.errors import AutograderError, ExitCode, UsageError
from autograder.grading import grade_folder, list_checks, validate
from autograder.intake import discover, file_names, passed_over
from autograder.reports.gradebook import write_gradebook
from autograder.reports.gradescope import write_gradescope
from autograder.reports.manual_review import write_manual_review
from autograder.reports.student_json import write_student_json, write_ta_report
from autograder.reports.terminal import print_student_line, summary_table
from autograder.results import SubmissionResult
from autograder.sandbox.runner import separate_users_unavailable

DEFAULT_FOLDER = Path("submissions")


def _add_config_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("grading options")
    for f in config_fields():
        helptext, is_bool = str(f.metadata["help"]), str(f.type) == "bool"
        if "default" not in helptext:
            shown = "none" if f.default is None else ("yes" if f.default else "no") if is_bool else f.default
            helptext += f" (default: {shown})"
        metavar = "yes|no" if is_bool else None
        group.add_argument(f"--{f.name.replace('_', '-')}", dest=f.name, type=field_converter(f), default=None,
                           choices=f.metadata.get("choices"), metavar=metavar, help=helptext)


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad option exits with our usage-error code (4), not argparse's 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(int(ExitCode.USAGE_ERROR), f"error: {message}\nhint: `{self.prog} --help` lists the options\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="autograde", description="Grade the 'Task 1: XOR' homework.")
    sub = parser.add_subparsers(dest="command", required=True)
    grade = sub.add_parser("grade", help="grade a folder of submissions (or one submission / zip)")
    grade.add_argument("path", nargs="?", type=Path, default=DEFAULT_FOLDER,
                       help="folder of submissions, one submission folder, or a zip (default: submissions/)")
    grade.add_argument("--out", type=Path, default=Path("grades"), help="where reports go (default: grades/)")
    grade.add_argument("--gradescope", type=Path, default=None, metavar="FILE",
                       help="also write Gradescope's results.json here (PATH must be one submission)")
    grade.add_argument("--keep-records", type=Path, default=None,
                       help="keep every submission's sandbox records (scratch copies, logs, probe JSON) here")
    _add_config_options(grade)
    checks = sub.add_parser("checks", help="list the rubric checks with their points")
    _add_config_options(checks)
    return parser


def config_from_args(args: argparse.Namespace) -> GradingConfig:
    values = {f.name: getattr(args, f.name) for f in config_fields() if getattr(args, f.name, None) is not None}
    try:
        return GradingConfig(**values)  # validates every value (UsageError)
    except TypeError as exc:
        raise UsageError(str(exc)) from None


def _usable_folder(path: Path, flag: str) -> Path:
    """Create the folder now, so a path that cannot hold reports fails before any grading starts."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{flag} {path}: cannot use it as a folder ({exc.strerror})",
                         hint=f"give {flag} a folder that does not exist yet or is a writable folder") from None
    return path


def cmd_grade(args: argparse.Namespace, console: Console) -> ExitCode:
    config = config_from_args(args)
    out = _usable_folder(args.out, "--out")
    if args.keep_records is not None:
        _usable_folder(args.keep_records, "--keep-records")
    if args.gradescope is not None:
        _usable_folder(args.gradescope.parent, "--gradescope's folder")
        if args.gradescope.is_dir():
            raise UsageError(f"--gradescope {args.gradescope} is a folder", hint="give the file to write, e.g. "
                             "/autograder/results/results.json")
    sources = discover(args.path)
    if args.gradescope is not None and len(sources) != 1:
        raise UsageError("--gradescope writes one student's results.json; PATH holds several submissions",
                         hint="point PATH at one submission folder or zip")
    validate(config)  # every usage error is reported before anything is printed or graded
    names = file_names(sources)  # the same names grade_folder gives the records folders
    skipped = passed_over(args.path)
    done: list[SubmissionResult] = []
    console.print(f"grading {args.path} (seed {config.seed}, Keras {config.keras} in student processes)")
    if why := separate_users_unavailable():
        console.print(f"[dim]student code runs as the grader's own user: {why} (see README, 'Sandbox')[/dim]")
    if skipped:
        console.print(f"not graded, as they hold no notebook, Python file or zip: "
                      f"{', '.join(p.name for p in skipped)}", markup=False, highlight=False)

    def on_result(result: SubmissionResult) -> None:
        done.append(result)
        write_student_json(result, out, names[result.student])
        write_gradebook(done, out)  # rewritten each time: a crash later keeps everyone graded so far
        write_ta_report(done, out)
        write_manual_review(done, out, unexamined=[p for p in skipped if p.is_dir()])
        print_student_line(console, result)

    grade_folder(args.path, config, keep_records=args.keep_records, on_result=on_result)
    if args.gradescope is not None and done:
        write_gradescope(done[0], args.gradescope)
    console.print(summary_table(done, config.seed))
    console.print(f"wrote {out / 'gradebook.csv'}, {out / 'students'}/*.json, {out / 'ta_report.json'} "
                  f"and {out / 'manual_review.csv'}")
    if any(r.not_graded for r in done):  # the reports are complete for everyone else; the run is not
        console.print("[yellow]some checks could not be graded (grader faults): see ta_report.json[/yellow]")
        return ExitCode.INTERNAL_ERROR
    return ExitCode.OK


def cmd_checks(args: argparse.Namespace, console: Console) -> ExitCode:
    for cid, part, pts, desc in list_checks(config_from_args(args)):
        console.print(f"part {part}  {pts:>4g}  {cid}\n           {desc}", markup=False, highlight=False)
    return ExitCode.OK


def main(argv: list[str] | None = None) -> int:
    console = Console()
    args = build_parser().parse_args(argv)
    try:
        return int({"grade": cmd_grade, "checks": cmd_checks}[args.command](args, console))
    except UsageError as exc:
        print(exc.format_message(), file=sys.stderr)
        return int(ExitCode.USAGE_ERROR)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except AutograderError as exc:
        print(f"internal error: {exc}", file=sys.stderr)
        return int(exc.exit_code)


if __name__ == "__main__":
    sys.exit(main())
