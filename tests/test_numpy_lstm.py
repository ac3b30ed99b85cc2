"""reference.numpy_lstm: equal to Keras' LSTMCell with copied weights; gradients equal finite differences."""
import numpy as np
import pytest

from reference.numpy_lstm import GATE_ORDERS, CellWeights, lstm_step, lstm_step_gradients


def _random(seed=0, n=3, d=2, k=4):
    rng = np.random.default_rng(seed)
    w = CellWeights(rng.normal(size=(d, 4 * k)), rng.normal(size=(k, 4 * k)), rng.normal(size=4 * k))
    return w, rng.normal(size=(n, d)), rng.normal(size=(n, k)), rng.normal(size=(n, k))


def _permute(w, src, dst):
    """Re-lay the fused weights from gate order `src` to `dst`."""
    def perm(a):
        blocks = dict(zip(src, np.split(a, 4, axis=-1)))
        return np.concatenate([blocks[g] for g in dst], axis=-1)
    return CellWeights(perm(w.kernel), perm(w.recurrent_kernel), perm(w.bias))


@pytest.mark.slow
def test_equals_keras_lstmcell_with_copied_weights():
    import tensorflow as tf

    w, x, h, c = _random()
    # unit_forget_bias=False: Keras would otherwise add 1 to the forget-gate bias at build time.
    cell = tf.keras.layers.LSTMCell(4, unit_forget_bias=False, dtype="float64")
    cell.build((None, 2))
    for var, value in zip(cell.weights, (w.kernel, w.recurrent_kernel, w.bias)):
        var.assign(value)
    h_tf, (_, c_tf) = cell(tf.constant(x), [tf.constant(h), tf.constant(c)])
    step = lstm_step(x, h, c, w, "ifco")
    np.testing.assert_allclose(step.h, h_tf.numpy(), atol=1e-12)
    np.testing.assert_allclose(step.c, c_tf.numpy(), atol=1e-12)


def test_every_gate_order_is_the_same_lstm_after_permuting_weights():
    w, x, h, c = _random(1)
    base = lstm_step(x, h, c, w, "ifco")
    for order in GATE_ORDERS:
        step = lstm_step(x, h, c, _permute(w, "ifco", order), order)
        np.testing.assert_allclose(step.h, base.h, atol=1e-12)


def test_gradients_equal_central_finite_differences():
    w, x, h, c = _random(2)
    rng = np.random.default_rng(3)
    dh, dc = rng.normal(size=h.shape), rng.normal(size=c.shape)
    order = "fico"

    def loss(x_, h_, c_, w_):
        s = lstm_step(x_, h_, c_, w_, order)
        return float(np.sum(s.h * dh) + np.sum(s.c * dc))

    grads = lstm_step_gradients(lstm_step(x, h, c, w, order), w, dh, dc)
    args = {"inputs": x, "h_prev": h, "c_prev": c, "kernel": w.kernel, "recurrent_kernel": w.recurrent_kernel,
            "bias": w.bias}
    eps = 1e-6
    for name, arr in args.items():
        numeric = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            for sign in (1, -1):
                bumped = {k: v.copy() for k, v in args.items()}
                bumped[name][idx] += sign * eps
                bw = CellWeights(bumped["kernel"], bumped["recurrent_kernel"], bumped["bias"])
                numeric[idx] += sign * loss(bumped["inputs"], bumped["h_prev"], bumped["c_prev"], bw) / (2 * eps)
        np.testing.assert_allclose(grads[name], numeric, atol=1e-7, err_msg=name)
