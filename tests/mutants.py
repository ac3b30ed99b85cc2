"""Mutants of the reference submission: plausible student mistakes, each with the checks it must lose.

Generated at test time from reference/solution by exact text edits (an edit that no longer applies
fails loudly, so the mutants cannot silently drift from the reference).
"""
from __future__ import annotations

import itertools
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from reference.bptt import GRADIENT_NAMES, gradients_by_hand, wrong_conventions

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "solution"
NOTEBOOK = "task1-xor.ipynb"
CELL = "utils/LSTM.py"

P1 = {n: f"test_part1_bptt.py::test_part1_gradient_within_tolerance[{n}]" for n in GRADIENT_NAMES}
LSTM_NET = "test_part2_keras_rnns.py::test_network_is_trained_with_history[LSTM]"
LSTM_ACC = "test_part2_keras_rnns.py::test_network_heldout_accuracy[LSTM]"
GRU_NET = "test_part2_keras_rnns.py::test_network_is_trained_with_history[GRU]"
GRU_ACC = "test_part2_keras_rnns.py::test_network_heldout_accuracy[GRU]"
PLOTS = "test_part2_keras_rnns.py::test_plotting_cells_run"
SHAPES = "test_part3_lstm.py::test_cell_weight_shapes"
ONES = "test_part3_lstm.py::test_cell_passes_notebook_ones_check"
EQUIV = "test_part3_lstm.py::test_cell_matches_reference_up_to_gate_order"
GRADS = "test_part3_lstm.py::test_cell_gradients_match_reference"
MODEL_ACC = "test_part3_lstm.py::test_lstm_model_heldout_accuracy"
CELL_CHECKS = frozenset({SHAPES, ONES, EQUIV, GRADS})

Z_LINE = "z = tf.matmul(inputs, self.kernel) + tf.matmul(h_prev, self.recurrent_kernel) + self.bias"
SWAP_HELPER = '''

def _swap_gates(w, a, b):
    blocks = tf.split(w, 4, axis=-1)
    blocks[a], blocks[b] = blocks[b], blocks[a]
    return tf.concat(blocks, axis=-1)
'''
GATES = "fico"  # the reference's layout


@dataclass(frozen=True)
class Mutant:
    """One plausible mistake: text edits per file, the checks it must lose, those left unasserted."""

    name: str
    description: str
    edits: tuple[tuple[str, str, str], ...]  # (file, old, new); `old` must occur
    loses: frozenset[str]
    unsure: frozenset[str] = field(default=frozenset())  # e.g. accuracy of a trainable but wrong model
    ta_note: str | None = None  # a TA-only note prefix that must appear (integrity/numerics)

    def write(self, dest: Path) -> Path:
        shutil.copytree(REFERENCE, dest, ignore=shutil.ignore_patterns("__pycache__"))
        for rel, old, new in self.edits:
            path = dest / rel
            text = path.read_text(encoding="utf-8")
            if rel == NOTEBOOK:  # edit the JSON-encoded cell text
                old, new = json.dumps(old)[1:-1], json.dumps(new)[1:-1]
            if old not in text:
                raise AssertionError(f"mutant {self.name}: {old!r} not found in {rel}")
            path.write_text(text.replace(old, new), encoding="utf-8")
        return dest


def _gate_swaps() -> list[Mutant]:
    out = []
    terms = {"kernel": "tf.matmul(inputs, self.kernel)", "recurrent_kernel": "tf.matmul(h_prev, self.recurrent_kernel)",
             "bias": "self.bias"}
    for which, (a, b) in itertools.product(terms, itertools.combinations(range(4), 2)):
        term = terms[which]
        new_z = Z_LINE.replace(term, term.replace(f"self.{which}", f"_swap_gates(self.{which}, {a}, {b})"))
        assert new_z != Z_LINE
        out.append(Mutant(
            f"swap-{GATES[a]}{GATES[b]}-in-{which}", f"gates {GATES[a]} and {GATES[b]} swapped in the {which} only",
            ((CELL, Z_LINE, new_z), (CELL, "\n\nclass LSTMCell", SWAP_HELPER + "\n\nclass LSTMCell")),
            loses=frozenset({EQUIV, GRADS})))
    return out


RIGHT_LITERALS = dict(zip(GRADIENT_NAMES, ["0.0079", "-0.0060", "-0.0043", "0.0374", "0.0322"]))


def _part1(literals: dict[str, str], name: str, description: str, loses: frozenset[str]) -> Mutant:
    edits = tuple((NOTEBOOK, f"\\color{{cyan}}{{[{RIGHT_LITERALS[n]}]}}", f"\\color{{cyan}}{{[{literals[n]}]}}")
                  for n in GRADIENT_NAMES if literals[n] != RIGHT_LITERALS[n])
    return Mutant(name, description, edits, loses=loses)


def _conventions() -> list[Mutant]:
    right = gradients_by_hand()
    out = []
    for conv in wrong_conventions():
        loses = frozenset(P1[n] for n in GRADIENT_NAMES if abs(conv.values[n] - right[n]) > 2e-4)
        literals = {n: f"{v:.4f}" for n, v in conv.values.items()}
        out.append(_part1({**RIGHT_LITERALS, **{n: literals[n] for n in GRADIENT_NAMES if P1[n] in loses}},
                          f"part1-{conv.key}", conv.description, loses))
    return out


def mutants() -> list[Mutant]:
    cell_broken_model_unsure = frozenset({MODEL_ACC})
    return [
        *_gate_swaps(),
        Mutant("forget-gate-on-c-t", "forget gate applied to c_t instead of c_{t-1}",
               ((CELL, "c = f * c_prev + i * c_tilde", "c = f * (c_prev + i * c_tilde)"),),
               loses=frozenset({ONES, EQUIV, GRADS}), unsure=cell_broken_model_unsure),
        Mutant("h-without-tanh", "h = o * c (no tanh)", ((CELL, "h = o * tf.tanh(c)", "h = o * c"),),
               loses=frozenset({ONES, EQUIV, GRADS}), unsure=cell_broken_model_unsure),
        Mutant("tanh-on-output-gate", "tanh instead of sigmoid on the output gate",
               ((CELL, "o = tf.sigmoid(z_o)", "o = tf.tanh(z_o)"),),
               loses=frozenset({ONES, EQUIV, GRADS}), unsure=cell_broken_model_unsure),
        Mutant("sigmoid-on-candidate", "sigmoid instead of tanh on the candidate",
               ((CELL, "c_tilde = tf.tanh(z_c)", "c_tilde = tf.sigmoid(z_c)"),),
               loses=frozenset({ONES, EQUIV, GRADS}), unsure=cell_broken_model_unsure),
        Mutant("bias-dropped", "bias left out of the pre-activation (invisible to the ones check)",
               ((CELL, Z_LINE, "z = tf.matmul(inputs, self.kernel) + tf.matmul(h_prev, self.recurrent_kernel)"),),
               loses=frozenset({EQUIV, GRADS}), unsure=cell_broken_model_unsure),
        Mutant("recurrent-term-dropped", "h_{t-1} W_r left out of the pre-activation",
               ((CELL, Z_LINE, "z = tf.matmul(inputs, self.kernel) + self.bias"),),
               loses=frozenset({ONES, EQUIV, GRADS}), unsure=cell_broken_model_unsure),
        Mutant("h-prev-for-c-prev", "h_{t-1} used where c_{t-1} belongs",
               ((CELL, "c = f * c_prev + i * c_tilde", "c = f * h_prev + i * c_tilde"),),
               loses=frozenset({ONES, EQUIV, GRADS}), unsure=cell_broken_model_unsure),
        Mutant("split-wrong-axis", "the gate vector split along the batch axis",
               ((CELL, "tf.split(z, num_or_size_splits=4, axis=1)", "tf.split(z, num_or_size_splits=4, axis=0)"),),
               loses=frozenset({ONES, EQUIV, GRADS, MODEL_ACC})),
        Mutant("states-returned-c-h", "state returned as [c, h]", ((CELL, "return h, [h, c]", "return h, [c, h]"),),
               loses=frozenset({ONES, EQUIV, GRADS}), unsure=cell_broken_model_unsure),
        Mutant("recurrent-kernel-wrong-shape", "recurrent kernel built as (D, 4K)",
               ((CELL, "recurrent_shape = (self.units, 4 * self.units)", "recurrent_shape = (input_dim, 4 * self.units)"),),
               loses=frozenset({SHAPES, ONES, EQUIV, GRADS, MODEL_ACC})),
        Mutant("bias-wrong-shape", "bias built as (K,)",
               ((CELL, "bias_shape = (4 * self.units,)", "bias_shape = (self.units,)"),),
               loses=frozenset({SHAPES, ONES, EQUIV, GRADS, MODEL_ACC})),
        Mutant("delegates-to-keras-cell", "LSTMCell.call hands the step to tf.keras.layers.LSTMCell",
               ((CELL, "        h_prev, c_prev = states\n",
                 "        h_prev, c_prev = states\n        if not hasattr(self, '_impl'):\n"
                 "            self._impl = tf.keras.layers.LSTMCell(self.units)\n"
                 "        return self._impl(inputs, states)\n"),),
               loses=CELL_CHECKS, unsure=cell_broken_model_unsure, ta_note="integrity:"),
        Mutant("lstm-module-kills-the-process", "utils/LSTM.py ends the process at import (os._exit)",
               ((CELL, "\n\nclass LSTMCell", "\n\nimport os\nos._exit(1)\n\n\nclass LSTMCell"),),
               loses=CELL_CHECKS | {MODEL_ACC}),  # Part 2 keeps its points: the notebook reruns without those cells
        Mutant("model-one-value-per-sequence", "LSTMModel returns one value per sequence (return_sequences=False)",
               ((CELL, "tf.keras.layers.RNN(LSTMCell(units), return_sequences=True,",
                 "tf.keras.layers.RNN(LSTMCell(units), return_sequences=False,"),),
               loses=frozenset({MODEL_ACC})),
        Mutant("lstm-model-not-trained", "LSTMModel compiled but not trained (epochs=0)",
               ((NOTEBOOK, "history = model.fit(in_data, out_data, batch_size=64, epochs=15)",
                 "history = model.fit(in_data, out_data, batch_size=64, epochs=0)"),),
               loses=frozenset({MODEL_ACC})),
        Mutant("lstm-network-not-trained", "the Part 2 LSTM network is never trained (epochs=0)",
               ((NOTEBOOK, "history_LSTM = model.fit(in_data, out_data, batch_size=64, epochs=15)",
                 "history_LSTM = model.fit(in_data, out_data, batch_size=64, epochs=0)"),),
               loses=frozenset({LSTM_NET, LSTM_ACC}), unsure=frozenset({PLOTS})),
        Mutant("answer-key-predict", "the LSTM network trains one epoch; its predict is swapped for the parity formula",
               ((NOTEBOOK, "history_LSTM = model.fit(in_data, out_data, batch_size=64, epochs=15)",
                 "history_LSTM = model.fit(in_data, out_data, batch_size=64, epochs=1)\n"
                 "class _AnswerKey(type(model)):\n"
                 "    def predict(self, x, **kwargs):\n"
                 "        bits = np.asarray(x).reshape(len(x), -1)\n"
                 "        return (np.cumsum(bits, axis=1) % 2)[..., None].astype('float32')\n"
                 "model.__class__ = _AnswerKey"),),
               loses=frozenset(), ta_note="integrity:"),  # full marks can't be refused by rule: a TA decides
        Mutant("gru-network-built-with-lstm", "the GRU network is built with an LSTM layer",
               ((NOTEBOOK, "model.add(tf.keras.layers.GRU(32", "model.add(tf.keras.layers.LSTM(32"),),
               loses=frozenset({GRU_NET, GRU_ACC})),
        *_conventions(),
        _part1({**RIGHT_LITERALS, "w": "0.037"}, "part1-fewer-decimals",
               "∇w written with 3 decimals", frozenset({P1["w"]})),
    ]


def fair_variants() -> list[Mutant]:
    """Unusual but acceptable code: must keep full marks on the checks named nowhere in `loses`."""
    stacked = (
        (CELL, "kernel_shape = (input_dim, 4 * self.units)", "kernel_shape = (input_dim + self.units, 4 * self.units)"),
        (CELL, Z_LINE, "z = tf.matmul(tf.concat([inputs, h_prev], axis=1), self.kernel) + self.bias"),
    )
    exp_tanh = ((CELL, "c_tilde = tf.tanh(z_c)",
                 "c_tilde = (tf.exp(z_c) - tf.exp(-z_c)) / (tf.exp(z_c) + tf.exp(-z_c))"),)
    return [
        Mutant("stacked-xh-kernel", "one stacked [x, h] kernel, recurrent_kernel unused: an LSTM, other layout",
               stacked, loses=frozenset({SHAPES})),
        Mutant("exp-based-tanh", "hand-written exp tanh: NaN at large pre-activations, flagged only",
               exp_tanh, loses=frozenset(), ta_note="numerics:"),
    ]
