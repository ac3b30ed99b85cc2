"""Plain, frozen records of everything that comes back from the sandbox; parsing them is validation.

Each file is size-capped, parsed as JSON, checked against its schema and turned into frozen
dataclasses. A file that fails any step is the submission's fault (`RecordMalformed`), never a crash.
Arrays are rebuilt as float64 with the shape the grader asked for, or rejected.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
from numpy.typing import NDArray

from autograder.errors import RecordMalformed

SCHEMA_VERSION = 1
MAX_RECORD_BYTES = 64 * 2**20

_NUM = {"type": "number"}
_NULLABLE_STR = {"type": ["string", "null"]}
_ERROR = {"type": ["object", "null"], "required": ["ename", "evalue"],
          "properties": {"ename": {"type": "string"}, "evalue": {"type": "string"}, "where": {"type": "string"}}}
_MATRIX = {"type": ["array", "null"], "items": {"type": "array", "items": _NUM}}
_NESTED = {"type": ["array", "null"]}
_WEIGHTS = {"type": ["array", "null"], "items": {"type": "object", "required": ["name", "shape"], "properties": {
    "name": {"type": "string"}, "shape": {"type": "array", "items": {"type": "integer"}}}}}
_CELL_RUN = {"type": "object", "required": ["index", "status", "source_head"], "properties": {
    "index": {"type": "integer"}, "status": {"enum": ["ok", "error", "timeout", "kernel_died"]},
    "ename": _NULLABLE_STR, "evalue": _NULLABLE_STR, "source_head": {"type": "string"}, "duration_s": _NUM}}

SCHEMAS: dict[str, dict[str, Any]] = {
    "notebook_run": {"type": "object", "required": ["kind", "version", "status", "cells"], "properties": {
        "kind": {"const": "notebook_run"}, "version": {"const": SCHEMA_VERSION},
        "status": {"enum": ["running", "completed", "unreadable", "kernel_died", "failed"]},
        "message": _NULLABLE_STR, "cells": {"type": "array", "items": _CELL_RUN},
        "probe": {"anyOf": [{"type": "null"}, _CELL_RUN]}}},
    "network_probe": {"type": "object", "required": ["kind", "version", "networks"], "properties": {
        "kind": {"const": "network_probe"}, "version": {"const": SCHEMA_VERSION},
        "networks": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["variable", "found", "is_history", "history_keys", "epochs", "layers"],
            "properties": {
                "variable": {"type": "string"}, "found": {"type": "boolean"}, "is_history": {"type": "boolean"},
                "history_keys": {"type": "array", "items": {"type": "string"}}, "epochs": {"type": "integer"},
                "model_class": _NULLABLE_STR, "model_module": _NULLABLE_STR,
                "layers": {"type": "array", "items": {"type": "object", "required": ["class", "module"]}},
                "loss": {"type": ["object", "null"]}, "final_activation": _NULLABLE_STR,
                "layout": _NULLABLE_STR, "output_shape": {"type": ["array", "null"], "items": {"type": "integer"}},
                "predictions": _NESTED, "error": _ERROR, "history_class": _NULLABLE_STR,
                "history_module": _NULLABLE_STR, "custom_methods": {"type": "array", "items": {"type": "string"}},
                "layout_errors": {"type": "array", "items": {"type": "string"}}}}}}},
    "cell_probe": {"type": "object", "required": ["kind", "version", "import_error", "classes", "shapes", "ones", "cases"],
                   "properties": {
        "kind": {"const": "cell_probe"}, "version": {"const": SCHEMA_VERSION}, "import_error": _ERROR,
        "classes": {"type": "object", "additionalProperties": {
            "type": ["object", "null"], "properties": {"mro": {"type": "array", "items": {"type": "string"}}}}},
        "shapes": {"type": "array", "items": {"type": "object", "required": ["input_dim", "units", "weights", "error"],
                                              "properties": {"weights": _WEIGHTS, "error": _ERROR,
                                                             "parts": {"type": "array", "items": {"type": "string"}}}}},
        "ones": {"type": ["object", "null"], "properties": {"h": _MATRIX, "c": _MATRIX, "error": _ERROR}},
        "cases": {"type": "array", "items": {"type": "object", "required": ["name", "h", "c", "error"], "properties": {
            "name": {"type": "string"}, "h": _MATRIX, "c": _MATRIX, "error": _ERROR, "weights": _WEIGHTS,
            "assignment": _NULLABLE_STR, "grads": {"type": ["object", "null"]}, "grad_error": _ERROR}}},
        "large": {"type": ["object", "null"]},
        "environment": {"type": "object"}}},
}


def read_json(path: Path, kind: str) -> dict[str, Any]:
    """Read one record file: size cap, JSON, schema. Raises RecordMalformed on any failure."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise RecordMalformed(f"no {kind} record was produced") from None
    if size > MAX_RECORD_BYTES:
        raise RecordMalformed(f"the {kind} record is {size // 2**20} MiB, over the {MAX_RECORD_BYTES // 2**20} MiB cap")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, SCHEMAS[kind])
    except (ValueError, jsonschema.ValidationError) as exc:
        raise RecordMalformed(f"the {kind} record is malformed: {str(exc).splitlines()[0][:300]}") from None
    return data  # type: ignore[no-any-return]


def as_array(value: Any, shape: tuple[int, ...] | None, what: str) -> NDArray[np.float64]:
    """A nested list as a float64 array of the expected shape; a different shape is the student's fault."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (ValueError, TypeError):
        raise RecordMalformed(f"{what} is not a rectangular array of numbers") from None
    if shape is not None and arr.shape != shape:
        raise RecordMalformed(f"{what} has shape {tuple(arr.shape)}, expected {shape}")
    return arr


@dataclass(frozen=True)
class ErrorInfo:
    """An exception raised by student code, as text."""

    ename: str
    evalue: str
    where: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ErrorInfo | None:
        return None if data is None else cls(str(data["ename"]), str(data["evalue"]), str(data.get("where", "")))

    def __str__(self) -> str:
        return f"{self.ename}: {self.evalue}"


@dataclass(frozen=True)
class ProcessRecord:
    """How a sandbox process ended, observed by the trusted parent (see sandbox.limits)."""

    returncode: int | None
    timed_out: bool
    memory_exceeded: bool
    peak_rss_mb: float
    duration_s: float
    log_tail: str
    log_exceeded: bool = False

    @property
    def limit_hit(self) -> str | None:
        """Which limit stopped the process: 'time', 'memory', 'output', or None."""
        return ("memory" if self.memory_exceeded else "time" if self.timed_out
                else "output" if self.log_exceeded else None)


def cell_label(index: int) -> str:
    """How every message names a notebook cell: its position counting from 1, markdown cells included
    (what a TA counts when scrolling), never to be confused with the execution count `[n]`."""
    return f"cell #{index + 1}"


@dataclass(frozen=True)
class CellRun:
    """One executed notebook code cell."""

    index: int  # position in the notebook's cell list (markdown cells counted)
    status: str  # ok | error | timeout | kernel_died (left out of the run that was graded)
    ename: str | None
    evalue: str | None
    source_head: str


@dataclass(frozen=True)
class NotebookRun:
    """The notebook execution: how it ended and every code cell's outcome."""

    status: str  # completed | unreadable | kernel_died | failed | running (killed at the deadline)
    message: str | None
    cells: tuple[CellRun, ...]
    probe: CellRun | None
    process: ProcessRecord

    def failed_cells(self) -> tuple[CellRun, ...]:
        return tuple(c for c in self.cells if c.status != "ok")

    def cells_mentioning(self, text: str) -> tuple[CellRun, ...]:
        return tuple(c for c in self.cells if text in c.source_head)

    @property
    def worker_crashed(self) -> bool:
        """The nbclient worker itself ended early, not killed by a limit: a grader fault, not the student's."""
        return self.status in ("running", "failed") and self.process.limit_hit is None

    def stop_reason(self) -> str | None:
        """Why the notebook did not run to the end, in words, or None when it did."""
        if self.process.memory_exceeded:
            return "the notebook used more memory than allowed and was stopped"
        if self.process.timed_out:
            return "the notebook ran past the whole-notebook time limit and was stopped"
        if self.process.log_exceeded:
            return "the notebook wrote more console output than allowed and was stopped"
        if self.status == "completed":
            return None
        return self.message or f"the notebook run ended with status '{self.status}'"


@dataclass(frozen=True)
class NetworkRecord:
    """What the probe saw of one History variable and the model it trained."""

    variable: str
    found: bool
    is_history: bool
    history_keys: tuple[str, ...]
    epochs: int
    model_class: str | None
    model_module: str | None
    layers: tuple[tuple[str, str], ...]  # (class name, module) of every layer, wrappers and cells unrolled
    loss_name: str | None
    from_logits: bool | None
    final_activation: str | None
    layout: str | None
    predictions: NDArray[np.float64] | None
    error: ErrorInfo | None
    layout_errors: tuple[str, ...] = field(default=())
    history_class: str | None = None
    history_module: str | None = None
    custom_methods: tuple[str, ...] = ()  # prediction methods the model's class defines outside Keras

    def integrity_notes(self) -> tuple[str, ...]:
        """Signs the predictions may not come from a network Keras trained (for a TA to look at)."""
        notes = []
        if self.history_module is not None and not self.history_module.startswith(("keras", "tf_keras", "tensorflow")):
            notes.append(f"`{self.variable}` is a {self.history_class} defined in {self.history_module}, "
                         "not a Keras History returned by fit()")
        if own := [m for m in self.custom_methods if m != "call"]:
            notes.append(f"`{self.variable}.model` ({self.model_class}, {self.model_module}) predicts through its own "
                         f"{', '.join(own)}")
        return tuple(notes)


@dataclass(frozen=True)
class ShapeProbe:
    """The weights LSTMCell created when built for one (D, K)."""

    input_dim: int
    units: int
    weights: tuple[tuple[str, tuple[int, ...]], ...] | None
    error: ErrorInfo | None
    parts: tuple[str, ...] = ()  # library layer classes the built cell holds as attributes


@dataclass(frozen=True)
class CaseProbe:
    """The student's cell on one grader-chosen case: outputs and gradients (None where it failed)."""

    name: str
    h: NDArray[np.float64] | None
    c: NDArray[np.float64] | None
    error: ErrorInfo | None
    assignment: str | None  # by_name | by_shape | stacked
    grads: dict[str, NDArray[np.float64] | None] | None
    grad_error: ErrorInfo | None


@dataclass(frozen=True)
class CellProbe:
    """Everything the cell probe returned about utils/LSTM.py."""

    import_error: ErrorInfo | None
    class_mro: dict[str, tuple[str, ...] | None]
    shapes: tuple[ShapeProbe, ...]
    ones: CaseProbe | None
    cases: tuple[CaseProbe, ...]
    large: CaseProbe | None  # the large pre-activation case (NaN check)
    process: ProcessRecord


def _weights(data: list[dict[str, Any]] | None) -> tuple[tuple[str, tuple[int, ...]], ...] | None:
    return None if data is None else tuple((w["name"], tuple(w["shape"])) for w in data)


def load_process(path: Path) -> ProcessRecord:
    data = json.loads(path.read_text(encoding="utf-8"))  # written by the trusted parent
    return ProcessRecord(**data)


def load_notebook_run(records: Path) -> NotebookRun:
    data = read_json(records / "notebook_run.json", "notebook_run")

    def cell(c: dict[str, Any]) -> CellRun:
        return CellRun(c["index"], c["status"], c.get("ename"), c.get("evalue"), c["source_head"])

    return NotebookRun(status=data["status"], message=data.get("message"),
                       cells=tuple(cell(c) for c in data["cells"]),
                       probe=cell(data["probe"]) if data.get("probe") else None,
                       process=load_process(records / "notebook_process.json"))


def load_network_probe(records: Path, expected_rows: int, seq_len: int) -> dict[str, NetworkRecord]:
    data = read_json(records / "network_probe.json", "network_probe")
    out = {}
    for var, n in data["networks"].items():
        preds = None
        if n.get("predictions") is not None:
            preds = as_array(n["predictions"], None, f"the predictions of {var}.model")
            if preds.ndim == 0 or preds.shape[0] != expected_rows or preds.size > expected_rows * seq_len * 16:
                raise RecordMalformed(f"the predictions of {var}.model have shape {preds.shape}")
        loss = n.get("loss") or {}
        out[var] = NetworkRecord(
            variable=var, found=n["found"], is_history=n["is_history"], history_keys=tuple(n["history_keys"]),
            epochs=n["epochs"], model_class=n.get("model_class"), model_module=n.get("model_module"),
            layers=tuple((str(layer["class"]), str(layer["module"])) for layer in n["layers"]),
            loss_name=loss.get("name"), from_logits=loss.get("from_logits"),
            final_activation=n.get("final_activation"), layout=n.get("layout"), predictions=preds,
            error=ErrorInfo.from_json(n.get("error")), layout_errors=tuple(n.get("layout_errors", [])),
            history_class=n.get("history_class"), history_module=n.get("history_module"),
            custom_methods=tuple(str(m) for m in n.get("custom_methods", [])))
    return out


def _case(c: dict[str, Any], n: int, k: int, d: int) -> CaseProbe:
    grads = None
    if c.get("grads") is not None:
        shapes = {"inputs": (n, d), "h_prev": (n, k), "c_prev": (n, k), "kernel": (d, 4 * k),
                  "recurrent_kernel": (k, 4 * k), "bias": (4 * k,)}
        grads = {}
        for name, shape in shapes.items():
            value = c["grads"].get(name)
            grads[name] = None if value is None else as_array(value, shape, f"the gradient w.r.t. {name}")
    return CaseProbe(
        name=c["name"],
        h=None if c.get("h") is None else as_array(c["h"], (n, k), f"h of case {c['name']}"),
        c=None if c.get("c") is None else as_array(c["c"], (n, k), f"c of case {c['name']}"),
        error=ErrorInfo.from_json(c.get("error")), assignment=c.get("assignment"), grads=grads,
        grad_error=ErrorInfo.from_json(c.get("grad_error")))


def _nkd(dims: tuple[int, int, int]) -> tuple[int, int, int]:
    n, d, k = dims
    return n, k, d


def load_cell_probe(records: Path, case_dims: dict[str, tuple[int, int, int]]) -> CellProbe:
    """Parse the cell probe; `case_dims` maps each grader case name to its (N, D, K)."""
    data = read_json(records / "cell_probe.json", "cell_probe")
    cases = []
    for c in data["cases"]:
        if c["name"] not in case_dims:
            raise RecordMalformed(f"the cell probe returned an unknown case {c['name']!r}")
        n, d, k = case_dims[c["name"]]
        cases.append(_case(c, n, k, d))
    ones = None
    if data.get("ones") is not None:
        n, d, k = case_dims["ones"]
        ones = _case({"name": "ones", **data["ones"]}, n, k, d)
    return CellProbe(
        import_error=ErrorInfo.from_json(data["import_error"]),
        class_mro={k: (None if v is None else tuple(v.get("mro", []))) for k, v in data["classes"].items()},
        shapes=tuple(ShapeProbe(s["input_dim"], s["units"], _weights(s["weights"]), ErrorInfo.from_json(s["error"]),
                                tuple(s.get("parts", []))) for s in data["shapes"]),
        ones=ones, cases=tuple(cases), process=load_process(records / "cell_process.json"),
        large=None if data.get("large") is None else _case(data["large"], *_nkd(case_dims["large"])))
