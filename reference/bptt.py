"""Part 1 reference: backpropagation through time for the two-step scalar RNN, by hand and by autodiff.

The grader's expected gradients come from `gradients_by_hand`; `gradients_by_autodiff` exists so the
tests can check the hand derivation against TensorFlow's tape in float64 instead of trusting either.
The keyword switches reproduce the wrong conventions students commonly use, so feedback can name them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

GRADIENT_NAMES: tuple[str, ...] = ("w_x", "w_h", "b_1", "w", "b_2")

OutputActivation = Literal["sigmoid", "linear"]


@dataclass(frozen=True)
class BpttProblem:
    """The assignment's problem: inputs, targets, initial state and the five scalar parameters."""

    x: tuple[float, float] = (1.0, -1.0)
    p: tuple[float, float] = (0.0, 1.0)
    h0: float = 0.0
    w_x: float = 1.0
    w_h: float = -2.0
    b_1: float = 3.0
    w: float = 2.0
    b_2: float = 1.0


ASSIGNMENT_PROBLEM = BpttProblem()


@dataclass(frozen=True)
class Convention:
    """How a derivation computed the loss and output; the assignment's is the default."""

    loss_scale: float = 0.5  # L = loss_scale * sum_t (y_t - p_t)^2
    recurrent_path: bool = True  # whether dL/dh1 includes the path through h2
    output_activation: OutputActivation = "sigmoid"


def _sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def forward(problem: BpttProblem = ASSIGNMENT_PROBLEM,
            output_activation: OutputActivation = "sigmoid") -> dict[str, tuple[float, float]]:
    """Hidden states `h` and outputs `y` for both steps."""
    h_prev, hs, ys = problem.h0, [], []
    for x_t in problem.x:
        h_t = _sigmoid(problem.w_x * x_t + problem.w_h * h_prev + problem.b_1)
        o_t = problem.w * h_t + problem.b_2
        hs.append(h_t)
        ys.append(_sigmoid(o_t) if output_activation == "sigmoid" else o_t)
        h_prev = h_t
    return {"h": (hs[0], hs[1]), "y": (ys[0], ys[1])}


def gradients_by_hand(problem: BpttProblem = ASSIGNMENT_PROBLEM,
                      convention: Convention = Convention()) -> dict[str, float]:
    """dL/d(parameter) for the five parameters, derived step by step (chain rule through time)."""
    fw = forward(problem, convention.output_activation)
    (h1, h2), (y1, y2) = fw["h"], fw["y"]
    d_o = []
    for y_t, p_t in zip((y1, y2), problem.p):
        d_y = 2.0 * convention.loss_scale * (y_t - p_t)
        d_o.append(d_y * (y_t * (1.0 - y_t) if convention.output_activation == "sigmoid" else 1.0))
    d_o1, d_o2 = d_o
    d_a2 = d_o2 * problem.w * h2 * (1.0 - h2)
    d_h1 = d_o1 * problem.w + (d_a2 * problem.w_h if convention.recurrent_path else 0.0)
    d_a1 = d_h1 * h1 * (1.0 - h1)
    x1, x2 = problem.x
    return {
        "w_x": d_a1 * x1 + d_a2 * x2,
        "w_h": d_a1 * problem.h0 + d_a2 * h1,
        "b_1": d_a1 + d_a2,
        "w": d_o1 * h1 + d_o2 * h2,
        "b_2": d_o1 + d_o2,
    }


def gradients_by_autodiff(problem: BpttProblem = ASSIGNMENT_PROBLEM) -> dict[str, float]:
    """The assignment convention's gradients from TensorFlow's GradientTape in float64 (test-only)."""
    import tensorflow as tf  # imported lazily: the trusted grader never needs TensorFlow

    params = {name: tf.Variable(getattr(problem, name), dtype=tf.float64) for name in GRADIENT_NAMES}
    with tf.GradientTape() as tape:
        h = tf.constant(problem.h0, tf.float64)
        loss = tf.constant(0.0, tf.float64)
        for x_t, p_t in zip(problem.x, problem.p):
            h = tf.sigmoid(params["w_x"] * x_t + params["w_h"] * h + params["b_1"])
            y = tf.sigmoid(params["w"] * h + params["b_2"])
            loss += 0.5 * (y - p_t) ** 2
    grads = tape.gradient(loss, [params[n] for n in GRADIENT_NAMES])
    return {name: float(g.numpy()) for name, g in zip(GRADIENT_NAMES, grads)}


@dataclass(frozen=True)
class WrongConvention:
    """A known mistake: its name for feedback and the values a derivation following it produces."""

    key: str
    description: str
    values: dict[str, float]


def wrong_conventions(problem: BpttProblem = ASSIGNMENT_PROBLEM) -> tuple[WrongConvention, ...]:
    """Every known wrong convention with its values, computed from the same hand derivation."""
    right = gradients_by_hand(problem)
    return (
        WrongConvention("sum_without_half",
                        "the loss was taken as Σ(y−p)² without the ½ of the MSE, which doubles every value",
                        gradients_by_hand(problem, Convention(loss_scale=1.0))),
        WrongConvention("recurrent_path_dropped",
                        "the path from h₂ back to h₁ (through w_h) was left out of dL/dh₁",
                        gradients_by_hand(problem, Convention(recurrent_path=False))),
        WrongConvention("linear_output",
                        "the output was taken as y = w·h + b₂ without the sigmoid",
                        gradients_by_hand(problem, Convention(output_activation="linear"))),
        WrongConvention("sign_flipped",
                        "the values have the opposite sign (p − y instead of y − p, or a gradient-ascent step)",
                        {k: -v for k, v in right.items()}),
        WrongConvention("swapped_targets",
                        "the targets were used in the other order (p₁ = 1, p₂ = 0), as in another year's problem",
                        gradients_by_hand(replace(problem, p=(problem.p[1], problem.p[0])))),
    )
