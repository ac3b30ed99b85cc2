"""Part 3 (25 points): the student's own LSTMCell and LSTMModel in utils/LSTM.py."""
from __future__ import annotations

from collections import Counter
from typing import Callable

import numpy as np
import pytest

from autograder import challenges
from autograder.challenges import CellCase
from autograder.config import GradingConfig
from autograder.equivalence import close, compare_gradients, describe_mismatch, find_gate_order
from autograder.integrity import Finding
from autograder.records import CaseProbe, CellProbe, NetworkRecord
from reference.numpy_lstm import lstm_step

STUDENT_MODULE = "utils.LSTM"


def _order_text(order: str) -> str:
    return ",".join(order)


def _require_own_cell(delegation: tuple[Finding, ...], ta_note: Callable[[str], None]) -> None:
    """Delegating to a library LSTM/GRU cell withholds every cell check, with the reason."""
    if delegation:
        for finding in delegation:
            ta_note(f"integrity: {finding.what} ({finding.where})")
        first = delegation[0]
        pytest.fail(f"Your LSTMCell hands its computation to a library RNN cell ({first.what}, {first.where}); "
                    "the assignment asks for the LSTM equations written with TensorFlow ops, so the cell checks "
                    "are withheld.", pytrace=False)


def _matched(cell_probe: CellProbe, cell_cases: tuple[CellCase, ...], config: GradingConfig,
             delegation: tuple[Finding, ...], ta_note: Callable[[str], None]
             ) -> tuple[list[tuple[CellCase, CaseProbe]], str | None]:
    """The (grader case, student output) pairs and the gate order that explains all of them, if any."""
    _require_own_cell(delegation, ta_note)
    _require_cases(cell_probe, len(cell_cases))
    pairs = list(zip(cell_cases, cell_probe.cases))
    return pairs, find_gate_order(pairs, config)


def _require_cases(cell_probe: CellProbe, expected: int) -> None:
    """Every grader case ran without raising; a probe cut short proves nothing about the missing cases."""
    for case in cell_probe.cases:
        if case.error is not None:
            pytest.fail(f"Running LSTMCell with assigned weights (case {case.name}) raised {case.error}",
                        pytrace=False)
    if len(cell_probe.cases) < expected:
        why = "time limit" if cell_probe.process.timed_out else f"exit code {cell_probe.process.returncode}"
        pytest.fail(f"LSTMCell was evaluated on only {len(cell_probe.cases)} of {expected} cases: the probe "
                    f"process stopped early ({why}).", pytrace=False)


@pytest.mark.points(3)
def test_cell_weight_shapes(cell_probe: CellProbe, delegation: tuple[Finding, ...],
        ta_note: Callable[[str], None]) -> None:
    """Part 3: LSTMCell.build creates kernel (D, 4K), recurrent_kernel (K, 4K) and bias (4K,)."""
    _require_own_cell(delegation, ta_note)
    if not cell_probe.shapes:
        pytest.fail("utils/LSTM.py has no usable LSTMCell class.", pytrace=False)
    for probe in cell_probe.shapes:
        d, k = probe.input_dim, probe.units
        if probe.error is not None:
            pytest.fail(f"Building LSTMCell({k}) on inputs of shape (2, {d}) raised {probe.error}", pytrace=False)
        expected = Counter([(d, 4 * k), (k, 4 * k), (4 * k,)])
        got = Counter(shape for _, shape in probe.weights or ())
        if got != expected:
            seen = ", ".join(f"{name} {list(shape)}" for name, shape in probe.weights or ()) or "no weights"
            hint = (" A single stacked [x, h] kernel is an LSTM too, but the assignment asks for a separate "
                    "kernel and recurrent_kernel." if Counter({(d + k, 4 * k): 1, (4 * k,): 1}) == got else "")
            pytest.fail(f"With input dim D={d} and units K={k}, LSTMCell created {seen}; expected kernel "
                        f"[{d}, {4 * k}], recurrent_kernel [{k}, {4 * k}] and bias [{4 * k}].{hint}", pytrace=False)


@pytest.mark.points(4)
def test_cell_passes_notebook_ones_check(cell_probe: CellProbe, config: GradingConfig, delegation: tuple[Finding, ...],
        ta_note: Callable[[str], None]) -> None:
    """Part 3: with all-ones kernels and zero bias, h and c equal a reference LSTM (the notebook's own check)."""
    _require_own_cell(delegation, ta_note)
    ones = cell_probe.ones
    if ones is None:
        pytest.fail("The notebook-style check did not run (the probe stopped before it).", pytrace=False)
    if ones.error is not None:
        pytest.fail(f"LSTMCell(64, kernel_initializer=Ones, ...) on a (4, 8) input raised {ones.error}",
                    pytrace=False)
    case = challenges.ones_case(config.seed)
    step = lstm_step(case.x, case.h, case.c, case.weights)
    wrong = [name for name, got, want in (("h", ones.h, step.h), ("c", ones.c, step.c))
             if not close(got, want, config)]
    if wrong:
        pytest.fail(f"With all-ones kernels and zero bias, {' and '.join(wrong)} differ from Keras' LSTMCell "
                    "(the check the notebook prints).", pytrace=False)


@pytest.mark.points(6)
def test_cell_matches_reference_up_to_gate_order(cell_probe: CellProbe, cell_cases: tuple[CellCase, ...],
                                                 config: GradingConfig, delegation: tuple[Finding, ...],
                                                 partial_credit: Callable[[float, str], None],
                                                 ta_note: Callable[[str], None]) -> None:
    """Part 3: with random weights and states at several shapes, h and c equal an LSTM's up to gate order."""
    pairs, order = _matched(cell_probe, cell_cases, config, delegation, ta_note)
    if order is None:
        case, probe = pairs[-1]
        n, d, k = case.dims
        pytest.fail(f"With random weights, inputs and states (N={n}, D={d}, K={k}; c_prev ≠ 0), "
                    f"{describe_mismatch(case, probe, config)}. The notebook's ones check cannot see this: "
                    "with equal kernels every gate gets the same input and c_prev = 0 hides the forget gate.",
                    pytrace=False)
    stacked = any(p.assignment == "stacked" for p in cell_probe.cases)
    extra = " (weights assigned to its stacked [x, h] kernel)" if stacked else ""
    message = f"h and c match an LSTM with gate order {_order_text(order)} at {len(pairs)} shapes{extra}."
    large = cell_probe.large
    if large is not None and large.error is None and not (
            large.h is not None and large.c is not None and np.all(np.isfinite(large.h)) and np.all(np.isfinite(large.c))):
        warning = ("At large pre-activations (|z| in the hundreds) the cell returns NaN or infinity; use tf.sigmoid "
                   "and tf.tanh instead of exp-based formulas.")
        ta_note("numerics: NaN/inf at large pre-activations")
        if config.nonfinite_costs_points:
            pytest.fail(f"{message} {warning}", pytrace=False)
        message += f" Note: {warning}"
    partial_credit(1.0, message)


@pytest.mark.points(4)
def test_cell_gradients_match_reference(cell_probe: CellProbe, cell_cases: tuple[CellCase, ...],
                                        config: GradingConfig, delegation: tuple[Finding, ...],
                                        partial_credit: Callable[[float, str], None],
                                        ta_note: Callable[[str], None]) -> None:
    """Part 3: gradients w.r.t. inputs, both states and all three weights equal the reference LSTM's."""
    pairs, order = _matched(cell_probe, cell_cases, config, delegation, ta_note)
    if order is None:
        pytest.fail("Gradients cannot be checked because the forward pass does not match an LSTM "
                    "(see the check above).", pytrace=False)
    for case, probe in pairs:
        if probe.grad_error is not None:
            pytest.fail(f"Differentiating the cell's output raised {probe.grad_error}", pytrace=False)
        result = compare_gradients(case, probe, order, config)
        if result.missing:
            pytest.fail(f"No gradient flows to {', '.join(result.missing)} (case {case.name}): the cell's "
                        "output does not depend on them through TensorFlow ops.", pytrace=False)
        if result.wrong:
            pytest.fail(f"Gradients w.r.t. {', '.join(result.wrong)} differ from the reference LSTM's "
                        f"(case {case.name}).", pytrace=False)
    partial_credit(1.0, "Gradients w.r.t. inputs, h_prev, c_prev, kernel, recurrent_kernel and bias match.")


@pytest.mark.points(8)
def test_lstm_model_heldout_accuracy(history_of: Callable[[str], NetworkRecord],
                                     award_accuracy: Callable[[NetworkRecord, str], None]) -> None:
    """Part 3: your trained LSTMModel's token accuracy on held-out sequences (full ≥ 0.95, none ≤ 0.60)."""
    net = history_of("history")
    uses_own_cell = any(module == STUDENT_MODULE for _, module in net.layers)
    if net.model_class != "LSTMModel" or not uses_own_cell:
        pytest.fail(f"`history.model` is a {net.model_class} that does not run your LSTMCell from utils/LSTM.py; "
                    "train an LSTMModel built on your own cell.", pytrace=False)
    award_accuracy(net, "Your LSTMModel")
