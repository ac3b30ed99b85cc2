"""The terminal summary table (rich)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from autograder.results import PARTS, SubmissionResult


def summary_table(results: list[SubmissionResult], seed: int) -> Table:
    table = Table(title=f"XOR homework grades (seed {seed})")
    table.add_column("student")
    for p in PARTS:
        table.add_column(f"part {p}", justify="right")
    table.add_column("total", justify="right")
    table.add_column("not graded", justify="right")
    for r in sorted(results, key=lambda r: r.student):
        table.add_row(r.student, *(f"{r.part_points(p):g}/{r.part_max(p):g}" for p in PARTS),
                      f"{r.total:g}/{r.max_total:g}", str(r.not_graded) if r.not_graded else "")
    return table


def _checks(n: int) -> str:
    return f"{n} check" + ("" if n == 1 else "s")


def print_student_line(console: Console, result: SubmissionResult) -> None:
    lost = [c for c in result.checks if c.status not in ("passed", "not_graded")]
    parts = [f"{_checks(len(lost))} lost points"] if lost else []
    if result.not_graded:
        parts.append(f"{_checks(result.not_graded)} not graded (grader fault, see ta_report.json)")
    console.print(f"[bold]{result.student}[/bold]: {result.total:g}/{result.max_total:g}"
                  + (f"  ({'; '.join(parts)})" if parts else ""))
    for check in lost:
        console.print(f"   {check.points:g}/{check.max_points:g} {check.id}: {check.message}", markup=False,
                      highlight=False)
