"""Integrity checks on the submission's text: LSTMCell delegation to library RNN cells, and TA patterns.

Reads files as text and walks their syntax tree; nothing is imported or executed. Delegation costs
the Part 3 cell points (the student is told why); pattern hits go to the TA report only.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import UsageError
from autograder.records import cell_label

DELEGATE_NAMES = frozenset({
    "LSTM", "LSTMCell", "GRU", "GRUCell", "CuDNNLSTM", "CuDNNGRU", "LSTMCellV2", "LSTMBlockCell", "BlockLSTM",
    "BlockLSTMV2", "LSTMBlockCellGrad", "BasicLSTMCell", "LSTMStateTuple", "CudnnRNN", "CudnnRNNV3", "PeepholeLSTMCell",
})
LIBRARY_HINTS = ("keras", "layers", "raw_ops", "rnn_cell", "rnn", "compat", "nn", "tf", "tensorflow")
LIBRARY_MODULES = ("keras", "tf_keras", "tensorflow")


@dataclass(frozen=True)
class Finding:
    """One integrity observation: what was seen and where."""

    what: str
    where: str


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def delegation_in_source(source: str, class_name: str = "LSTMCell") -> tuple[Finding, ...]:
    """Library RNN cells or kernels used inside `class LSTMCell` (static; syntax errors find nothing)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ()
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in LIBRARY_MODULES:
            for alias in node.names:
                if alias.name in DELEGATE_NAMES:
                    imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    findings: list[Finding] = []
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == class_name):
        for base in cls.bases:
            name = _dotted(base)
            if name.split(".")[-1] in DELEGATE_NAMES or name in imported:
                findings.append(Finding(f"LSTMCell inherits from {imported.get(name, name)}", f"line {base.lineno}"))
        for node in ast.walk(cls):
            if isinstance(node, ast.Attribute) and node.attr in DELEGATE_NAMES:
                chain = _dotted(node)
                if any(h in chain.split(".")[:-1] for h in LIBRARY_HINTS):
                    findings.append(Finding(f"LSTMCell uses {chain}", f"line {node.lineno}"))
            elif isinstance(node, ast.Attribute) and "lstm" in node.attr.lower() and "raw_ops" in _dotted(node):
                findings.append(Finding(f"LSTMCell uses {_dotted(node)}", f"line {node.lineno}"))
            elif isinstance(node, ast.Name) and node.id in imported and isinstance(node.ctx, ast.Load):
                findings.append(Finding(f"LSTMCell uses {imported[node.id]}", f"line {node.lineno}"))
    return tuple(dict.fromkeys(findings))


def delegation_at_runtime(class_mro: tuple[str, ...] | None) -> tuple[Finding, ...]:
    """Library RNN cells among the student's LSTMCell base classes, as the probe saw them."""
    return tuple(Finding(f"LSTMCell is a subclass of {entry}", "class hierarchy")
                 for entry in class_mro or ()
                 if entry.split(".")[0] in LIBRARY_MODULES and entry.split(".")[-1] in DELEGATE_NAMES)


def _texts(root: Path) -> list[tuple[str, str]]:
    """(where, text) of every Python file and every notebook cell in the submission copy."""
    out = []
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.suffix == ".py" and path.is_file():
            out.append((rel, path.read_text(encoding="utf-8", errors="replace")))
        elif path.suffix == ".ipynb" and path.is_file():
            try:
                cells = json.loads(path.read_text(encoding="utf-8", errors="replace")).get("cells", [])
            except (ValueError, AttributeError):
                continue
            for i, cell in enumerate(cells if isinstance(cells, list) else []):
                src = cell.get("source", "") if isinstance(cell, dict) else ""
                out.append((f"{rel} {cell_label(i)}", "".join(src) if isinstance(src, list) else str(src)))
    return out


def pattern_hits(root: Path, patterns: tuple[str, ...]) -> tuple[Finding, ...]:
    """Case-insensitive occurrences of TA-configured patterns (e.g. template canaries) in code and markdown."""
    compiled = [(p, re.compile(re.escape(p), re.IGNORECASE)) for p in patterns if p.strip()]
    return tuple(Finding(f"pattern {p!r} found", where) for where, text in _texts(root)
                 for p, rx in compiled if rx.search(text))


def load_patterns(path: Path | None) -> tuple[str, ...]:
    """One pattern per line; blank lines and lines starting with # are skipped."""
    if path is None:
        return ()
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read the integrity patterns file {path}: {exc.strerror}") from None
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))
