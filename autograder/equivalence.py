"""Part 3: compare the student's cell outputs with the NumPy reference, up to gate order."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from autograder.challenges import CellCase
from autograder.config import GradingConfig
from autograder.records import CaseProbe
from reference.numpy_lstm import GATE_ORDERS, lstm_step, lstm_step_gradients

GRADIENT_TARGETS = ("inputs", "h_prev", "c_prev", "kernel", "recurrent_kernel", "bias")


def close(actual: NDArray[np.float64] | None, expected: NDArray[np.float64], config: GradingConfig) -> bool:
    return actual is not None and actual.shape == expected.shape and bool(
        np.all(np.isfinite(actual)) and np.allclose(actual, expected, atol=config.cell_atol, rtol=config.cell_rtol))


def matches(case: CellCase, probe: CaseProbe, order: str, config: GradingConfig) -> bool:
    step = lstm_step(case.x, case.h, case.c, case.weights, order)
    return close(probe.h, step.h, config) and close(probe.c, step.c, config)


def find_gate_order(pairs: list[tuple[CellCase, CaseProbe]], config: GradingConfig) -> str | None:
    """The one gate order (e.g. "fico") under which every case matches the reference, if any."""
    for order in GATE_ORDERS:
        if all(matches(case, probe, order, config) for case, probe in pairs):
            return order
    return None


@dataclass(frozen=True)
class GradientComparison:
    wrong: tuple[str, ...]  # targets whose gradient differs from the reference
    missing: tuple[str, ...]  # targets that received no gradient at all


def compare_gradients(case: CellCase, probe: CaseProbe, order: str, config: GradingConfig) -> GradientComparison:
    step = lstm_step(case.x, case.h, case.c, case.weights, order)
    expected = lstm_step_gradients(step, case.weights, case.dh, case.dc)
    grads = probe.grads or {}
    missing = tuple(t for t in GRADIENT_TARGETS if grads.get(t) is None)
    wrong = tuple(t for t in GRADIENT_TARGETS if t not in missing and not close(grads[t], expected[t], config))
    return GradientComparison(wrong=wrong, missing=missing)


def describe_mismatch(case: CellCase, probe: CaseProbe, config: GradingConfig) -> str:
    """Which of h and c disagree under every gate order, in public terms."""
    if probe.h is None or probe.c is None:
        return "the cell returned no output"
    if not (np.all(np.isfinite(probe.h)) and np.all(np.isfinite(probe.c))):
        return "the cell returned NaN or infinite values"
    h_ok = any(close(probe.h, lstm_step(case.x, case.h, case.c, case.weights, o).h, config) for o in GATE_ORDERS)
    c_ok = any(close(probe.c, lstm_step(case.x, case.h, case.c, case.weights, o).c, config) for o in GATE_ORDERS)
    if h_ok and not c_ok:
        return "h agrees with an LSTM but the returned c does not (check the order of the returned states)"
    if c_ok and not h_ok:
        return "c agrees with an LSTM but h does not (h = o ⊙ tanh(c))"
    return "neither h nor c agrees with an LSTM under any gate order"
