"""autograder.integrity: delegation found statically; TA patterns found in code and markdown."""
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.errors import UsageError
from autograder.integrity import delegation_at_runtime, delegation_in_source, load_patterns, pattern_hits

OWN = """
import tensorflow as tf
class LSTMCell(tf.keras.Model):
    def call(self, inputs, states):
        return tf.sigmoid(inputs), states
class LSTMModel(tf.keras.Model):
    def __init__(self):
        self.rnn = tf.keras.layers.RNN(LSTMCell(4))
"""


@pytest.mark.parametrize("source", [
    OWN.replace("return tf.sigmoid(inputs), states", "return tf.keras.layers.LSTMCell(4)(inputs, states)"),
    OWN.replace("class LSTMCell(tf.keras.Model)", "class LSTMCell(tf.keras.layers.LSTMCell)"),
    "from tensorflow.keras.layers import LSTMCell as K\n" + OWN.replace("tf.sigmoid(inputs)", "K(4)(inputs, states)[0]"),
    OWN.replace("tf.sigmoid(inputs)", "tf.raw_ops.LSTMBlockCell(x=inputs)"),
    OWN.replace("tf.sigmoid(inputs)", "tf.compat.v1.nn.rnn_cell.LSTMCell(4)(inputs)"),
])
def test_delegation_is_found(source):
    assert delegation_in_source(source)


def test_own_cell_and_rnn_wrapper_are_not_delegation():
    assert delegation_in_source(OWN) == ()
    assert delegation_in_source("this is not python (") == ()


def test_runtime_hierarchy():
    assert delegation_at_runtime(("utils.LSTM.LSTMCell", "keras.src.layers.rnn.lstm.LSTMCell"))
    assert not delegation_at_runtime(("utils.LSTM.LSTMCell", "tf_keras.src.engine.training.Model"))


def test_patterns_in_code_and_markdown(tmp_path):
    (tmp_path / "utils").mkdir()
    (tmp_path / "utils" / "LSTM.py").write_text("x = 'zebra_canary_42'\n")
    nb = new_notebook(cells=[new_markdown_cell("nothing"), new_code_cell("print('ZEBRA_CANARY_42')")])
    nbformat.write(nb, tmp_path / "task1-xor.ipynb")
    (tmp_path / "patterns.txt").write_text("# course canaries\nzebra_canary_42\n\n")
    hits = pattern_hits(tmp_path, load_patterns(tmp_path / "patterns.txt"))
    assert {h.where for h in hits} == {"utils/LSTM.py", "task1-xor.ipynb cell #2"}


def test_missing_patterns_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        load_patterns(tmp_path / "nope.txt")
