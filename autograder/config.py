"""GradingConfig, built once at the edge and passed down, and the points-override file loader."""
from __future__ import annotations

import argparse
import dataclasses
import math
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

from autograder.errors import UsageError

KerasMode = Literal["2", "3"]


def _opt(default: Any, help: str, **kw: Any) -> Any:
    return field(default=default, metadata={"help": help, **kw})


def new_seed() -> int:
    """A fresh run seed the student cannot know in advance; reports record it for reproduction."""
    return secrets.randbelow(2**31 - 1) + 1


@dataclass(frozen=True)
class GradingConfig:
    """Every knob of a grading run. Field help texts feed the CLI's --help and pytest's option help."""

    seed: int = field(default_factory=new_seed, metadata={
        "help": "seed for held-out data, probe weights and the notebook's RNGs (default: drawn per run)"})
    keras: KerasMode = _opt("2", "Keras in the student processes: 2 = legacy tf-keras (students' era), 3 = Keras 3",
                            choices=("2", "3"))
    cell_timeout_s: float = _opt(300.0, "seconds one notebook cell may run")
    notebook_timeout_s: float = _opt(1200.0, "seconds the whole notebook (all cells and probes) may run")
    probe_timeout_s: float = _opt(240.0, "seconds the utils/LSTM.py probe process may run")
    startup_timeout_s: float = _opt(120.0, "seconds to wait for the notebook kernel to start")
    memory_limit_mb: int = _opt(6144, "resident memory (MiB) a submission's processes may use together")
    heldout_samples: int = _opt(1000, "held-out sequences for the accuracy checks")
    seq_len: int = _opt(8, "sequence length of the held-out data (the assignment uses 8)")
    accuracy_full: float = _opt(0.95, "held-out token accuracy that earns full accuracy points")
    accuracy_none: float = _opt(0.60, "held-out token accuracy at or below which accuracy earns nothing")
    gradient_tolerance: float = _opt(0.0002, "Part 1: absolute tolerance of each hand-derived gradient")
    sum_convention_credit: float = _opt(0.5, "Part 1: share of a value's points for the loss-without-½ convention")
    fewer_decimals_credit: float = _opt(0.5, "Part 1: share of a value's points when right but written with fewer decimals")
    cell_atol: float = _opt(1e-4, "Part 3: absolute tolerance when comparing h, c and gradients")
    cell_rtol: float = _opt(1e-3, "Part 3: relative tolerance when comparing h, c and gradients")
    nonfinite_costs_points: bool = _opt(False, "Part 3: a cell that returns NaN/inf at large pre-activations loses "
                                        "the equivalence points (default: flagged only)")
    integrity_patterns_file: Path | None = _opt(None, "file of patterns (one per line, e.g. template canaries) "
                                                "flagged in the TA report when found in code or markdown")
    points_file: Path | None = _opt(None, "TOML file overriding points per check (see autograder/rubric/points.toml)")
    jobs: int = _opt(1, "submissions graded at once (each needs ~1.5 GiB and one core)")

    def __post_init__(self) -> None:
        if problems := self.problems():
            raise UsageError("invalid option values: " + "; ".join(problems),
                             hint="`autograde grade --help` shows each option's meaning and default")

    def problems(self) -> list[str]:
        """Values no grading run can use; a bad limit or tolerance must never cost a student points."""
        out = []
        if not 0 <= self.seed < 2**32:
            out.append(f"--seed must be between 0 and {2**32 - 1}, got {self.seed}")
        for name in ("cell_timeout_s", "notebook_timeout_s", "probe_timeout_s", "startup_timeout_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                out.append(f"--{name.replace('_', '-')} must be a positive number of seconds, got {value}")
        if self.memory_limit_mb < 1024:
            out.append(f"--memory-limit-mb must be at least 1024 (TensorFlow alone needs ~600 MiB), "
                       f"got {self.memory_limit_mb}")
        if self.heldout_samples < 10 or self.seq_len < 2:
            out.append("--heldout-samples must be at least 10 and --seq-len at least 2")
        if not 0 <= self.accuracy_none < self.accuracy_full <= 1:
            out.append("need 0 ≤ --accuracy-none < --accuracy-full ≤ 1")
        for name in ("gradient_tolerance", "cell_atol", "cell_rtol"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                out.append(f"--{name.replace('_', '-')} must be a non-negative number, got {value}")
        for name in ("sum_convention_credit", "fewer_decimals_credit"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                out.append(f"--{name.replace('_', '-')} is a share of the points, between 0 and 1, got {value}")
        if self.jobs < 1:
            out.append(f"--jobs must be at least 1, got {self.jobs}")
        return out

    def replace(self, **changes: Any) -> GradingConfig:
        return dataclasses.replace(self, **changes)

    def public_dict(self) -> dict[str, Any]:
        """The effective configuration as plain data, for every report."""
        out = dataclasses.asdict(self)
        for key in ("points_file", "integrity_patterns_file"):
            out[key] = str(out[key]) if out[key] else None
        return out


def config_fields() -> tuple[dataclasses.Field[Any], ...]:
    """The fields with their help texts, for building command-line options."""
    return dataclasses.fields(GradingConfig)


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected yes or no, got {text!r}")  # argparse shows this text as it is


def field_converter(f: dataclasses.Field[Any]) -> Callable[[str], Any]:
    """How a command-line string becomes this field's value (shared by the CLI and the pytest options)."""
    kind = str(f.type)
    if kind == "bool":
        return _parse_bool
    if kind == "int":
        return int
    if kind == "float":
        return float
    return Path if "Path" in kind else str


def load_points_overrides(path: Path | None) -> dict[str, float]:
    """Read `[points]` from a TOML file: check (id, id without its case, or function name) → points."""
    if path is None:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"points file {path} does not exist", hint="pass an existing TOML file to --points-file")
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"points file {path} is not valid TOML: {exc}")
    if "points" not in data:
        found = ", ".join(list(data)[:5]) or "nothing"
        raise UsageError(f"points file {path} has no [points] table (found {found})",
                         hint="write the overrides under a [points] line, e.g. [points] then "
                              "test_cell_passes_notebook_ones_check = 3")
    table = data["points"]
    if not isinstance(table, dict) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in table.values()):
        raise UsageError(f"points file {path}: [points] must map check names to non-negative numbers")
    return {str(k): float(v) for k, v in table.items()}
