"""Part 2/3: turn a model's raw predictions into one 0/1 token per time step, and accuracy into credit.

Covers the output designs students use: a sigmoid per step, logits, two-channel softmax, and
`return_sequences=False` + `Dense(T)`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from autograder.config import GradingConfig
from autograder.records import NetworkRecord

_PROBABILITY_ACTIVATIONS = {"sigmoid", "softmax", "hard_sigmoid"}


class UndecodableOutput(ValueError):
    """The prediction array cannot be read as one label per time step."""


@dataclass(frozen=True)
class Decoded:
    tokens: NDArray[np.int64]  # (N, T) of 0/1
    how: str  # how the output was read, for the message


def decode(net: NetworkRecord, seq_len: int) -> Decoded:
    preds = net.predictions
    if preds is None:
        raise UndecodableOutput("the model produced no predictions")
    if not np.all(np.isfinite(preds)):
        raise UndecodableOutput("the model's predictions contain NaN or infinity")
    shape = preds.shape
    if preds.ndim == 3 and shape[1] == seq_len and shape[2] >= 2:
        return Decoded(preds.argmax(axis=-1).astype(np.int64), f"argmax over {shape[2]} output channels")
    if preds.ndim == 3 and shape[1] == seq_len and shape[2] == 1:
        preds = preds[..., 0]
    elif not (preds.ndim == 2 and shape[1] == seq_len):
        raise UndecodableOutput(f"an output of shape {shape} cannot be read as one label per time step "
                                f"(expected (N, {seq_len}), (N, {seq_len}, 1) or (N, {seq_len}, C))")
    logits = bool(net.from_logits) or (
        (net.final_activation or "linear") not in _PROBABILITY_ACTIVATIONS
        and "crossentropy" in (net.loss_name or "").lower().replace("_", ""))
    threshold = 0.0 if logits else 0.5
    kind = "logits" if logits else "probabilities"
    return Decoded((preds > threshold).astype(np.int64), f"{kind} thresholded at {threshold:g}")


def token_accuracy(tokens: NDArray[np.int64], labels: NDArray[np.int64]) -> float:
    return float(np.mean(tokens == labels))


def accuracy_credit(accuracy: float, config: GradingConfig) -> float:
    """Linear between `accuracy_none` (0) and `accuracy_full` (1)."""
    span = config.accuracy_full - config.accuracy_none
    return float(np.clip((accuracy - config.accuracy_none) / span, 0.0, 1.0))


def accuracy_verdict(net: NetworkRecord, labels: NDArray[np.int64], config: GradingConfig) -> tuple[float, str]:
    """(share of points, message) for a trained model's held-out token accuracy.

    Raises UndecodableOutput when the predictions cannot be read as one label per time step.
    """
    decoded = decode(net, labels.shape[1])
    accuracy = token_accuracy(decoded.tokens, labels)
    share = accuracy_credit(accuracy, config)
    layouts = {"batch_major_2d": "(N, T) sequences without a feature axis",
               "time_major_float": "time-major (T, N, 1) sequences"}
    layout = (f"; evaluated on {layouts[net.layout]}, the layout the model was trained on"
              if net.layout in layouts else "")
    message = (f"held-out token accuracy {accuracy:.3f} on {labels.shape[0]} new sequences "
               f"({decoded.how}{layout}): {share:.0%} of the points "
               f"(full at ≥ {config.accuracy_full:g}, none at ≤ {config.accuracy_none:g}).")
    if share < 1.0:
        message += " Train longer or with a higher learning rate (e.g. Adam(learning_rate=0.01))."
    return share, message
