"""Part 1 judgement of one value: right, right but under-precise, a named wrong convention, or wrong.

Messages never contain the expected value; they name the convention a wrong value follows.
"""
from __future__ import annotations

from dataclasses import dataclass

from autograder.answers import FoundValue
from autograder.config import GradingConfig
from reference.bptt import WrongConvention, gradients_by_hand, wrong_conventions

REQUIRED_DECIMALS = 4


@dataclass(frozen=True)
class Verdict:
    """The share of a value's points it earns, the student-facing reason, and the convention matched."""

    fraction: float
    message: str
    convention: str | None = None


def convention_credit(key: str, config: GradingConfig) -> float:
    return config.sum_convention_credit if key == "sum_without_half" else 0.0


def judge(name: str, found: FoundValue | None, config: GradingConfig) -> Verdict:
    label = f"∇_{name} L"
    if found is None or found.value is None:
        return Verdict(0.0, f"No number was found for {label} in the Part 1 answer; replace the `[nu.]` "
                            f"placeholder with your value, keeping {REQUIRED_DECIMALS} digits after the decimal point.")
    expected = gradients_by_hand()[name]
    value, tol = found.value, config.gradient_tolerance
    if abs(value - expected) <= tol:
        return Verdict(1.0, f"{label} = {found.literal} is correct.")
    decimals = found.decimals
    if decimals is not None and decimals < REQUIRED_DECIMALS and abs(round(expected, decimals) - value) < 1e-12:
        return Verdict(config.fewer_decimals_credit,
                       f"{label} = {found.literal} agrees only to {decimals} decimals: keep "
                       f"{REQUIRED_DECIMALS} digits after the decimal point.")
    for conv in wrong_conventions():
        if abs(value - conv.values[name]) <= tol:
            return _convention_verdict(label, found, conv, config)
    return Verdict(0.0, f"{label} = {found.literal} does not match the expected value within ±{tol:g}. "
                        "Recheck the forward pass values and the chain rule through both time steps.")


def _convention_verdict(label: str, found: FoundValue, conv: WrongConvention, config: GradingConfig) -> Verdict:
    share = convention_credit(conv.key, config)
    credit = f" It earns {share:.0%} of its points." if share else ""
    return Verdict(share, f"{label} = {found.literal} follows a known mistake: {conv.description}.{credit}",
                   convention=conv.key)
