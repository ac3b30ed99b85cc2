"""The trusted yardstick for Part 3: a float64 NumPy LSTM cell, forward and backward, in any gate order.

A gate order names the gate held by each quarter of the fused weights: "ifco" is Keras' layout,
"fico" the assignment's. Every order is a correct LSTM, so the grader compares a student's cell
against all 24 and reports the one it matches.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
GATE_ORDERS: tuple[str, ...] = tuple("".join(p) for p in permutations("ifco"))
KERAS_ORDER = "ifco"
ASSIGNMENT_ORDER = "fico"


@dataclass(frozen=True)
class CellWeights:
    """Fused LSTM weights: kernel (D, 4K), recurrent_kernel (K, 4K), bias (4K,)."""

    kernel: Array
    recurrent_kernel: Array
    bias: Array


@dataclass(frozen=True)
class CellStep:
    """One forward step's outputs plus what the backward pass needs."""

    h: Array
    c: Array
    gates: dict[str, Array]  # activated gates i, f, c (candidate), o
    inputs: tuple[Array, Array, Array]  # x, h_prev, c_prev
    order: str


def _sigmoid(z: Array) -> Array:
    out: Array = 0.5 * (1.0 + np.tanh(0.5 * z))  # overflow-free logistic
    return out


def lstm_step(x: Array, h_prev: Array, c_prev: Array, weights: CellWeights,
              order: str = KERAS_ORDER) -> CellStep:
    """One LSTM step: h, c = f*c_prev + i*c~, o*tanh(c), with quarters of z laid out as `order`."""
    z = x @ weights.kernel + h_prev @ weights.recurrent_kernel + weights.bias
    parts = dict(zip(order, np.split(z, 4, axis=-1)))
    gates = {g: (np.tanh(parts[g]) if g == "c" else _sigmoid(parts[g])) for g in "ifco"}
    c = gates["f"] * c_prev + gates["i"] * gates["c"]
    h = gates["o"] * np.tanh(c)
    return CellStep(h=h, c=c, gates=gates, inputs=(x, h_prev, c_prev), order=order)


def lstm_step_gradients(step: CellStep, weights: CellWeights, dh: Array, dc: Array) -> dict[str, Array]:
    """Gradients of sum(h*dh) + sum(c*dc) w.r.t. inputs, both states and the three weights."""
    x, h_prev, c_prev = step.inputs
    g = step.gates
    tanh_c = np.tanh(step.c)
    dc_total = dc + dh * g["o"] * (1.0 - tanh_c**2)
    d_pre = {
        "o": dh * tanh_c * g["o"] * (1.0 - g["o"]),
        "f": dc_total * c_prev * g["f"] * (1.0 - g["f"]),
        "i": dc_total * g["c"] * g["i"] * (1.0 - g["i"]),
        "c": dc_total * g["i"] * (1.0 - g["c"] ** 2),
    }
    dz = np.concatenate([d_pre[gate] for gate in step.order], axis=-1)
    return {
        "inputs": dz @ weights.kernel.T,
        "h_prev": dz @ weights.recurrent_kernel.T,
        "c_prev": dc_total * g["f"],
        "kernel": x.T @ dz,
        "recurrent_kernel": h_prev.T @ dz,
        "bias": dz.sum(axis=0),
    }
