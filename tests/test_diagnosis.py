"""autograder.diagnosis: right, under-precise, named wrong conventions, wrong, missing."""
import pytest

from autograder.answers import FoundValue
from autograder.config import GradingConfig
from autograder.diagnosis import judge
from reference.bptt import gradients_by_hand, wrong_conventions

CONFIG = GradingConfig(seed=1)


def _found(name, literal):
    return FoundValue(name, float(literal), literal, 0)


def test_right_value_earns_full_points():
    assert judge("w", _found("w", "0.0374"), CONFIG).fraction == 1.0


def test_last_digit_off_within_tolerance_is_right():
    assert judge("b_1", _found("b_1", "-0.0044"), CONFIG).fraction == 1.0


def test_fewer_decimals_earn_half_and_say_so():
    verdict = judge("w", _found("w", "0.037"), CONFIG)
    assert verdict.fraction == 0.5 and "4 digits" in verdict.message


def test_sum_without_half_earns_configured_share_and_is_named():
    value = f"{2 * gradients_by_hand()['w']:.4f}"
    verdict = judge("w", _found("w", value), CONFIG)
    assert verdict.convention == "sum_without_half" and verdict.fraction == CONFIG.sum_convention_credit
    assert judge("w", _found("w", value), CONFIG.replace(sum_convention_credit=0.0)).fraction == 0.0


@pytest.mark.parametrize("key", ["recurrent_path_dropped", "linear_output", "sign_flipped", "swapped_targets"])
def test_other_conventions_are_named_and_earn_nothing(key):
    conv = next(c for c in wrong_conventions() if c.key == key)
    right = gradients_by_hand()
    name = next(n for n in conv.values if abs(conv.values[n] - right[n]) > 2e-4)
    verdict = judge(name, _found(name, f"{conv.values[name]:.4f}"), CONFIG)
    assert verdict.convention == key and verdict.fraction == 0.0


def test_messages_never_reveal_the_expected_value():
    right = gradients_by_hand()
    for name in right:
        for literal in ("0.5", "-0.0001", "0.01"):
            message = judge(name, _found(name, literal), CONFIG).message
            assert f"{right[name]:.4f}" not in message and f"{right[name]:.3f}" not in message


def test_missing_value_says_not_found():
    assert "No number was found" in judge("w", None, CONFIG).message
