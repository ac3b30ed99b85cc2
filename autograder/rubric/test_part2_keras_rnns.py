"""Part 2 (15 points): the Keras LSTM and GRU networks trained in the notebook, and the plots."""
from __future__ import annotations

from typing import Callable

import nbformat
import pytest

from autograder.records import NetworkRecord, NotebookRun, cell_label

NETWORKS = [pytest.param("history_LSTM", "LSTM", id="LSTM"), pytest.param("history_GRU", "GRU", id="GRU")]
KERAS_MODULES = ("keras", "tf_keras", "tensorflow")


def has_keras_layer(net: NetworkRecord, layer: str) -> bool:
    """A Keras `layer` (LSTM/GRU, or an RNN around Keras' own LSTMCell/GRUCell) is in the model."""
    return any(cls in (layer, f"{layer}Cell", f"CuDNN{layer}") and module.startswith(KERAS_MODULES)
               for cls, module in net.layers)


@pytest.mark.points(2)
@pytest.mark.parametrize(("variable", "layer"), NETWORKS)
def test_network_is_trained_with_history(variable: str, layer: str,
                                         history_of: Callable[[str], NetworkRecord]) -> None:
    """Part 2: a Keras network with the named recurrent layer was trained; its History has loss and accuracy."""
    net = history_of(variable)
    if not has_keras_layer(net, layer):
        seen = ", ".join(cls for cls, _ in net.layers) or "none"
        pytest.fail(f"`{variable}.model` has no Keras {layer} layer (its layers: {seen}); build this network "
                    f"with tf.keras.layers.{layer}.", pytrace=False)
    missing = [k for k in ("loss", "accuracy") if k not in net.history_keys]
    if missing:
        pytest.fail(f"`{variable}.history` has keys {list(net.history_keys)} but lacks {missing}; "
                    "compile with metrics=['accuracy'].", pytrace=False)
    if net.epochs < 1:
        pytest.fail(f"`{variable}` records no training epoch; call model.fit(...).", pytrace=False)


@pytest.mark.points(5)
@pytest.mark.parametrize(("variable", "layer"), NETWORKS)
def test_network_heldout_accuracy(variable: str, layer: str, history_of: Callable[[str], NetworkRecord],
                                  award_accuracy: Callable[[NetworkRecord, str], None]) -> None:
    """Part 2: the trained network's token accuracy on held-out sequences (full ≥ 0.95, none ≤ 0.60)."""
    net = history_of(variable)
    if not has_keras_layer(net, layer):
        pytest.fail(f"Accuracy counts only for a network with a Keras {layer} layer, and `{variable}.model` "
                    "has none.", pytrace=False)
    award_accuracy(net, f"`{variable}.model`")


@pytest.mark.points(1)
def test_plotting_cells_run(notebook: nbformat.NotebookNode, notebook_run: NotebookRun) -> None:
    """Part 2: the loss and accuracy plotting cells run without error."""
    plot_cells = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
                  and ("history_LSTM.history" in cell.source or "history_GRU.history" in cell.source)]
    if not plot_cells:
        pytest.fail("The cells that plot history_LSTM and history_GRU were not found; keep the template's "
                    "plotting cells.", pytrace=False)
    runs = {c.index: c for c in notebook_run.cells}
    bad = [(i, runs.get(i)) for i in plot_cells if i not in runs or runs[i].status != "ok"]
    if bad:
        detail = "; ".join(f"{cell_label(i)} " + (f"raised {r.ename}: {r.evalue}" if r else "did not run")
                           for i, r in bad)
        pytest.fail(f"A plotting cell failed: {detail}", pytrace=False)
