"""Cell probe, run as a script in its own process with cwd = the scratch copy of a submission.

It imports the student's utils/LSTM.py, builds LSTMCell at grader-chosen shapes, assigns grader-chosen
weights, runs grader-chosen inputs and states, and writes h, c and gradients as JSON. It never
decides anything: the trusted grader compares the numbers. Self-contained on purpose: it must not
import the autograder package into a process that runs student code.

Usage: python cell_probe.py REQUEST.json OUT.json
"""
import json
import os
import sys
import traceback


def _error(exc):
    return {"ename": type(exc).__name__, "evalue": str(exc)[:2000],
            "where": "".join(traceback.format_exception(exc)[-3:])[-2000:]}


def _short(name):
    return name.split("/")[-1].split(":")[0]


def _weight_info(cell):
    return [{"name": _short(w.name), "shape": [int(s) for s in w.shape]} for w in cell.weights]


def _parts(cell):
    """Classes of the layers and cells the built cell holds as attributes (delegation shows up here)."""
    found = []
    for value in vars(cell).values():
        for item in (value if isinstance(value, (list, tuple)) else [value]):
            cls = type(item)
            if hasattr(item, "__call__") and cls.__module__.split(".")[0] in ("keras", "tf_keras", "tensorflow"):
                found.append(f"{cls.__module__}.{cls.__qualname__}")
    return sorted(set(found))[:50]


def _states_of(out):
    """Student cells return (h, [h, c]); accept tuples/lists of the same structure."""
    h_out, states = out
    return h_out, states[0], states[1]


def _assign(cell, tf, kernel, recurrent, bias):
    """Give the cell grader-chosen weights by name, else by shape; report how it was done."""
    by_name = {}
    for w in cell.weights:
        by_name.setdefault(_short(w.name), w)
    d, k4 = kernel.shape
    k = k4 // 4
    targets = {"kernel": kernel, "recurrent_kernel": recurrent, "bias": bias}
    if all(n in by_name and tuple(by_name[n].shape) == targets[n].shape for n in targets):
        for n, value in targets.items():
            by_name[n].assign(value)
        return "by_name", [by_name[n] for n in targets]
    weights = list(cell.weights)
    shapes = [tuple(int(s) for s in w.shape) for w in weights]
    if sorted(shapes) == sorted([(d, k4), (k, k4), (k4,)]) and d != k:
        chosen = []
        for value in targets.values():
            var = weights[shapes.index(value.shape)]
            var.assign(value)
            chosen.append(var)
        return "by_shape", chosen
    stacked = [w for w, s in zip(weights, shapes) if s == (d + k, k4)]
    biases = [w for w, s in zip(weights, shapes) if s == (k4,)]
    if len(stacked) == 1 and len(biases) == 1:
        import numpy as np
        stacked[0].assign(np.concatenate([kernel, recurrent], axis=0))
        biases[0].assign(bias)
        return "stacked", [stacked[0], None, biases[0]]
    raise ValueError(f"cannot assign weights: the cell has weights {[(w['name'], w['shape']) for w in _weight_info(cell)]}, "
                     f"expected kernel {list(kernel.shape)}, recurrent_kernel {list(recurrent.shape)}, bias {list(bias.shape)}")


def _run_case(tf, np, LSTMCell, case, with_grads):
    f32 = lambda key: np.asarray(case[key], dtype=np.float32)  # noqa: E731
    x, h, c = tf.constant(f32("x")), tf.constant(f32("h")), tf.constant(f32("c"))
    units = int(h.shape[1])
    record = {"name": case["name"], "h": None, "c": None, "weights": None, "assignment": None,
              "error": None, "grads": None, "grad_error": None}
    try:
        cell = LSTMCell(units)
        cell(x, [h, c])  # builds the weights the Keras way
        record["weights"] = _weight_info(cell)
        record["assignment"], variables = _assign(cell, tf, f32("kernel"), f32("recurrent_kernel"), f32("bias"))
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([x, h, c])
            h_out, _, c_out = _states_of(cell(x, [h, c]))
            loss = tf.reduce_sum(h_out * f32("dh")) + tf.reduce_sum(c_out * f32("dc"))
        record["h"] = np.asarray(h_out, dtype=np.float64).tolist()
        record["c"] = np.asarray(c_out, dtype=np.float64).tolist()
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything; it becomes data
        if isinstance(exc, KeyboardInterrupt):
            raise
        record["error"] = _error(exc)
        return record
    if with_grads:
        try:
            names = ["inputs", "h_prev", "c_prev", "kernel", "recurrent_kernel", "bias"]
            sources = [x, h, c] + variables
            grads = {}
            for name, src in zip(names, sources):
                g = None if src is None else tape.gradient(loss, src)
                grads[name] = None if g is None else np.asarray(tf.convert_to_tensor(g), dtype=np.float64)
            if record["assignment"] == "stacked" and grads["kernel"] is not None:
                d = int(x.shape[1])  # a stacked [x, h] kernel: its rows split into kernel and recurrent parts
                grads["kernel"], grads["recurrent_kernel"] = grads["kernel"][:d], grads["kernel"][d:]
            record["grads"] = {k: None if v is None else v.tolist() for k, v in grads.items()}
        except BaseException as exc:  # noqa: BLE001
            if isinstance(exc, KeyboardInterrupt):
                raise
            record["grad_error"] = _error(exc)
    return record


def main(request_path, out_path):
    with open(request_path) as fh:
        request = json.load(fh)
    result = {"kind": "cell_probe", "version": 1, "import_error": None, "classes": {},
              "shapes": [], "ones": None, "cases": [], "large": None, "environment": {}}

    def write():
        with open(out_path, "w") as fh:
            json.dump(result, fh)

    sys.path.insert(0, os.getcwd())
    try:
        import numpy as np
        import tensorflow as tf
        tf.keras.utils.set_random_seed(int(request["seed"]))
        result["environment"] = {"tensorflow": tf.__version__, "keras": getattr(tf.keras, "__version__", "?")}
        import utils.LSTM as student
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, KeyboardInterrupt):
            raise
        result["import_error"] = _error(exc)
        return write()
    for cls_name in ("LSTMCell", "LSTMModel"):
        cls = getattr(student, cls_name, None)
        result["classes"][cls_name] = None if not isinstance(cls, type) else {
            "mro": [f"{k.__module__}.{k.__qualname__}" for k in cls.__mro__]}
    LSTMCell = getattr(student, "LSTMCell", None)
    if not isinstance(LSTMCell, type):
        return write()

    for d, k in request["shapes"]:
        entry = {"input_dim": d, "units": k, "weights": None, "error": None}
        try:
            cell = LSTMCell(k)
            try:  # build alone: a bug in call() must not hide the weights build() creates
                cell.build(tf.TensorShape([2, d]))
            except Exception:  # noqa: BLE001 - a build() that needs the Keras call path gets it
                cell = LSTMCell(k)
                cell(tf.zeros((2, d)), [tf.zeros((2, k)), tf.zeros((2, k))])
            entry["weights"] = _weight_info(cell)
            entry["parts"] = _parts(cell)
        except BaseException as exc:  # noqa: BLE001
            if isinstance(exc, KeyboardInterrupt):
                raise
            entry["error"] = _error(exc)
        result["shapes"].append(entry)
    write()

    ones = request["ones"]
    entry = {"h": None, "c": None, "error": None}
    try:
        units = len(ones["h"][0])
        cell = LSTMCell(units, kernel_initializer=tf.keras.initializers.Ones,
                        recurrent_initializer=tf.keras.initializers.Ones,
                        bias_initializer=tf.keras.initializers.Zeros)
        x = tf.constant(np.asarray(ones["x"], dtype=np.float32))
        states = [tf.constant(np.asarray(ones["h"], dtype=np.float32)), tf.constant(np.asarray(ones["c"], dtype=np.float32))]
        h_out, _, c_out = _states_of(cell(x, states))
        entry["h"], entry["c"] = np.asarray(h_out, np.float64).tolist(), np.asarray(c_out, np.float64).tolist()
    except BaseException as exc:  # noqa: BLE001
        if isinstance(exc, KeyboardInterrupt):
            raise
        entry["error"] = _error(exc)
    result["ones"] = entry
    write()

    for case in request["cases"]:
        result["cases"].append(_run_case(tf, np, LSTMCell, case, with_grads=True))
        write()
    result["large"] = _run_case(tf, np, LSTMCell, request["large"], with_grads=False)
    write()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
