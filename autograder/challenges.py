"""Grader-chosen inputs derived from the run seed: held-out data and the LSTM cell probe's cases.

The sandbox sends these to student code; the rubric recomputes them from the same seed to build the
expected values, so nothing the student's process echoes back is ever trusted as an input.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autograder.config import GradingConfig
from reference.data import xor_dataset
from reference.numpy_lstm import CellWeights

Array = NDArray[np.float64]

SHAPE_CASES: tuple[tuple[int, int], ...] = ((1, 4), (3, 5), (8, 64))  # (input_dim D, units K)
ONES_CASE = (4, 8, 64)  # (batch, input_dim, units) exactly as in the notebook's own check


def _f32(a: NDArray[Any]) -> Array:
    """Values exactly representable in float32, so student (float32) and reference (float64) agree."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


@dataclass(frozen=True)
class CellCase:
    """One forward (and backward) evaluation of a cell with assigned weights."""

    name: str
    weights: CellWeights
    x: Array
    h: Array
    c: Array
    dh: Array  # upstream gradient for h: the probe differentiates sum(h*dh) + sum(c*dc)
    dc: Array

    @property
    def dims(self) -> tuple[int, int, int]:
        """(batch N, input_dim D, units K)."""
        return self.x.shape[0], self.x.shape[1], self.h.shape[1]

    def to_json(self) -> dict[str, Any]:
        w = self.weights
        return {"name": self.name, "kernel": w.kernel.tolist(), "recurrent_kernel": w.recurrent_kernel.tolist(),
                "bias": w.bias.tolist(), "x": self.x.tolist(), "h": self.h.tolist(), "c": self.c.tolist(),
                "dh": self.dh.tolist(), "dc": self.dc.tolist()}


def _random_case(rng: np.random.Generator, name: str, n: int, d: int, k: int, scale: float = 0.5) -> CellCase:
    weights = CellWeights(kernel=_f32(rng.normal(0, scale, (d, 4 * k))),
                          recurrent_kernel=_f32(rng.normal(0, scale, (k, 4 * k))),
                          bias=_f32(rng.normal(0, scale, (4 * k,))))
    return CellCase(name=name, weights=weights, x=_f32(rng.normal(0, 1, (n, d))), h=_f32(rng.normal(0, 0.5, (n, k))),
                    c=_f32(rng.normal(0, 1, (n, k))), dh=_f32(rng.normal(0, 1, (n, k))), dc=_f32(rng.normal(0, 1, (n, k))))


def cell_cases(seed: int) -> tuple[CellCase, ...]:
    """Random weights, inputs and states at several shapes (every gate block distinct, c_prev non-zero)."""
    rng = np.random.default_rng([seed, 1])
    return tuple(_random_case(rng, f"N{n}_D{d}_K{k}", n, d, k) for n, d, k in ((3, 1, 4), (2, 3, 5), (4, 8, 16)))


def ones_case(seed: int) -> CellCase:
    """The notebook's own check: all-ones kernels, zero bias, random inputs and h_prev, zero c_prev."""
    rng = np.random.default_rng([seed, 2])
    n, d, k = ONES_CASE
    weights = CellWeights(kernel=np.ones((d, 4 * k)), recurrent_kernel=np.ones((k, 4 * k)), bias=np.zeros(4 * k))
    zeros = np.zeros((n, k))
    return CellCase(name="ones", weights=weights, x=_f32(rng.normal(0, 1, (n, d))), h=_f32(rng.normal(0, 1, (n, k))),
                    c=zeros, dh=zeros, dc=zeros)


def large_case(seed: int) -> CellCase:
    """Large pre-activations (|z| in the hundreds): an exp-based tanh or sigmoid overflows to NaN here."""
    return _random_case(np.random.default_rng([seed, 4]), "large", 2, 3, 5, scale=40.0)


def heldout_data(config: GradingConfig) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Held-out XOR sequences (N, T, 1) and their parity labels (N, T)."""
    return xor_dataset(config.heldout_samples, config.seq_len, np.random.default_rng([config.seed, 3]))


def cell_probe_request(config: GradingConfig) -> dict[str, Any]:
    """Everything the cell probe needs, as JSON-ready data."""
    return {"shapes": [list(s) for s in SHAPE_CASES], "ones": ones_case(config.seed).to_json(),
            "cases": [case.to_json() for case in cell_cases(config.seed)],
            "large": large_case(config.seed).to_json(), "seed": config.seed}


def network_probe_request(config: GradingConfig) -> dict[str, Any]:
    """The held-out inputs for the trained networks, as JSON-ready data."""
    inputs, _ = heldout_data(config)
    return {"inputs": inputs.tolist(), "variables": ["history_LSTM", "history_GRU", "history"]}
