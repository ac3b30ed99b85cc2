"""Part 1: find the five hand-derived gradient values in a notebook's markdown, whatever the notation.

Handles the template's `\\nabla_{w_x} L = \\color{cyan}{[0.0079]}` and what students make of it:
other colour macros or none, no brackets, unicode minus, `\\frac{\\partial L}{\\partial w_x}`,
scientific notation, several blocks (the last complete one wins), the answer in a new cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reference.bptt import GRADIENT_NAMES

_VAR_KEYS = {"wx": "w_x", "wh": "w_h", "b1": "b_1", "w": "w", "b2": "b_2"}
_SUBSCRIPT = r"(\{(?:[^{}]|\{[^{}]*\})*\}|\\?[A-Za-z]+(?:_\{?[A-Za-z0-9]+\}?)?)"
_NABLA = re.compile(r"\\nabla\s*_\s*" + _SUBSCRIPT)
_PARTIAL = re.compile(r"(?:\\partial|∂|\bd)\s*\{?\s*([wWbB](?:\s*_\s*\{?\s*[A-Za-z0-9]\s*\}?)?)(?![A-Za-z0-9])")
_NUMBER = r"[-+]?\s*(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_SCI = re.compile(r"^(" + _NUMBER + r")\s*(?:\\times|\\cdot|×|\*)\s*10\s*\^\s*\{?\s*([-+]?\d+)\s*\}?$")
_PLAIN = re.compile(r"^(" + _NUMBER + r")$")
_MACROS = re.compile(r"\\(?:color|textcolor|mathbf|boldsymbol|mathrm|textbf|bf|text|underline|boxed|fbox)\s*(?:\{[^{}]*\})?")
_PLACEHOLDER = re.compile(r"nu\s*\.")
_UNICODE = {"−": "-", "–": "-", "—": "-", "\u2009": " ", "\xa0": " ", "≈": "=", "\\approx": "=", "\\simeq": "=",
            "\\left": "", "\\right": "", "\\,": " ", "\\;": " ", "\\!": "", "&": " "}


@dataclass(frozen=True)
class FoundValue:
    """One gradient value as written: where, the number, and the literal text (for its decimals)."""

    name: str
    value: float | None  # None: the line is there but holds the template placeholder or no single number
    literal: str
    cell: int

    @property
    def decimals(self) -> int | None:
        """Digits after the decimal point as written (None for scientific notation)."""
        if self.value is None or re.search(r"[eE]|10\s*\^", self.literal):
            return None
        frac = self.literal.split(".", 1)
        return len(re.sub(r"\D", "", frac[1])) if len(frac) == 2 else 0


@dataclass(frozen=True)
class Part1Answer:
    """The values the grader will score, and how they were found."""

    values: dict[str, FoundValue]
    complete_block: bool  # all five came from one block
    placeholder_left: bool  # the template's `[nu.]` is still somewhere in the answer
    derivation_placeholder: bool  # "Your Derivations Here." left as is
    notes: tuple[str, ...] = field(default=())

    def value(self, name: str) -> float | None:
        found = self.values.get(name)
        return None if found is None else found.value


def _normalise(text: str) -> str:
    for old, new in _UNICODE.items():
        text = text.replace(old, new)
    return text


def _variable(lhs: str) -> str | None:
    """Which of the five parameters a left-hand side differentiates by, if any."""
    m = _NABLA.search(lhs)
    candidates = [m.group(1)] if m else []
    if not m and ("partial" in lhs or "∂" in lhs or re.search(r"\bd\s*L", lhs)):
        candidates = [c for c in _PARTIAL.findall(lhs)]
    for raw in reversed(candidates):
        key = re.sub(r"[{}_\\\s]", "", raw).lower()
        if key in _VAR_KEYS:
            return _VAR_KEYS[key]
    return None


def _number(rhs: str) -> tuple[float | None, str]:
    text = _MACROS.sub("", rhs)
    text = re.sub(r"[\[\]{}()$]|\\\\|\\quad|\\qquad|\\end\{?\w*\}?", " ", text).strip().rstrip(",;.").strip()
    text = re.sub(r"(?<=[-+])\s+", "", text)
    if m := _SCI.match(text):
        return float(m.group(1).replace(" ", "")) * 10.0 ** int(m.group(2)), text
    if m := _PLAIN.match(text):
        return float(m.group(1).replace(" ", "")), text
    return None, text


_LHS = re.compile(r"\\nabla\s*_|\\[dt]?frac\s*\{\s*(?:\\partial|∂|d)\s*L\s*\}|(?:\\partial|∂)\s*L\s*/")


def _statements(markdown: str) -> list[str]:
    """One statement per gradient left-hand side, so `$a = 1$, $b = 2$` on one line stays apart."""
    out = []
    for line in re.split(r"\\\\|\n|\\newline", _normalise(markdown)):
        starts = [m.start() for m in _LHS.finditer(line)] or [0]
        out += [line[a:b] for a, b in zip(starts, [*starts[1:], len(line)]) if "=" in line[a:b]]
    return out


def _block_values(markdown: str, cell: int) -> dict[str, FoundValue]:
    found: dict[str, FoundValue] = {}
    for statement in _statements(markdown):
        lhs, _, _ = statement.partition("=")
        name = _variable(lhs)
        if name is None:
            continue
        value, literal = _number(statement.rsplit("=", 1)[1])
        if value is not None or name not in found:
            found[name] = FoundValue(name, value, literal, cell)
    return found


def parse_part1(cells: list[dict[str, Any]]) -> Part1Answer:
    """Scan markdown cells (nbformat dicts) in order; each cell is a block. The last complete block wins."""
    blocks: list[dict[str, FoundValue]] = []
    placeholder = derivation_placeholder = False
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if "nabla" not in source and "partial" not in source and "∂" not in source:
            continue
        values = _block_values(source, index)
        if values:
            blocks.append(values)
            placeholder = placeholder or bool(_PLACEHOLDER.search(source))
            derivation_placeholder = derivation_placeholder or "Your Derivations Here" in source
    complete = [b for b in blocks if all(n in b and b[n].value is not None for n in GRADIENT_NAMES)]
    notes: list[str] = []
    if complete:
        chosen = complete[-1]
        if len(complete) > 1:
            notes.append(f"{len(complete)} complete answer blocks found; the last one was graded")
    else:
        chosen = {}
        for block in blocks:
            for name, fv in block.items():
                if fv.value is not None or name not in chosen:
                    chosen[name] = fv
    return Part1Answer(values=chosen, complete_block=bool(complete), placeholder_left=placeholder,
                       derivation_placeholder=derivation_placeholder, notes=tuple(notes))
