"""autograder.decoding: the output designs of SPEC §4 decode to one token per step."""
import numpy as np
import pytest

from autograder.config import GradingConfig
from autograder.decoding import UndecodableOutput, accuracy_credit, decode, token_accuracy
from autograder.records import NetworkRecord

LABELS = np.array([[0, 1, 1, 0, 0, 1, 0, 1], [1, 1, 0, 0, 0, 0, 1, 0]])


def _net(preds, activation="sigmoid", loss="binary_crossentropy", from_logits=None):
    return NetworkRecord("h", True, True, ("loss", "accuracy"), 15, "Sequential", "keras", (), loss, from_logits,
                         activation, "batch_major_float", np.asarray(preds, dtype=float), None)


def test_sigmoid_per_step():
    assert token_accuracy(decode(_net(LABELS[..., None] * 0.8 + 0.1), 8).tokens, LABELS) == 1.0


def test_dense8_without_time_axis():
    assert token_accuracy(decode(_net(LABELS * 0.9), 8).tokens, LABELS) == 1.0


def test_two_channel_softmax():
    preds = np.stack([1 - LABELS, LABELS], axis=-1) * 0.9 + 0.05
    assert token_accuracy(decode(_net(preds, "softmax", "sparse_categorical_crossentropy"), 8).tokens, LABELS) == 1.0


def test_linear_output_with_crossentropy_is_read_as_logits():
    logits = np.where(LABELS == 1, 0.3, -0.3)
    decoded = decode(_net(logits, "linear", "binary_crossentropy", from_logits=True), 8)
    assert token_accuracy(decoded.tokens, LABELS) == 1.0 and "logits" in decoded.how


def test_linear_output_with_mse_is_thresholded_at_half():
    assert token_accuracy(decode(_net(LABELS * 0.7 + 0.2, "linear", "mse"), 8).tokens, LABELS) == 1.0


def test_one_value_per_sequence_is_undecodable():
    with pytest.raises(UndecodableOutput, match="one label per time step"):
        decode(_net(np.zeros((2, 1))), 8)


def test_nan_predictions_are_undecodable():
    with pytest.raises(UndecodableOutput, match="NaN"):
        decode(_net(np.full((2, 8), np.nan)), 8)


@pytest.mark.parametrize(("acc", "share"), [(1.0, 1.0), (0.95, 1.0), (0.775, 0.5), (0.6, 0.0), (0.5, 0.0)])
def test_accuracy_scale(acc, share):
    assert accuracy_credit(acc, GradingConfig(seed=1)) == pytest.approx(share)
