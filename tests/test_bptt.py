"""reference.bptt: the hand derivation agrees with autodiff and with the published values."""
import pytest

from reference.bptt import GRADIENT_NAMES, Convention, forward, gradients_by_autodiff, gradients_by_hand, wrong_conventions

# SPEC §4's published values: a cross-check of the code, not the grader's source of truth.
PUBLISHED_FORWARD = {"h": (0.98201, 0.50899), "y": (0.95092, 0.88267)}
PUBLISHED_GRADIENTS = {"w_x": 0.007856, "w_h": -0.005964, "b_1": -0.004291, "w": 0.037396, "b_2": 0.032228}


def test_forward_matches_published_values():
    fw = forward()
    for key, values in PUBLISHED_FORWARD.items():
        assert fw[key] == pytest.approx(values, abs=1e-5)


def test_hand_gradients_match_published_values_to_1e6():
    grads = gradients_by_hand()
    for name in GRADIENT_NAMES:
        assert grads[name] == pytest.approx(PUBLISHED_GRADIENTS[name], abs=1e-6)


@pytest.mark.slow
def test_hand_gradients_equal_float64_autodiff():
    hand, auto = gradients_by_hand(), gradients_by_autodiff()
    for name in GRADIENT_NAMES:
        assert hand[name] == pytest.approx(auto[name], abs=1e-12, rel=1e-10)


def test_sum_convention_doubles_every_value():
    right, doubled = gradients_by_hand(), gradients_by_hand(convention=Convention(loss_scale=1.0))
    assert all(doubled[n] == pytest.approx(2 * right[n]) for n in GRADIENT_NAMES)


def test_dropping_recurrent_path_changes_only_first_step_terms():
    right, dropped = gradients_by_hand(), gradients_by_hand(convention=Convention(recurrent_path=False))
    assert round(dropped["w_x"], 4) == 0.0076 and round(dropped["b_1"], 4) == -0.0045
    for name in ("w_h", "w", "b_2"):
        assert dropped[name] == pytest.approx(right[name])


def test_wrong_conventions_all_differ_from_the_right_values():
    right = gradients_by_hand()
    for conv in wrong_conventions():
        assert any(abs(conv.values[n] - right[n]) > 2e-4 for n in GRADIENT_NAMES), conv.key
