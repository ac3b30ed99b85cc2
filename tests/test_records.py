"""autograder.records: anything malformed is the submission's fault, never a crash."""
import json

import numpy as np
import pytest

from autograder import records
from autograder.errors import RecordMalformed


def _write(tmp_path, name, data):
    (tmp_path / name).write_text(json.dumps(data) if not isinstance(data, str) else data)


def test_missing_record(tmp_path):
    with pytest.raises(RecordMalformed, match="no network_probe record"):
        records.read_json(tmp_path / "network_probe.json", "network_probe")


@pytest.mark.parametrize("payload", ["not json", {"kind": "network_probe"},
                                     {"kind": "network_probe", "version": 1, "networks": {"x": {"found": "yes"}}}])
def test_malformed_records_are_rejected(tmp_path, payload):
    _write(tmp_path, "network_probe.json", payload)
    with pytest.raises(RecordMalformed):
        records.read_json(tmp_path / "network_probe.json", "network_probe")


def test_size_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_RECORD_BYTES", 10)
    _write(tmp_path, "cell_probe.json", {"kind": "cell_probe"})
    with pytest.raises(RecordMalformed, match="cap"):
        records.read_json(tmp_path / "cell_probe.json", "cell_probe")


def test_array_shape_is_enforced():
    with pytest.raises(RecordMalformed, match="shape"):
        records.as_array([[1.0, 2.0]], (2, 1), "h")
    with pytest.raises(RecordMalformed, match="rectangular"):
        records.as_array([[1.0], [1.0, 2.0]], None, "h")
    assert records.as_array([[1, 2]], (1, 2), "h").dtype == np.float64


def test_predictions_with_wrong_row_count_are_rejected(tmp_path):
    net = {"variable": "history", "found": True, "is_history": True, "history_keys": [], "epochs": 1,
           "layers": [], "predictions": [[0.0] * 8] * 3}
    _write(tmp_path, "network_probe.json", {"kind": "network_probe", "version": 1, "networks": {"history": net}})
    with pytest.raises(RecordMalformed, match="predictions"):
        records.load_network_probe(tmp_path, expected_rows=5, seq_len=8)


def _network(**kw):
    base = dict(variable="history_LSTM", found=True, is_history=True, history_keys=("loss",), epochs=1,
                model_class="Sequential", model_module="tf_keras.src.engine.sequential", layers=(), loss_name=None,
                from_logits=None, final_activation=None, layout=None, predictions=None, error=None,
                history_class="History", history_module="tf_keras.src.callbacks")
    return records.NetworkRecord(**{**base, **kw})


def test_network_integrity_notes_flag_home_made_history_and_predict():
    assert _network().integrity_notes() == ()
    assert _network(custom_methods=("call",)).integrity_notes() == ()  # a subclassed model's own call is normal
    notes = _network(history_class="Fake", history_module="__main__", model_class="Cheat", model_module="__main__",
                     custom_methods=("predict", "call")).integrity_notes()
    assert len(notes) == 2 and "Fake defined in __main__" in notes[0] and "its own predict" in notes[1]
