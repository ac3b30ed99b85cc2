"""Network probe: its text runs in the student's kernel after the last notebook cell.

It reaches the trained models through the History objects the notebook left behind, predicts on
the grader's held-out inputs and writes plain data (layer types, history keys, predictions) as JSON.
It never scores: the trusted grader decodes and compares. Everything it defines starts with
`_autograder_` so it cannot clash with student names.
"""


def _autograder_network_probe(request_path, out_path, namespace):
    import json
    import traceback

    import numpy as np

    def error(exc):
        return {"ename": type(exc).__name__, "evalue": str(exc)[:2000],
                "where": "".join(traceback.format_exception(exc)[-3:])[-2000:]}

    def layer_types(obj, depth=0):
        """Class names of a model's layers, recursing into wrappers, nested models and RNN cells."""
        out = []
        if depth > 6:
            return out
        for layer in list(getattr(obj, "layers", None) or []):
            cls = type(layer)
            out.append({"class": cls.__name__, "module": cls.__module__, "depth": depth})
            for attr in ("cell", "layer", "forward_layer", "backward_layer"):
                inner = getattr(layer, attr, None)
                if inner is not None and not isinstance(inner, (list, tuple, dict, str)):
                    icls = type(inner)
                    out.append({"class": icls.__name__, "module": icls.__module__, "depth": depth + 1})
                    out.extend(layer_types(inner, depth + 2))
            if getattr(layer, "layers", None):
                out.extend(layer_types(layer, depth + 1))
        return out

    def loss_info(model):
        loss = getattr(model, "loss", None)
        if isinstance(loss, (list, tuple)) and loss:
            loss = loss[0]
        if isinstance(loss, dict) and loss:
            loss = next(iter(loss.values()))
        name = loss if isinstance(loss, str) else (getattr(loss, "__name__", None) or type(loss).__name__)
        from_logits = getattr(loss, "from_logits", None)
        if from_logits is None and hasattr(loss, "get_config"):
            try:
                from_logits = loss.get_config().get("from_logits")
            except Exception:  # noqa: BLE001 - a loss without config is fine
                from_logits = None
        return {"name": str(name) if name is not None else None,
                "from_logits": bool(from_logits) if from_logits is not None else None}

    def last_activation(model):
        layers = [layer for layer in getattr(model, "layers", []) or []]
        for layer in reversed(layers):
            act = getattr(layer, "activation", None)
            if act is not None:
                return getattr(act, "__name__", str(act))
        return None

    def declared_input_shape(model):
        """The input shape the model was built for (i.e. the layout of its training data), if known."""
        for attr in ("input_shape", "_build_input_shape"):
            try:
                shape = getattr(model, attr)
            except Exception:  # noqa: BLE001 - an unbuilt subclassed model has none
                continue
            if isinstance(shape, list) and shape and isinstance(shape[0], (tuple, list)):
                shape = shape[0]
            try:
                return [None if d is None else int(d) for d in tuple(shape)]
            except (TypeError, ValueError):
                continue
        return None

    def own_methods(cls):
        """Prediction paths the model's class takes from code outside Keras/TensorFlow (e.g. the notebook)."""
        out = []
        for name in ("predict", "predict_step", "predict_on_batch", "__call__", "call"):
            owner = next((k for k in cls.__mro__ if name in vars(k)), None)
            module = getattr(owner, "__module__", "") or ""
            if owner is not None and not module.startswith(("keras", "tf_keras", "tensorflow")):
                out.append(name)
        return out

    def predict(model, inputs):
        """Try the input layouts students trained on, the one the model declares first."""
        n, t = inputs.shape[0], inputs.shape[1]
        layouts = [
            ("batch_major_float", inputs.astype("float32")),
            ("batch_major_2d", inputs.reshape(n, t).astype("float32")),
            ("time_major_float", np.transpose(inputs, (1, 0, 2)).astype("float32")),
        ]
        shape = declared_input_shape(model)
        if shape is not None and len(shape) == 2:
            layouts.insert(0, layouts.pop(1))
        elif shape is not None and len(shape) == 3 and shape[1] not in (None, t) and shape[0] in (None, t):
            layouts.insert(0, layouts.pop(2))
        errors = []
        for name, x in layouts:
            try:
                y = model.predict(x, batch_size=250, verbose=0)
            except BaseException as exc:  # noqa: BLE001
                if isinstance(exc, KeyboardInterrupt):
                    raise
                errors.append(f"{name}: {type(exc).__name__}: {str(exc)[:300]}")
                continue
            if isinstance(y, (list, tuple)):
                y = y[0]
            y = np.asarray(y, dtype="float64")
            if name.startswith("time_major"):
                if y.ndim < 2 or y.shape[1] != n:
                    errors.append(f"{name}: output shape {list(y.shape)}")
                    continue
                y = np.swapaxes(y, 0, 1)
            if y.ndim < 1 or y.shape[0] != n or y.size > n * t * 16:
                errors.append(f"{name}: output shape {list(y.shape)}")
                continue
            return name, y, errors
        return None, None, errors

    with open(request_path) as fh:
        request = json.load(fh)
    inputs = np.asarray(request["inputs"], dtype="int64")
    result = {"kind": "network_probe", "version": 1, "networks": {}}
    for var in request["variables"]:
        entry = {"variable": var, "found": var in namespace, "is_history": False, "history_keys": [],
                 "epochs": 0, "model_class": None, "layers": [], "loss": None, "final_activation": None,
                 "layout": None, "output_shape": None, "predictions": None, "error": None,
                 "layout_errors": [], "input_shape": None, "history_class": None, "history_module": None,
                 "custom_methods": []}
        result["networks"][var] = entry
        if not entry["found"]:
            continue
        obj = namespace[var]
        try:
            hist = getattr(obj, "history", None)
            model = getattr(obj, "model", None)
            entry["is_history"] = isinstance(hist, dict) and model is not None
            if isinstance(hist, dict):
                entry["history_keys"] = sorted(str(k) for k in hist)
                losses = hist.get("loss")
                entry["epochs"] = len(losses) if isinstance(losses, (list, tuple)) else 0
            if not entry["is_history"]:
                entry["model_class"] = type(obj).__name__
                continue
            cls = type(model)
            entry["model_class"] = cls.__name__
            entry["model_module"] = cls.__module__
            entry["history_class"] = type(obj).__name__
            entry["history_module"] = type(obj).__module__
            entry["custom_methods"] = own_methods(cls)
            entry["layers"] = layer_types(model)
            entry["loss"] = loss_info(model)
            entry["final_activation"] = last_activation(model)
            entry["input_shape"] = declared_input_shape(model)
            layout, y, errors = predict(model, inputs)
            entry["layout_errors"] = errors
            if y is not None:
                entry["layout"] = layout
                entry["output_shape"] = list(y.shape)
                entry["predictions"] = y.tolist()
        except BaseException as exc:  # noqa: BLE001
            if isinstance(exc, KeyboardInterrupt):
                raise
            entry["error"] = error(exc)
    with open(out_path, "w") as fh:
        json.dump(result, fh)
